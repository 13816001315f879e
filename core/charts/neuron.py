"""Figures for the neuron page: the log-odds derivation (the decision plane is in plane.py)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.style import SERIES, figure

TITLES = ("log-odds  b + w x", "odds  p / (1 − p)", "probability  p = σ(b + w x)")
MIDDLES = (0.0, 1.0, 0.5)  # where each curve crosses p = 0.5


def log_odds_figure(
    x: np.ndarray, log_odds: np.ndarray, odds: np.ndarray, p: np.ndarray, x_mid: float | None = None
) -> go.Figure:
    """Three panels left to right: log-odds (a line), odds (an exponential), probability (the sigmoid).

    x_mid, where p = 0.5, is marked on all three so the shared crossing point is visible.
    """
    # Panels laid out by hand: make_subplots costs ~20 ms per call, too much for a slider drag.
    axes, traces, shapes, notes = {}, [], [], []
    y_ranges = (None, [0, min(float(np.nanmax(odds)), 50) * 1.05 + 1e-9], [-0.05, 1.05])
    for k, (yv, title, mid, yr) in enumerate(zip((log_odds, odds, p), TITLES, MIDDLES, y_ranges, strict=True)):
        xa, ya = ("x", "y") if k == 0 else (f"x{k + 1}", f"y{k + 1}")
        lo = k * 0.36
        axes[f"xaxis{k + 1 if k else ''}"] = dict(domain=[lo, lo + 0.28], title_text="x", anchor=ya)
        axes[f"yaxis{k + 1 if k else ''}"] = dict(anchor=xa, **({"range": yr} if yr else {}))
        traces.append(
            go.Scatter(
                x=x,
                y=yv,
                xaxis=xa,
                yaxis=ya,
                mode="lines",
                showlegend=False,
                line=dict(color=SERIES[k], width=3),
                hovertemplate="x=%{x:.2f}<br>%{y:.3f}<extra></extra>",
            )
        )
        shapes.append(
            dict(
                type="line",
                xref=f"{xa} domain",
                yref=ya,
                x0=0,
                x1=1,
                y0=mid,
                y1=mid,
                line=dict(dash="dot", width=1, color="#888888"),
            )
        )
        if x_mid is not None and x[0] <= x_mid <= x[-1]:
            shapes.append(
                dict(
                    type="line",
                    xref=xa,
                    yref=f"{ya} domain",
                    x0=x_mid,
                    x1=x_mid,
                    y0=0,
                    y1=1,
                    line=dict(dash="dot", width=1, color=SERIES[3]),
                )
            )
        notes.append(
            dict(
                text=title,
                xref=f"{xa} domain",
                yref="paper",
                x=0.5,
                y=1.0,
                yanchor="bottom",
                showarrow=False,
                font=dict(size=14),
            )
        )
    return figure(traces, 300, shapes=shapes, annotations=notes, **axes)
