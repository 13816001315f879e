"""Figures for the dropout page: thinned networks, the 1/p demo, train vs eval passes, twin nets, MC uncertainty.

Traces are plain dicts and panels are laid out by hand: one validated go.Figure(...) call is several times faster
than make_subplots with add_trace, and the live charts redraw several times a second.
"""

# ruff: noqa: E741  (l is the lecture's layer index)

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from core.charts.style import BOUNDARY, CLASS_COLORS, MARKERS, PROB_SCALE, SERIES, layout

ON, OFF, OFF_NODE = "#009E73", "rgba(140, 140, 140, 0.55)", "#8C8C8C"  # kept unit (bluish green); dropped: grey
POS, NEG = SERIES[0], "#D55E00"  # weight signs: blue positive, vermillion negative
MOVED = "#E69F00"  # an edge whose weight this step changed
PLAIN, DROPOUT = "#D55E00", "#0072B2"
SPREAD_SCALE = "Viridis"


def _arr(a) -> dict:
    """A float array in plotly.js's typed-array form: encoded once here, not on every rerun; NaN breaks a line."""
    a = np.ascontiguousarray(np.asarray(a, dtype=float).astype("<f8"))
    spec = {"dtype": "f8", "bdata": base64.b64encode(a.tobytes()).decode()}
    return spec | ({"shape": ", ".join(map(str, a.shape))} if a.ndim > 1 else {})


def _panels(titles, gap: float = 0.04, **axis) -> dict:
    """Layout entries for len(titles) side-by-side panels x1/y1, x2/y2, ... with their titles above them."""
    n, lay, notes = len(titles), {}, []
    width = (1 - gap * (n - 1)) / n
    for c, title in enumerate(titles):
        lo = c * (width + gap)
        s = str(c + 1) if c else ""
        lay[f"xaxis{s}"] = dict(domain=[lo, min(lo + width, 1.0)], anchor=f"y{s}", **axis)
        lay[f"yaxis{s}"] = dict(anchor=f"x{s}", **axis)
        notes.append(dict(text=title, x=lo + width / 2, y=1.0, xref="paper", yref="paper", xanchor="center",
                          yanchor="bottom", showarrow=False, font=dict(size=14)))  # fmt: skip
    lay["annotations"] = notes
    return lay


def _on(c: int) -> dict:
    return {"xaxis": f"x{c + 1}", "yaxis": f"y{c + 1}"}


def _positions(sizes) -> list[np.ndarray]:
    """(n_l, 2) node coordinates per column: inputs at x = 0, the output at x = L, each column centred on y = 0."""
    return [np.c_[np.full(n, float(l)), (n - 1) / 2 - np.arange(n)] for l, n in enumerate(sizes)]


def _edges(pos, alive, strength, color_of, c: int) -> list[dict]:
    """Edges in a few traces: live ones coloured and bucketed by |strength|, dead ones grey and dotted."""
    top = max(float(np.abs(s).max()) for s in strength) or 1.0
    groups: dict[tuple, tuple[list, list]] = {}
    for l, s in enumerate(strength):
        for i in range(s.shape[0]):
            for j in range(s.shape[1]):
                live = alive[l][i] and alive[l + 1][j] and s[i, j] != 0
                key = (color_of(s[i, j]), 1 + int(np.digitize(abs(s[i, j]) / top, [0.2, 0.5]))) if live else (OFF, 0)
                xs, ys = groups.setdefault(key, ([], []))
                xs += [pos[l][i, 0], pos[l + 1][j, 0], np.nan]
                ys += [pos[l][i, 1], pos[l + 1][j, 1], np.nan]
    return [
        dict(
            type="scatter",
            x=_arr(xs),
            y=_arr(ys),
            mode="lines",
            hoverinfo="skip",
            showlegend=False,
            **_on(c),
            line=dict(color=color, width=1.2 * w**1.4 if w else 1, dash=None if w else "dot"),
        )  # fmt: skip
        for (color, w), (xs, ys) in sorted(groups.items(), key=lambda kv: kv[0][1])
    ]


def _nodes(pos, alive, names, c: int) -> list[dict]:
    xy, a, n = np.vstack(pos), np.concatenate(alive).astype(bool), sum(names, [])
    traces = []
    for on in (True, False):
        if (a == on).any():
            traces.append(
                dict(
                    type="scatter",
                    x=_arr(xy[a == on, 0]),
                    y=_arr(xy[a == on, 1]),
                    mode="markers",
                    marker=dict(  # an open symbol is stroked in marker.color: grey ring with a cross
                        size=17,
                        color=ON if on else OFF_NODE,
                        symbol="circle" if on else "circle-x-open",
                        line=dict(width=2, color=ON if on else OFF_NODE),
                    ),
                    text=[f"{t}: {'kept' if on else 'dropped'}" for t, k in zip(n, a, strict=True) if k == on],
                    hoverinfo="text",
                    showlegend=False,
                    **_on(c),
                )
            )
    return traces


def thinned_figure(sizes, W, alive, dW, titles) -> go.Figure:
    """One panel per example of the minibatch (its thinned network), then the step's update Δw on the whole net.

    alive[e][l] is a bool array over column l (inputs, hidden layers, output): kept by example e's mask?
    """
    pos = _positions(sizes)
    names = [[f"input x{i + 1}" for i in range(sizes[0])]]
    names += [[f"hidden layer {l}, unit {j + 1}" for j in range(n)] for l, n in enumerate(sizes[1:-1], 1)]
    names += [["output ŷ"]]
    sign = lambda w: POS if w >= 0 else NEG  # noqa: E731
    touched = [np.logical_or.reduce([m[l] for m in alive]) for l in range(len(sizes))]
    traces = []
    for c, (live, strength, color_of) in enumerate([*((m, W, sign) for m in alive), (touched, dW, lambda w: MOVED)]):
        traces += _edges(pos, live, strength, color_of, c) + _nodes(pos, live, names, c)
        ends = np.vstack([pos[0], pos[-1]])
        labels = [f"x<sub>{i + 1}</sub>" for i in range(sizes[0])] + ["ŷ"]
        where = ["middle left"] * sizes[0] + ["middle right"]  # beside the node, a fixed number of pixels away
        traces.append(
            dict(
                type="scatter",
                x=_arr(ends[:, 0]),
                y=_arr(ends[:, 1]),
                text=labels,
                mode="markers+text",
                textposition=where,
                marker=dict(size=22, color="rgba(0,0,0,0)"),
                hoverinfo="skip",
                showlegend=False,
                textfont=dict(size=15),
                **_on(c),
            )
        )  # invisible markers push text clear
    span = (max(sizes) - 1) / 2 + 0.6
    axis = dict(visible=False, fixedrange=True)
    lay = _panels(titles, 0.02, **axis)
    for k in lay:
        if k.startswith("xaxis"):
            lay[k]["range"] = [-0.8, len(sizes) - 0.3]  # room for the x and ŷ labels
        elif k.startswith("yaxis"):
            lay[k]["range"] = [-span, span]
    return layout(go.Figure(traces, lay), 330, margin=dict(l=10, r=10, t=50, b=10))


def expectation_figure(units: list[str], a, lecture, pytorch, unscaled, se, keep: float) -> go.Figure:
    """Per unit: eval mode's a, and the mean train-mode output with the 1/p scaling (both conventions) and without."""
    traces = [dict(type="bar", x=units, y=a, name="eval mode: a (no dropout)", marker_color="rgba(140,140,140,0.45)")]
    marks = (
        ("mean of r·a/p (lecture, ± 2 standard errors)", lecture, POS, "diamond-open", 2 * se),
        (f"mean of nn.Dropout(p={1 - keep:g})", pytorch, SERIES[2], "x-thin-open", None),
        ("mean of r·a (no 1/p)", unscaled, NEG, "circle-open", None),
    )
    for name, y, color, symbol, err in marks:
        traces.append(
            dict(
                type="scatter",
                x=units,
                y=y,
                name=name,
                mode="markers",
                marker=dict(color=color, symbol=symbol, size=15, line=dict(width=2.5, color=color)),
                error_y=None if err is None else dict(array=err, color=color, thickness=2, width=8),
                hovertemplate="%{x}: %{y:.4f}<extra>" + name + "</extra>",
            )
        )
    fig = go.Figure(traces, dict(yaxis=dict(title_text="activation", zeroline=True)))
    return layout(fig, 330, legend=dict(orientation="h", y=-0.15, x=0))


def passes_figure(outs: np.ndarray, eval_out: float) -> go.Figure:
    """Train mode: one dot per forward pass (each with fresh masks); eval mode: one line, the same every time."""
    k = np.arange(1, len(outs) + 1)
    ends = [k[0] - 0.5, k[-1] + 0.5]
    traces = [
        dict(type="scatter", x=_arr(k), y=_arr(outs), mode="markers", name="train mode: one pass each",
             marker=dict(color=DROPOUT, size=9), hovertemplate="pass %{x}: ŷ = %{y:.4f}<extra></extra>"),
        dict(type="scatter", x=ends, y=[eval_out] * 2, mode="lines", name="eval mode (every pass)",
             line=dict(color=BOUNDARY, width=3), hoverinfo="name"),
        dict(type="scatter", x=ends, y=[float(outs.mean())] * 2, mode="lines", name="mean of the train passes",
             line=dict(color=SERIES[2], width=2, dash="dash"), hoverinfo="name"),
    ]  # fmt: skip
    lay = dict(xaxis=dict(title_text="forward pass"), yaxis=dict(title_text="ŷ = P(class 1)", range=[-0.03, 1.03]))
    return layout(go.Figure(traces, lay), 300, legend=dict(orientation="h", y=-0.3, x=0))


def curves_figure(history: list[dict], max_epochs: int) -> go.Figure:
    """Train (dashed) and test (solid) loss and error of the plain and the dropout net, epoch by epoch."""
    epochs = np.arange(1, len(history) + 1)
    traces = []
    for net, color in (("plain", PLAIN), ("dropout", DROPOUT)):
        for part, dash in (("train", "dash"), ("test", "solid")):
            name = f"{net} net, {part}"
            loss = [h[f"{net}_{part}_loss"] for h in history]
            err = [1 - h[f"{net}_{part}_acc"] for h in history]
            for c, ys in enumerate((loss, err)):
                traces.append(
                    dict(
                        type="scatter",
                        x=_arr(epochs),
                        y=_arr(ys),
                        mode="lines",
                        name=name,
                        legendgroup=name,
                        showlegend=c == 0,
                        line=dict(color=color, width=2.5, dash=dash),
                        hovertemplate=f"{name}<br>epoch %{{x}}: %{{y:.3f}}<extra></extra>",
                        **_on(c),
                    )  # fmt: skip
                )
    lay = _panels(("cross-entropy loss", "error rate (1 − accuracy)"), 0.08, title_text="epoch", range=[0, max_epochs])
    lay["yaxis"], lay["yaxis2"] = dict(anchor="x", rangemode="tozero"), dict(anchor="x2", rangemode="tozero")
    if not history:
        lay["annotations"].append(dict(text="Press ▶ Play to train both nets", showarrow=False, x=0.5, y=0.5,
                                       xref="paper", yref="paper", font=dict(size=16)))  # fmt: skip
    return layout(go.Figure(traces, lay), 330, legend=dict(orientation="h", y=-0.3, x=0))


def _plane(u, v, P, c: int, colorbar: dict | None = None, scale=PROB_SCALE, zmax=1.0, label="p") -> dict:
    hover = f"x1=%{{x:.2f}}<br>x2=%{{y:.2f}}<br>{label}=%{{z:.3f}}<extra></extra>"
    return dict(type="heatmap", x=_arr(u), y=_arr(v), z=_arr(P), zmin=0, zmax=zmax, colorscale=scale, opacity=0.8,
                showlegend=False, showscale=colorbar is not None, colorbar=colorbar, hovertemplate=hover,
                **_on(c))  # fmt: skip


def _boundary(u, v, P, c: int) -> dict:
    """The line p = 0.5, where the net's predicted class flips."""
    return dict(type="contour", x=_arr(u), y=_arr(v), z=_arr(P), contours=dict(start=0.5, end=0.5, size=1,
                coloring="none"), line=dict(color=BOUNDARY, width=2.5), showscale=False, showlegend=False,
                hoverinfo="skip", **_on(c))  # fmt: skip


def _points(X, y, c: int, legend: bool, test: bool = False) -> list[dict]:
    traces = []
    for k in (0, 1):
        pts = X[y == k]
        traces.append(
            dict(
                type="scatter",
                x=_arr(pts[:, 0]),
                y=_arr(pts[:, 1]),
                mode="markers",
                name=f"{'test' if test else 'training'} point, class {k}",
                legendgroup=f"{test}{k}",
                showlegend=legend,
                opacity=0.4 if test else 1.0,
                marker=dict(
                    color=CLASS_COLORS[k],
                    symbol=MARKERS[k],
                    size=5 if test else 9,
                    line=dict(width=1, color="white" if k == 0 else CLASS_COLORS[k]),
                ),  # fmt: skip
                hoverinfo="skip" if test else "x+y+name",
                **_on(c),
            )
        )
    return traces


def _squares(lay: dict, u, v) -> dict:
    for k in list(lay):
        if k.startswith("xaxis"):
            lay[k] |= dict(range=[u[0], u[-1]], title_text="x1", constrain="domain")
        elif k.startswith("yaxis"):
            lay[k] |= dict(range=[v[0], v[-1]], scaleanchor=lay[k]["anchor"], scaleratio=1, constrain="domain")
    lay["yaxis"]["title_text"] = "x2"
    return lay


def twin_planes(u, v, P_plain, P_drop, split, titles) -> go.Figure:
    """The two nets' outputs over the plane, side by side: training points bold, test points faint."""
    traces = []
    for c, P in enumerate((P_plain, P_drop)):
        bar = dict(title="p", thickness=12, len=0.8) if c else None
        traces += [_plane(u, v, P, c, bar), _boundary(u, v, P, c)]
        traces += _points(split.X_test, split.y_test, c, c == 0, test=True) + _points(
            split.X_train, split.y_train, c, c == 0
        )
    fig = go.Figure(traces, _squares(_panels(titles, 0.06), u, v))
    return layout(fig, 480, legend=dict(orientation="h", y=-0.2, x=0))


def mc_figure(u, v, P_eval, P_mean, S, X, y, k: int) -> go.Figure:
    """Eval mode (weight scaling), the average of k dropout passes, and their spread: where the ensemble disagrees."""
    titles = ("eval mode: the whole network", f"MC dropout: mean of {k} passes", "spread: std of the passes")
    lay = _squares(_panels(titles, 0.08), u, v)
    lay["yaxis2"]["showticklabels"] = lay["yaxis3"]["showticklabels"] = False  # same axes: the bars get the gaps
    bar = dict(len=0.85, thickness=10, y=0.5)
    end = [lay[f"xaxis{s}"]["domain"][1] + 0.005 for s in ("", "2", "3")]  # each bar just right of its panel
    traces = [
        _plane(u, v, P_eval, 0),
        _boundary(u, v, P_eval, 0),
        _plane(u, v, P_mean, 1, bar | dict(title="p", x=end[1])),
        _boundary(u, v, P_mean, 1),
        _plane(u, v, S, 2, bar | dict(title="std", x=end[2]), SPREAD_SCALE, max(float(S.max()), 1e-6), "std"),
    ]
    for c in range(3):
        traces += _points(X, y, c, legend=False)
    return layout(go.Figure(traces, lay), 360, margin=dict(l=10, r=40, t=40, b=10))
