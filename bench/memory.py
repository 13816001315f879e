"""Server memory over time: one long session (page switches and reruns), then many short sessions, against a real
`streamlit run`; the server's RSS (psutil) after each phase and after the sessions expire. Writes bench/memory.md.

    python -m bench.memory                    # 200 switches/reruns, 50 sessions
    python -m bench.memory --actions 20 --sessions 5   # a quick look

Sessions expire `server.disconnectedSessionTTL` seconds after their browser tab closes (Streamlit's default is
120 s); the bench sets it to --ttl (default 10 s) so the run takes minutes, not hours.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.browser import serve  # noqa: E402
from pages.course import available  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
URLS = [""] + [t.url for topics in available().values() for t in topics]  # the course map is the default page, at /
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def mb(proc: psutil.Process) -> float:
    """The server's resident memory, children included (there are none today), in MB."""
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 1e6


def settle(page, timeout: float = 120_000) -> None:
    page.wait_for_timeout(150)  # let a rerun that was just triggered start before waiting for it to end
    page.wait_for_selector(IDLE, timeout=timeout)


def open_session(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(url)
    settle(page)
    return context, page


def wait_for_expiry(proc: psutil.Process, ttl: int) -> float:
    """Sleep past the TTL (and Streamlit's cleanup tick), then read RSS once it stops falling."""
    time.sleep(ttl + 5)
    last = mb(proc)
    for _ in range(10):
        time.sleep(2)
        now = mb(proc)
        if now >= last - 0.5:
            return now
        last = now
    return last


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=200, help="page switches and reruns in the one long session")
    ap.add_argument("--sessions", type=int, default=50, help="short sessions opened and closed")
    ap.add_argument("--ttl", type=int, default=10, help="seconds a closed session lives on (server setting)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "memory.md"))
    a = ap.parse_args()
    rows: list[tuple[str, float, str]] = []
    with serve(args=("--server.disconnectedSessionTTL", str(a.ttl))) as (url, proc):
        measure(a, url, proc, rows)
    write(a, rows)


def measure(a: argparse.Namespace, url: str, proc: psutil.Process, rows: list[tuple[str, float, str]]) -> None:
    """Drive the phases against the running server, appending (what, MB, how) rows."""

    def note(what: str, how: str = "") -> None:
        rows.append((what, mb(proc), how))
        print(f"{rows[-1][1]:8.1f} MB  {what}  {how}", flush=True)

    note("server started")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        t0 = time.time()
        context, page = open_session(browser, f"{url}/")
        for name in URLS[1:]:  # every page once: its caches fill, its torch code loads
            page.goto(f"{url}/{name}")
            settle(page)
        context.close()
        note("warm: every page visited once", f"{time.time() - t0:.0f} s")
        base = wait_for_expiry(proc, a.ttl)
        rows.append(("baseline: that session expired", base, ""))
        print(f"{base:8.1f} MB  baseline", flush=True)

        t0 = time.time()
        context, page = open_session(browser, f"{url}/")
        for i in range(a.actions):
            if i % 2:
                page.locator("body").press("r")  # Streamlit's rerun shortcut
            else:
                name = URLS[(i // 2 + 1) % len(URLS)]
                page.locator(f"a[data-testid='stSidebarNavLink'][href='{url}/{name}']").click()
            settle(page)
        note(f"one session: {a.actions} page switches and reruns", f"{time.time() - t0:.0f} s")
        context.close()
        one = wait_for_expiry(proc, a.ttl)
        rows.append(("… after it expired", one, f"{one - base:+.1f} MB vs baseline"))
        print(f"{one:8.1f} MB  after the long session expired", flush=True)

        t0, peak = time.time(), 0.0
        for i in range(a.sessions):
            context, _ = open_session(browser, f"{url}/{URLS[i % len(URLS)]}")
            context.close()
            peak = max(peak, mb(proc))
        rows.append((f"{a.sessions} sessions opened and closed (peak)", peak, f"{time.time() - t0:.0f} s"))
        print(f"{peak:8.1f} MB  peak over {a.sessions} sessions", flush=True)
        browser.close()
    gc.collect()
    end = wait_for_expiry(proc, a.ttl)
    rows.append(("… after they expired", end, f"{end - base:+.1f} MB vs baseline"))
    print(f"{end:8.1f} MB  after the sessions expired ({end - base:+.1f} MB)", flush=True)


def write(a: argparse.Namespace, rows: list[tuple[str, float, str]]) -> None:
    """bench/memory.md and .json: the table of phases and the growth after every session expired."""
    base = next(rss for what, rss, _ in rows if what.startswith("baseline"))
    growth = rows[-1][1] - base
    lines = [
        "# Server memory over time",
        "",
        f"`python -m bench.memory --actions {a.actions} --sessions {a.sessions} --ttl {a.ttl}` "
        f"on {psutil.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. "
        "RSS of the `streamlit run` process (psutil).",
        "",
        "| phase | RSS (MB) | note |",
        "|---|---:|---|",
        *[f"| {what} | {rss:.0f} | {how} |" for what, rss, how in rows],
        "",
        f"Growth after all sessions expired: **{growth:+.1f} MB** (budget: under 50 MB).",
        "",
    ]
    Path(a.out).write_text("\n".join(lines))
    Path(a.out).with_suffix(".json").write_text(json.dumps({"rows": rows, "growth_mb": growth}, indent=1))
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
