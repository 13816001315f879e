"""Training curves: cost against step, cheap to redraw while a run is live."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.style import SERIES, figure

START = dict(
    text="Press ▶ Play or +1 step to start",
    showarrow=False,
    xref="paper",
    yref="paper",
    x=0.5,
    y=0.8,
    font=dict(size=15),
)


def loss_figure(
    losses: list[float], title: str = "cost J", reference: float | None = None, max_points: int = 2000
) -> go.Figure:
    """The training curve (thinned to max_points so long runs stay cheap to draw), log-scaled x."""
    steps = np.arange(1, len(losses) + 1)
    if len(losses) > max_points:
        keep = np.unique(np.geomspace(1, len(losses), max_points).astype(int)) - 1
        steps, losses = steps[keep], np.asarray(losses)[keep]
    traces = [go.Scatter(x=steps, y=losses, mode="lines", name="gradient descent", line=dict(color=SERIES[0], width=3))]
    shapes, notes = [], [] if len(losses) else [START]
    if reference is not None:
        shapes.append(
            dict(
                type="line",
                xref="x domain",
                x0=0,
                x1=1,
                y0=reference,
                y1=reference,
                line=dict(dash="dash", color=SERIES[2]),
            )
        )
        notes.append(
            dict(
                text="scikit-learn's minimum",
                xref="x domain",
                x=1,
                y=reference,
                xanchor="right",
                yanchor="top",
                showarrow=False,
                font=dict(color=SERIES[2]),
            )
        )
    return figure(
        traces,
        300,
        showlegend=False,
        shapes=shapes,
        annotations=notes,
        yaxis=dict(title=dict(text=title)),
        xaxis=dict(title=dict(text="step"), type="log" if len(steps) > 1 else "linear"),
    )


def train_test_figure(history: list[dict], key: str = "loss", title: str = "loss", max_points: int = 1500) -> go.Figure:
    """Train and test curves of one metric per epoch (thinned evenly so long runs stay cheap to draw)."""
    n = len(history)
    keep = np.unique(np.linspace(0, n - 1, min(n, max_points)).astype(int)) if n else np.array([], int)
    traces = [
        go.Scatter(
            x=keep + 1,
            y=[history[i][f"{part}_{key}"] for i in keep],
            mode="lines",
            name=part,
            line=dict(color=color, width=3, dash=dash),
        )
        for part, color, dash in (("train", SERIES[0], "solid"), ("test", SERIES[1], "dash"))
    ]
    return figure(
        traces,
        260,
        legend=dict(orientation="h", y=1.12, x=0),
        annotations=[] if n else [START],
        xaxis=dict(title=dict(text="epoch")),
        yaxis=dict(title=dict(text=title)),
    )
