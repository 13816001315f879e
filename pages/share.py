"""Share and take away: a link and QR code of this exact view, the settings as JSON, training histories and weights.

The list of a page's settings is Streamlit's own registry of URL-bound widgets (bind="query-params"), read once per
run, so a control added to any page is shared, exported and imported with no registration here.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.query_params import (
    _coerce_value_for_query_url,
    _format_number_for_query_url,
    parse_url_param,
)

from core import exports
from core.training import Run

PENDING, APPLY, MESSAGE, ROUNDS = "share_pending", "share_apply", "share_message", 3
VIEW_CACHES = ("_view", "_memo", "_figs")  # where pages keep figures of a run: cleared when its weights change


def _bound() -> dict[str, tuple]:
    """Every URL-bound control rendered in this run (frame and page): key -> (widget metadata, current value)."""
    ctx = get_script_run_ctx()
    state = ctx.session_state._state
    live = ctx.shared.widget_ids_this_run.snapshot()
    out = {}
    for key, binding in list(state.query_params._bindings_by_param.items()):
        meta = state.get_widget_metadata(binding.widget_id)
        if binding.widget_id in live and meta is not None and key in st.session_state:
            out[key] = (meta, st.session_state[key])
    return out


def _url_text(meta, value) -> str | list[str]:
    """A widget value as the browser writes it in the URL (choices by their shown names, 2.0 as 2)."""
    raw = meta.serializer(value)
    if meta.value_type == "double_value":
        return _format_number_for_query_url(raw)
    return _coerce_value_for_query_url(raw, meta.value_type)


def params(defaults: bool) -> dict[str, str | list[str]]:
    """The current settings as URL text: all of them, or only those a link needs (the URL drops defaults)."""
    return {
        key: _url_text(meta, value)
        for key, (meta, value) in _bound().items()
        if defaults or value != meta.deserializer(None)
    }


def link(page) -> str:
    """The full address of this exact view, as the browser's address bar shows it."""
    base = st.context.url or f"http://localhost:8501/{page.url_path}"
    bound = get_script_run_ctx().session_state._state.query_params._bindings_by_param
    other = {k: st.query_params.get_all(k) for k in st.query_params if k not in bound}  # e.g. set by the page itself
    now = params(defaults=False) | other
    order = [k for k in st.query_params if k in now] + [k for k in now if k not in st.query_params]  # as the link had
    query = urlencode({k: now[k] for k in order}, doseq=True)
    return base.split("?")[0] + (f"?{query}" if query else "")


def qr_png(url: str) -> bytes | None:
    """A QR code of the link, made here (no web service); None when the link is too long for one."""
    try:
        code = segno.make(url, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=4, border=2, dark="#1B1F24", light="#FFFFFF")
    return buf.getvalue()


def _same(a: str | list[str], b: str | list[str], numeric: bool) -> bool:
    a, b = (a if isinstance(a, list) else [a]), (b if isinstance(b, list) else [b])
    if a == b:
        return True
    try:
        return numeric and len(a) == len(b) and all(float(x) == float(y) for x, y in zip(a, b, strict=True))
    except ValueError:
        return False


def _native(key: str, meta, text: str | list[str]):
    """The widget value for a URL text, checked by a round trip through the widget's own (de)serializer."""
    numeric = "double" in meta.value_type or "int" in meta.value_type
    try:
        value = meta.deserializer(parse_url_param(text, meta.value_type))
        ok = _same(_url_text(meta, value), text, numeric)
    except (ValueError, TypeError, IndexError, OverflowError):  # int(inf): a number input given "inf" or "1e400"
        ok = False
    if ok and meta.formatted_options is not None:
        ok = all(t in meta.formatted_options for t in (text if isinstance(text, list) else [text]))
    if ok:
        return value
    shown = text if isinstance(text, str) else ", ".join(text)
    hint = ""
    if meta.formatted_options:
        hint = " Choose among: " + ", ".join(meta.formatted_options[:12]) + "."
    else:
        serde = getattr(meta.deserializer, "__self__", None)
        lo, hi = getattr(serde, "min_value", None), getattr(serde, "max_value", None)
        if lo is not None and hi is not None:
            hint = f" It must be from {lo:g} to {hi:g}."
    raise exports.ExportError(f"`{key}={shown[:40]}` is not a value this control takes.{hint}")


def apply_settings() -> None:
    """At the top of the frame, before any widget: set the values a loaded settings file asked for."""
    for key, value in st.session_state.pop(APPLY, {}).items():
        st.session_state[key] = value


def _continue_import() -> None:
    """Apply what a settings file asks for, in rounds: a control that appears with another's value comes next."""
    job = st.session_state.get(PENDING)
    if job is None:
        return
    bound, todo = _bound(), job["params"]
    try:
        ready = {k: _native(k, bound[k][0], v) for k, v in todo.items() if k in bound}
    except exports.ExportError as err:
        st.session_state.pop(PENDING)
        done = "Nothing was changed." if job["round"] == 0 else "The settings before it were loaded."
        st.session_state[MESSAGE] = ("error", f"That settings file cannot be used: {err} {done}")
        return
    if job["round"] == 0:  # the file is the whole configuration: what it leaves out goes back to the default
        ready |= {k: meta.deserializer(None) for k, (meta, _) in bound.items() if k not in todo}
    job["params"] = {k: v for k, v in todo.items() if k not in bound}
    changed = {k: v for k, v in ready.items() if v != bound[k][1]}
    if changed and job["round"] < ROUNDS:
        job["round"] += 1
        st.session_state[APPLY] = changed
        st.rerun()
    st.session_state.pop(PENDING)
    left = sorted([*job["params"], *changed])  # changed only if the rounds ran out
    st.session_state[MESSAGE] = (
        ("warning", f"Settings loaded, except {', '.join(f'`{k}`' for k in left)}: this page has no such setting.")
        if left
        else ("success", "Settings loaded: the page now shows them.")
    )


def _settings_file(page, raw: bytes) -> None:
    """Check an uploaded settings file and queue it; the next runs apply it."""
    try:
        wanted = exports.decode_config(raw, _page_name(page), _allowed(_bound()))
    except exports.ExportError as err:
        st.session_state[MESSAGE] = ("error", f"That settings file cannot be used: {err}")
        return
    st.session_state[PENDING] = {"params": wanted, "round": 0}


def _allowed(bound: dict) -> set[str]:
    """This page's setting names, plus numbered siblings that appear with other settings (nn_u5 beside nn_u1)."""
    stems = {k.rstrip("0123456789") for k in bound if k[-1:].isdigit()}
    return set(bound) | {f"{s}{i}" for s in stems for i in range(10)}


def _page_name(page) -> str:
    return page.url_path or "home"


def bar(slot, page) -> None:
    """At the end of each run, fill the slot above the page: share link + QR, settings download and upload."""
    _continue_import()
    url = link(page)
    with slot, st.container(horizontal=True, horizontal_alignment="right"):
        with st.popover(
            "🔗 Share this view",
            help="A link and QR code that open this page exactly as you see it.",
            key="share_open",
            on_change="rerun",  # opening reruns the page: the link then includes changes made inside fragments
        ):
            st.markdown("**Copy link to this exact view** (the copy button is at the right of the box)")
            st.code(url, language=None, wrap_lines=True)
            png = qr_png(url)
            if png is None:
                st.caption("This link is too long for a QR code; send the link instead.")
            else:
                st.image(png, width=200, caption="Scan to open this view on a phone.")
            st.divider()
            st.markdown("**Settings file** — every control of this page and the seed, as JSON.")
            st.download_button(
                "⬇ Download settings (.json)",
                exports.encode_config(_page_name(page), params(defaults=True)),
                file_name=f"{_page_name(page)}-settings.json",
                mime="application/json",
                on_click="ignore",
                key="share_cfg_down",
            )
            n = st.session_state.get("share_cfg_n", 0)
            up = st.file_uploader(
                "Load settings (.json)", type=["json"], key=f"share_cfg_up_{n}", help="A file saved here, max 32 KB."
            )
        if up is not None:
            st.session_state["share_cfg_n"] = n + 1  # a fresh uploader: the same file may be loaded again later
            _settings_file(page, up.getvalue())
            st.rerun()  # an empty uploader again, and the next run starts applying the file
    kind, text = st.session_state.pop(MESSAGE, (None, None))
    if kind:
        getattr(slot, kind)(text)


def training_files(prefix: str, run: Run) -> None:
    """Below a live run's buttons: its history as CSV, its weights as safetensors, and loading weights back."""
    with st.popover("💾 Save or load this training", help="Loss history as CSV; trained weights as a file."):
        st.download_button(
            "⬇ Training history (.csv)",
            lambda: exports.history_csv(run.losses, run.history),  # built at the click: the run may still be training
            file_name=f"{prefix}-history.csv",
            mime="text/csv",
            on_click="ignore",
            key=f"{prefix}_csv_down",
        )
        st.download_button(
            "⬇ Trained weights (.safetensors)",
            lambda: exports.encode_weights(run.model.state(), {"prefix": prefix, "steps": str(run.steps)}),
            file_name=f"{prefix}-weights.safetensors",
            mime="application/octet-stream",
            on_click="ignore",
            key=f"{prefix}_weights_down",
            help="Plain named tensors (safetensors): no code inside, safe to share.",
        )
        n = st.session_state.get(f"{prefix}_weights_n", 0)
        up = st.file_uploader(
            "Load weights (.safetensors)",
            type=["safetensors"],
            key=f"{prefix}_weights_up_{n}",
            help="Weights saved here with the same settings; the model continues from them.",
        )
    if up is not None:
        st.session_state[f"{prefix}_weights_n"] = n + 1
        st.session_state[f"{prefix}_weights_msg"] = load_weights(prefix, run, up.getvalue())
        st.rerun()  # an empty uploader again; the page redraws the model with its new weights
    kind, text = st.session_state.pop(f"{prefix}_weights_msg", (None, None))
    if kind:
        getattr(st, kind)(text)


def load_weights(prefix: str, run: Run, raw: bytes) -> tuple[str, str]:
    """Put uploaded weights into the live model (checked names and shapes), drop its cached figures; say how it went."""
    state = run.model.state()
    try:
        weights = exports.decode_weights(raw, state)
    except exports.ExportError as err:
        return "error", f"Those weights cannot be used: {err}"
    run.model.load(exports.restore(state, weights))
    if run.steps < run.max_steps:  # new weights are a new start: whether they converged is for training to find
        run.status, run.message = "ready", ""
    for suffix in VIEW_CACHES:
        st.session_state.pop(prefix + suffix, None)
    return "success", f"Loaded {len(weights)} weight tensors into the model; ▶ Play continues training from them."


def chart_text(sentence: str, where=st) -> None:
    """A text alternative under a main chart: one sentence of what it shows, for screen readers and everyone."""
    where.caption(f"📈 *The chart:* {sentence}")
