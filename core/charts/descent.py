"""Figures for the gradient-descent page: steps on a curve with their tangents, learning-rate regimes,
paths on a 2-D landscape (contour or 3-D surface) and cost curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.style import SERIES, layout
from core.descent import Descent1D, fmt

MAX_MARKED = 12  # steps drawn with a tangent and an arrow; later ones are points only, to keep the curve readable
REGIME_COLORS = {"too small": SERIES[4], "good": SERIES[2], "oscillating": SERIES[1], "divergent": SERIES[5]}
PATHS = ((SERIES[0], "solid"), (SERIES[1], "solid"), (SERIES[2], "solid"), (SERIES[3], "solid"), (SERIES[5], "dash"))
CLICK_GRID = 25  # invisible points per side that catch a click on the contour (plotly reports clicks on points)
LANDSCAPE_SCALE = [[0.0, "#4a4a4a"], [1.0, "#f4f4f4"]]  # grey, dark at the minimum: every path colour shows on it
TOP_LEGEND = dict(orientation="h", y=1.02, yanchor="bottom", x=0)


def steps_figure(x: np.ndarray, fx: np.ndarray, run: Descent1D, label: str) -> go.Figure:
    """The curve f, each iterate x_t as a point with its tangent line (slope f'(x_t)), and arrows x_t -> x_{t+1}."""
    span = float(x[-1] - x[0]) or 1.0
    fig = go.Figure(
        go.Scatter(x=x, y=fx, mode="lines", name=label, line=dict(color=SERIES[0], width=3), hoverinfo="skip")
    )
    h = 0.15 * span
    tx, ty, sx, sy, dx, dy = [], [], [], [], [], []
    for t, (xt, ft, dft) in enumerate(list(zip(run.x, run.f, run.df, strict=True))[:MAX_MARKED]):
        tx += [xt - h, xt + h, None]
        ty += [ft - dft * h, ft + dft * h, None]
        if t < len(run.x) - 1:  # the step: across by -alpha_t f'(x_t) at height f(x_t), then down onto the curve
            sx += [xt, run.x[t + 1], None]
            sy += [ft, ft, None]
            dx += [run.x[t + 1], run.x[t + 1], None]
            dy += [ft, run.f[t + 1], None]
    fig.add_trace(
        go.Scatter(x=tx, y=ty, mode="lines", name="tangent, slope f′(xₜ)", line=dict(color=SERIES[3], width=2.5))
    )
    fig.add_trace(
        go.Scatter(
            x=sx,
            y=sy,
            mode="lines+markers",
            name="step −αₜ f′(xₜ)",
            line=dict(color=SERIES[5], width=2.5),
            marker=dict(symbol="arrow", angleref="previous", size=[0, 12, 0] * (len(sx) // 3), color=SERIES[5]),
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(x=dx, y=dy, mode="lines", showlegend=False, line=dict(color=SERIES[5], width=1.5, dash="dot"))
    )
    labels = [f"x{subscript(t)}" if t < MAX_MARKED else "" for t in range(len(run.x))]
    fig.add_trace(
        go.Scatter(
            x=run.x,
            y=run.f,
            mode="markers+text",
            name="xₜ",
            text=labels,
            textposition="top left",
            textfont=dict(size=15),
            marker=dict(color=SERIES[1], size=11, line=dict(width=1, color="white")),
            customdata=np.c_[np.arange(len(run.x)), run.df],
            hovertemplate="t=%{customdata[0]}<br>x=%{x:.6g}<br>f(x)=%{y:.6g}<br>f′(x)=%{customdata[1]:.6g}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="x", range=[x[0], x[-1]])
    fig.update_yaxes(title_text="f(x)")
    return layout(fig, 440).update_layout(legend=TOP_LEGEND)


def subscript(t: int) -> str:
    """t in subscript digits, as in x₁₂."""
    return str(t).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def regimes_figure(runs: dict[str, tuple[float, Descent1D]]) -> go.Figure:
    """x_t against t for one learning rate per regime. The view holds the calm runs and the divergent run's first
    steps; a divergent run is drawn until it leaves the view."""
    fig = go.Figure()
    shown = [r.x for name, (_, r) in runs.items() if name != "divergent"]
    shown += [r.x[:4] for name, (_, r) in runs.items() if name == "divergent"]
    lo, hi = float(min(x.min() for x in shown)), float(max(x.max() for x in shown))
    pad = 0.1 * (hi - lo or 1.0)
    for name, (alpha, run) in runs.items():
        outside = np.flatnonzero((run.x < lo - pad) | (run.x > hi + pad))
        x = run.x[: outside[0] + 1] if len(outside) else run.x
        fig.add_trace(
            go.Scatter(
                x=np.arange(len(x)),
                y=x,
                mode="lines+markers",
                name=f"{name} (α = {fmt(alpha)})",
                line=dict(color=REGIME_COLORS[name], width=3, dash="dot" if name == "divergent" else "solid"),
                marker=dict(size=6),
                hovertemplate=f"{name}<br>t=%{{x}}<br>xₜ=%{{y:.6g}}<extra></extra>",
            )
        )
    fig.update_xaxes(title_text="step t")
    fig.update_yaxes(title_text="xₜ", range=[lo - pad, hi + pad])
    return layout(fig, 340).update_layout(legend=TOP_LEGEND)


def _thin(a: np.ndarray, n: int = 1500) -> np.ndarray:
    """At most n rows of a path, always keeping the first and the last."""
    if len(a) <= n:
        return a
    return a[np.unique(np.linspace(0, len(a) - 1, n).astype(int))]


def landscape_figure(
    u: np.ndarray,
    v: np.ndarray,
    Z: np.ndarray,
    paths: dict[str, tuple[np.ndarray, np.ndarray]],
    surface: bool = False,
    height: int = 520,
) -> go.Figure:
    """Contour (or 3-D surface) of J over (theta0, theta1) with each path (thetas (k, 2), J (k,)) on top.

    Colours follow log(1 + J - min J): the same level sets as J, drawn closer together near the minimum."""
    shade = np.log1p(Z - np.nanmin(Z))
    fig = go.Figure()
    if surface:
        fig.add_trace(
            go.Surface(
                x=u,
                y=v,
                z=Z,
                surfacecolor=shade,
                colorscale=LANDSCAPE_SCALE,
                showscale=False,
                opacity=0.95,
                hovertemplate="θ₀=%{x:.3f}<br>θ₁=%{y:.3f}<br>J=%{z:.5g}<extra></extra>",
            )
        )
    else:
        fig.add_trace(
            go.Contour(
                x=u,
                y=v,
                z=shade,
                customdata=Z,
                colorscale=LANDSCAPE_SCALE,
                ncontours=22,
                showscale=False,
                opacity=0.75,
                line=dict(width=0.5, color="rgba(80,80,80,0.35)"),
                hovertemplate="θ₀=%{x:.3f}<br>θ₁=%{y:.3f}<br>J=%{customdata:.5g}<extra></extra>",
            )
        )
    for k, (name, (theta, cost)) in reversed(list(enumerate(paths.items()))):  # the first path is drawn on top
        keep = _thin(np.arange(len(theta)))
        th = theta[keep]
        color, dash = PATHS[k % len(PATHS)]
        size = 8 if len(th) <= 60 else 3  # a short run shows each of its steps as a dot
        line = dict(color=color, width=3, dash=dash)
        common = dict(mode="lines+markers", name=name, line=line, marker=dict(size=size), legendrank=k)
        if surface:
            fig.add_trace(go.Scatter3d(x=th[:, 0], y=th[:, 1], z=cost[keep], **common, hoverinfo="name"))
        else:
            fig.add_trace(go.Scatter(x=th[:, 0], y=th[:, 1], **common, hoverinfo="name"))
    start = next(iter(paths.values()))[0][:1] if paths else None
    if start is not None and len(start) and not surface:
        fig.add_trace(
            go.Scatter(
                x=start[:, 0],
                y=start[:, 1],
                mode="markers",
                name="start",
                marker=dict(color="black", symbol="x", size=12, line=dict(width=2, color="white")),
                hoverinfo="name",
            )
        )
    if not surface:
        gu, gv = np.meshgrid(np.linspace(u[0], u[-1], CLICK_GRID), np.linspace(v[0], v[-1], CLICK_GRID))
        fig.add_trace(
            go.Scatter(
                x=gu.ravel(),
                y=gv.ravel(),
                mode="markers",
                marker=dict(size=12, opacity=0),
                showlegend=False,
                hoverinfo="none",
                name="click",
            )
        )
    if surface:
        fig.update_layout(
            scene=dict(xaxis_title="θ₀", yaxis_title="θ₁", zaxis_title="J", aspectmode="manual",
                       aspectratio=dict(x=1, y=1, z=0.6), camera=dict(eye=dict(x=1.5, y=-1.5, z=1.0))),
        )  # fmt: skip
    else:
        fig.update_xaxes(title_text="θ₀", range=[u[0], u[-1]], constrain="domain")
        fig.update_yaxes(title_text="θ₁", range=[v[0], v[-1]])
    return layout(fig, height).update_layout(legend=TOP_LEGEND, modebar=dict(orientation="v"))


def cost_figure(curves: dict[str, np.ndarray], x_title: str = "iteration", per: dict[str, int] | None = None):
    """J against iteration (or against epoch, given each run's updates per epoch); log scale when J stays positive."""
    fig = go.Figure()
    for k, (name, J) in enumerate(curves.items()):
        idx = _thin(np.arange(len(J)))
        color, dash = PATHS[k % len(PATHS)]
        fig.add_trace(
            go.Scatter(
                x=idx / (per[name] if per else 1),
                y=J[idx],
                mode="lines",
                name=name,
                line=dict(color=color, width=2.5, dash=dash),
            )
        )
    positive = all(len(J) and np.nanmin(J) > 0 for J in curves.values())
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text="cost J", **(dict(type="log", dtick=1) if positive else {}))
    return layout(fig, 400).update_layout(legend=TOP_LEGEND)
