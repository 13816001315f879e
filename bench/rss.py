"""Server memory: RSS after one student has visited every page, and how much each further student adds.

`python -m bench.rss` starts the app, measures the server's RSS (psutil) when healthy, after one browser session has
opened every page of the course in turn, and after `extra` more sessions have done the same (all sessions stay
open, so their session state is still held). Per-session growth = (last - after the first) / extra.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time

from bench.browser import ARGS, CHROMIUM, serve
from bench.load import PAGES, SETTLED


def _visit_all(ctx, url: str, pages: list[str], timeout_ms: float) -> None:
    page = ctx.new_page()
    for name in pages:
        page.goto(f"{url}/{name}", timeout=timeout_ms)
        page.wait_for_selector("h1", timeout=timeout_ms)
        page.wait_for_selector(SETTLED, timeout=timeout_ms)


def _rss_mb(proc, settle_s: float) -> float:
    time.sleep(settle_s)  # let the last reruns finish and their garbage go
    return proc.memory_info().rss / 2**20


def measure(extra=4, pages: list[str] | None = None, timeout_s=180.0, settle_s=2.0, at=None) -> dict:
    """On a fresh server (nothing visited before), or on `at` = (url, psutil.Process) for a smoke run."""
    from playwright.sync_api import sync_playwright

    pages = pages or ["home", *PAGES]
    with serve() if at is None else contextlib.nullcontext(at) as (url, server), sync_playwright() as pw:
        start = _rss_mb(server, 0)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            contexts = [browser.new_context(viewport={"width": 1280, "height": 1600})]
            _visit_all(contexts[0], url, pages, 1000 * timeout_s)
            first = _rss_mb(server, settle_s)
            for _ in range(extra):
                contexts.append(browser.new_context(viewport={"width": 1280, "height": 1600}))
                _visit_all(contexts[-1], url, pages, 1000 * timeout_s)
            last = _rss_mb(server, settle_s)
        finally:
            browser.close()
    return {
        "pages": pages,
        "rss_start_mb": start,
        "rss_after_every_page_mb": first,
        "extra_sessions": extra,
        "rss_after_extra_mb": last,
        "per_session_mb": (last - first) / extra if extra else None,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--extra", type=int, default=4, help="sessions after the first, each visiting every page")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.extra), indent=2))


if __name__ == "__main__":
    main()
