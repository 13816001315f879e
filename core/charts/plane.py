"""The input plane of a 2-D classifier: its output as a heatmap, the data on top, straight boundaries."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.style import BOUNDARY, CLASS_COLORS, MARKERS, PROB_SCALE, figure


def decision_figure(
    u: np.ndarray,
    v: np.ndarray,
    P: np.ndarray | None,
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None = None,
    b: float | None = None,
    discretize: bool = False,
    names: tuple[str, str] = ("x1", "x2"),
    title: str = "",
    z_label: str = "p",
) -> go.Figure:
    """Heatmap of the model's output P over the plane (if given), the data on top, and the boundary w·x + b = 0."""
    traces = []
    if P is not None:
        Z = (P >= 0.5).astype(float) if discretize else P
        hover = f"{names[0]}=%{{x:.2f}}<br>{names[1]}=%{{y:.2f}}<br>{z_label}=%{{z:.3f}}<extra></extra>"
        traces.append(
            go.Heatmap(
                x=u,
                y=v,
                z=Z,
                zmin=0,
                zmax=1,
                colorscale=PROB_SCALE,
                opacity=0.75,
                colorbar=dict(title=z_label, thickness=12, len=0.8),
                hovertemplate=hover,
            )
        )
    for k in (0, 1):
        pts = X[y == k]
        marker = dict(
            color=CLASS_COLORS[k],
            symbol=MARKERS[k],
            size=7,
            line=dict(width=1, color="white" if k == 0 else CLASS_COLORS[k]),
        )
        hover = f"class {k}<br>{names[0]}=%{{x:.2f}}<br>{names[1]}=%{{y:.2f}}<extra></extra>"
        traces.append(
            go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=f"class {k}", marker=marker, hovertemplate=hover)
        )
    if w is not None and b is not None:
        traces.append(boundary_trace(u, v, w, b, "w·x + b = 0", BOUNDARY))
    return figure(
        traces,
        480,
        title=title,
        legend=dict(orientation="h", y=-0.15, x=0),
        xaxis=dict(range=[u[0], u[-1]], title=dict(text=names[0]), constrain="domain"),
        yaxis=dict(range=[v[0], v[-1]], title=dict(text=names[1]), scaleanchor="x", scaleratio=1),
    )


def boundary_trace(
    u: np.ndarray, v: np.ndarray, w: np.ndarray, b: float, name: str, color: str, dash: str = "solid"
) -> go.Scatter:
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
