"""Fuzz: random combinations of every page's controls, set the way a student sets them, and random button presses,
each followed by a rerun of one warm session per page (a page's first visit costs seconds, a rerun a tenth of
that). At least 1,000 page runs in CI, zero exceptions. Garbage in the URL is the bad-input matrix's job
(test_bad_input.py): a widget cannot hold garbage."""

import hashlib
import math
import os
import pickle

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from streamlit.runtime.caching.cache_resource_api import _resource_caches
from streamlit.testing.v1 import AppTest

from pages.course import available
from tests.conftest import APP

PAGES = ["pages/home.py"] + [t.file for topics in available().values() for t in topics]
RUNS = int(os.environ.get("FUZZ_RUNS", "1000"))  # page runs in total, at least; FUZZ_RUNS=10000 for a long night
# A page's share of the runs, about inverse to its cost per run: pages whose controls retrain nets (0.5-1 s a run)
# get fewer, instant pages more; the rest 1.
WEIGHT = {"pages/home.py": 0.6, "pages/backprop.py": 2.0, "pages/network.py": 2.0, "pages/gradient_descent.py": 1.2}
WEIGHT |= {"pages/dropout.py": 0.4, "pages/overfitting.py": 0.5, "pages/autoencoder.py": 0.6}


def examples(page: str) -> int:
    """Each example is one run: the shares add up to RUNS."""
    return max(1, math.ceil(RUNS * WEIGHT.get(page, 1.0) / sum(WEIGHT.get(p, 1.0) for p in PAGES)))


KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "number_input", "button_group")
# Trains for up to 2 s per press: pressed now and then, not in every other example.
SLOW_BUTTONS = ("_finish",)
RARE = ("seed",)  # a new seed retrains everything on the page: changed in one example of five
FORMULAS = ["x^2", "x^4 - 3*x^2 + x", "sin(3*x) + 0.1*x^2", "exp(x)", "abs(x)", "1/x", "log(x)", "x**x", "sqrt(-x)"]
runs: dict[str, int] = {}
seen: dict[tuple, bytes] = {}  # each shared (st.cache_resource) result's fingerprint when first seen
_sessions: dict[str, tuple[AppTest, list]] = {}


def session(page: str) -> tuple[AppTest, list]:
    """One warm session per page (opened straight at the page, the frame's sidebar included) and its action log."""
    if page not in _sessions:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        _sessions[page] = (at, [])
        runs[page] = 1
    return _sessions[page]


def controls(at: AppTest) -> dict:
    """Every keyed control a student can change now, text boxes included."""
    return {w.key: w for kind in (*KINDS, "text_input") for w in getattr(at, kind) if w.key and not w.disabled}


# Every example draws the same shape of data (a pick, a position in [0, 1], a bit mask, a text), then maps it onto
# whatever controls the page shows now: hypothesis insists draws do not depend on the session's state.
PICK = st.integers(0, 2**16)
SPOT = st.floats(0, 1)  # 0 and 1 come up often: the ends of every range
TEXT = st.text(alphabet="x0123456789.,+-*/^() esinlogqrtab", max_size=30) | st.text(max_size=40)


def value(w, pick: int, spot: float, text: str):
    """A value a student can give this control, chosen by the drawn pick/spot/text."""
    kind = type(w).__name__
    if kind in ("Slider", "NumberInput"):
        if isinstance(w.value, int):
            return int(w.min) + round(spot * (int(w.max) - int(w.min)))
        if kind == "NumberInput":
            return w.min + spot * (w.max - w.min)
        return min(w.max, round(w.min + round(spot * round((w.max - w.min) / w.step)) * w.step, 10))
    if kind in ("Toggle", "Checkbox"):
        return bool(pick % 2)
    if kind == "ButtonGroup":
        return [o for i, o in enumerate(w.options) if pick >> i & 1]
    if kind == "TextInput":
        if w.key == "f" and pick % 2:
            return FORMULAS[pick // 2 % len(FORMULAS)]
        if pick % 2:
            return ", ".join(f"{-6 + 12 * ((pick >> k) % 97) / 96:.2f}" for k in range(2 + pick % 15))
        return text
    option = w.options[pick % len(w.options)]
    return as_number(option) if kind == "SelectSlider" else option  # select_slider shows numbers with :g


def as_number(text: str) -> float | int | str:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.generate,),  # the session carries state from one example to the next: shrinking cannot replay it
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def shared() -> dict[tuple, object]:
    """Every result held in a server-wide st.cache_resource now, by (function, arguments)."""
    caches = _resource_caches._function_caches.get(None, {})  # no public listing; None is the global scope
    return {(f, k): r.value for f, cache in list(caches.items()) for k, r in list(cache._mem_cache.items())}


def fingerprint(value) -> bytes:
    """A digest of everything a result holds: its pickle, or (for results holding lambdas) a walk of its state."""
    try:
        return hashlib.sha256(pickle.dumps(value)).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        h = hashlib.sha256()
        _walk(value, h, set())
        return h.digest()


def _walk(value, h, seen_ids: set, depth: int = 0) -> None:
    if depth > 12 or id(value) in seen_ids:
        return
    seen_ids.add(id(value))
    if isinstance(value, str | bytes | int | float | bool | type(None)):
        h.update(repr(value).encode())
    elif isinstance(value, np.ndarray):
        h.update(value.tobytes())
    elif isinstance(value, torch.Tensor):
        h.update(value.detach().cpu().numpy().tobytes())
    elif isinstance(value, torch.nn.Module):
        _walk(value.state_dict(), h, seen_ids, depth + 1)
    elif hasattr(value, "to_plotly_json"):
        h.update(value.to_json().encode())
    elif isinstance(value, dict):
        for k, v in value.items():
            _walk(k, h, seen_ids, depth + 1)
            _walk(v, h, seen_ids, depth + 1)
    elif isinstance(value, list | tuple):
        for v in value:
            _walk(v, h, seen_ids, depth + 1)
    elif hasattr(value, "__dict__") and not callable(value):
        _walk(vars(value), h, seen_ids, depth + 1)
    else:
        h.update(type(value).__qualname__.encode())


def remember_shared() -> None:
    for key, value in shared().items():
        if key not in seen:
            seen[key] = fingerprint(value)


@pytest.mark.parametrize("page", PAGES)
def test_random_controls_never_crash(page):
    settings(SETTINGS, max_examples=examples(page))(given(data=st.data())(one_example))(page)
    # A shared result is handed to every session: one that a page changed in place would leak between students.
    changed = [key[0] for key, value in shared().items() if key in seen and fingerprint(value) != seen[key]]
    assert not changed, f"shared cache_resource results changed after they were stored: {changed}"


def one_example(page, data):
    """One run: press a button now and then, otherwise set one to three controls to drawn values first."""
    at, log = session(page)
    shown = controls(at)
    keys = sorted(shown)
    buttons = [b.key for b in at.button if b.key and not b.disabled]
    press, pick = data.draw(st.integers(0, 3)) == 0, data.draw(PICK)
    button = buttons[pick % len(buttons)] if press and buttons else None
    if button and (not button.endswith(SLOW_BUTTONS) or pick % 10 == 0):
        at.button(key=button).click()
        log.append(("click", button))
    else:
        for _ in range(data.draw(st.integers(1, 3), label="controls")):
            pick = data.draw(PICK)
            key = keys[pick % len(keys)]
            if key in RARE and pick % 5:
                key = keys[(pick + 1) % len(keys)]
            v = value(shown[key], data.draw(PICK), data.draw(SPOT), data.draw(TEXT))
            shown[key].set_value(v)
            log.append((key, v))
    at.run()
    runs[page] += 1
    assert not at.exception, (log[-20:], [e.value for e in at.exception])
    remember_shared()


def test_the_fuzz_ran_enough_pages():
    """Runs after the fuzz above (file order): it must have rerun the pages at least RUNS times in all."""
    if set(runs) != set(PAGES):
        pytest.skip("only part of the fuzz ran")
    assert sum(runs.values()) >= RUNS, runs
    print("fuzz page runs:", sum(runs.values()), runs)
