"""Real Chromium against `streamlit run`: the overfitting page renders, a slider redraws its chart and the link,
early stopping trains live until patience runs out, and the page is photographed in light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settle, shoot

pytestmark = pytest.mark.browser
LOADED = "Hyperparameter search"  # the last section: the whole page has run


def test_page_renders_and_a_slider_redraws_the_polynomial(page, server):
    page.goto(f"{server}/overfitting?of_epochs=300")
    settle(page, LOADED, timeout=240_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot").nth(10)).to_be_attached()  # at least 11, polled
    expect(page.get_by_test_id("stException")).to_have_count(0)
    slider = page.get_by_role("slider", name="Polynomial degree d")
    slider.focus()
    slider.press("ArrowRight")
    expect(slider).to_have_value("4", timeout=10_000)
    settle(page)
    expect(page.get_by_text("Polynomial of degree 4")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"of_degree=4"), timeout=10_000)


def test_early_stopping_trains_live_and_stops_on_patience(page, server):
    page.goto(f"{server}/overfitting?of_epochs=300&of_patience=40&of_es_lr=0.03")
    settle(page, LOADED, timeout=240_000)
    epoch = page.get_by_test_id("stMetric").filter(has_text="Best epoch").get_by_test_id("stMetricValue")
    expect(epoch).to_have_text("0")
    page.get_by_role("button", name="▶ Play").click()
    expect(epoch).not_to_have_text("0", timeout=60_000)  # the fragment redraws while it trains
    alerts = page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="Stopped early at epoch")).to_be_visible(timeout=120_000)
    settle(page)
    expect(alerts.filter(has_text=re.compile(r"Restored the weights of epoch \d+"))).to_be_visible()
    expect(page.get_by_text("Look at epoch")).to_be_visible()
    expect(page.get_by_role("button", name="▶ Play")).to_be_disabled()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shoot(page, "overfitting-light")


def test_dark_theme_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    pg = ctx.new_page()
    pg.goto(f"{server}/overfitting")
    settle(pg, LOADED, timeout=240_000)
    expect(pg.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    pg.wait_for_timeout(1500)
    shoot(pg, "overfitting-dark")
    ctx.close()
