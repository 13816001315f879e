"""The benchmark harness runs end to end in --quick mode and reports every section (its timings are not checked)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import run
from tests.conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def _report(out: Path) -> tuple[str, dict]:
    return (out / "results.md").read_text(), json.loads((out / "results.json").read_text())


def test_in_process_sections_report_the_training_speed_and_reruns(tmp_path):
    run.main(["--quick", "--only", "pages,playground", "--out", str(tmp_path)])
    md, res = _report(tmp_path)
    assert "| pages/home.py |" in md and "| default |" in md and "| spiral |" in md
    for task in ("default", "spiral"):
        r = res["playground"][task]
        assert r["fused_epochs_per_s"] > 0 and r["ratio"] == pytest.approx(
            r["fused_epochs_per_s"] / r["naive_epochs_per_s"]
        )
    assert res["meta"]["quick"] and res["meta"]["sections"] == ["pages", "playground"]


def test_sections_are_checked_and_python_m_bench_means_all():
    assert run._sections("all") == list(run.SECTIONS) and run._sections("load, rss") == ["load", "rss"]
    with pytest.raises(SystemExit):
        run._sections("playground,speed")
    main = (Path(run.__file__).parent / "__main__.py").read_text()
    assert '["--only", "all", *argv]' in main


@pytest.mark.browser
def test_browser_sections_run_against_one_server(tmp_path):
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip("Chromium not found: sudo apt-get install -y chromium (never `playwright install`)")
    # Its own process: after the browser tests, pytest-playwright's event loop would refuse Playwright's sync API here.
    cmd = [sys.executable, "-m", "bench", "--quick", "--only", "browser,load,rss", "--out", str(tmp_path)]
    subprocess.run(cmd, cwd=ROOT, check=True, timeout=600)
    md, res = _report(tmp_path)
    for heading in ("## 2. Spiral in the browser", "## 5. Load", "## 6. Server memory"):
        assert heading in md
    assert res["browser"]["server_cpu_ms_per_refresh"] >= 0 and res["browser"]["measured_s"] >= 1.0
    (stage,) = res["load"]
    assert stage["sessions"] == 2 and len(stage["students"]) == 2 and stage["students"][0]["player"]
    assert stage["errors"] == 0, stage["error_samples"]  # the smoke run's own pages must not break
    assert stage["interactions"] >= 2 and stage["rss_peak_mb"] > 50
    assert res["rss"]["rss_after_every_page_mb"] > 0 and res["rss"]["per_session_mb"] is not None
