"""Real Chromium against `streamlit run`: the activation page renders, reacts to its controls, and looks right."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settle, shoot, until_js

pytestmark = pytest.mark.browser

BOLD_GRADIENT_TRACE = """() => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')]
        .find(p => (p.layout.yaxis?.title?.text || '').startsWith('‖∂L/∂W‖'));
    return plot ? plot.data.filter(t => t.line.width === 4).map(t => t.name) : [];
}"""


def open_activations(page, server) -> None:
    page.goto(f"{server}/activations")
    settle(page, "A short history")
    expect(page.locator(".js-plotly-plot").nth(15)).to_be_visible(timeout=60_000)


def test_page_renders_and_its_charts_follow_the_controls(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 7200})
    page = ctx.new_page()
    open_activations(page, server)
    expect(page.locator(".js-plotly-plot")).to_have_count(16)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(1000)
    shoot(page, "activations-light")

    until_js(page, BOLD_GRADIENT_TRACE, ["Sigmoid"])
    page.get_by_role("combobox", name="Activation", exact=True).click()
    page.get_by_role("option", name="ReLU", exact=True).click()
    settle(page)
    expect(page).to_have_url(re.compile(r"act_deep=ReLU"), timeout=10_000)
    page.wait_for_function(f"({BOLD_GRADIENT_TRACE})()[0] === 'ReLU'", timeout=30_000)

    rms = page.get_by_test_id("stMetric").filter(has_text="RMS error").get_by_test_id("stMetricValue")
    before = rms.inner_text()
    slider = page.get_by_role("slider", name="Hidden units N")
    slider.focus()
    slider.press("ArrowRight")
    expect(slider).to_have_value("9", timeout=10_000)
    settle(page)
    expect(page).to_have_url(re.compile(r"act_units=9"), timeout=10_000)
    expect(rms).not_to_have_text(before, timeout=30_000)
    ctx.close()


def test_dark_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 7200}, color_scheme="dark")
    page = ctx.new_page()
    open_activations(page, server)
    page.wait_for_timeout(1000)
    shoot(page, "activations-dark")
    ctx.close()
