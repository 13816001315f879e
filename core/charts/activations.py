"""Figures for the activation page: the gallery cards, a side-by-side comparison, universal approximation, depth."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from core import linearity
from core.activations import ACTIVATIONS, flat_regions
from core.approximation import Fit
from core.charts import plane
from core.charts.style import BOUNDARY, SERIES, grid, layout
from core.depth import Profile

FLAT_FILL = "rgba(128, 128, 128, 0.18)"
TARGET_COLOR = "#888888"


def curves(name: str, lo: float = -5.0, hi: float = 5.0, n: int = 401) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z, g(z) and g'(z) from the registry on an even grid."""
    z = torch.linspace(lo, hi, n, dtype=torch.float64)
    act = ACTIVATIONS[name]
    return z.numpy(), act.g(z).numpy(), act.dg(z).numpy()


def card_figure(name: str, lo: float = -5.0, hi: float = 5.0) -> go.Figure:
    """One activation on one chart: g solid, g' dashed, grey bands where it is flat (|g'| < 0.01)."""
    z, a, da = curves(name, lo, hi)
    fig = go.Figure()
    for a0, b0 in flat_regions(ACTIVATIONS[name], lo=lo, hi=hi):
        fig.add_vrect(x0=a0, x1=b0, fillcolor=FLAT_FILL, line_width=0, layer="below")
    fig.add_trace(go.Scatter(x=z, y=a, name="g(z)", line=dict(color=SERIES[0], width=3)))
    fig.add_trace(go.Scatter(x=z, y=da, name="g′(z)", line=dict(color=SERIES[1], width=2.5, dash="dash")))
    fig.update_traces(hovertemplate="z=%{x:.2f}<br>%{y:.3f}", mode="lines")
    fig.update_xaxes(range=[lo, hi], title_text="z", zeroline=True)
    fig.update_yaxes(range=[-1.25, 2.25], zeroline=True)
    fig = layout(fig, 230, showlegend=False)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig


def compare_figure(names: list[str], lo: float = -6.0, hi: float = 6.0) -> go.Figure:
    """The chosen activations overlaid: g(z) on the left, g'(z) on the right, same colour per activation."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("a = g(z)", "slope g′(z)"), horizontal_spacing=0.08)
    dashes = ("solid", "dash", "dot")
    for k, name in enumerate(names):
        z, a, da = curves(name, lo, hi)
        style = dict(color=SERIES[k], width=3, dash=dashes[k])
        label = ACTIVATIONS[name].label
        fig.add_trace(go.Scatter(x=z, y=a, name=label, line=style, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=z, y=da, name=label, line=style, legendgroup=name, showlegend=False), row=1, col=2)
    fig.update_traces(mode="lines", hovertemplate="z=%{x:.2f}<br>%{y:.3f}")
    fig.update_xaxes(title_text="z", range=[lo, hi])
    fig.update_yaxes(range=[-1.5, 3.0], row=1, col=1)
    fig.update_yaxes(range=[-0.2, 1.25], row=1, col=2)
    fig.add_hline(y=0.25, line_dash="dot", line_color=TARGET_COLOR, row=1, col=2)
    fig.add_annotation(
        x=hi,
        y=0.25,
        text="¼: σ′ never gets higher",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        row=1,
        col=2,
        font=dict(color=TARGET_COLOR),
    )
    return layout(
        fig, 370, margin=dict(l=10, r=10, t=75, b=10), legend=dict(orientation="h", y=1.12, yanchor="bottom", x=0)
    )


def approximation_figure(fit: Fit, show_parts: bool = True) -> go.Figure:
    """The target, each unit's scaled contribution (thin), and their sum y-hat (bold)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=fit.x, y=fit.y, name="target", mode="lines", line=dict(color=TARGET_COLOR, width=7), opacity=0.5)
    )
    if show_parts:
        # One trace for all units, NaN between them: 64 lines cost no more to draw than one.
        n, m = fit.parts.shape
        xs = np.tile(np.r_[fit.x, np.nan], n)
        ys = np.c_[fit.parts, np.full(n, np.nan)].ravel()
        unit = np.repeat(np.arange(1, n + 1), m + 1)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                customdata=unit,
                name="each unit: w<sub>2,i</sub> g(w<sub>1,i</sub> x + b<sub>1,i</sub>)",
                mode="lines",
                line=dict(color=SERIES[2], width=1.5),
                opacity=0.7,
                hovertemplate="unit %{customdata}<br>x=%{x:.2f}<br>%{y:.3f}<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=fit.x[[0, -1]],
                y=[fit.b2, fit.b2],
                name="output bias b<sub>2</sub>",
                mode="lines",
                line=dict(color=SERIES[2], width=1.5, dash="dot"),
                hovertemplate="b₂ = %{y:.3f}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=fit.x,
            y=fit.y_hat,
            name="network ŷ = b<sub>2</sub> + Σ units",
            mode="lines",
            line=dict(color=SERIES[0], width=3),
        )
    )
    lo, hi = float(fit.y.min()), float(fit.y.max())
    pad = 0.35 * max(hi - lo, 0.5)
    fig.update_yaxes(range=[lo - pad, hi + pad], title_text="y")
    fig.update_xaxes(title_text="x")
    fig = layout(fig, 400)
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    return fig


def error_figure(ns: list[int], rms: list[float], n: int, rms_n: float) -> go.Figure:
    """RMS error against the number of hidden units, both axes logarithmic; the current N marked."""
    floor = 1e-6  # a perfect fit would sit at -inf on a log axis
    fig = go.Figure(
        go.Scatter(
            x=ns,
            y=np.maximum(rms, floor),
            mode="lines+markers",
            name="error",
            line=dict(color=SERIES[0], width=3),
            hovertemplate="N=%{x}<br>RMS error %{y:.2g}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[n],
            y=[max(rms_n, floor)],
            mode="markers",
            name=f"N = {n}",
            marker=dict(size=16, color=SERIES[5], symbol="diamond"),
            hovertemplate="N=%{x}<br>%{y:.2g}<extra></extra>",
        )
    )
    fig.update_xaxes(type="log", title_text="hidden units N", tickvals=ns)
    fig.update_yaxes(type="log", title_text="RMS error", exponentformat="power", dtick=1)
    return layout(fig, 400, showlegend=False)


def gradient_figure(profiles: dict[str, Profile], chosen: str) -> go.Figure:
    """The size of dL/dW at every layer (log scale): the chosen activation bold, the others faint."""
    fig = go.Figure()
    for k, (name, prof) in enumerate(profiles.items()):
        g = prof.grad_norms
        x = np.arange(1, len(g) + 1)
        mine = name == chosen
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.where(g > 0, g, np.nan),
                name=ACTIVATIONS[name].label,
                mode="lines+markers",
                line=dict(color=SERIES[k], width=4 if mine else 1.5),
                marker=dict(size=9 if mine else 5),
                opacity=1.0 if mine else 0.55,
                hovertemplate="layer %{x}<br>‖∂L/∂W‖ = %{y:.2e}<extra></extra>",
            )
        )
    depth = len(next(iter(profiles.values())).grad_norms) - 1
    zeros = np.flatnonzero(profiles[chosen].grad_norms == 0) + 1  # a dead layer stops everything below it
    if len(zeros):
        span = f"layers {zeros.min()}–{zeros.max()}" if len(zeros) > 1 else f"layer {zeros[0]}"
        fig.add_annotation(
            text=f"{ACTIVATIONS[chosen].label}: gradient exactly 0 in {'every layer' if len(zeros) > depth else span}",
            xref="paper",
            yref="paper",
            x=0.98,
            y=0.04,
            xanchor="right",
            showarrow=False,
            font=dict(size=14, color=SERIES[5]),
        )
    ticks = list(range(1, depth + 2))
    fig.update_xaxes(
        title_text="layer (1 = next to the input; last = output)",
        tickvals=ticks,
        ticktext=[str(t) for t in ticks[:-1]] + ["out"],
    )
    fig.update_yaxes(type="log", title_text="‖∂L/∂W‖ (log scale)", exponentformat="power", dtick=1)
    return layout(fig, 420, legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))


def dead_figure(prof: Profile) -> go.Figure:
    """Share of dead units (g'(z) = 0 for every example) in each hidden layer."""
    layers = np.arange(1, len(prof.dead) + 1)
    fig = go.Figure(
        go.Bar(
            x=layers,
            y=prof.dead,
            marker_color=SERIES[5],
            name="dead",
            hovertemplate="layer %{x}<br>%{y:.0%} dead<extra></extra>",
        )
    )
    if not prof.dead.any():
        fig.add_annotation(text="no dead units", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    fig.update_xaxes(title_text="hidden layer", tickvals=layers)
    fig.update_yaxes(range=[0, 1], tickformat=".0%", title_text="dead units")
    return layout(fig, 290, showlegend=False)


def plane_figure(net: linearity.Net, X: np.ndarray, y: np.ndarray, title: str) -> go.Figure:
    """The trained net's p over the plane; for an identity net also the line of its collapsed W x + b."""
    u, v, G = grid(X)
    P = linearity.output_map(net, G).reshape(len(v), len(u))
    fig = plane.decision_figure(u, v, P, X, y, title=title)
    if net.activation == "identity":
        _, W, b = linearity.collapse(net.Ws, net.bs)
        fig.add_trace(plane.boundary_trace(u, v, W[0], b[0], "W x + b = 0", BOUNDARY))
    return fig
