"""Streamlit helpers shared by the pages: URL-bound controls that warn on bad links, and the page anatomy."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.state.session_state_proxy import get_session_state

from core.training import Run
from pages import share

DEFAULT_SEED = 1
MARKDOWN_SPECIAL = frozenset("\\`*_[]<>!~$|:")
BIG_TYPE_CSS = """<style>
html { font-size: 21px; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
[data-testid="stMetricValue"] { font-size: 2.4rem; }
/* high contrast for a projector: no grey captions or labels, heavier text, a walkthrough that stands out */
[data-testid="stCaptionContainer"], [data-testid="stWidgetLabel"] p { color: inherit; opacity: 1; font-weight: 600; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-weight: 500; }
[data-testid="stMainBlockContainer"] { padding-top: 4.5rem; }  /* room for the share button under the header */
.st-key-walkthrough details:not(details details) { border: 3px solid #0072B2; }
.st-key-walkthrough details:not(details details) > summary p { font-size: 1.3rem; font-weight: 700; }
/* large type must not cut a button's label short ("Lecture example: b = 1, w = (…"): let it wrap */
[data-testid="stButton"] button, [data-testid="stButton"] button * { white-space: normal; overflow: visible;
  text-overflow: clip; height: auto; }
</style>"""
# ?lock=true: the page's own inputs disappear, so the view stays as the link set it. The walkthrough, the try-this
# questions and buttons (play, step, reset) stay; the sidebar, where the lock is switched off, stays too.
LOCK_CSS = """<style>
[data-testid="stMain"] .stElementContainer:has(:is([data-testid="stSlider"], [data-testid="stSelectbox"],
  [data-testid="stRadio"], [data-testid="stNumberInput"], [data-testid="stTextInput"], [data-testid="stCheckbox"],
  [data-testid="stButtonGroup"], [data-testid="stFileUploader"], [data-testid="stMultiSelect"])):not(
  .st-key-walkthrough *, [class*="st-key-try_"]) { display: none; }
</style>"""


def _hand_over_to_frame() -> None:
    """Run pages only inside app.py's frame.

    Streamlit treats an app with a pages/ folder as a legacy multipage app until the first st.navigation
    call, so a fresh server's first visitor to /neuron gets that page without the frame. The page then
    flips the flag and reruns, which goes through app.py. (Done here, not at import: a rerun raised while
    a module is being imported leaves the import half done.)
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def _url_value(key: str) -> str | None:
    """The raw text a link gave for this control, only on the run that first creates it."""
    if key in st.session_state:
        return None
    raw = st.query_params.get_all(key)
    return raw[-1] if raw else None


def _warn(key: str, raw: str, expected: str, default: Any) -> None:
    """Say what was wrong with the link, and drop the value so the bound widget starts from its default."""
    st.warning(
        f"The link set `{key}={_shown(raw)}`, but {key} must be {expected}. Using the default, {default}.", icon="⚠️"
    )
    _forget_link_value(key)


def _shown(raw: str) -> str:
    """A link value cut short for an inline code span, where markdown and HTML in it show as plain text."""
    text = " ".join(raw.replace("`", "'").split()) if raw.strip() else repr(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def plain(text: str) -> str:
    """User text made safe inside markdown: links, images, HTML, emphasis and LaTeX show as the characters typed."""
    return "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in text)


def _forget_link_value(key: str) -> None:
    """Drop a link value before the bound widget parses it: Streamlit's own parse raises on some (int(inf) for
    ?seed=inf) outside its try. The widget seeds from the initial query parameters, which have no public setter."""
    with get_session_state().query_params() as qp:
        qp._initial_query_params.pop(key, None)
        qp.remove_param(key)  # the address bar too, so a copied link is clean


def _as_number(raw: str, integer: bool) -> float | None:
    try:
        x = float(raw)
    except ValueError:
        return None
    if not math.isfinite(x) or (integer and x != int(x)):
        return None
    return x


def slider(
    label: str, lo: float, hi: float, value: float, key: str, step: float | None = None, help: str | None = None, **kw
) -> float:
    """A slider bound to the URL parameter `key`; a bad or out-of-range link value falls back with a warning."""
    raw = _url_value(key)
    if raw is not None:
        x = _as_number(raw, isinstance(value, int))
        if x is None or not lo <= x <= hi:
            _warn(key, raw, f"a number from {lo} to {hi}", value)
    return st.slider(label, lo, hi, value, step=step, key=key, help=help, bind="query-params", **kw)


def choice_slider(label: str, options: Sequence[float], value: float, key: str, help: str | None = None, **kw) -> float:
    """A slider over fixed values (e.g. learning rates on a log scale), bound to the URL with a warning on bad links."""
    raw = _url_value(key)
    if raw is not None and raw not in [f"{o:g}" for o in options]:
        _warn(key, raw, "one of " + ", ".join(f"{o:g}" for o in options), f"{value:g}")
    return st.select_slider(
        label, options, value=value, format_func=lambda o: f"{o:g}", key=key, help=help, bind="query-params", **kw
    )


def number(label: str, lo: int, hi: int, value: int, key: str, help: str | None = None, **kw) -> int:
    """An integer input bound to the URL, with the same warning rules as slider."""
    raw = _url_value(key)
    if raw is not None:
        x = _as_number(raw, True)
        if x is None or not lo <= x <= hi:
            _warn(key, raw, f"a whole number from {lo} to {hi}", value)
    return st.number_input(label, lo, hi, value, step=1, key=key, help=help, bind="query-params", **kw)


def select(
    label: str,
    options: Sequence[str],
    key: str,
    default: str | None = None,
    names: dict[str, str] | None = None,
    help: str | None = None,
    radio: bool = False,
    **kw,
) -> str:
    """A choice bound to the URL by its shown name; an unknown name in the link falls back with a warning."""
    default = default if default is not None else options[0]
    show = (lambda o: names.get(o, o)) if names else str
    raw = _url_value(key)
    if raw is not None and raw not in [show(o) for o in options]:
        _warn(key, raw, "one of " + ", ".join(show(o) for o in options), show(default))
    widget = st.radio if radio else st.selectbox
    extra = {"horizontal": True} if radio else {}
    return widget(
        label,
        options,
        index=list(options).index(default),
        format_func=show,
        key=key,
        help=help,
        bind="query-params",
        **extra,
        **kw,
    )


def pills(
    label: str,
    options: Sequence[str],
    default: Sequence[str],
    key: str,
    names: dict[str, str] | None = None,
    help: str | None = None,
) -> list[str]:
    """A multi-choice row of pills bound to the URL (one parameter per chosen name); unknown names warn."""
    show = (lambda o: names.get(o, o)) if names else str
    shown = [show(o) for o in options]
    bad = [r for r in st.query_params.get_all(key) if r not in shown] if key not in st.session_state else []
    if bad:
        _warn(key, ",".join(bad), "among " + ", ".join(shown), ", ".join(show(d) for d in default))
    picked = st.pills(
        label,
        options,
        selection_mode="multi",
        default=list(default),
        format_func=show,
        key=key,
        help=help,
        bind="query-params",
    )
    return list(picked or [])


def toggle(label: str, key: str, value: bool = False, help: str | None = None, **kw) -> bool:
    """An on/off switch bound to the URL (true/false)."""
    raw = _url_value(key)
    if raw is not None and raw.lower() not in ("true", "false"):
        _warn(key, raw, "true or false", value)
    return st.toggle(label, value=value, key=key, help=help, bind="query-params", **kw)


def seed() -> int:
    """The global seed chosen in the sidebar."""
    return int(st.session_state.get("seed", DEFAULT_SEED))


def presenting() -> bool:
    return bool(st.session_state.get("present", False))


def locked() -> bool:
    return bool(st.session_state.get("lock", False))


def apply_presenter_mode() -> None:
    """Larger type and high contrast for a projector when presenter mode is on; hidden inputs when locked."""
    if presenting():
        st.html(BIG_TYPE_CSS)
    if locked():
        st.html(LOCK_CSS)


def header(title: str, promise: str) -> None:
    """Page anatomy step 1: the title and what the student will be able to do."""
    _hand_over_to_frame()
    st.title(title)
    st.markdown(f"**After this page you can** {promise}")


def notice(*bullets: str) -> None:
    """Page anatomy step 5a: what to notice."""
    st.markdown("#### 👀 What to notice\n" + "\n".join(f"- {b}" for b in bullets))


def try_this(key: str, prompt: str, options: Sequence[str], answer: str, why: str) -> None:
    """A challenge with a checkable answer: the student commits to a choice, then sees if it holds."""
    with st.container(border=True):
        st.markdown(f"**🧪 Try this.** {prompt}")
        pick = st.radio("Your answer", options, index=None, key=f"try_{key}", label_visibility="collapsed")
        if pick is not None:
            (st.success if pick == answer else st.error)(("Right. " if pick == answer else "Not quite. ") + why)


def show_code(*objects: Callable | type, note: str = "") -> None:
    """Page anatomy step 6: the real core code behind the charts, read from the source itself."""
    with st.expander("🧾 Show the code", expanded=False):
        if note:
            st.caption(note)
        for obj in objects:
            st.code(inspect.getsource(obj), language="python")


def live_run(prefix: str, signature: tuple, factory: Callable[[], Run], lr: float) -> Run:
    """The session's run for a view: started afresh when `signature` changes; a new learning rate applies at once."""
    if st.session_state.get(f"{prefix}_sig") != signature:
        st.session_state[f"{prefix}_sig"] = signature
        st.session_state[f"{prefix}_run"] = factory()
        st.session_state[f"{prefix}_playing"] = False
    run: Run = st.session_state[f"{prefix}_run"]
    if run.model.lr != lr:
        run.model.lr = lr
        run.resume()  # a run stopped by divergence may go on with the new step size
    return run


def playing(prefix: str) -> bool:
    return bool(st.session_state.get(f"{prefix}_playing", False))


def run_buttons(prefix: str, run: Run) -> None:
    """Play/pause, one step, run to the end and reset; callbacks only flip flags or take a bounded step."""
    play = playing(prefix)

    def toggle_play() -> None:
        st.session_state[f"{prefix}_playing"] = not play

    def reset() -> None:
        st.session_state[f"{prefix}_sig"] = None

    cols = st.columns(4)
    cols[0].button(
        "❚❚ Pause" if play else "▶ Play",
        key=f"{prefix}_play",
        width="stretch",
        on_click=toggle_play,
        disabled=run.done and not play,
        shortcut="P",
    )
    cols[1].button(
        "+1 step", key=f"{prefix}_step", width="stretch", on_click=run.advance, kwargs={"n": 1}, disabled=run.done
    )
    cols[2].button(
        "▶▶ Run to the end",
        key=f"{prefix}_finish",
        width="stretch",
        on_click=run.advance,
        kwargs={"n": run.max_steps, "seconds": 2.0},
        disabled=run.done,
        help="Trains until the run converges or stops (at most 2 seconds per press).",
    )
    cols[3].button("↺ Reset", key=f"{prefix}_reset", width="stretch", on_click=reset)
    share.training_files(prefix, run)  # history CSV, weights out and back in


def advance_while_playing(prefix: str, run: Run, n: int, seconds: float = 0.08) -> None:
    """Inside a run_every fragment: train one chunk; when the run ends, stop the timer with a full rerun."""
    if playing(prefix):
        run.advance(n=n, seconds=seconds)
        if run.done:
            st.session_state[f"{prefix}_playing"] = False
            st.rerun()


def run_message(run: Run) -> None:
    """Why a run stopped, in words: an error for divergence, a note otherwise."""
    if run.message:
        (st.error if run.status == "diverged" else st.success)(run.message)
