"""Figures of the overfitting page: fits over the data, error against capacity, live loss curves with the best epoch,
coefficient paths, weight histograms, augmented planes and a search landscape."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.charts import plane
from core.charts.style import SERIES, layout

TRAIN, VAL, FIT, TRUTH, BEST = SERIES[0], SERIES[5], SERIES[2], "#888888", SERIES[3]
PATHS = (SERIES[1], SERIES[3], SERIES[4], "#9467BD")  # real features: no colour shared with errors or "your λ"
Y_RANGE = [-2.6, 2.6]  # wild fits leave the frame rather than squash the data flat


def framed(fig: go.Figure, height: int, title: str) -> go.Figure:
    """The house layout with the legend under the x-axis title, never on top of it."""
    fig = layout(fig, height, title=title)
    below = 75 / (height - 110)  # clear the tick labels and the axis title, in units of the plot's height
    fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-below, x=0))
    return fig


def line(x, y, name: str, color: str, width: float = 3, dash: str = "solid", **kw) -> go.Scatter:
    return go.Scatter(
        x=x, y=y, mode=kw.pop("mode", "lines"), name=name, line=dict(color=color, width=width, dash=dash), **kw
    )


def fit_figure(s, grid: np.ndarray, curve: np.ndarray, title: str, name: str = "fit", best=None) -> go.Figure:
    """The 1-D task: the true function, training and validation points, and a fitted curve (and the best epoch's)."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=s.x_val,
            y=s.y_val,
            mode="markers",
            name="validation points",
            marker=dict(color=VAL, size=4, opacity=0.4),
            hoverinfo="skip",
        )
    )
    fig.add_trace(line(grid, np.sin(np.pi * grid), "true sin(πx)", TRUTH, width=2, dash="dash", hoverinfo="skip"))
    if best is not None:
        fig.add_trace(line(grid, best, "best epoch", BEST))
    fig.add_trace(line(grid, curve, name, FIT))
    fig.add_trace(
        go.Scatter(
            x=s.x,
            y=s.y,
            mode="markers",
            name="training points",
            marker=dict(color=TRAIN, size=9, line=dict(width=1, color="white")),
        )
    )
    fig.update_xaxes(title_text="x", range=[-1.05, 1.05])
    fig.update_yaxes(title_text="y", range=Y_RANGE)
    return framed(fig, 360, title)


def sweep_figure(widths, train, val, epochs: list[int], current: int | None, floor: float) -> go.Figure:
    """Training and validation MSE against width: mean over seeds (lines), each seed (dots), earlier epochs (dotted),
    and the noise floor sigma^2. train, val: (C, W, S) errors at the checkpoint epochs; the last row is the final one.
    """
    fig = go.Figure()
    for k, e in enumerate(epochs[:-1]):
        fig.add_trace(
            line(widths, val[k].mean(axis=1), "validation, fewer epochs", VAL, width=1.5, dash="dot",
                 legendgroup="early", showlegend=k == 0, opacity=0.3 + 0.5 * k / len(epochs),
                 hovertemplate=f"{e:,} epochs: %{{y:.4f}}")
        )  # fmt: skip
    for what, E, color in (("training", train[-1], TRAIN), ("validation", val[-1], VAL)):
        fig.add_trace(
            go.Scatter(
                x=np.repeat(widths, E.shape[1]),
                y=E.ravel(),
                mode="markers",
                marker=dict(color=color, size=5, opacity=0.35),
                showlegend=False,
                hovertemplate=f"{what}: %{{y:.4f}}<extra>one seed</extra>",
            )
        )
        fig.add_trace(line(widths, E.mean(axis=1), f"{what}, {epochs[-1]:,} epochs", color, mode="lines+markers"))
    fig.add_hline(y=floor, line_dash="dot", line_color=TRUTH, annotation_text="noise floor σ²",
                  annotation_position="bottom left")  # fmt: skip
    if current is not None:  # on a log axis annotations take log10 coordinates, shapes take data values
        side = "right" if current > np.sqrt(widths[0] * widths[-1]) else "left"
        fig.add_vline(x=current, line_dash="dash", line_color=FIT)
        fig.add_annotation(x=np.log10(current), y=1, yref="paper", text="your width", showarrow=False, xanchor=side)
    ticks = [w for w in widths if w in (1, 2, 4, 8, 16, 32, 64, 128, 256)]  # plotly's own log ticks read "100 2"
    fig.update_xaxes(title_text="hidden units (width), log scale", type="log", tickvals=ticks)
    fig.update_yaxes(title_text="mean squared error", rangemode="tozero")
    return framed(fig, 400, "Networks: error against width")


def poly_figure(degrees, train, val, current: int, n: int) -> go.Figure:
    """Training and validation MSE of the least-squares polynomial against its degree (log scale)."""
    fig = go.Figure()
    for what, E, color in (("training", train, TRAIN), ("validation", val, VAL)):
        fig.add_trace(line(degrees, np.maximum(E, 1e-6), what, color, mode="lines+markers"))
    if n - 1 <= degrees[-1]:
        fig.add_vline(x=n - 1, line_dash="dot", line_color=TRUTH, annotation_text="as many coefficients as points")
    fig.add_vline(x=current, line_dash="dash", line_color=FIT, annotation_text="your degree",
                  annotation_position="bottom right")  # fmt: skip
    fig.update_xaxes(title_text="polynomial degree d")
    fig.update_yaxes(title_text="mean squared error (log scale)", type="log", exponentformat="power")
    return framed(fig, 400, "Polynomials: error against degree")


def loss_curves(train, val, best: int, patience: int, at: int | None) -> go.Figure:
    """Live training and validation loss per epoch, the best epoch, the patience window, the epoch being looked at."""
    epochs = np.arange(1, len(train) + 1)
    fig = go.Figure()
    if best:
        fig.add_vrect(x0=best, x1=best + patience, fillcolor=BEST, opacity=0.08, line_width=0,
                      annotation_text="patience", annotation_position="top left")  # fmt: skip
        fig.add_vline(x=best, line_color=BEST, line_width=2, annotation_text=f"best epoch {best}",
                      annotation_position="bottom right")  # fmt: skip
    fig.add_trace(line(epochs, train, "training loss", TRAIN))
    fig.add_trace(line(epochs, val, "validation loss", VAL))
    if at:
        fig.add_vline(x=at, line_color=FIT, line_dash="dash")
    if not len(train):
        fig.add_annotation(text="Press ▶ Play to start", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                           font=dict(size=16))  # fmt: skip
        fig.update_yaxes(range=[-2, 0.5], dtick=1)  # log10 units: 0.01 to 3, where these losses live
    fig.update_xaxes(title_text="epoch", rangemode="tozero")
    fig.update_yaxes(title_text="MSE (log scale)", type="log")
    if len(train):
        fig.update_yaxes(dtick="D2")
    return framed(fig, 360, "Training and validation loss")


def path_figure(log_lams, W, mse_train, mse_val, w_true, current: float) -> go.Figure:
    """Every coefficient against log10 lambda (top) and the training and validation MSE along the path (bottom)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06)
    for k, j in enumerate(np.flatnonzero(w_true)):
        fig.add_trace(line(log_lams, W[:, j], f"w{j + 1} (real)", PATHS[k % 4], hovertemplate="%{y:.4f}"), 1, 1)
    noise = np.flatnonzero(w_true == 0)  # one trace, the paths separated by gaps: cheap to send to the browser
    xs = np.tile(np.r_[log_lams, np.nan], len(noise))
    ys = np.concatenate([np.r_[W[:, j], np.nan] for j in noise])
    fig.add_trace(line(xs, ys, "noise features", TRUTH, width=1, hovertemplate="%{y:.4f}"), 1, 1)
    fig.add_trace(line(log_lams, np.asarray(mse_train), "training MSE", TRAIN), 2, 1)
    fig.add_trace(line(log_lams, np.asarray(mse_val), "validation MSE", VAL), 2, 1)
    fig.add_vline(x=current, line_dash="dash", line_color=FIT)
    fig.update_xaxes(title_text="log₁₀ λ (stronger penalty →)", row=2, col=1)
    fig.update_yaxes(title_text="coefficient w_j", row=1, col=1)
    fig.update_yaxes(title_text="MSE", row=2, col=1)
    return framed(fig, 560, "Coefficient paths")


def coef_figure(w, w_true) -> go.Figure:
    """The fitted coefficients beside the true ones; exact zeros are marked."""
    idx = [f"w{j + 1}" for j in range(len(w))]
    zero = np.flatnonzero(w == 0)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=idx, y=w_true, name="true", marker_color=TRUTH, opacity=0.6))
    fig.add_trace(go.Bar(x=idx, y=w, name="fitted", marker_color=FIT))
    fig.add_trace(
        go.Scatter(
            x=[idx[j] for j in zero],
            y=np.zeros(len(zero)),
            mode="markers",
            name="exactly 0",
            marker=dict(symbol="x-thin", size=10, line=dict(width=2, color=BEST)),
        )
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="coefficient")
    return framed(fig, 300, "Fitted against true coefficients")


def weight_hist(w) -> go.Figure:
    """A histogram of the weights, with the exact zeros as their own bar."""
    fig = go.Figure()
    fig.add_trace(go.Histogram(x=w[w != 0], name="non-zero", marker_color=FIT, xbins=dict(size=0.25)))
    fig.add_trace(go.Bar(x=[0.0], y=[int(np.sum(w == 0))], width=0.12, name="exactly 0", marker_color=BEST))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text="weight value")
    fig.update_yaxes(title_text="how many")
    return framed(fig, 300, "Histogram of the weights")


def augmented_plane(u, v, P, X, y, X_copies, title: str) -> go.Figure:
    """The classifier's plane over the original points, with the jittered copies (if any) as faint dots."""
    fig = plane.decision_figure(u, v, P, X, y, title=title)
    if len(X_copies):
        fig.add_trace(
            go.Scatter(
                x=X_copies[:, 0],
                y=X_copies[:, 1],
                mode="markers",
                name="jittered copies",
                marker=dict(color="#555555", size=3, opacity=0.4),
                hoverinfo="skip",
                showlegend=False,  # named in the title, so both planes keep the same size
            )
        )
    return fig


def landscape_figure(land, grid, rand, best_grid, best_rand) -> go.Figure:
    """The validation error over (width, learning rate) with the cells each search tried and the best of each."""
    z = np.log10(np.where(np.isfinite(land.val), land.val, np.nan))
    xs, ys = [str(w) for w in land.widths], [f"{lr:g}" for lr in land.lrs]
    fig = go.Figure(
        go.Heatmap(
            x=xs,
            y=ys,
            z=z,
            colorscale="Viridis",
            reversescale=True,
            colorbar=dict(title="log₁₀ MSE"),
            hovertemplate="width %{x}, learning rate %{y}: log₁₀ MSE %{z:.2f}<extra></extra>",
        )
    )
    tried = (("grid search", grid, "square", "#FFFFFF"), ("random search", rand, "circle", "#FF4F9A"))
    for name, cells, symbol, color in tried:
        fig.add_trace(
            go.Scatter(
                x=[xs[c] for c in cells[:, 1]],
                y=[ys[r] for r in cells[:, 0]],
                mode="markers",
                name=name,
                marker=dict(symbol=symbol, size=11, color=color, line=dict(width=1.5, color="#000000")),
            )
        )
    for name, (r, c), color in (("best of grid", best_grid, "#FFFFFF"), ("best of random", best_rand, "#FF4F9A")):
        fig.add_trace(
            go.Scatter(
                x=[xs[c]],
                y=[ys[r]],
                mode="markers",
                name=name,
                marker=dict(symbol="star", size=20, color=color, line=dict(width=1.5, color="#000000")),
            )
        )
    fig.update_xaxes(title_text="hidden units (width)", type="category")
    fig.update_yaxes(title_text="learning rate", type="category")
    return framed(fig, 480, f"Validation error after {land.epochs:,} epochs (lower is better)")
