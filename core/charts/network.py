"""The playground's views: the network as a graph of small heatmaps, and the confusion matrix."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from core.charts.style import CLASS_COLORS, figure

_NEG, _MID, _POS = (np.array(c, float) for c in ((230, 159, 0), (242, 242, 242), (0, 114, 178)))  # orange/grey/blue


def ramp_rgb(t: np.ndarray) -> np.ndarray:
    """Colours for t in [-1, 1] on a (rows, cols) grid of the plane: orange at -1, light grey at 0, blue at +1.

    The rows are flipped, because an image's rows run top-down and the plane's y runs bottom-up. The same ramp as
    the colour scale [[0, orange], [0.5, grey], [1, blue]] plotly uses for a heatmap from -1 to 1.
    """
    t = np.clip(t, -1.0, 1.0)[::-1, :, None]
    return np.where(t < 0, _MID + (-t) * (_NEG - _MID), _MID + t * (_POS - _MID)).round().astype(np.uint8)


def heat_rgb(values: np.ndarray) -> np.ndarray:
    """A (n, n) map as (n, n, 3) colours, scaled by its largest |value|."""
    return ramp_rgb(values / (np.abs(values).max() + 1e-12))


def png_uri(pixels: np.ndarray) -> str:
    """An RGB or RGBA uint8 array as a PNG data URI (fast compression: it is redrawn many times a second)."""
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


FRAME = (136, 136, 136, 255)
UNIT = 0.46  # side of a unit's square, in the graph's coordinates (layers are 1 apart)


def units_png(pos: list[list[tuple[float, float]]], maps: list[np.ndarray], grid_n: int) -> tuple[str, dict]:
    """Every unit's map pasted into one transparent picture at its place: one image to encode, send and draw.

    Returns the data URI and the image's placement (x, y of its top-left corner and its size) in graph coordinates.
    """
    px = grid_n / UNIT  # pixels per graph unit, so each map keeps its grid_n x grid_n pixels
    pad = 1 / px  # room for a one-pixel frame around the outermost squares
    x_lo = min(x for layer in pos for x, _ in layer) - UNIT / 2 - pad
    y_hi = max(y for layer in pos for _, y in layer) + UNIT / 2 + pad
    width = round((max(x for layer in pos for x, _ in layer) + UNIT / 2 + pad - x_lo) * px)
    height = round((y_hi - min(y for layer in pos for _, y in layer) + UNIT / 2 + pad) * px)
    canvas = np.zeros((height, width, 4), np.uint8)  # fully transparent between the units
    for layer, units in enumerate(pos):
        for i, (x, y) in enumerate(units):
            r, c = round((y_hi - y - UNIT / 2) * px), round((x - UNIT / 2 - x_lo) * px)
            canvas[r - 1 : r + grid_n + 1, c - 1 : c + grid_n + 1] = FRAME  # a grey frame reads in both themes
            canvas[r : r + grid_n, c : c + grid_n, :3] = heat_rgb(maps[layer][:, i].reshape(grid_n, grid_n))
    return png_uri(canvas), dict(x=x_lo, y=y_hi, sizex=width / px, sizey=height / px)


def node_positions(sizes: tuple[int, ...]) -> list[list[tuple[float, float]]]:
    """Centre of every unit: layer l at x = l, its units spread evenly around y = 0 (top to bottom)."""
    return [[(float(layer), (n - 1) / 2 - i) for i in range(n)] for layer, n in enumerate(sizes)]


def edge_traces(pos: list[list[tuple[float, float]]], W: list[np.ndarray], wmax: float, px: float) -> list[go.Scatter]:
    """Every edge as a thin filled band coloured by the sign of its weight, 0.5 + 5|w|/max|w| pixels wide.

    All bands of one colour are one trace (polygons split by NaN): plotly validates every layout shape on its own,
    so a 6x8 net's graph took 94 ms of server CPU per live refresh as ~350 line shapes and 37 ms like this.
    `px` is pixels per graph unit.
    """
    bands: dict[bool, list[np.ndarray]] = {False: [], True: []}
    gap = np.full((1, 2), np.nan)
    for layer, w in enumerate(W):
        for i, (x0, y0) in enumerate(pos[layer]):
            for j, (x1, y1) in enumerate(pos[layer + 1]):
                a, b = np.array([x0 + 0.24, y0]), np.array([x1 - 0.24, y1])
                normal = np.array([a[1] - b[1], b[0] - a[0]]) / np.linalg.norm(b - a)
                half = (0.5 + 5 * abs(float(w[i, j])) / wmax) / px / 2 * normal
                bands[float(w[i, j]) > 0].append(np.array([a + half, b + half, b - half, a - half, a + half]))
                bands[float(w[i, j]) > 0].append(gap)
    traces = []
    for positive, polys in bands.items():
        if polys:
            xy = np.concatenate(polys)
            traces.append(
                go.Scatter(
                    x=xy[:, 0],
                    y=xy[:, 1],
                    mode="lines",
                    fill="toself",
                    fillcolor=CLASS_COLORS[positive],
                    line=dict(width=0, color=CLASS_COLORS[positive]),
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    return traces


def network_figure(
    sizes: tuple[int, ...], W: list[np.ndarray], maps: list[np.ndarray], labels: list[list[str]], grid_n: int
) -> go.Figure:
    """Units as heatmaps of what they respond to over the input plane; edges coloured by sign, width by |w|."""
    pos = node_positions(sizes)
    wmax = max((float(np.abs(w).max()) for w in W), default=1.0) or 1.0
    hx, hy, htext, nx, ny, ntext = [], [], [], [], [], []
    for layer, w in enumerate(W):
        for i, (x0, y0) in enumerate(pos[layer]):
            for j, (x1, y1) in enumerate(pos[layer + 1]):
                hx.append((x0 + x1) / 2)
                hy.append((y0 + y1) / 2)
                htext.append(f"{labels[layer][i]} → {labels[layer + 1][j]}<br>w = {float(w[i, j]):+.3f}")
    for layer, units in enumerate(pos):
        for i, (x, y) in enumerate(units):
            unit_map = maps[layer][:, i]
            nx.append(x)
            ny.append(y)
            ntext.append(f"{labels[layer][i]}<br>range {unit_map.min():+.2f} … {unit_map.max():+.2f}")
    source, place = units_png(pos, maps, grid_n)
    picture = dict(source=source, xref="x", yref="y", sizing="stretch", layer="above", **place)
    edges = go.Scatter(
        x=np.array(hx),
        y=np.array(hy),
        mode="markers",
        marker=dict(size=10, opacity=0),
        hovertext=np.array(htext),
        hoverinfo="text",
        showlegend=False,
    )
    units = go.Scatter(
        x=np.array(nx),
        y=np.array(ny),
        mode="markers",
        hovertext=np.array(ntext),
        hoverinfo="text",
        showlegend=False,
        marker=dict(size=30, symbol="square", opacity=0),  # the squares are in the picture; these catch hover
    )
    top = max(sizes) / 2
    # Pixels per unit if the graph fills a ~450 px column (at most 95): sets the height and the edges' widths.
    per_unit = min(95.0, 450 / (len(sizes) - 0.3))
    names = ["inputs"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
    notes = [
        dict(x=layer, y=top, text=name, showarrow=False, yanchor="bottom", font=dict(size=13))
        for layer, name in enumerate(names)
    ]
    return figure(
        [*edge_traces(pos, W, wmax, px=per_unit), edges, units],
        max(300, round(per_unit * max(sizes)) + 60),
        margin=dict(l=5, r=5, t=30, b=5),
        images=[picture],
        annotations=notes,
        hovermode="closest",
        xaxis=dict(visible=False, range=[-0.35, len(sizes) - 0.65]),
        yaxis=dict(visible=False, range=[-top, top], scaleanchor="x", scaleratio=1),
    )


def confusion_figure(matrix: np.ndarray, names: list[str]) -> go.Figure:
    """Rows: true class; columns: predicted class; counts in the cells."""
    cells = go.Heatmap(
        z=matrix,
        x=names,
        y=names,
        colorscale="Blues",
        showscale=False,
        text=matrix,
        texttemplate="%{text}",
        hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>",
    )
    return figure(
        [cells],
        90 + 45 * len(names),
        margin=dict(l=10, r=10, t=50, b=10),
        xaxis=dict(title=dict(text="predicted"), side="top"),
        yaxis=dict(title=dict(text="true"), autorange="reversed"),
    )


CLASS_SCALE = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00")  # Okabe-Ito, one per class
SYMBOLS = ("circle", "x", "diamond", "triangle-up", "square")
RAMP = [[0, CLASS_SCALE[0]], [0.5, "#F2F2F2"], [1, CLASS_SCALE[1]]]


def output_figure(
    task: str,
    u: np.ndarray,
    v: np.ndarray,
    out: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    Xt: np.ndarray | None = None,
    yt: np.ndarray | None = None,
    discretize: bool = False,
) -> go.Figure:
    """The output over the plane (probability, winning class or value) with train points and, if given, test points."""
    n = len(u)
    du, dv = (u[-1] - u[0]) / (n - 1), (v[-1] - v[0]) / (n - 1)
    lim = 1.0 if task != "regression" else max(float(np.abs(out[:, 0]).max()), float(np.abs(y).max()), 1e-9)
    if task == "multiclass":
        k = out.shape[1]
        steps = [[c / k, CLASS_SCALE[c]] for c in range(k)] + [[(c + 1) / k, CLASS_SCALE[c]] for c in range(k)]
        heat = go.Heatmap(
            x=u,
            y=v,
            z=out.argmax(axis=1).reshape(n, n) + 0.5,  # the winning class, centred in its colour band
            zmin=0,
            zmax=k,
            showscale=False,
            opacity=0.65,
            colorscale=sorted(steps, key=lambda s: s[0]),
            hoverinfo="skip",
        )
    else:
        z = out[:, 0].reshape(n, n)
        if discretize:
            z = (z >= 0.5).astype(float) if task == "binary" else np.sign(z)
        heat = go.Heatmap(
            x=u,
            y=v,
            z=z,
            zmin=0 if task == "binary" else -lim,
            zmax=lim,
            colorscale=RAMP,
            opacity=0.75,
            colorbar=dict(title="p" if task == "binary" else "ŷ", thickness=12, len=0.8),
            hovertemplate="x1 = %{x:.2f}, x2 = %{y:.2f}<br>" + ("p" if task == "binary" else "ŷ") + " = %{z:.3f}"
            + "<extra></extra>",
        )  # fmt: skip
    traces = [heat]
    for pts, lab, test in ((X, y, False), (Xt, yt, True)):
        if pts is None:
            continue
        if task == "regression":
            traces.append(
                go.Scatter(
                    x=pts[:, 0],
                    y=pts[:, 1],
                    mode="markers",
                    name="test" if test else "train",
                    hovertemplate="x1 = %{x:.2f}, x2 = %{y:.2f}, y = %{marker.color:.2f}",
                    marker=dict(
                        color=lab,
                        colorscale=RAMP,
                        cmin=-lim,
                        cmax=lim,
                        size=7,
                        symbol="diamond" if test else "circle",
                        line=dict(width=1.5 if test else 0.8, color="#222222"),
                    ),
                )
            )
            continue
        for c in np.unique(lab):
            m = lab == c
            traces.append(
                go.Scatter(
                    x=pts[m, 0],
                    y=pts[m, 1],
                    mode="markers",
                    name=f"{'test' if test else 'train'} class {c}",
                    hovertemplate="x1 = %{x:.2f}, x2 = %{y:.2f}",
                    marker=dict(  # an open symbol is drawn in marker.color: the test points are hollow
                        color=CLASS_SCALE[c],
                        size=8 if test else 7,
                        symbol=SYMBOLS[c] + ("-open" if test else ""),
                        line=dict(width=2 if test else 0.8, color=CLASS_SCALE[c] if test else "white"),
                    ),
                )
            )
    return figure(
        traces,
        440,
        legend=dict(orientation="h", y=-0.18, x=0),
        # The picture fills the axes exactly; grid and zero lines would be drawn over it.
        xaxis=dict(
            range=[u[0] - du / 2, u[-1] + du / 2],
            title=dict(text="x1"),
            constrain="domain",
            showgrid=False,
            zeroline=False,
        ),
        yaxis=dict(
            range=[v[0] - dv / 2, v[-1] + dv / 2],
            title=dict(text="x2"),
            scaleanchor="x",
            scaleratio=1,
            constrain="domain",
            showgrid=False,
            zeroline=False,
        ),
    )
