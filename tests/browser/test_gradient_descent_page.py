"""Real Chromium against `streamlit run`: the gradient-descent page renders the exercise, a typed formula and the
regime buttons change the chart and the URL, a hostile formula is refused, a click on the contour moves the start,
and screenshots are saved in light and dark. Timeouts are generous: the page draws six charts."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settle, shoot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def warm(server, browser):
    """Open the app once first: a fresh server's very first visitor can land outside the frame (reported)."""
    pg = browser.new_page()
    pg.goto(server)
    settle(pg)
    pg.close()


def cell(page, text: str):
    return page.get_by_test_id("stDataFrame").first.get_by_text(text, exact=True)


def open_gd(page, server, query: str = ""):
    page.goto(f"{server}/gradient_descent{query}")
    settle(page, "Batch, mini-batch, stochastic", timeout=120_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)


def test_the_exercise_renders_and_a_typed_formula_changes_chart_table_and_url(page, server):
    open_gd(page, server)
    expect(page.locator(".js-plotly-plot").nth(5)).to_be_attached()  # at least 6, polled: plotly draws late
    expect(page.get_by_text("x₃ = 4.608", exact=False)).to_be_visible()
    page.wait_for_timeout(1000)
    shoot(page, "gradient-descent-light")
    box = page.get_by_role("textbox", name="f(x) =")
    box.fill("(x - 1)^2")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]f=%28x"), timeout=60_000)
    settle(page, timeout=120_000)
    expect(page.locator(".js-plotly-plot").first.get_by_text("f(x) = (x - 1)^2")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("x₃ = 5.096", exact=False)).to_be_visible()  # 1 + 8 · 0.8³
    box.fill("__import__('os').system('echo hi')")
    box.press("Enter")
    expect(page.get_by_text("That formula cannot be used.")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("x₃ = 4.608", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_regime_button_and_a_click_on_the_contour(page, server):
    open_gd(page, server)
    page.get_by_role("button", name="💥 Divergent").click()
    settle(page, timeout=120_000)
    expect(page.get_by_text("f went up from 81")).to_be_visible(timeout=60_000)
    expect(page).to_have_url(re.compile(r"lr=1\.1"), timeout=60_000)
    expect(page.get_by_role("slider", name="Steps")).to_have_value("25")
    chart = page.locator(".js-plotly-plot").nth(2)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    expect(page).to_have_url(re.compile(r"gd_t0="), timeout=60_000)
    settle(page, timeout=120_000)
    assert page.get_by_role("slider", name="Start θ₀").input_value() != "-3"


def test_a_link_reproduces_an_exercise(page, server):
    open_gd(page, server, "?f=3*x%5E2&x0=2&lr=0.05&steps=4&gd_schedule=step+decay")
    expect(page.get_by_role("textbox", name="f(x) =")).to_have_value("3*x^2")
    expect(page.get_by_text("x₄ = 0.4802", exact=False)).to_be_visible(timeout=30_000)  # 2 · 0.7⁴
    expect(page.get_by_test_id("stAlert")).to_have_count(0)


def test_dark_theme_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 5200}, color_scheme="dark")
    pg = ctx.new_page()
    open_gd(pg, server)
    pg.wait_for_timeout(1500)
    shoot(pg, "gradient-descent-dark")
    ctx.close()
