"""A classroom on one server: N concurrent browser sessions, each opening a page and interacting; some train live.

In the manner of Streamlit's Playwright load tests: one Chromium, one browser context (a separate Streamlit session)
per student, started a little apart. Every third student opens the network playground and presses Play, trains for
a while and presses Pause; the others open a topic page (round robin over the course) and nudge its first slider a
few times. Latency of an interaction = from the action until the rerun it started has finished: for a slider, read
from the app's own script-state attribute (timestamped in the page by a MutationObserver); for Play and Pause, until
the button shows its new label (while training, fragment runs keep that state busy). Meanwhile a thread samples
the server's RSS and CPU with psutil. Errors: exceptions shown on a page, page errors, interactions that time out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time

import psutil

from bench.browser import ARGS, CHROMIUM, serve

PAGES = ["neuron", "activations", "network", "gradient_descent", "backprop", "overfitting", "dropout", "autoencoder"]
LOG_STATE = """
window.__st = [];
const watch = () => new MutationObserver(ms => {
  for (const m of ms) window.__st.push([performance.now(), m.target.getAttribute('data-test-script-state')]);
}).observe(document.documentElement, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
"""
# The end of the first rerun that started after t0 (performance.now() ms), or false while there is none yet.
RERUN_DONE = """(t0) => {
  let ran = false;
  for (const [t, s] of window.__st) {
    if (t < t0) continue;
    if (s === 'running') ran = true;
    else if (ran && s === 'notRunning') return t;
  }
  return false;
}"""
SETTLED = "[data-testid='stApp'][data-test-script-state='notRunning']"


class Sampler(threading.Thread):
    """The server's RSS (MB) and CPU (% of one core) every `every` seconds until stopped."""

    def __init__(self, proc: psutil.Process, every: float = 0.5):
        super().__init__(daemon=True)
        self.proc, self.every, self.rss, self.cpu = proc, every, [], []
        self.stopped = threading.Event()
        self.proc.cpu_percent(None)

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.rss.append(self.proc.memory_info().rss / 2**20)
                self.cpu.append(self.proc.cpu_percent(None))
            except psutil.Error:
                return


async def _rerun(page, action, timeout_ms: float) -> float:
    """Seconds from an action until the rerun it triggers has finished."""
    t0 = await page.evaluate("performance.now()")
    await action()
    done = await page.wait_for_function(RERUN_DONE, arg=t0, timeout=timeout_ms, polling=25)
    return (await done.json_value() - t0) / 1000


async def student(browser, url, i: int, delay: float, play_s: float, nudges: int, timeout_ms: float, pages=PAGES):
    """One session: open a page, then play/pause the playground or nudge a slider; latencies and errors."""
    await asyncio.sleep(delay)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 1600})
    await ctx.add_init_script(LOG_STATE)
    page = await ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    player = i % 3 == 0
    name = "network" if player else pages[i % len(pages)]
    out = {"student": i, "page": name, "player": player, "load_s": None, "latencies_s": []}
    try:
        t0 = time.perf_counter()
        await page.goto(f"{url}/{name}", timeout=timeout_ms)
        await page.wait_for_selector("h1", timeout=timeout_ms)
        await page.wait_for_selector(SETTLED, timeout=timeout_ms)
        out["load_s"] = time.perf_counter() - t0
        if player:  # timed by the button's new label: back-to-back fragment runs may never show "notRunning"
            t1 = time.perf_counter()
            await page.get_by_role("button", name="▶ Play").click(timeout=timeout_ms)
            await page.get_by_role("button", name="❚❚ Pause").wait_for(timeout=timeout_ms)
            out["latencies_s"].append(time.perf_counter() - t1)
            await asyncio.sleep(play_s)
            t1 = time.perf_counter()  # pausing: until the Play button is back (fragment reruns also flip the state)
            await page.get_by_role("button", name="❚❚ Pause").click(timeout=timeout_ms)
            await page.get_by_role("button", name="▶ Play").wait_for(timeout=timeout_ms)
            out["latencies_s"].append(time.perf_counter() - t1)
        else:
            slider = page.get_by_role("slider").first
            for k in range(nudges):  # right, left, right...: the page's default values sit inside their ranges
                key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
                await slider.focus(timeout=timeout_ms)
                out["latencies_s"].append(await _rerun(page, lambda key=key: slider.press(key), timeout_ms))
                await asyncio.sleep(0.5)
        shown = await page.get_by_test_id("stException").count()
        errors += [f"exception shown on {name}"] * shown
    except Exception as err:  # a timeout or a vanished element is an error of the run, not of the benchmark
        errors.append(f"{type(err).__name__}: {str(err).splitlines()[0][:160]}")
    finally:
        await ctx.close()
    return out | {"errors": errors}


async def _stage(url: str, n: int, stagger: float, play_s: float, nudges: int, timeout_ms: float, pages) -> list:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            jobs = [student(browser, url, i, i * stagger, play_s, nudges, timeout_ms, pages) for i in range(n)]
            return await asyncio.gather(*jobs)
        finally:
            await browser.close()


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def stage(
    url, server: psutil.Process, n: int, stagger: float, play_s: float, nudges: int, timeout_s: float, pages=PAGES
):
    """N students at once; their latencies, errors, and the server's RSS and CPU while they worked."""
    sampler = Sampler(server) if server else None  # no process handle: a server on another machine
    rss0 = server.memory_info().rss / 2**20 if server else None
    if sampler:
        sampler.start()
    t0 = time.perf_counter()
    rows = asyncio.run(_stage(url, n, stagger, play_s, nudges, 1000 * timeout_s, pages))
    wall = time.perf_counter() - t0
    if sampler:
        sampler.stopped.set()
        sampler.join()
    lat = [x for r in rows for x in r["latencies_s"]]
    loads = [r["load_s"] for r in rows if r["load_s"] is not None]
    errors = [e for r in rows for e in r["errors"]]
    return {
        "sessions": n,
        "wall_s": wall,
        "interactions": len(lat),
        "p50_s": _pct(lat, 0.5),
        "p95_s": _pct(lat, 0.95),
        "max_s": max(lat, default=None),
        "load_p50_s": _pct(loads, 0.5),
        "load_p95_s": _pct(loads, 0.95),
        "errors": len(errors),
        "error_samples": errors[:5],
        "rss_start_mb": rss0,
        "rss_peak_mb": max(sampler.rss, default=rss0) if sampler else None,
        "cpu_mean_pct": statistics.mean(sampler.cpu) if sampler and sampler.cpu else None,
        "cpu_peak_pct": max(sampler.cpu, default=None) if sampler else None,
        "students": rows,
    }


def warm(url: str, pages=PAGES, timeout_s: float = 180) -> None:
    """One visit to every page first, as the teacher's dry run would: imports and shared caches are paid."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            for name in pages:
                page.goto(f"{url}/{name}", timeout=1000 * timeout_s)
                page.wait_for_selector("h1", timeout=1000 * timeout_s)
                page.wait_for_selector(SETTLED, timeout=1000 * timeout_s)
        finally:
            browser.close()


def measure(sizes=(1, 10, 30), stagger=0.3, play_s=5.0, nudges=3, timeout_s=60.0, at=None, warm_pages=PAGES):
    """One warm server (`at` = (url, psutil.Process), or a fresh one); the stages one after the other."""
    if at is None:
        with serve() as at:
            return measure(sizes, stagger, play_s, nudges, timeout_s, at, warm_pages)
    url, server = at
    warm(url, warm_pages)
    out = []
    for n in sizes:
        out.append(stage(url, server, n, stagger, play_s, nudges, timeout_s, warm_pages))
        brief = {k: out[-1][k] for k in ("sessions", "wall_s", "p50_s", "p95_s", "errors", "rss_peak_mb")}
        print("load stage:", json.dumps(brief), file=sys.stderr, flush=True)
        time.sleep(1)  # let the closed sessions' last reruns finish before the next stage
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--stagger", type=float, default=0.3, help="seconds between two students' arrivals")
    parser.add_argument("--play", type=float, default=5.0, help="seconds a player trains before pausing")
    parser.add_argument("--url", help="an app already running (e.g. browsers here, server on another machine)")
    parser.add_argument("--server-pid", type=int, help="its process id, when local, for RSS and CPU")
    args = parser.parse_args(argv)
    at = (args.url.rstrip("/"), psutil.Process(args.server_pid) if args.server_pid else None) if args.url else None
    for s in measure(args.sessions, args.stagger, args.play, at=at):
        print(json.dumps({k: v for k, v in s.items() if k != "students"}, indent=1))


if __name__ == "__main__":
    main()
