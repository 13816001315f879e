"""The share bar in Chromium: the link is the address bar's, charts download as PNG, the keyboard reaches every
control, and the dark theme keeps text readable."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import settle, shoot

pytestmark = pytest.mark.browser


FOCUSED = "(e => e.getAttribute('aria-label') || e.innerText || '')(document.activeElement)"


def same_view(a: str, b: str) -> bool:
    """Same path and the same parameters (order aside)."""
    (pa, qa), (pb, qb) = [(urlsplit(u).path, parse_qs(urlsplit(u).query)) for u in (a, b)]
    return pa == pb and qa == qb


def shown_link(page) -> str:
    # Streamlit keeps a zero-size copy of each popover button for measuring: click the one a student sees
    # (opened from the keyboard: a click must scroll Streamlit's own container, which stalls in a 4000 px viewport)
    page.get_by_test_id("stPopoverButton").filter(has_text="Share this view").filter(visible=True).press("Enter")
    body = page.get_by_test_id("stPopoverBody").filter(visible=True)
    body.get_by_test_id("stImage").wait_for()  # the QR code of the link
    text = body.get_by_test_id("stCode").inner_text().strip()
    page.keyboard.press("Escape")
    return text


def test_copy_link_shows_the_address_bar_and_follows_the_controls(page, server):
    page.goto(f"{server}/neuron?w1=5&data=Circle&seed=7")
    settle(page, "A neuron draws a straight line", timeout=120_000)  # may be the server's first, cold, torch page
    assert shown_link(page) == page.url  # a teacher's link comes back exactly as it was opened
    slider = page.get_by_role("slider", name="w2")
    slider.focus()
    slider.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"w2=-1\.9"), timeout=30_000)
    settle(page)
    link = shown_link(page)
    assert "w2=-1.9" in link and same_view(link, page.url)


def test_charts_offer_png_download_and_the_keyboard_reaches_the_controls(page, server):
    page.goto(f"{server}/neuron")
    settle(page, "A neuron draws a straight line")
    charts = page.locator(".js-plotly-plot")
    charts.first.hover()
    png = page.locator(".modebar-btn[data-title='Download plot as a PNG']")
    expect(png.first).to_be_visible()
    expect(charts.nth(4)).to_be_attached()  # plotly draws late: poll until all five are there
    expect(png).to_have_count(charts.count())  # every chart on the page, not just the first
    page.evaluate("document.activeElement.blur()")
    wanted = {"Share this view", "Seed", "weight w", "w1", "w2", "Play", "Save or load this training"}
    reached = []
    for _ in range(150):  # from the top of the page, Tab alone must reach every main control
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED))
        if all(any(w in r for r in reached) for w in wanted):
            break
    missing = [w for w in wanted if not any(w in r for r in reached)]
    assert not missing, f"Tab never reaches {missing}; it reached {reached}"


def test_dark_theme_keeps_text_readable(browser, server):
    ctx = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 2400})
    page = ctx.new_page()
    try:
        page.goto(f"{server}/neuron")
        settle(page, "A neuron draws a straight line")
        expect(page.get_by_role("slider", name="w2")).to_be_visible()  # widgets mount after the text
        expect(page.locator(".js-plotly-plot").nth(4)).to_be_visible()
        shoot(page, "share-neuron-dark")
        ratio = page.evaluate(
            """() => {
            const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
                return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const bg = lum(rgb(getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor));
            const fg = lum(rgb(getComputedStyle(document.querySelector('[data-testid=stMarkdownContainer] p')).color));
            return (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
        }"""
        )
        assert ratio >= 7, f"body text contrast {ratio:.1f}:1 in the dark theme (WCAG AAA wants 7:1)"
    finally:
        ctx.close()
