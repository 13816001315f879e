"""Figures for the backpropagation page: the computational graph at any step, and gradients along a deep chain."""

# ruff: noqa: E741  (l is the lecture's layer index, as in z^(l))

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core import backprop as bp
from core.charts.style import SERIES, layout

GRAD = "#D55E00"  # gradients: vermillion, readable on light and dark backgrounds
NOW = "#56B4E9"  # the node and edges of the current step: sky blue, so orange gradients stay readable on it
EDGE = "rgba(140, 140, 140, 0.55)"
KNOWN_FILL, KNOWN_TEXT = "#D6E6F4", "#1B1F24"  # a computed node: pale blue with dark text in both themes
UNKNOWN_FILL = "rgba(140, 140, 140, 0.12)"
SPAN, STEP_X, UNIT_Y = 2.6, 1.0, 1.5  # weight edges are long (room for labels); z -> a edges are short


def positions(net: bp.Net) -> dict[str, tuple[float, float]]:
    """Where each node sits: inputs on the left, a z and an a column per later layer, the loss J on the right."""
    pos, x = {}, 0.0
    for l in range(1, net.L + 1):
        n = net.sizes[l]
        ys = [((n - 1) / 2 - j) * UNIT_Y for j in range(n)]
        if l > 1:
            x += SPAN
            pos |= {f"z{l}_{j + 1}": (x, y) for j, y in enumerate(ys)}
            x += STEP_X
        pos |= {f"a{l}_{j + 1}": (x, y) for j, y in enumerate(ys)}
    pos["J"] = (x + 1.5, 0.0)
    return pos


def _html(latex: str) -> str:
    """z^{(2)}_1 -> z<sub>1</sub><sup>(2)</sup>, the way plotly writes sub- and superscripts."""
    head, _, rest = latex.partition("^")
    sup, sub = "", ""
    if rest:
        sup = rest[1 : rest.index("}")]
        rest = rest[rest.index("}") + 1 :]
    if "_" in head:
        head, sub = head.split("_")
    elif rest.startswith("_"):
        sub = rest[1:].strip("{}")
    return head.replace(r"\hat y", "ŷ") + (f"<sub>{sub}</sub>" if sub else "") + (f"<sup>{sup}</sup>" if sup else "")


def node_label(net: bp.Net, node: str) -> str:
    if node == "J":
        return "J"
    kind, (l, j) = node[0], map(int, node[1:].split("_"))
    return _html(bp.node_latex(net, kind, l, j - 1))


def _value(p: bp.Pass, node: str) -> float:
    if node == "J":
        return p.fwd.J
    kind, (l, j) = node[0], map(int, node[1:].split("_"))
    return float((p.fwd.a if kind == "a" else p.fwd.z)[l][j - 1])


def _grad(p: bp.Pass, node: str) -> float:
    kind, (l, j) = node[0], map(int, node[1:].split("_"))
    return float((p.bwd.dJ_da if kind == "a" else p.bwd.dJ_dz)[l][j - 1])


def _edges(net: bp.Net) -> list[tuple[str, str, str | None]]:
    """(from, to, weight name or None): weight edges a -> z, activation edges z -> a, and y-hat -> J."""
    out = []
    for l in range(2, net.L + 1):
        for j in range(net.sizes[l]):
            out += [(f"a{l - 1}_{k + 1}", f"z{l}_{j + 1}", f"w{l - 1}_{j + 1}{k + 1}") for k in range(net.sizes[l - 1])]
            out.append((f"z{l}_{j + 1}", f"a{l}_{j + 1}", None))
    return [*out, (f"a{net.L}_1", "J", None)]


def _lit(net: bp.Net, step: bp.Step) -> set[tuple[str, str]]:
    """The edges the current step works along."""
    lit = {(a, b) for a, b, w in _edges(net) if w in step.edges}
    if step.phase == "forward" and step.node[0] == "a":
        lit.add(("z" + step.node[1:], step.node))
    if step.phase == "backward" and step.node[0] == "z" and not step.edges:
        lit.add((step.node, "a" + step.node[1:]))
    if step.node == "J" or (step.phase == "backward" and step.node == f"a{net.L}_1"):
        lit.add((f"a{net.L}_1", "J"))
    return lit


def graph_figure(p: bp.Pass, k: int) -> go.Figure:
    """The network as a computational graph after step k: values above the nodes, gradients below, in colour."""
    net, step = p.net, p.steps[k]
    known, pos, lit = bp.revealed(p.steps, k), positions(p.net), _lit(p.net, step)
    fig = go.Figure()
    for highlighted in (False, True):
        xs, ys = [], []
        for a, b, _ in _edges(net):
            if ((a, b) in lit) == highlighted:
                xs += [pos[a][0], pos[b][0], None]
                ys += [pos[a][1], pos[b][1], None]
        line = dict(color=NOW if highlighted else EDGE, width=5 if highlighted else 2)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=line, hoverinfo="skip", showlegend=False))
    spots, hovers, notes = [], [], []
    for a, b, w in _edges(net):
        if w is None:
            continue
        la = int(a[1:].split("_")[0])
        x, y = _label_spot(pos[a], pos[b], int(a.split("_")[1]) - 1, net.sizes[la])
        spots.append((x, y))
        hovers.append(_edge_text(p, w, known, digits=True))
        # Nine crossing edges between two layers of three leave no room for labels: show those on hover only,
        # except the few the current step works on.
        if net.sizes[la] * net.sizes[la + 1] <= 6 or ((a, b) in lit and len(step.edges) <= 3):
            notes.append(
                dict(
                    x=x,
                    y=y,
                    text=_edge_text(p, w, known),
                    showarrow=False,
                    font=dict(size=12, shadow="auto"),
                    bgcolor="rgba(128, 128, 128, 0.12)",
                    borderpad=2,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[x for x, _ in spots],
            y=[y for _, y in spots],
            mode="markers",
            marker=dict(size=14, opacity=0),
            hovertext=hovers,
            hoverinfo="text",
            showlegend=False,
        )
    )
    nodes = list(pos)
    xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
    now = [n == step.node or (step.phase == "input" and n.startswith("a1_")) for n in nodes]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            marker=dict(
                size=[56 if c else 48 for c in now],
                opacity=1,
                color=[KNOWN_FILL if f"v:{n}" in known else UNKNOWN_FILL for n in nodes],
                line=dict(color=[NOW if c else "#8C8C8C" for c in now], width=[5 if c else 1.5 for c in now]),
            ),
            text=[f"<b>{node_label(net, n)}</b>" for n in nodes],
            textfont=dict(size=15, color=[KNOWN_TEXT if f"v:{n}" in known else "#8C8C8C" for n in nodes]),
            hovertext=[_hover(p, n, known) for n in nodes],
            hoverinfo="text",
            showlegend=False,
        )
    )
    above = [_above(p, n, known) for n in nodes]
    below = [f"<b>{bp.val(_grad(p, n))}</b>" if f"g:{n}" in known else "" for n in nodes]
    for text, dy, where, font in ((above, 0.42, "top center", {}), (below, -0.42, "bottom center", {"color": GRAD})):
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=[y + dy for y in ys],
                mode="text",
                text=text,
                textposition=where,
                textfont=dict(size=13, **font),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    top = max(ys)
    heads = [(pos["a1_1"][0], "input x"), (pos["J"][0], "loss")]
    for l in range(2, net.L + 1):
        heads.append((pos[f"a{l}_1"][0] - STEP_X / 2, "output" if l == net.L else f"hidden layer {l - 1}"))
    for x, name in heads:
        notes.append(dict(x=x, y=top + 1.3, text=f"<i>{name}</i>", showarrow=False, font=dict(size=13)))
    fig.update_layout(annotations=notes)
    fig.update_xaxes(visible=False, range=[min(xs) - 0.7, max(xs) + 0.9], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-top - 1.0, top + 1.5], fixedrange=True)
    layout(fig, 200 + 115 * max(net.sizes.values()), hovermode="closest")
    return fig.update_layout(margin=dict(l=0, r=0, t=10, b=0))


def _label_spot(a: tuple, b: tuple, k: int, n_from: int) -> tuple[float, float]:
    """Where an edge's label sits: edges from different sources are labelled at different distances along them."""
    t = 0.3 + 0.4 * k / (n_from - 1) if n_from > 1 else 0.5
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


def _above(p: bp.Pass, node: str, known: set[str]) -> str:
    """The forward value over a node; over a z also its bias, and the new loss over J after the update."""
    if f"v:{node}" not in known:
        return ""
    if node == "J":
        return f"{bp.val(p.fwd.J)} → <b>{bp.val(p.new_J)}</b>" if "new" in known else bp.val(p.fwd.J)
    text = bp.val(_value(p, node))
    if node[0] == "z":
        l, j = map(int, node[1:].split("_"))
        b = f"b{l - 1}_{j}"
        bias = f"b {bp.val(bp.get_param(p.net, b))}"
        if "new" in known:
            bias = f"new b {bp.val(bp.get_param(p.new, b))}"
        text = f"<span style='font-size:11px'>{bias}</span><br>{text}"
    return text


def _edge_text(p: bp.Pass, w: str, known: set[str], digits: bool = False) -> str:
    """The weight, its new value after the update, and its gradient once the backward pass has reached it."""
    show = (lambda v: repr(float(v))) if digits else bp.val  # noqa: E731  (hover shows every digit)
    if "new" in known:  # after the update only the new weight fits on the edge; the step lists old and new
        text = f"{bp.param_label(w)} = {show(bp.get_param(p.net, w))} → " if digits else "new "
        text += f"<b>{show(bp.get_param(p.new, w))}</b>"
    else:
        text = (f"{bp.param_label(w)} = " if digits else "") + show(bp.get_param(p.net, w))
    if f"g:{w}" in known:
        text += f"<br><span style='color:{GRAD}'><b>{'∂J/∂w = ' if digits else ''}{show(p.hand[w])}</b></span>"
    return text


def _hover(p: bp.Pass, node: str, known: set[str]) -> str:
    """Every digit, for anyone who wants to check the rounding."""
    lines = [node_label(p.net, node)]
    if f"v:{node}" in known:
        lines.append(f"value {_value(p, node)!r}")
    if f"g:{node}" in known:
        lines.append(f"∂J/∂(this) {_grad(p, node)!r}")
    return "<br>".join(lines)


def chain_figure(depth: int, w: float, curves: dict[str, np.ndarray]) -> go.Figure:
    """|da^(D)/dz^(l)| against the layer l for each activation, on a log scale: vanishing falls, exploding climbs."""
    fig = go.Figure()
    layers = np.arange(1, depth + 1)
    for i, (name, values) in enumerate(curves.items()):
        shown = np.where(values > 0, values, np.nan)  # log axes cannot show an exact 0 (a dead ReLU)
        fig.add_trace(
            go.Scatter(
                x=layers,
                y=shown,
                mode="lines+markers",
                name=name,
                line=dict(color=SERIES[i], width=3, dash=("solid", "dash", "dot", "dashdot")[i % 4]),
                marker=dict(size=6),
                hovertemplate=f"{name}<br>layer %{{x}}<br>|∂a⁽ᴰ⁾/∂z⁽ˡ⁾| = %{{y:.3g}}<extra></extra>",
            )
        )
    fig.update_yaxes(type="log", title_text="gradient size |∂a⁽ᴰ⁾ / ∂z⁽ˡ⁾| (log scale)", exponentformat="power")
    fig.update_xaxes(title_text="layer l  (1 = next to the input, D = the output)", dtick=max(1, depth // 10))
    layout(fig, 380, title=dict(text=f"A chain of {depth} units, every weight w = {w:g}", x=0.01))
    return fig.update_layout(legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"))
