"""Figures for the neuron page: the log-odds derivation (the decision plane is in plane.py)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts.style import SERIES, layout


def log_odds_figure(x: np.ndarray, log_odds: np.ndarray, odds: np.ndarray, p: np.ndarray) -> go.Figure:
    """Three panels left to right: log-odds (a line), odds (an exponential), probability (the sigmoid)."""
    fig = make_subplots(
        rows=1, cols=3, subplot_titles=("log-odds  b + w x", "odds  p / (1 − p)", "probability  p = σ(b + w x)")
    )
    for col, yv in enumerate((log_odds, odds, p), start=1):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=yv,
                mode="lines",
                line=dict(color=SERIES[col - 1], width=3),
                showlegend=False,
                hovertemplate="x=%{x:.2f}<br>%{y:.3f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="x", row=1, col=col)
    fig.update_yaxes(range=[-0.05, 1.05], row=1, col=3)
    fig.update_yaxes(range=[0, min(float(np.nanmax(odds)), 50) * 1.05 + 1e-9], row=1, col=2)
    fig.add_hline(y=0.5, line_dash="dot", row=1, col=3)
    fig.add_hline(y=1.0, line_dash="dot", row=1, col=2)
    fig.add_hline(y=0.0, line_dash="dot", row=1, col=1)
    return layout(fig, 300)
