"""Figures for the autoencoder page: the latent scatter, the latent map, training curves and 8x8 digit images."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.charts.style import SERIES

SIDE = 8
# Okabe-Ito's seven colours, grey, and two of Paul Tol's: with a distinct marker shape each and the digit written
# at its cluster's centre, no digit depends on colour alone.
DIGIT_COLORS = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#882255",
    "#44AA99",
)
# plotly's circle, square, diamond, triangle up, triangle down, cross, x, star, pentagon, hexagram
DIGIT_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "triangle-down",
    "cross",
    "x",
    "star",
    "pentagon",
    "hexagram",
)
GAP = 220  # light grey between tiles


def ink(X: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] (ink = 1) to 8-bit grey, dark ink on white paper: (N, 64) -> (N, 8, 8) uint8."""
    return np.round(255 * (1 - np.clip(X, 0, 1))).astype(np.uint8).reshape(-1, SIDE, SIDE)


def tile(X: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """Images (N, 64) in rows of `cols`, framed and separated by `gap` grey pixels (white paper needs an edge)."""
    rows = -(-len(X) // cols)
    step = SIDE + gap
    out = np.full((rows * step + gap, cols * step + gap), GAP, np.uint8)
    for i, img in enumerate(ink(X)):
        r, c = gap + (i // cols) * step, gap + (i % cols) * step
        out[r : r + SIDE, c : c + SIDE] = img
    return out


def png(picture: np.ndarray, scale: int = 12) -> bytes:
    """A grey picture blown up `scale` times with hard pixel edges, as PNG bytes."""
    h, w = picture.shape
    img = Image.fromarray(picture, mode="L").resize((w * scale, h * scale), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def data_uri(picture: np.ndarray, scale: int = 4) -> str:
    return "data:image/png;base64," + base64.b64encode(png(picture, scale)).decode()


def digit_traces(P: np.ndarray, y: np.ndarray, size: int, opacity: float, legend: bool = True) -> list[go.Scatter]:
    """One trace per digit (colour and shape fixed per trace: per-point shapes cost plotly ~50x more to check)."""
    traces = []
    for d in range(10):
        idx = np.flatnonzero(y == d)
        traces.append(
            go.Scatter(
                x=P[idx, 0],
                y=P[idx, 1],
                mode="markers",
                name=str(d),
                showlegend=legend,
                customdata=idx.tolist(),
                hovertemplate=f"<b>digit {d}</b> · image #%{{customdata}}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>",
                marker=dict(
                    color=DIGIT_COLORS[d],
                    symbol=DIGIT_SYMBOLS[d],
                    size=size,
                    opacity=opacity,
                    line=dict(width=0.5, color="rgba(60,60,60,0.6)"),
                ),
                unselected=dict(marker=dict(opacity=opacity)),
            )
        )
    return traces


def _centre_labels(P: np.ndarray, y: np.ndarray) -> list[dict]:
    """The digit written at the median position of its points."""
    return [
        dict(
            x=float(np.median(P[y == d, 0])),
            y=float(np.median(P[y == d, 1])),
            text=f"<b>{d}</b>",
            showarrow=False,
            font=dict(size=18, color="#1B1F24"),
            bgcolor="rgba(255,255,255,0.75)",
            bordercolor=DIGIT_COLORS[d],
            borderwidth=2,
            borderpad=2,
        )
        for d in range(10)
        if (y == d).any()
    ]


def ring(x: float, y: float, name: str) -> list[go.Scatter]:
    """A black ring inside a white one: visible on any point colour, in either theme."""
    return [
        go.Scatter(
            x=[x],
            y=[y],
            mode="markers",
            name=name,
            showlegend=False,
            hoverinfo="skip",
            marker=dict(size=size, symbol="circle-open", color=color, line=dict(width=width)),
        )
        for size, color, width in ((24, "white", 5), (24, "black", 2.5))
    ]


def latent_figure(
    P: np.ndarray,
    y: np.ndarray,
    axis: str = "z",
    title: str = "",
    chosen: int | None = None,
    height: int = 520,
    legend: bool = True,
) -> go.Figure:
    """Every image as a point at its code, coloured and shaped by its digit; the chosen image ringed."""
    traces = digit_traces(P, y, 7, 0.8, legend)
    if chosen is not None:
        traces += ring(P[chosen, 0], P[chosen, 1], f"image #{chosen}")
    return go.Figure(
        data=traces,
        layout=dict(
            height=height,
            title=dict(text=title),
            margin=dict(l=10, r=10, t=40, b=10),
            legend=dict(title=dict(text="digit"), itemsizing="constant"),
            annotations=_centre_labels(P, y),
            xaxis=dict(title=dict(text=f"{axis}₁"), zeroline=False),
            yaxis=dict(title=dict(text=f"{axis}₂"), zeroline=False, scaleanchor="x"),  # distances read true
        ),
    )


def latent_map_figure(
    u: np.ndarray, v: np.ndarray, decoded: np.ndarray, Z: np.ndarray, y: np.ndarray, point: tuple[float, float]
) -> go.Figure:
    """Decoded images tiled over the latent plane (tile centres u x v), the codes faintly on top, and the point."""
    n = len(u)
    du, dv = (u[-1] - u[0]) / max(n - 1, 1), (v[-1] - v[0]) / max(n - 1, 1)
    rows = decoded.reshape(n, n, -1)[::-1].reshape(n * n, -1)  # picture rows run top-down, z2 runs bottom-up
    cells = np.pad(ink(rows), ((0, 0), (1, 1), (1, 1)), constant_values=GAP)  # a thin frame keeps tiles apart
    picture = cells.reshape(n, n, SIDE + 2, SIDE + 2).transpose(0, 2, 1, 3).reshape(n * (SIDE + 2), -1)
    uu, vv = np.meshgrid(u, v)
    pick = go.Scatter(  # a nearly invisible point per tile, so a click anywhere on the map picks a place
        x=uu.ravel(),
        y=vv.ravel(),
        mode="markers",
        name="pick",
        marker=dict(size=max(8, 400 // n), symbol="square", opacity=0.01, color="#888888"),
        hovertemplate="decode z = (%{x:.2f}, %{y:.2f})<extra></extra>",
    )
    x0, x1, y0, y1 = u[0] - du / 2, u[-1] + du / 2, v[0] - dv / 2, v[-1] + dv / 2
    box = dict(source=data_uri(picture), xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0)
    return go.Figure(
        data=[pick, *digit_traces(Z, y, 4, 0.3, legend=False), *ring(point[0], point[1], "your z")],
        layout=dict(
            height=560,
            margin=dict(l=10, r=10, t=40, b=10),
            title=dict(text="The latent map: g(z) decoded on a grid"),
            images=[box | dict(sizing="stretch", layer="below")],
            xaxis=dict(title=dict(text="z₁"), range=[min(x0, point[0]), max(x1, point[0])], showgrid=False),
            yaxis=dict(
                title=dict(text="z₂"), range=[min(y0, point[1]), max(y1, point[1])], showgrid=False, scaleanchor="x"
            ),
            showlegend=False,
        ),
    )


def training_figure(train: list[float], held_out: list[float], pca_train: float, k: int) -> go.Figure:
    """J per epoch on the training and the held-out images, with PCA's training error at the same k."""
    epochs = np.arange(1, len(train) + 1)
    traces = [
        go.Scatter(x=epochs, y=train, mode="lines", name="training images", line=dict(color=SERIES[0], width=3)),
        go.Scatter(
            x=epochs, y=held_out, mode="lines", name="held-out images", line=dict(color=SERIES[1], width=3, dash="dot")
        ),
    ]
    top = max([pca_train, *train[:1], *held_out[:1]]) * 1.05
    notes = [
        dict(
            text=f"PCA, k = {k}",
            xref="x domain",
            x=1,
            y=pca_train,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font=dict(color=SERIES[2]),
        )
    ]
    if not len(train):
        notes.append(dict(text="Press ▶ Play to train", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5))
    return go.Figure(
        data=traces,
        layout=dict(
            height=300,
            margin=dict(l=10, r=10, t=30, b=10),
            legend=dict(orientation="h", y=1.12, x=0),
            shapes=[
                dict(
                    type="line",
                    xref="x domain",
                    x0=0,
                    x1=1,
                    y0=pca_train,
                    y1=pca_train,
                    line=dict(dash="dash", color=SERIES[2]),
                )
            ],
            annotations=notes,
            xaxis=dict(title=dict(text="epoch"), rangemode="tozero"),
            yaxis=dict(title=dict(text="J = mean ‖x − x̂‖²"), range=[0, top]),
        ),
    )


def few_labels_figure(ms: tuple[int, ...], acc: dict[str, np.ndarray], chosen: int) -> go.Figure:
    """Held-out accuracy against the number of labelled images, one line per kind of feature."""
    styles = (("solid", "circle"), ("dash", "square"), ("dot", "diamond"))
    traces = [
        go.Scatter(
            x=list(ms),
            y=a,
            mode="lines+markers",
            name=name,
            line=dict(color=SERIES[i], width=3, dash=styles[i][0]),
            marker=dict(symbol=styles[i][1], size=9),
            hovertemplate=f"{name}<br>m = %{{x}} labels: %{{y:.1%}}<extra></extra>",
        )
        for i, (name, a) in enumerate(acc.items())
    ]
    return go.Figure(
        data=traces,
        layout=dict(
            height=360,
            margin=dict(l=10, r=10, t=30, b=10),
            legend=dict(orientation="h", y=1.12, x=0),
            shapes=[
                dict(
                    type="line",
                    x0=chosen,
                    x1=chosen,
                    yref="y domain",
                    y0=0,
                    y1=1,
                    line=dict(dash="dot", color="#888888"),
                )
            ],
            xaxis=dict(title=dict(text="labelled images m"), type="log", tickvals=list(ms)),
            yaxis=dict(title=dict(text="accuracy on held-out images"), tickformat=".0%", range=[0, 1]),
        ),
    )
