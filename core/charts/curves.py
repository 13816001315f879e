"""Training curves: cost against step, cheap to redraw while a run is live."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.charts.style import SERIES, layout


def loss_figure(
    losses: list[float], title: str = "cost J", reference: float | None = None, max_points: int = 2000
) -> go.Figure:
    """The training curve (thinned to max_points so long runs stay cheap to draw), log-scaled x."""
    steps = np.arange(1, len(losses) + 1)
    if len(losses) > max_points:
        keep = np.unique(np.geomspace(1, len(losses), max_points).astype(int)) - 1
        steps, losses = steps[keep], np.asarray(losses)[keep]
    fig = go.Figure(
        go.Scatter(x=steps, y=losses, mode="lines", name="gradient descent", line=dict(color=SERIES[0], width=3))
    )
    if reference is not None:
        fig.add_hline(
            y=reference,
            line_dash="dash",
            line_color=SERIES[2],
            annotation_text="scikit-learn's minimum",
            annotation_position="bottom right",
        )
    if not len(losses):
        fig.add_annotation(
            text="Press ▶ Play or +1 step to start",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font=dict(size=16),
        )
    fig.update_xaxes(title_text="step", type="log" if len(steps) > 1 else "linear")
    fig.update_yaxes(title_text=title)
    return layout(fig, 300, showlegend=False)
