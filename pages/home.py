"""Course map: the lecture's arc, one card per page, and the training loop every page is part of."""

from pathlib import Path

import streamlit as st

from pages import ui
from pages.course import available
from pages.walkthrough import KEY
from pages.walkthroughs import TOURS

THUMBS = Path(__file__).resolve().parent / "thumbnails"  # drawn once from core/ by pages/thumbnails/make.py
# The loop of every training run, each stage linked to the page that teaches it.
LOOP = [
    ("network", "predict ŷ", "the forward pass"),
    ("neuron", "loss L(y, ŷ)", "how wrong, in one number"),
    ("backprop", "backprop ∂L/∂w", "the chain rule, backwards"),
    ("gradient_descent", "update w", "w ← w − α ∂L/∂w, downhill"),
]
# Card titles wrap instead of being cut off (page links keep to one line by default).
CSS = """<style>
.st-key-map [data-testid="stPageLink"] p, .st-key-loop [data-testid="stPageLink"] p { white-space: normal; }
</style>"""


@st.cache_resource(show_spinner=False)
def thumbnail(url: str) -> str | None:
    path = THUMBS / f"{url}.svg"
    return path.read_text() if path.exists() else None


ui.header(
    "Deep learning, explained live",
    "find your way through a first lecture on deep learning, with real torch models you can poke at.",
)
topics = {t.url: t for ts in available().values() for t in ts}
first = next(iter(topics.values()), None)
intro, start = st.columns([3, 1], vertical_alignment="center")
intro.markdown(
    "Deep learning stacks layers of artificial **neurons** that learn their own features from data, "
    "instead of features made by hand. Every page trains a real model in your browser session; "
    "every number on screen is checked against an independent computation in the test suite."
)
if first:
    with start.container(border=True, key="start_lesson"):
        st.page_link(
            first.file, label="**Start the lesson**", icon="▶️", query_params={KEY: "1"}
        )  # the walkthrough opens
        st.caption(f"{len(topics)} pages, about {sum(t.minutes for t in topics.values())} min")

st.html(CSS)
st.subheader("The loop every page is a piece of")
st.caption("Define the network and load the data once; then repeat four steps until the cost stops falling.")
with st.container(horizontal=True, vertical_alignment="center", key="loop", gap="small"):
    stages = [(topics[url], label, note) for url, label, note in LOOP if url in topics]
    for i, (topic, label, note) in enumerate(stages):
        with st.container(border=True, width="stretch", height="stretch"):
            st.page_link(topic.file, label=f"**{label}**")
            st.caption(f"{note} · {topic.title}")
        st.markdown("→" if i < len(stages) - 1 else "↺ repeat")

st.subheader("The course map")
n, per_row = 0, 3 if ui.presenting() else 4
with st.container(key="map"):
    for section, section_topics in available().items():
        st.markdown(f"##### {section}")
        cols = st.columns(per_row)
        for i, topic in enumerate(section_topics):
            n += 1
            with cols[i % per_row].container(border=True, height="stretch"):
                if svg := thumbnail(topic.url):
                    st.image(svg, width="stretch")
                label = f"**{n} · {topic.title}**"
                st.page_link(topic.file, label=label, icon=topic.icon)
                st.markdown(topic.promise)
                steps = len(TOURS.get(topic.url, []))
                st.caption(f"⏱ about {topic.minutes} min" + (f" · 🧭 {steps}-step walkthrough" if steps else ""))
