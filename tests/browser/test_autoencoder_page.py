"""Real Chromium: the autoencoder page opens trained, a click on a point shows its reconstruction, z decodes live."""

import re

import pytest
from playwright.sync_api import expect

from core import autoencoder as ae
from tests.browser.conftest import settle, shoot

pytestmark = pytest.mark.browser
Y = ae.digits(1).y


def test_click_a_point_to_see_its_reconstruction_and_decode_anywhere(page, server):
    page.goto(f"{server}/autoencoder")
    settle(page, "Train it and watch the codes organise", timeout=180_000)  # a cold server imports torch first
    epoch = page.get_by_test_id("stMetric").filter(has_text="Epoch").get_by_test_id("stMetricValue")
    expect(epoch).to_have_text("60", timeout=60_000)
    expect(page.get_by_text("Image #0 is a 0")).to_be_visible()
    settle(page, "6 · When only a few labels exist")
    expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=60_000)
    settle(page)
    shoot(page, "autoencoder-light")

    scatter = page.locator(".js-plotly-plot").first
    point = scatter.locator(".scatterlayer .points path.point").nth(900)
    point.scroll_into_view_if_needed()
    point.hover(force=True)
    label = page.locator(".hoverlayer .hovertext").first.text_content(timeout=10_000)
    i = int(re.search(r"image #(\d+)", label).group(1))  # the point the pointer is on, by the chart's own label
    point.click(force=True)
    expect(page.get_by_role("spinbutton", name="Image # (or click a point)")).to_have_value(str(i), timeout=30_000)
    settle(page)
    assert f"digit {Y[i]}" in label
    expect(page.get_by_text(re.compile(rf"Image #{i} is a {Y[i]} "))).to_be_visible(timeout=30_000)
    expect(page.get_by_text("reconstruction x̂")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"ae_image={i}"), timeout=10_000)

    z1 = page.get_by_role("slider", name="z₁")
    z1.focus()
    z1.press("ArrowRight")
    expect(z1).to_have_value("0.05", timeout=10_000)
    expect(page.get_by_text("g(0.05, 0.00)")).to_be_visible(timeout=30_000)
    settle(page)
    area = page.locator(".js-plotly-plot").nth(2).locator(".nsewdrag").first.bounding_box()  # the latent map
    page.mouse.click(area["x"] + 0.2 * area["width"], area["y"] + 0.8 * area["height"])
    expect(z1).not_to_have_value("0.05", timeout=30_000)  # a click on the map moves z to that place
    settle(page)
    expect(page).to_have_url(re.compile(rf"ae_z1={re.escape(z1.input_value())}(&|$)"), timeout=10_000)  # no 0.1+0.2
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_new_latent_size_trains_live_to_the_target(page, server):
    page.goto(f"{server}/autoencoder?ae_k=3&ae_epochs=20")
    page.get_by_text("Train it and watch the codes organise").wait_for(timeout=60_000)  # no settle: it is training
    epoch = page.get_by_test_id("stMetric").filter(has_text="Epoch").get_by_test_id("stMetricValue")
    expect(epoch).to_have_text("20", timeout=150_000)  # it trained itself live and stopped at the target
    expect(page.get_by_text("Trained for 20 epochs")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("The map needs a 2-D code")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_dark_theme_screenshot(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    pg = ctx.new_page()
    pg.goto(f"{server}/autoencoder")
    settle(pg, "6 · When only a few labels exist")
    expect(pg.locator(".js-plotly-plot")).to_have_count(6, timeout=60_000)
    settle(pg)
    pg.wait_for_timeout(1500)
    shoot(pg, "autoencoder-dark")
    ctx.close()
