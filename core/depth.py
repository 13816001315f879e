"""Vanishing gradients and dead units: the chain rule through a deep stack multiplies one g'(z) per layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.activations import ACTIVATIONS
from core.device import pick_device

WIDTH = 16  # units per hidden layer
MAX_DEPTH = 20
INITS = {
    "he": r"\text{He (Kaiming):}\quad w \sim \mathcal{N}\!\left(0,\ \tfrac{2}{n_\text{in}}\right)",
    "xavier": r"\text{Xavier (Glorot):}\quad w \sim \mathcal{N}\!\left(0,\ \tfrac{2}{n_\text{in}+n_\text{out}}\right)",
}
INIT_NAMES = {"he": "He (Kaiming)", "xavier": "Xavier (Glorot)"}


@dataclass(frozen=True)
class Profile:
    activation: str
    grad_norms: np.ndarray  # (L + 1,) Frobenius norm of dL/dW_l for hidden layers 1..L, then the output layer
    dead: np.ndarray  # (L,) share of each hidden layer's units with g'(z) = 0 on every example
    mean_slope: np.ndarray  # (L,) mean |g'(z)| over each hidden layer's units and examples
    loss: float


def init_stack(depth: int, init: str, bias: float, seed: int, width: int = WIDTH):
    """Weights W_l (out, in) drawn from the seed with the chosen scale; every bias set to `bias`."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    if init not in INITS:
        raise ValueError(f"Unknown init {init!r}; choose one of {', '.join(INITS)}.")
    gen = torch.Generator().manual_seed(seed)
    sizes = [2] + [width] * depth + [1]
    Ws, bs = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        std = np.sqrt(2 / n_in) if init == "he" else np.sqrt(2 / (n_in + n_out))
        Ws.append(torch.randn(n_out, n_in, generator=gen, dtype=torch.float64) * std)
        bs.append(torch.full((n_out,), float(bias), dtype=torch.float64))
    return Ws, bs


def forward(X: torch.Tensor, Ws, bs, activation: str) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Pre-activations z_1..z_(L+1) and activations a_0 = X .. a_L (the output unit's z stays linear)."""
    g = ACTIVATIONS[activation].g
    zs, acts = [], [X]
    for layer, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        z = acts[-1] @ W.T + b  # (N, units out)
        zs.append(z)
        if layer < len(Ws) - 1:
            acts.append(g(z))
    return zs, acts


def backward(X: torch.Tensor, y: torch.Tensor, Ws, bs, activation: str):
    """The chain rule by hand: delta_(L+1) = (sigma(z) - y) / n, dL/dW_l = delta_l^T a_(l-1),
    delta_(l-1) = (delta_l W_l) * g'(z_(l-1)). Returns the loss, dL/dW_l, dL/db_l and the forward pass."""
    dg = ACTIVATIONS[activation].dg
    zs, acts = forward(X, Ws, bs, activation)
    z_out = zs[-1][:, 0]  # (N,)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z_out, y)
    delta = ((torch.sigmoid(z_out) - y) / len(y))[:, None]  # (N, 1) dL/dz of the output unit
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer] = delta.T @ acts[layer]  # (out, in)
        dbs[layer] = delta.sum(dim=0)
        if layer:
            delta = (delta @ Ws[layer]) * dg(zs[layer - 1])  # one factor g'(z) per layer: the vanishing product
    return float(loss), dWs, dbs, zs


def profile(
    X: np.ndarray,
    y: np.ndarray,
    activation: str,
    depth: int,
    init: str = "he",
    bias: float = 0.0,
    seed: int = 0,
    device=None,
) -> Profile:
    """Gradient size per layer, dead units and mean slope for one batch through a freshly initialised stack."""
    device = device or pick_device(tiny=True).device
    Ws, bs = ([t.to(device) for t in ts] for ts in init_stack(depth, init, bias, seed))
    Xt, yt = (torch.as_tensor(a, dtype=torch.float64, device=device) for a in (X, y))
    loss, dWs, _, zs = backward(Xt, yt, Ws, bs, activation)
    slopes = [ACTIVATIONS[activation].dg(z) for z in zs[:-1]]  # (N, width) per hidden layer
    return Profile(
        activation,
        np.array([float(torch.linalg.norm(d)) for d in dWs]),
        np.array([float((s == 0).all(dim=0).double().mean()) for s in slopes]),
        np.array([float(s.abs().mean()) for s in slopes]),
        loss,
    )
