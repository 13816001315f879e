"""Figure builders: arrays in, plotly figures out. Pure and unit-tested; pages only place them."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
CLASS_COLORS = ("#E69F00", "#0072B2")  # class 0 orange, class 1 blue
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PROB_SCALE = [[0.0, "#E69F00"], [0.5, "#F2F2F2"], [1.0, "#0072B2"]]
MARKERS = ("circle", "x")  # shape as well as colour tells the classes apart


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.12), **kw)
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


def log_odds_figure(x: np.ndarray, log_odds: np.ndarray, odds: np.ndarray, p: np.ndarray) -> go.Figure:
    """Three panels left to right: log-odds (a line), odds (an exponential), probability (the sigmoid)."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=("log-odds  b + w x", "odds  p / (1 − p)", "probability  p = σ(b + w x)"))
    for col, yv in enumerate((log_odds, odds, p), start=1):
        fig.add_trace(go.Scatter(x=x, y=yv, mode="lines", line=dict(color=SERIES[col - 1], width=3), showlegend=False,
                                 hovertemplate="x=%{x:.2f}<br>%{y:.3f}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(title_text="x", row=1, col=col)
    fig.update_yaxes(range=[-0.05, 1.05], row=1, col=3)
    fig.update_yaxes(range=[0, min(float(np.nanmax(odds)), 50) * 1.05 + 1e-9], row=1, col=2)
    fig.add_hline(y=0.5, line_dash="dot", row=1, col=3)
    fig.add_hline(y=1.0, line_dash="dot", row=1, col=2)
    fig.add_hline(y=0.0, line_dash="dot", row=1, col=1)
    return _layout(fig, 300)


def decision_figure(u: np.ndarray, v: np.ndarray, P: np.ndarray | None, X: np.ndarray, y: np.ndarray,
                    w: np.ndarray | None = None, b: float | None = None, discretize: bool = False,
                    names: tuple[str, str] = ("x1", "x2"), title: str = "", z_label: str = "p") -> go.Figure:
    """Heatmap of the model's output P over the plane (if given), the data on top, and the boundary w·x + b = 0."""
    fig = go.Figure()
    if P is not None:
        Z = (P >= 0.5).astype(float) if discretize else P
        fig.add_trace(go.Heatmap(x=u, y=v, z=Z, zmin=0, zmax=1, colorscale=PROB_SCALE, opacity=0.75,
                                 colorbar=dict(title=z_label, thickness=12, len=0.8),
                                 hovertemplate=f"{names[0]}=%{{x:.2f}}<br>{names[1]}=%{{y:.2f}}<br>"
                                               f"{z_label}=%{{z:.3f}}<extra></extra>"))
    for k in (0, 1):
        pts = X[y == k]
        fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {k}",
                                 marker=dict(color=CLASS_COLORS[k], symbol=MARKERS[k], size=7,
                                             line=dict(width=1, color="white" if k == 0 else CLASS_COLORS[k])),
                                 hovertemplate=f"class {k}<br>{names[0]}=%{{x:.2f}}<br>{names[1]}=%{{y:.2f}}<extra></extra>"))
    if w is not None and b is not None:
        fig.add_trace(boundary_trace(u, v, w, b, "w·x + b = 0", "#222222"))
    fig.update_xaxes(range=[u[0], u[-1]], title_text=names[0], constrain="domain")
    fig.update_yaxes(range=[v[0], v[-1]], title_text=names[1], scaleanchor="x", scaleratio=1)
    fig = _layout(fig, 480, title=title)
    fig.update_layout(legend=dict(orientation="h", y=-0.15, x=0))
    return fig


def boundary_trace(u: np.ndarray, v: np.ndarray, w: np.ndarray, b: float, name: str, color: str, dash: str = "solid") -> go.Scatter:
    """The straight line w1 x1 + w2 x2 + b = 0 clipped to the plotted square (empty when w = 0)."""
    w1, w2 = float(w[0]), float(w[1])
    if abs(w2) >= abs(w1) and w2 != 0:
        xs = np.array([u[0], u[-1]])
        ys = -(w1 * xs + b) / w2
    elif w1 != 0:
        ys = np.array([v[0], v[-1]])
        xs = -(w2 * ys + b) / w1
    else:
        xs = ys = np.array([])
    return go.Scatter(x=xs, y=ys, mode="lines", name=name, line=dict(color=color, width=3, dash=dash), hoverinfo="name")


def loss_figure(losses: list[float], title: str = "cost J", reference: float | None = None, max_points: int = 2000) -> go.Figure:
    """The training curve (thinned to max_points so long runs stay cheap to draw), log-scaled x."""
    steps = np.arange(1, len(losses) + 1)
    if len(losses) > max_points:
        keep = np.unique(np.geomspace(1, len(losses), max_points).astype(int)) - 1
        steps, losses = steps[keep], np.asarray(losses)[keep]
    fig = go.Figure(go.Scatter(x=steps, y=losses, mode="lines", name="gradient descent", line=dict(color=SERIES[0], width=3)))
    if reference is not None:
        fig.add_hline(y=reference, line_dash="dash", line_color=SERIES[2], annotation_text="scikit-learn's minimum",
                      annotation_position="top right")
    if not len(losses):
        fig.add_annotation(text="Press ▶ Play or +1 step to start", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font=dict(size=16))
    fig.update_xaxes(title_text="step", type="log" if len(steps) > 1 else "linear")
    fig.update_yaxes(title_text=title)
    return _layout(fig, 300, showlegend=False)
