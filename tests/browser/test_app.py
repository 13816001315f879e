"""Real Chromium against `streamlit run`: navigation, the neuron page's charts, sliders, URL state, play/pause."""

import re

import pytest
from playwright.sync_api import expect

from pages.course import available
from tests.browser.conftest import pause, settle, shoot, start_server

pytestmark = pytest.mark.browser
TOPICS = [t for topics in available().values() for t in topics]


def test_home_loads_and_navigation_reaches_every_page(page, server):
    page.goto(server)
    settle(page, "The course map")
    shoot(page, "home-light")
    for topic in TOPICS:
        page.get_by_test_id("stSidebarNav").get_by_text(topic.title, exact=True).click()
        expect(page).to_have_url(re.compile(f"/{topic.url}"), timeout=30_000)
        settle(page)
        page.get_by_role("heading", name=topic.title).first.wait_for(timeout=60_000)
        expect(page.get_by_test_id("stException")).to_have_count(0)


def test_neuron_chart_renders_and_follows_a_slider(page, server):
    page.goto(f"{server}/neuron")
    settle(page, "A neuron draws a straight line")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    expect(page.locator(".js-plotly-plot").nth(4)).to_be_attached()  # at least 5, polled: plotly draws late
    shoot(page, "neuron-light")
    slider = page.get_by_role("slider", name="w2")
    slider.focus()
    slider.press("ArrowRight")
    expect(slider).to_have_value("-1.9", timeout=10_000)
    settle(page)
    expect(page).to_have_url(re.compile(r"w2=-1\.9"), timeout=10_000)


def test_a_link_reproduces_the_view(page, server):
    page.goto(f"{server}/neuron?w1=5.5&b=-0.5&data=Quadrants+%28XOR%29&seed=7&discretize=true")
    settle(page, "A neuron draws a straight line")
    expect(page.get_by_role("slider", name="w1")).to_have_value("5.5", timeout=30_000)
    expect(page.get_by_role("slider", name="b b", exact=True)).to_have_value("-0.5")
    expect(page.get_by_role("combobox", name="Data set")).to_have_value("Quadrants (XOR)")
    expect(page.get_by_role("spinbutton", name="Seed")).to_have_value("7")
    expect(page.get_by_test_id("stAlert")).to_have_count(0)


def test_a_broken_link_warns_and_the_page_still_works(page, server):
    page.goto(f"{server}/neuron?w1=abc&data=nope&seed=-1")
    settle(page, "A neuron draws a straight line")
    expect(page.get_by_text("The link set w1=abc")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("The link set data=nope")).to_be_visible()
    expect(page.get_by_text("The link set seed=-1")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("slider", name="w1")).to_have_value("3")


def test_play_trains_and_pause_stops(page, server):
    page.goto(f"{server}/neuron?fit_speed=5&fit_lr=0.3")
    settle(page, "Fit it")
    page.get_by_role("button", name="▶ Play").click()
    step = page.get_by_test_id("stMetric").filter(has_text="Step").get_by_test_id("stMetricValue")
    expect(step).not_to_have_text("0", timeout=30_000)
    pause(page)
    page.wait_for_timeout(600)
    frozen = step.inner_text()
    page.wait_for_timeout(1200)
    assert step.inner_text() == frozen and int(frozen.replace(",", "")) > 0


def test_upload_a_csv_and_a_bad_one(page, server, tmp_path):
    page.goto(f"{server}/neuron?data=Upload+a+CSV")
    settle(page, "Choose a CSV file")
    good = tmp_path / "good.csv"
    good.write_text("size,weight,label\n" + "".join(f"{i},{i % 7},{'cat' if i % 2 else 'dog'}\n" for i in range(40)))
    page.locator("input[type=file]").set_input_files(str(good))
    expect(page.get_by_text("Class 1 is 'dog'")).to_be_visible(timeout=30_000)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,abc,0\n2,3,1\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    expect(page.get_by_text("That file cannot be used")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["dark"])
def test_dark_theme_screenshot(browser, server, scheme):
    ctx = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme=scheme)
    pg = ctx.new_page()
    pg.goto(f"{server}/neuron")
    settle(pg, "A neuron draws a straight line")
    expect(pg.locator(".js-plotly-plot").first).to_be_visible(timeout=60_000)
    pg.wait_for_timeout(1500)
    shoot(pg, f"neuron-{scheme}")
    ctx.close()


def test_a_fresh_servers_first_visitor_can_follow_a_deep_link(page):
    """Streamlit starts an app with a pages/ folder in legacy mode; the first deep link must still get the frame."""
    with start_server() as url:
        page.goto(f"{url}/gradient_descent?x0=5")
        settle(page, "The lecture's exercise, step by step")
        expect(page.get_by_role("spinbutton", name="Seed")).to_have_value("1")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
