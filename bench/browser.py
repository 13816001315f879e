"""The playground in a real browser: seconds from pressing Play until the spiral is solved, and chart refreshes.

`python -m bench.browser` starts the app (`streamlit run`), opens the network page in Debian's Chromium with the
spiral preset in the URL (1,000 points, 6 hidden layers of 8 tanh units, SGD, lr 0.03, batch 10), presses Play and
records, inside the page, when each refresh changes the epoch counter and when the test loss first reads < 0.05.
Over a window of training it reports refreshes per second, epochs per refresh, and the CPU milliseconds per refresh
of the server process (psutil) and of Chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
SPIRAL = "nn_data=Spiral&nn_n=1000&nn_layers=6&" + "&".join(f"nn_u{i}=8&nn_g{i}=Tanh" for i in range(1, 7))
SOLVED = 0.05

# Installed in the page: a 20 ms watcher that timestamps every change of the Epoch metric and the first moment the
# test loss reads below the threshold (performance.now() ms), so no Playwright round trip sits inside a figure.
WATCH = """(threshold) => {
  const read = () => {
    const out = {};
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
      const l = m.querySelector('[data-testid="stMetricLabel"]'), v = m.querySelector('[data-testid="stMetricValue"]');
      if (l && v) out[l.innerText.trim()] = v.innerText.trim();
    }
    return out;
  };
  window.__bench = {changes: [], solved: null, last: null};
  setInterval(() => {
    const m = read(), now = performance.now(), b = window.__bench;
    if (m['Epoch'] !== undefined && m['Epoch'] !== b.last) {
      b.changes.push([now, parseInt(m['Epoch'].replace(/,/g, ''))]);
      b.last = m['Epoch'];
    }
    if (b.solved === null && m['Test loss'] !== undefined && parseFloat(m['Test loss']) < threshold) b.solved = now;
  }, 20);
}"""


@contextlib.contextmanager
def serve(extra_env: dict | None = None, args: tuple[str, ...] = (), log_dir: Path | None = None):
    """`streamlit run app.py` on a free local port; yields (url, psutil.Process); stops exactly that process.

    The one launcher of the benchmarks and the browser tests; `args` adds server options, `log_dir` keeps its log.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", *args]  # fmt: skip
    log = open(log_dir / f"server-{port}.log", "w") if log_dir else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env=os.environ | (extra_env or {}))  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("streamlit did not become healthy within 60 s")
        yield url, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log_dir:
            log.close()


def chromium_cpu() -> float:
    """CPU seconds used so far by the Chromium processes this Python process started (via Playwright's driver)."""
    total = 0.0
    for p in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "chrom" in p.name() or "headless" in p.name():
                t = p.cpu_times()
                total += t.user + t.system
    return total


def cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


def settle(page, timeout: float = 120_000) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def spiral(url: str, server: psutil.Process, window: float = 6.0, query: str = SPIRAL, timeout: float = 60.0) -> dict:
    """Press Play on the spiral: seconds to test loss < 0.05, and refreshes and CPU per refresh over `window` s."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.goto(f"{url}/network?{query}", timeout=120_000)
            settle(page)
            page.get_by_text("Units in layer 6").first.wait_for(timeout=60_000)
            play = page.get_by_role("button", name="▶ Play")
            play.wait_for(timeout=60_000)
            page.evaluate(WATCH, SOLVED)
            page.wait_for_timeout(300)  # let the watcher see the starting epoch
            c_server, c_browser = cpu(server), chromium_cpu()
            t_click = page.evaluate("performance.now()")
            play.click()
            t0 = time.perf_counter()
            while True:  # at least `window` seconds, and until solved or out of time
                page.wait_for_timeout(100)
                b = page.evaluate("window.__bench")
                elapsed = time.perf_counter() - t0
                if elapsed >= window and (b["solved"] is not None or elapsed >= timeout):
                    break
            t_end = page.evaluate("performance.now()")
            d_server, d_browser = cpu(server) - c_server, chromium_cpu() - c_browser
            pause = page.get_by_role("button", name="❚❚ Pause")
            if pause.count():
                pause.click(timeout=30_000)
        finally:
            browser.close()
    changes = [(t, e) for t, e in b["changes"] if t > t_click]
    in_window = [(t, e) for t, e in changes if t <= t_click + 1000 * window]
    gaps = [(b2[0] - a[0]) / 1000 for a, b2 in zip(in_window, in_window[1:], strict=False)]
    n = len(in_window)
    first_epochs = b["changes"][0][1] if b["changes"] else 0
    return {
        "query": query,
        "solved": b["solved"] is not None,
        "seconds_to_solve": (b["solved"] - t_click) / 1000 if b["solved"] is not None else None,
        "epochs_at_solve": next((e for t, e in changes if b["solved"] is not None and t >= b["solved"]), None),
        "window_s": window,
        "refreshes": n,
        "refreshes_per_s": n / window,
        "median_refresh_gap_s": statistics.median(gaps) if gaps else None,
        "max_refresh_gap_s": max(gaps) if gaps else None,
        "epochs_per_refresh": (in_window[-1][1] - first_epochs) / n if n else 0.0,
        "server_cpu_ms_per_refresh": 1000 * d_server / max(len(changes), 1),
        "browser_cpu_ms_per_refresh": 1000 * d_browser / max(len(changes), 1),
        "measured_s": (t_end - t_click) / 1000,
    }


def measure(window: float = 6.0, timeout: float = 60.0, at=None) -> dict:
    """On the server `at` = (url, psutil.Process), or on a fresh one."""
    if at is not None:
        return spiral(*at, window, timeout=timeout)
    with serve() as at:
        return spiral(*at, window, timeout=timeout)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--window", type=float, default=6.0, help="seconds of training over which refreshes count")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.window), indent=2))


if __name__ == "__main__":
    main()
