"""Real Chromium: the dropout page renders, stepping through minibatches draws new masks and moves the link,
the twin nets train live and stop, and the page is screenshot in light and dark."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pause, settle, shoot

pytestmark = pytest.mark.browser
DROPPED = """() => {
    const gd = document.querySelectorAll('.js-plotly-plot')[0];
    const t = gd.data.find(t => t.mode === 'markers' && t.marker.symbol === 'circle-x-open' && t.xaxis === 'x');
    return t ? t.text.join('|') : '';
}"""  # which units example 1's mask dropped, read off the first chart


def open_dropout(page, server, query: str = "") -> None:
    page.goto(f"{server}/dropout{query}")
    settle(page, "Every step trains a different thinned network")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=120_000)
    settle(page)


def test_next_draws_new_masks_and_moves_the_link(page, server):
    open_dropout(page, server)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.wait_for_timeout(1000)
    shoot(page, "dropout-light")
    seen = {page.evaluate(DROPPED)}
    for step in (2, 3, 4):
        page.get_by_role("button", name="next ▶").click()
        expect(page.get_by_role("slider", name="Training step")).to_have_value(str(step), timeout=30_000)
        settle(page)
        expect(page).to_have_url(re.compile(rf"do_step={step}\b"), timeout=10_000)
        seen.add(page.evaluate(DROPPED))
    assert len(seen) >= 2  # different steps, different thinned networks
    page.get_by_role("button", name="◀ previous").click()
    expect(page.get_by_role("slider", name="Training step")).to_have_value("3", timeout=30_000)


def test_a_rate_slider_changes_the_numbers_and_the_link(page, server):
    open_dropout(page, server, "?do_step=5")
    expect(page.get_by_role("slider", name="Training step")).to_have_value("5")
    value = page.get_by_test_id("stMetric").filter(has_text="Its mean z in training without 1/p")
    before = value.get_by_test_id("stMetricValue").inner_text()
    slider = page.get_by_role("slider", name="Keep p, hidden layer 1")
    slider.focus()
    slider.press("ArrowLeft")
    expect(slider).to_have_value("0.65", timeout=10_000)
    settle(page)
    expect(page).to_have_url(re.compile(r"do_p1=0\.65"), timeout=10_000)
    expect(value.get_by_test_id("stMetricValue")).not_to_have_text(before, timeout=60_000)
    expect(page.get_by_text("nn.Dropout(p=0.35)").first).to_be_visible()


def test_play_trains_the_twins_and_pause_stops(page, server):
    open_dropout(page, server)
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_role("button", name="❚❚ Pause")).to_be_visible(timeout=30_000)
    epoch = page.locator(".js-plotly-plot text").filter(has_text=re.compile(r"dropout net · epoch [1-9]"))
    expect(epoch.first).to_be_visible(timeout=60_000)
    pause(page)  # a paused rerun of both twins
    page.wait_for_timeout(800)
    title = page.locator(".js-plotly-plot text").filter(has_text=re.compile(r"dropout net · epoch \d+"))
    frozen = title.first.text_content()
    page.wait_for_timeout(2000)
    assert title.first.text_content() == frozen
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_dark_theme_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    pg = ctx.new_page()
    open_dropout(pg, server, "?do_batch=3&do_step=2")
    pg.wait_for_timeout(1500)
    shoot(pg, "dropout-dark")
    ctx.close()
