"""The frame: page config, navigation in lecture order, and the shared sidebar. No topic logic lives here."""

import gc

import streamlit as st
import torch

from core.device import pick_device
from pages import share, ui
from pages.course import available

# A projector link (?present=true) opens with the sidebar folded away, before any widget exists.
presenting = st.session_state.get("present", st.query_params.get("present") == "true")
st.set_page_config(
    page_title="Deep learning, explained live",
    page_icon="🧠",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)
share.apply_settings()  # a loaded settings file sets the controls before any of them exists


@st.cache_resource(show_spinner=False)
def warm_torch() -> bool:
    """Pay torch.optim's lazy imports (seconds on a busy machine) once per server, not in a student's first run.

    Then freeze the objects the libraries made at import: they live as long as the server, and a full
    garbage collection no longer walks them (~200 ms each time). Objects made later are collected as usual.
    """
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    gc.collect()
    gc.freeze()
    return True


warm_torch()
home = st.Page("pages/home.py", title="Course map", icon="🏠", url_path="home", default=True)
sections = {"Home": [home]}
for section, topics in available().items():
    sections[section] = [st.Page(t.file, title=t.title, icon=t.icon, url_path=t.url) for t in topics]
page = st.navigation(sections)

with st.sidebar:
    ui.number(
        "Seed",
        0,
        999_999,
        ui.DEFAULT_SEED,
        key="seed",
        help="Every random choice (data, initial weights, shuffling) starts from this number. "
        "Same seed, same pictures: share the link and others see exactly what you see.",
    )
    ui.toggle("Presenter mode", key="present", value=False, help="Larger type and fewer controls, for a projector.")
    ui.toggle("Lock the controls", key="lock", value=False, help="Hide the page's inputs: the view stays as linked.")
    device = pick_device()
    st.caption(f"Device: **{device.device.type.upper()}** — {device.reason}")

ui.apply_presenter_mode()
share_slot = st.container()  # the share bar, filled below once the page is drawn
page.run()
share.bar(share_slot, page)
