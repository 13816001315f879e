"""Draw the course map's thumbnails from core/ code, once: `python -m pages.thumbnails.make` writes the SVG files.

Static SVG files keep the home page's first visit free of torch and plotly; each picture is the page's own idea
computed by the page's own core function, in the Okabe-Ito colours of the charts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits

from core import data, descent, expression
from core.activations import ACTIVATIONS
from core.charts.style import CLASS_COLORS, SERIES

HERE = Path(__file__).resolve().parent
W, H = 240, 135  # 16:9, drawn at card width
GREY = "#8A8A8A"


def svg(body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img">'
        + "".join(body)
        + "</svg>\n"
    )


def scale(v: np.ndarray, lo: float, hi: float, a: float, b: float) -> np.ndarray:
    return a + (v - lo) / (hi - lo) * (b - a)


def path(xs: np.ndarray, ys: np.ndarray, color: str, width: float = 2.5, dash: str = "") -> str:
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}" stroke-linecap="round"{extra}/>'


def points(X: np.ndarray, y: np.ndarray, box: tuple) -> list[str]:
    """Class 0 as orange dots, class 1 as blue crosses, as on the pages."""
    x0, x1, y0, y1 = box
    px, py = scale(X[:, 0], x0, x1, 10, W - 10), scale(X[:, 1], y0, y1, H - 8, 8)
    out = []
    for u, v, c in zip(px, py, y, strict=True):
        if c:
            out.append(
                f'<path d="M{u - 3:.1f},{v - 3:.1f} l6,6 m0,-6 l-6,6" stroke="{CLASS_COLORS[1]}" stroke-width="2"/>'
            )
        else:
            out.append(f'<circle cx="{u:.1f}" cy="{v:.1f}" r="3" fill="{CLASS_COLORS[0]}"/>')
    return out


def net(layers: list[int], dropped: set = frozenset()) -> list[str]:
    """A small fully connected network; dropped units (layer, index) and their edges are grey and faint."""
    xs = np.linspace(30, W - 30, len(layers))
    pos = [
        [(x, y) for y in np.linspace(H / 2 - 22 * (n - 1) / 2, H / 2 + 22 * (n - 1) / 2, n)]
        for x, n in zip(xs, layers, strict=True)
    ]
    out = []
    for li in range(len(layers) - 1):
        for i, (ax, ay) in enumerate(pos[li]):
            for j, (bx, by) in enumerate(pos[li + 1]):
                off = (li, i) in dropped or (li + 1, j) in dropped
                color, op = (GREY, 0.25) if off else (SERIES[0] if (i + j) % 2 else SERIES[5], 0.8)
                out.append(
                    f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{color}" '
                    f'stroke-width="1.6" opacity="{op}"/>'
                )
    for li, col in enumerate(pos):
        for i, (x, y) in enumerate(col):
            fill = "#D0D0D0" if (li, i) in dropped else "#FFFFFF"
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{fill}" stroke="{GREY}" stroke-width="1.6"/>')
    return out


def neuron() -> str:
    d = data.make_toy("gauss", 70, 0.3, 1)
    box = (*np.percentile(d.X[:, 0], [0, 100]), *np.percentile(d.X[:, 1], [0, 100]))
    x = np.linspace(box[0], box[1], 2)
    line = (1 + 3 * x) / 2  # the lecture's neuron: 1 + 3 x1 - 2 x2 = 0
    px, py = scale(x, box[0], box[1], 10, W - 10), scale(line, box[2], box[3], H - 8, 8)
    return svg([*points(d.X, d.y, box), path(px, py, "#CC79A7", 3)])


def activations() -> str:
    z = np.linspace(-4, 4, 81)
    body = [f'<line x1="0" y1="{H * 0.7}" x2="{W}" y2="{H * 0.7}" stroke="{GREY}" stroke-width="1"/>']
    for name, color in zip(("sigmoid", "tanh", "relu"), SERIES, strict=False):
        a = ACTIVATIONS[name].g(torch.as_tensor(z)).numpy()
        body.append(path(scale(z, -4, 4, 8, W - 8), scale(a, -1.2, 3.0, H - 8, 8), color))
    return svg(body)


def network() -> str:
    d = data.make_toy("circle", 90, 0.0, 2)
    box = (-1.05, 1.05, -1.05, 1.05)
    t = np.linspace(0, 2 * np.pi, 60)
    r = np.sqrt(np.median(np.sum(d.X**2, axis=1)))
    ring = path(scale(r * np.cos(t), *box[:2], 10, W - 10), scale(r * np.sin(t), *box[2:], H - 8, 8), "#CC79A7", 3)
    return svg([*points(d.X, d.y, box), ring])


def gradient_descent() -> str:
    f = expression.parse("x^2")
    run = descent.descend_1d(f, 9.0, 0.1, 12)
    x = np.linspace(-10, 10, 81)
    sx = lambda v: scale(np.asarray(v), -10, 10, 10, W - 10)  # noqa: E731
    sy = lambda v: scale(np.asarray(v), 0, 100, H - 8, 8)  # noqa: E731
    body = [path(sx(x), sy(x**2), GREY, 2)]
    body.append(path(sx(run.x), sy(run.f), SERIES[1], 1.5, "3 3"))
    body += [
        f'<circle cx="{u:.1f}" cy="{v:.1f}" r="4" fill="{SERIES[1]}"/>'
        for u, v in zip(sx(run.x), sy(run.f), strict=True)
    ]
    return svg(body)


def backprop() -> str:
    body = net([2, 3, 1])
    body.append(  # the backward pass: an arrow from the output back to the input
        f'<path d="M{W - 40},{H - 12} L40,{H - 12}" stroke="{SERIES[1]}" stroke-width="3" fill="none"/>'
        f'<path d="M40,{H - 12} l9,-6 v12 z" fill="{SERIES[1]}"/>'
    )
    return svg(body)


def overfitting() -> str:
    rng = np.random.default_rng(7)
    x = np.linspace(-0.95, 0.95, 10) + rng.uniform(-0.05, 0.05, 10)
    y = np.sin(np.pi * x) + rng.normal(0, 0.3, x.size)
    coef = np.polynomial.polynomial.polyfit(x, y, 9)  # degree 9 through 10 points: it memorises the noise
    u = np.linspace(x.min(), x.max(), 160)
    sx = lambda v: scale(v, -1.05, 1.05, 8, W - 8)  # noqa: E731
    sy = lambda v: scale(v, -2.2, 2.2, H - 6, 6)  # noqa: E731
    fit = np.polynomial.polynomial.polyval(u, coef)
    body = [path(sx(u), sy(np.sin(np.pi * u)), SERIES[2], 2.5, "5 4"), path(sx(u), sy(fit), SERIES[5], 2.5)]
    body += [
        f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.5" fill="{SERIES[0]}"/>' for a, b in zip(sx(x), sy(y), strict=True)
    ]
    return svg(body)


def dropout() -> str:
    return svg(net([2, 4, 4, 1], dropped={(1, 1), (1, 3), (2, 0)}))


def autoencoder() -> str:
    img = load_digits().images[0] / 16.0  # (8, 8), a zero
    body = []
    for side, x0 in (("in", 8), ("out", W - 8 - 64)):
        for r in range(8):
            for c in range(8):
                g = int(255 * (1 - img[r, c] * (0.85 if side == "out" else 1.0)))
                body.append(f'<rect x="{x0 + 8 * c}" y="{36 + 8 * r}" width="8" height="8" fill="rgb({g},{g},{g})"/>')
    mid = W / 2
    for a, b, color in ((80, mid - 10, SERIES[0]), (W - 80, mid + 10, SERIES[1])):
        body.append(f'<polygon points="{a},24 {b},58 {b},78 {a},112" fill="{color}" opacity="0.55"/>')
    body.append(f'<rect x="{mid - 10}" y="52" width="20" height="32" rx="4" fill="{SERIES[2]}"/>')
    return svg(body)


DRAW = {
    "neuron": neuron,
    "activations": activations,
    "network": network,
    "gradient_descent": gradient_descent,
    "backprop": backprop,
    "overfitting": overfitting,
    "dropout": dropout,
    "autoencoder": autoencoder,
}

if __name__ == "__main__":
    for name, draw in DRAW.items():
        (HERE / f"{name}.svg").write_text(draw())
        print(f"wrote pages/thumbnails/{name}.svg")
