"""Real Chromium: the backpropagation graph follows the step buttons, a link opens at step k, play walks and stops."""

import re

import pytest
from playwright.sync_api import expect

from core.charts.backprop import NOW
from tests.browser.conftest import pause, settle, shoot, until_js

pytestmark = pytest.mark.browser
CURRENT = f"""() => {{
    const gd = document.querySelectorAll('.js-plotly-plot')[0];
    const nodes = gd.data.find(t => t.mode === 'markers+text');
    return nodes.text[nodes.marker.line.color.indexOf('{NOW}')];
}}"""  # the label of the node drawn with the current step's outline


def open_backprop(page, server, query: str = "") -> None:
    page.goto(f"{server}/backprop{query}")
    settle(page, "Follow one example")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
    settle(page)


def test_next_moves_the_highlight_and_the_link(page, server):
    open_backprop(page, server)
    until_js(page, CURRENT, "<b>x<sub>1</sub></b>")
    expect(page.get_by_text("Step 0 of 17 · The example goes in")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(1000)
    shoot(page, "backprop-light")
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_text("Step 1 of 17 · Forward · hidden layer 1, unit 1: weighted sum")).to_be_visible()
    settle(page)
    until_js(page, CURRENT, "<b>z<sub>1</sub><sup>(2)</sup></b>")
    expect(page).to_have_url(re.compile(r"bp_step=1\b"), timeout=10_000)
    page.get_by_role("button", name="▶▶ Whole pass").click()
    expect(page.get_by_text("Step 17 of 17 · Update every weight")).to_be_visible()
    until_js(page, CURRENT, "<b>J</b>")


def test_a_link_opens_at_step_k_and_play_walks_on_until_paused(page, server):
    open_backprop(page, server, "?bp_step=11&bp_units=3")
    expect(page.get_by_text("Step 11 of 22 · Backward · the output unit: back through the activation")).to_be_visible()
    until_js(page, CURRENT, "<b>z<sup>(3)</sup></b>")
    expect(page.get_by_role("slider", name="Step")).to_have_value("11")
    page.get_by_role("button", name="◀ Previous").click()
    expect(page.get_by_text("Step 10 of 22")).to_be_visible()
    settle(page)
    page.wait_for_timeout(500)  # let the fragment's own rerun land before the next click
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Step 12 of 22")).to_be_visible(timeout=30_000)
    pause(page)
    frozen = page.get_by_text(re.compile(r"^Step \d+ of 22")).inner_text()
    page.wait_for_timeout(3000)
    assert page.get_by_text(re.compile(r"^Step \d+ of 22")).inner_text() == frozen


def test_dark_theme_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    pg = ctx.new_page()
    open_backprop(pg, server, "?bp_step=17")
    expect(pg.get_by_text("Step 17 of 17")).to_be_visible()
    pg.wait_for_timeout(1500)
    shoot(pg, "backprop-dark")
    ctx.close()
