"""Why a non-linearity: stacked linear layers are one linear layer, W_L ... W_1 x; with g between them the net bends."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.activations import ACTIVATIONS
from core.device import pick_device

WIDTH = 4  # hidden units per layer: small enough to print every weight
MAX_LAYERS = 4
STEPS = 300  # full-batch Adam steps: the identity net lands within 1e-6 of scikit-learn, ReLU nets fit the circle
LR = 0.05


@dataclass(frozen=True)
class Net:
    activation: str
    Ws: list[np.ndarray]  # W_l with shape (units out, units in), l = 1 .. L + 1 (the last one is the output layer)
    bs: list[np.ndarray]  # b_l with shape (units out,)
    losses: np.ndarray  # (STEPS,) cross-entropy before each step
    accuracy: float


def init(layers: int, width: int, seed: int) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Glorot-normal weights and zero biases for 2 -> width (x layers) -> 1, from the seed alone."""
    gen = torch.Generator().manual_seed(seed)
    sizes = [2] + [width] * layers + [1]
    Ws = [
        torch.randn(o, i, generator=gen, dtype=torch.float64) * np.sqrt(2 / (i + o))
        for i, o in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return Ws, [torch.zeros(o, dtype=torch.float64) for o in sizes[1:]]


def forward(X: torch.Tensor, Ws, bs, activation: str) -> torch.Tensor:
    """z of the output unit: a_l = g(W_l a_(l-1) + b_l) through the hidden layers, no g on the output."""
    g = ACTIVATIONS[activation].g
    a = X  # (N, 2)
    for W, b in zip(Ws[:-1], bs[:-1], strict=True):
        a = g(a @ W.T + b)  # (N, width)
    return (a @ Ws[-1].T + bs[-1])[:, 0]  # (N,)


def train(
    X: np.ndarray, y: np.ndarray, activation: str, layers: int, seed: int = 0, width: int = WIDTH, device=None
) -> Net:
    """Full-batch Adam on the binary cross-entropy of sigma(z) for a fixed number of steps."""
    if not 1 <= layers <= MAX_LAYERS:
        raise ValueError(f"layers must be between 1 and {MAX_LAYERS}")
    Ws, bs = init(layers, width, seed)
    device = device or pick_device(tiny=True).device
    params = [p.to(device).requires_grad_() for p in Ws + bs]
    Ws, bs = params[: layers + 1], params[layers + 1 :]
    Xt = torch.as_tensor(X, dtype=torch.float64, device=device)  # (N, 2)
    yt = torch.as_tensor(y, dtype=torch.float64, device=device)  # (N,)
    opt = torch.optim.Adam(params, lr=LR)
    losses = np.empty(STEPS)
    for step in range(STEPS):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(Xt, Ws, bs, activation), yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses[step] = float(loss.detach())
    with torch.no_grad():
        acc = float(((forward(Xt, Ws, bs, activation) >= 0).double() == yt).double().mean())
    to_np = lambda ts: [t.detach().cpu().numpy().copy() for t in ts]
    return Net(activation, to_np(Ws), to_np(bs), losses, acc)


def logits(net: Net, G: np.ndarray) -> np.ndarray:
    """z of the trained net at each point of G (M, 2) -> (M,)."""
    with torch.no_grad():
        return forward(
            torch.as_tensor(G),
            [torch.as_tensor(W) for W in net.Ws],
            [torch.as_tensor(b) for b in net.bs],
            net.activation,
        ).numpy()


def output_map(net: Net, G: np.ndarray) -> np.ndarray:
    """p = sigma(z) of the trained net at each grid point (M, 2) -> (M,)."""
    return 1 / (1 + np.exp(-np.clip(logits(net, G), -700, 700)))


def collapse(Ws: list[np.ndarray], bs: list[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Multiply a purely linear stack out: M_1 = W_1, M_l = W_l M_(l-1); c_1 = b_1, c_l = W_l c_(l-1) + b_l.

    Returns the running products M_1 .. M_(L+1) and the final (W, b) with z = W x + b exactly.
    """
    M, c, products = Ws[0], bs[0], [Ws[0]]
    for W, b in zip(Ws[1:], bs[1:], strict=True):
        M, c = W @ M, W @ c + b
        products.append(M)
    return products, M, c


def collapse_gap(net: Net, G: np.ndarray) -> float:
    """Largest |z_net(x) - (W x + b)| over the points G (M, 2): zero up to rounding for an identity net."""
    _, W, b = collapse(net.Ws, net.bs)
    return float(np.abs(logits(net, G) - (G @ W.T + b)[:, 0]).max())


def latex_matrix(A: np.ndarray, digits: int = 2) -> str:
    """A matrix (or a vector, as a column) as a LaTeX bmatrix with fixed decimals."""
    A = np.atleast_2d(A.T).T if A.ndim == 1 else A
    rows = [" & ".join(f"{v:.{digits}f}".replace("-0.00", "0.00") for v in row) for row in A]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def collapse_latex(net: Net, digits: int = 2) -> list[str]:
    """One LaTeX line per layer folded in: W_(k+1) M_k = M_(k+1), the last product being W, with the net's numbers."""
    products, _, _ = collapse(net.Ws, net.bs)
    lines = []
    for k in range(1, len(net.Ws)):
        left, result = ("W_1" if k == 1 else f"M_{k}"), ("W" if k == len(net.Ws) - 1 else f"M_{k + 1}")
        lines.append(
            rf"\underbrace{{{latex_matrix(net.Ws[k], digits)}}}_{{W_{k + 1}}}\,"
            rf"\underbrace{{{latex_matrix(products[k - 1], digits)}}}_{{{left}}} = "
            rf"\underbrace{{{latex_matrix(products[k], digits)}}}_{{{result}}}"
        )
    return lines
