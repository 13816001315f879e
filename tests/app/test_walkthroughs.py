"""Every page's walkthrough: presets name real controls with valid values, links open any step, bad steps warn."""

import pytest

from pages.walkthrough import config
from pages.walkthroughs import DEFAULTS, TOURS
from tests.conftest import open_page

KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "number_input", "text_input", "pills")


def controls(at) -> dict:
    """Every keyed control on screen, by key."""
    return {w.key: w for kind in KINDS for w in getattr(at, kind) if w.key}


def check_step(at, page: str, k: int) -> set:
    """The page shows step k, without exception or warning, and every control the step names that is on screen
    holds the step's value (controls of hidden parts, like layer 3 of a 2-layer net, keep it in the session)."""
    n = len(TOURS[page])
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]
    assert at.pagination(key="step").value == k
    assert any(f"Step {k} of {n}" in m.value for m in at.markdown)
    shown = controls(at)
    for key, value in config(page, k).items():
        held = shown[key].value if key in shown else at.session_state[key]
        assert held == value and type(held) is type(value), (page, k, key, held, value)
    return set(shown)


@pytest.mark.parametrize("page", list(TOURS))
def test_every_step_sets_its_controls(page):
    """Open the last step by link, walk back with ◀ Previous to step 1: every step's settings appear on screen."""
    n = len(TOURS[page])
    at = open_page(f"pages/{page}.py", step=str(n))
    seen = check_step(at, page, n)
    for k in range(n - 1, 0, -1):
        at.button(key="wt_prev").click().run()
        seen |= check_step(at, page, k)
    assert set(config(page, n)) <= seen, "a preset names a control the page never shows"
    assert set().union(*(s.preset for s in TOURS[page])) <= set(DEFAULTS[page])


@pytest.mark.parametrize("page", list(TOURS))
def test_defaults_are_the_pages_own(page):
    """DEFAULTS, which every step starts from, are the values a fresh visit shows; the tour waits at step 1."""
    at = open_page(f"pages/{page}.py")
    assert not at.exception and not at.warning
    shown = controls(at)
    for key, value in DEFAULTS[page].items():
        if key in shown:
            assert shown[key].value == value, (page, key, shown[key].value, value)
    assert at.pagination(key="step").value == 1


def test_a_step_is_a_complete_question():
    for page, steps in TOURS.items():
        assert 4 <= len(steps) <= 7, page
        assert steps[0].preset == {}, "step 1 is the page as it opens: a link drops ?step=1, the default"
        for s in steps:
            assert s.answer in s.options and len(set(s.options)) == len(s.options) > 1, (page, s.title)


def test_next_and_a_link_that_names_a_control():
    """Next moves on and applies the step; a control the link names itself wins over the step's preset."""
    at = open_page("pages/neuron.py", step="3", w1="-7")
    assert at.slider(key="w1").value == -7.0 and at.slider(key="w2").value == -4.0
    assert not at.warning
    at.button(key="wt_next").click().run()
    check_step(at, "neuron", 4)
    at.button(key="wt_next").click().run()
    check_step(at, "neuron", 5)
    assert at.select_slider(key="fit_lr").value == 30.0 and at.selectbox(key="model").value == "linear"


@pytest.mark.parametrize("raw", ["9", "0", "2.5", "two"])
def test_a_bad_step_warns_and_starts_at_one(raw):
    at = open_page("pages/gradient_descent.py", step=raw)
    assert not at.exception
    assert [w.value for w in at.warning if "step" in w.value and "from 1 to 6" in w.value]
    assert at.pagination(key="step").value == 1
    assert at.number_input(key="lr").value == 0.1  # no preset applied


def test_the_last_step_links_to_the_next_page_at_step_one():
    at = open_page("pages/backprop.py", step=str(len(TOURS["backprop"])))
    links = [p for p in at.get("page_link") if "Next page" in p.proto.label]
    assert [(p.proto.label, p.proto.query_string) for p in links] == [
        ("**Next page: Overfitting and regularization**", "step=1")
    ]
    assert "overfitting" in links[0].proto.page and not [b for b in at.button if b.key == "wt_next"]
    last = open_page("pages/autoencoder.py", step=str(len(TOURS["autoencoder"])))
    assert not [p for p in last.get("page_link") if "Next page" in p.proto.label]
