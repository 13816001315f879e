"""Presenter mode in Chromium: a lesson run from the home page with the keyboard alone, and a locked page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settle, shoot

pytestmark = pytest.mark.browser


def test_a_lesson_from_the_home_page(page, server):
    """Start the lesson on the projector, step with PageDown, and go on to the next page without the sidebar."""
    page.goto(f"{server}/?present=true")
    settle(page, "The course map")
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    shoot(page, "presenter-home-light")
    page.get_by_role("link", name="Start the lesson").click()
    expect(page).to_have_url(re.compile(r"/neuron\?"))
    settle(page, "Step 1 of 6")
    expect(page).to_have_url(re.compile(r"present=true"))
    expect(page.get_by_role("button", name=re.compile("Next step"))).to_be_enabled()
    page.get_by_role("heading", name="A neuron is logistic regression").first.click()  # focus: not a control
    page.keyboard.press("PageDown")
    settle(page, "Step 2 of 6")
    expect(page).to_have_url(re.compile(r"step=2.*present=true|present=true.*step=2"))
    expect(page.get_by_role("slider", name="w1")).to_be_visible()
    settle(page)
    shoot(page, "presenter-neuron-light")
    page.get_by_test_id("stPagination").get_by_role("button", name="6").click()
    settle(page, "Step 6 of 6")
    expect(page).to_have_url(re.compile(r"data=Quadrants"))  # the step's preset, written into the link
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"/activations\?present=true"))  # ?step=1 is the default: dropped
    settle(page, "Step 1 of 6")


def test_dark_and_locked(browser, server):
    """Dark theme; a locked link hides the page's inputs but keeps the walkthrough, which still sets the view."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 2400}, color_scheme="dark")
    page = ctx.new_page()
    try:
        page.goto(f"{server}/?present=true")
        settle(page, "The course map")
        shoot(page, "presenter-home-dark")
        page.goto(f"{server}/neuron?present=true&lock=true&step=2")
        settle(page, "Step 2 of 6")
        expect(page.get_by_text("A neuron draws a straight line")).to_be_visible()
        for name in ("w1", "weight w"):
            expect(page.get_by_role("slider", name=name)).to_be_hidden()
        expect(page.get_by_test_id("stPagination")).to_be_visible()
        expect(page.get_by_role("button", name="▶ Play")).to_be_visible()
        page.get_by_role("heading", name="A neuron is logistic regression").first.click()
        page.keyboard.press("PageDown")
        settle(page, "Step 3 of 6")
        expect(page).to_have_url(re.compile(r"w1=6"))
        shoot(page, "presenter-neuron-dark")
    finally:
        ctx.close()
