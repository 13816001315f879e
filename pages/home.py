"""Course map: the lecture's arc, one card per page, and the training loop every page is part of."""

import streamlit as st

from pages import ui
from pages.course import available

LOOP = """digraph {
  rankdir=LR; bgcolor="transparent"; nodesep=0.3; ranksep=0.35;
  node [shape=box, style="rounded,filled", fillcolor="#E8F1FA", color="#0072B2", fontname="sans-serif",
        fontsize=13, margin="0.12,0.08"];
  edge [color="#0072B2", penwidth=1.4, fontname="sans-serif", fontsize=12, fontcolor="#0072B2"];
  arch [label="architecture"]; data [label="data"]; predict [label="predict ŷ"]; loss [label="loss L(y, ŷ)"];
  back [label="back-propagate ∂L/∂w"]; update [label="update w ← w − α ∂L/∂w"];
  arch -> data -> predict -> loss -> back -> update;
  update -> predict [label="repeat", constraint=false];
}"""

ui.header(
    "Deep learning, explained live",
    "find your way through a first lecture on deep learning, with real torch models you can poke at.",
)
st.markdown(
    "Deep learning stacks layers of artificial **neurons** that learn their own features from data, "
    "instead of features made by hand. Every page trains a real model in your browser session; "
    "every number on screen is checked against an independent computation in the test suite."
)

st.subheader("The loop every page is a piece of")
st.graphviz_chart(LOOP)
st.caption("Define the network and load the data once; then repeat the four steps until the cost stops falling.")

st.subheader("The course map")
for section, topics in available().items():
    st.markdown(f"##### {section}")
    cols = st.columns(3)
    for i, topic in enumerate(topics):
        with cols[i % 3].container(border=True):
            st.page_link(topic.file, label=f"**{topic.title}**", icon=topic.icon)
            st.markdown(topic.promise)
            st.caption(f"about {topic.minutes} min")
