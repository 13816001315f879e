"""Shared look of every chart: colour-blind-safe colours, marker shapes, margins, and the plotting grid."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
CLASS_COLORS = ("#E69F00", "#0072B2")  # class 0 orange, class 1 blue
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PROB_SCALE = [[0.0, "#E69F00"], [0.5, "#F2F2F2"], [1.0, "#0072B2"]]
BOUNDARY = "#CC79A7"  # the model's own decision line: visible on the heatmap and in both themes
MARKERS = ("circle", "x")  # shape as well as colour tells the classes apart


def figure(traces: list, height: int, **kw) -> go.Figure:
    """A figure built in one constructor call: ~3x cheaper than add_trace/update_layout, which matters live."""
    base = {"height": height, "margin": dict(l=10, r=10, t=40, b=10), "legend": dict(orientation="h", y=-0.12)}
    return go.Figure(data=traces, layout=base | kw)


def layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    """The house margins and legend placement, at a given height."""
    base = {"height": height, "margin": dict(l=10, r=10, t=40, b=10), "legend": dict(orientation="h", y=-0.12)}
    fig.update_layout(**(base | kw))
    return fig


def grid(X: np.ndarray, n: int = 80, pad: float = 0.15) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A square n x n grid covering the data with a margin: axis values u, v and the points (n*n, 2)."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = max(float((hi - lo).max()), 1e-9)
    mid = (lo + hi) / 2
    half = span * (0.5 + pad)
    u = np.linspace(mid[0] - half, mid[0] + half, n)
    v = np.linspace(mid[1] - half, mid[1] + half, n)
    uu, vv = np.meshgrid(u, v)
    return u, v, np.c_[uu.ravel(), vv.ravel()]
