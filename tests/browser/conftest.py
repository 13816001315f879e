"""A real `streamlit run` server and Debian's Chromium for the browser tests."""

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import serve
from tests.conftest import ROOT

# Two cores shared by a server, a browser and torch: give every expectation room to settle.
expect.set_options(timeout=30_000)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """Without Chromium, browser tests skip locally with a hint, but fail under CI so a broken install shows."""
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    if os.environ.get("CI", "").lower() == "true":
        return  # the launch fixture fails loudly below
    skip = pytest.mark.skip(reason="Chromium not found: sudo apt-get install -y chromium (never `playwright install`)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; .ci/run installs it with apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 4000}}


@contextlib.contextmanager
def start_server():
    """Start the app on a free local port (log in tests/artifacts/); stop exactly that process at the end."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(log_dir=ARTIFACTS) as (url, _):
        yield url


@pytest.fixture(scope="session")
def server():
    """One app server shared by the browser tests."""
    with start_server() as url:
        yield url


def settle(page, text: str | None = None, timeout: float = 60_000) -> None:
    """Wait until the script has finished running and, if given, `text` is visible."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    if text:
        page.get_by_text(text).first.wait_for(timeout=timeout)


def pause(page) -> None:
    """Press Pause and wait until the server has acted on it: ▶ Play is back and the rerun has finished.

    Reading a number straight after the click races the click itself; under load the page can still be
    playing for a few more fragment runs before the pause reaches the server.
    """
    page.get_by_role("button", name="❚❚ Pause").click()
    expect(page.get_by_role("button", name="▶ Play")).to_be_visible(timeout=60_000)
    settle(page)


def until_js(page, function: str, expected, timeout: float = 30_000) -> None:
    """Wait until the JS `function` (an arrow function) returns `expected`: charts redraw after the script ends."""
    want = json.dumps(json.dumps(expected))
    check = f"() => {{ try {{ return JSON.stringify(({function})()) === {want}; }} catch (e) {{ return false; }} }}"
    try:
        page.wait_for_function(check, timeout=timeout)
    except Exception as err:
        raise AssertionError(f"the page kept returning {page.evaluate(function)!r}, not {expected!r}") from err


def shoot(page, name: str) -> Path:
    """Save a screenshot as a test artefact (tests/artifacts/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
