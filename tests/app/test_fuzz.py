"""Fuzz: random combinations of every page's controls (through the URL, garbage included) and random button
presses never raise; the page always finishes its run."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages.course import available
from tests.conftest import open_page

PAGES = [t.file for topics in available().values() for t in topics]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # per page; CI default keeps the suite short
GARBAGE = st.sampled_from(["", "abc", "nan", "inf", "-1e308", "1e308", "🙂", "<script>", "0x10", " ", "None", "9" * 40])
_DOMAINS: dict[str, dict] = {}


def domains(page: str) -> dict:
    """The page's URL-bound controls and what each accepts, read off one default run."""
    if page not in _DOMAINS:
        at = open_page(page)
        dom: dict = {"params": {}, "buttons": [b.key for b in at.button if b.key]}
        for s in at.slider:
            if s.key:
                dom["params"][s.key] = st.floats(s.min, s.max, allow_nan=False).map(lambda v: f"{v:g}")
        for kind in (at.select_slider, at.selectbox, at.radio):
            for w in kind:
                if w.key and not w.key.startswith("try_") and w.options:
                    dom["params"][w.key] = st.sampled_from(list(w.options))
        for w in list(at.toggle) + list(at.checkbox):
            if w.key:
                dom["params"][w.key] = st.sampled_from(["true", "false"])
        for w in at.number_input:
            if w.key:
                dom["params"][w.key] = st.integers(int(w.min), int(w.max)).map(str)
        for w in at.button_group:
            if w.key and w.options:
                dom["params"][w.key] = st.lists(st.sampled_from(list(w.options)), unique=True, max_size=len(w.options))
        for w in at.text_input:
            if w.key:
                dom["params"][w.key] = st.text(max_size=80)
        _DOMAINS[page] = dom
    return _DOMAINS[page]


@pytest.mark.parametrize("page", PAGES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_controls_never_crash(page, data):
    dom = domains(page)
    params = {}
    for key, values in dom["params"].items():
        if data.draw(st.booleans(), label=f"set {key}"):
            params[key] = data.draw(
                st.one_of(values, GARBAGE) if data.draw(st.integers(0, 9)) == 0 else values, label=key
            )
    at = open_page(page, **params)
    assert not at.exception, (params, [e.value for e in at.exception])
    for key in data.draw(st.lists(st.sampled_from(dom["buttons"]), max_size=3) if dom["buttons"] else st.just([])):
        if any(b.key == key and not b.disabled for b in at.button):
            at.button(key=key).click().run()
            assert not at.exception, (params, key, [e.value for e in at.exception])
