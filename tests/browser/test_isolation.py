"""Two students on one server: different settings, training at the same time, never see each other's state; and a
bad upload in a real browser is refused with a message."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pause, settle, shoot

pytestmark = pytest.mark.browser


def metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def epoch(page) -> int:
    return int(metric(page, "Epoch").inner_text().replace(",", ""))


def student(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 2400})
    page = ctx.new_page()
    page.goto(url)
    settle(page, "Units in layer 1")
    return ctx, page


def test_two_sessions_training_at_once_keep_their_own_state(browser, server):
    # Batch size 1 on 1,000 points keeps both runs far from the page's 5,000-epoch cap: a capped run stops playing.
    slow = "nn_n=1000&nn_batch=1"
    ctx_a, a = student(browser, f"{server}/network?seed=3&nn_layers=1&nn_data=Spiral&{slow}")
    ctx_b, b = student(browser, f"{server}/network?seed=7&nn_layers=3&nn_data=Two+moons&{slow}")
    try:
        for page in (a, b):
            page.get_by_role("button", name="▶ Play").click()
        for page in (a, b):
            expect(metric(page, "Epoch")).not_to_have_text("0")
        a.wait_for_timeout(2000)  # both train together
        b.get_by_role("button", name="↺ Reset").click()  # B starts over while A keeps training
        pause(b)
        pause(a)
        a.wait_for_timeout(500)
        assert epoch(a) > 0 and epoch(a) > epoch(b), (epoch(a), epoch(b))
        # Each sidebar and each page still shows its own settings, in its own URL too.
        expect(a.get_by_role("spinbutton", name="Seed")).to_have_value("3")
        expect(b.get_by_role("spinbutton", name="Seed")).to_have_value("7")
        expect(a.get_by_role("combobox", name="Data set")).to_have_value("Spiral")
        expect(b.get_by_role("combobox", name="Data set")).to_have_value("Two moons")
        expect(a.get_by_text("Units in layer 3")).to_have_count(0)
        expect(b.get_by_text("Units in layer 3")).to_have_count(1)
        # A change in B's sidebar reruns only B.
        frozen = epoch(a)
        b.get_by_role("spinbutton", name="Seed").fill("11")
        b.get_by_role("spinbutton", name="Seed").press("Enter")
        settle(b)
        a.locator("body").press("r")  # A reruns: it must still be A's run, seed and data
        settle(a)
        assert epoch(a) == frozen
        expect(a.get_by_role("spinbutton", name="Seed")).to_have_value("3")
        for page in (a, b):
            expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        ctx_a.close()
        ctx_b.close()


def test_a_bad_upload_shows_a_message(page, server, tmp_path):
    page.goto(f"{server}/neuron?data=Upload+a+CSV")
    settle(page, "Choose a CSV file")
    bad = tmp_path / "labels.csv"
    bad.write_text("x1,x2,label\n1,1,a\n2,2,b\n3,3,[c](http://evil.example)\n")
    page.locator("input[type=file]").first.set_input_files(str(bad))
    settle(page, "That file cannot be used")
    expect(page.get_by_text("exactly two classes")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    page.locator("input[type=file]").first.set_input_files(str(empty))
    settle(page, "The file is empty")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_hostile_link_warns_and_is_dropped_from_the_address_bar(browser, server):
    """seed=1e400 used to crash the page inside Streamlit; a markdown link in a value must show as text."""
    for scheme in ("light", "dark"):
        ctx = browser.new_context(viewport={"width": 1280, "height": 1400}, color_scheme=scheme)
        page = ctx.new_page()
        page.goto(f"{server}/neuron?seed=1e400&w1=%5Bclick%5D(http://evil.example)&data=Two+moons")
        settle(page, "The link set")
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_test_id("stAlert").filter(has_text="seed=1e400")).to_be_visible()
        expect(page.get_by_role("link", name="click")).to_have_count(0)  # shown as code, not a link
        expect(page.get_by_role("spinbutton", name="Seed")).to_have_value("1")
        expect(page.get_by_role("combobox", name="Data set")).to_have_value("Two moons")  # good values stay
        page.wait_for_function("() => !location.search.includes('seed') && !location.search.includes('w1')")
        assert "data=Two+moons" in page.url or "data=Two%20moons" in page.url
        shoot(page, f"bad-link-{scheme}")
        ctx.close()
