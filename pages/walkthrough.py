"""The guided walkthrough shown at the top of every topic page: steps that set the controls, ask, and lead on."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages import ui
from pages.course import available
from pages.walkthroughs import DEFAULTS, TOURS, Step

KEY = "step"  # the URL parameter: /neuron?step=3 opens the neuron page at step 3 with its settings
OPEN = "_wt_open"  # session flag: the walkthrough was started, so its box stays open
PAGE = "_wt_page"  # the page whose walkthrough ran last: a new one starts afresh, not at the last page's step


def config(page: str, k: int) -> dict[str, Any]:
    """The controls at step k (1-based): the page defaults of every control the tour touches, then steps 1..k."""
    out = dict(DEFAULTS[page])
    for step in TOURS[page][:k]:
        out |= step.preset
    return out


def _go(page: str, k: int) -> None:
    """Callback: move to step k and set its controls (callbacks run before any widget is drawn)."""
    st.session_state.update(config(page, k))
    st.session_state[KEY] = k
    st.session_state[OPEN] = True


def _from_link(page: str) -> None:
    """On the first run of a visit, a link's ?step=k sets that step's controls, except those the link names itself."""
    raw = ui._url_value(KEY)
    if raw is None:
        return
    n = len(TOURS[page])
    x = ui._as_number(raw, True)
    if x is None or not 1 <= x <= n:
        ui._warn(KEY, raw, f"a whole number from 1 to {n}", 1)  # and drops it, so the step widget starts at 1
        return
    named = set(st.query_params)
    st.session_state.update({k: v for k, v in config(page, int(x)).items() if k not in named})
    st.session_state[OPEN] = True


def _next_page(page: str):
    """The topic after this one in lecture order, or None on the last page."""
    topics = [t for ts in available().values() for t in ts]
    urls = [t.url for t in topics]
    i = urls.index(page) if page in urls else len(urls)
    return topics[i + 1] if i + 1 < len(topics) else None


def _question(page: str, k: int, step: Step) -> None:
    pick = st.radio(
        f"❓ {step.question}",
        step.options,
        index=None,
        key=f"try_wt_{page}_{k}",
        help="Commit to an answer, then check.",
    )
    if pick is not None:
        (st.success if pick == step.answer else st.error)(
            ("Right. " if pick == step.answer else "Not quite. ") + step.why
        )
    with st.expander("Show the answer"):
        st.markdown(f"**{step.answer}.** {step.why}")


def show(page: str) -> None:
    """The walkthrough box: progress, the step's task and question, previous/next (PageUp/PageDown), next page."""
    steps = TOURS[page]
    n = len(steps)
    if st.session_state.get(PAGE) != page:
        st.session_state.pop(KEY, None)
        st.session_state.update({OPEN: False, PAGE: page})
    if KEY not in st.session_state:
        _from_link(page)
    opened = bool(st.session_state.get(OPEN)) or ui.presenting()
    with st.expander(f"🧭 Guided walkthrough · {n} steps", expanded=opened, key="walkthrough"):
        k = st.pagination(n, key=KEY, on_change=lambda: _go(page, st.session_state[KEY]), bind="query-params")
        step = steps[k - 1]
        st.markdown(f"##### Step {k} of {n} · {step.title}")
        st.markdown(step.do)
        _question(page, k, step)
        c = st.columns([1, 1.7, 1.3], vertical_alignment="center")
        c[0].button(
            "◀ Previous",
            key="wt_prev",
            on_click=_go,
            args=(page, k - 1),
            disabled=k == 1,
            shortcut="PageUp",
            width="stretch",
        )
        if k < n:
            c[1].button(
                "Next step ▶",
                key="wt_next",
                on_click=_go,
                args=(page, k + 1),
                type="primary",
                shortcut="PageDown",
                width="stretch",
            )
        elif nxt := _next_page(page):
            # A link, not a button with a shortcut: st.switch_page refuses to leave a page with URL-bound widgets.
            with c[1]:
                st.page_link(nxt.file, label=f"**Next page: {nxt.title}**", icon="▶️", query_params={KEY: "1"})
        c[2].button(
            f"↺ Set up step {k} again",
            key="wt_again",
            on_click=_go,
            args=(page, k),
            type="tertiary",
            help="Put every control back to this step's settings.",
        )
