"""The playground in Chromium: play trains and redraws, pause stops, a control writes the URL, screenshots."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pause, settle, shoot

pytestmark = pytest.mark.browser


def epoch(page) -> int:
    value = page.get_by_test_id("stMetric").filter(has_text="Epoch").get_by_test_id("stMetricValue").inner_text()
    return int(value.replace(",", ""))


def test_play_trains_live_and_pause_stops(page, server):
    page.goto(f"{server}/network")
    settle(page, "Hidden layers: the network playground")
    expect(page.locator(".js-plotly-plot")).to_have_count(4)
    page.get_by_role("button", name="▶ Play").click()
    expect(page.get_by_test_id("stMetric").filter(has_text="Epoch").get_by_test_id("stMetricValue")).not_to_have_text(
        "0"
    )
    page.wait_for_timeout(2500)
    shoot(page, "network-training-light")
    pause(page)
    page.wait_for_timeout(500)
    frozen = epoch(page)
    page.wait_for_timeout(1500)
    assert epoch(page) == frozen > 0


def test_controls_write_the_url_and_a_link_restores_them(page, server):
    page.goto(f"{server}/network?nn_layers=3&nn_data=Spiral")
    settle(page, "Units in layer 3")
    expect(page.get_by_role("combobox", name="Data set")).to_have_value("Spiral")
    page.get_by_role("button", name="x1^2").click()
    expect(page).to_have_url(re.compile(r"nn_x=x1%5E2|nn_x=x1\^2"))
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_dark_theme_and_lecture_preset(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 3200}, color_scheme="dark")
    pg = ctx.new_page()
    pg.goto(f"{server}/network")
    settle(pg, "Hidden layers: the network playground")
    pg.get_by_role("button", name=re.compile("Lecture example")).click()
    settle(pg, "Units in layer 1")
    expect(pg.get_by_role("combobox", name="Data set")).to_have_value("XOR (quadrants)")
    pg.get_by_role("button", name="▶▶ Run to the end").click()
    expect(pg.get_by_test_id("stMetric").filter(has_text="Epoch").get_by_test_id("stMetricValue")).not_to_have_text("0")
    settle(pg)
    pg.wait_for_timeout(1000)
    shoot(pg, "network-lecture-dark")
    ctx.close()
