"""Capacity on a 1-D task: noisy samples of sin(pi x), polynomials of any degree, and many one-hidden-layer tanh
networks trained side by side in one batched computation (a capacity sweep that costs about one model)."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import torch

N_VAL = 200  # validation points: enough that the validation error is a steady estimate
MAX_POINTS = 200  # cap on the training set
MAX_EPOCHS = 20_000
MAX_UNITS = 200_000  # cap on the hidden units of all models of one batch together (memory and time)
STREAM = 6  # this page's own stream of the seed (its place in the course), apart from other pages' draws
GRID = np.linspace(-1.0, 1.0, 201)  # where fitted curves are drawn
BETAS, EPS = (0.9, 0.999), 1e-8  # torch.optim.Adam's defaults


def truth(x: np.ndarray) -> np.ndarray:
    """The function behind the data: one period of a sine on [-1, 1]."""
    return np.sin(np.pi * x)


@dataclass(frozen=True)
class Sample:
    x: np.ndarray  # (N,) training inputs in [-1, 1]
    y: np.ndarray  # (N,) truth(x) + noise
    x_val: np.ndarray  # (N_VAL,) fresh points from the same source
    y_val: np.ndarray  # (N_VAL,)
    noise: float


def make_sample(n: int, noise: float, seed: int, n_val: int = N_VAL) -> Sample:
    """n training points, one per equal slice of [-1, 1] (no big gaps), n_val uniform ones; y = sin(pi x) + noise."""
    if not 2 <= n <= MAX_POINTS or not 0.0 <= noise <= 2.0:
        raise ValueError(f"n must be 2..{MAX_POINTS} and noise between 0 and 2")
    rng = np.random.default_rng((seed, STREAM))
    x, x_val = -1 + (np.arange(n) + rng.uniform(size=n)) * 2 / n, rng.uniform(-1, 1, n_val)
    y, y_val = truth(x) + noise * rng.normal(size=n), truth(x_val) + noise * rng.normal(size=n_val)
    return Sample(x, y, x_val, y_val, float(noise))


def mse(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((np.asarray(pred) - y) ** 2))


def poly_fit(s: Sample, degree: int) -> np.polynomial.Legendre:
    """Least-squares polynomial (Legendre basis: well conditioned); past degree n - 1, lstsq's smallest exact fit."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.RankWarning)  # expected once degree + 1 > n
        return np.polynomial.Legendre.fit(s.x, s.y, degree, domain=[-1, 1], window=[-1, 1])


def poly_sweep(s: Sample, degrees: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation MSE of the least-squares polynomial of every degree."""
    fits = [poly_fit(s, d) for d in degrees]
    return np.array([mse(p(s.x), s.y) for p in fits]), np.array([mse(p(s.x_val), s.y_val) for p in fits])


@dataclass(frozen=True)
class Spec:
    width: int  # hidden tanh units
    seed: int  # initial weights, exactly as core.network.MLP draws them for this seed
    lr: float = 0.01  # Adam's step size


def init_weights(width: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Glorot-normal W1 (1, H) and W2 (H, 1) in float64, drawn in core.network.MLP's order; biases start at 0."""
    gen = torch.Generator().manual_seed(seed)
    std = math.sqrt(2.0 / (1 + width))
    W1 = torch.randn(1, width, generator=gen, dtype=torch.float64) * std
    W2 = torch.randn(width, 1, generator=gen, dtype=torch.float64) * std
    return W1[0], W2[:, 0]


@dataclass
class Batch:
    """Losses of every model at the checkpoint epochs, and their fitted curves on GRID."""

    specs: list[Spec]
    checkpoints: list[int]  # epochs at which the rows below were taken
    train: np.ndarray  # (C, M) training MSE
    val: np.ndarray  # (C, M) validation MSE
    curves: np.ndarray | None  # (C, M, len(GRID)) predictions, when asked for


def train_batch(
    s: Sample,
    specs: list[Spec],
    epochs: int,
    checkpoints: list[int],
    keep_curves: bool = True,
    dtype=torch.float32,
    device="cpu",
) -> Batch:
    """Full-batch Adam on the MSE of M one-hidden-layer nets y = w2 . tanh(w1 x + b1) + b2, all at once.

    The hidden units of all models sit side by side in one layer of U = sum(H_m) units; each model's output sums
    only its own units (a sparse (M, U) matrix of output weights). A model's loss depends only on its own weights,
    so the gradients below, and Adam, which works weight by weight, train each model exactly as if it were alone.
    (Exactly, but not to the last bit: after a thousand or so epochs Adam amplifies rounding differences, so any
    two implementations, or float32 and float64, reach slightly different networks.)
    """
    units = sum(sp.width for sp in specs)
    if not 1 <= epochs <= MAX_EPOCHS or units > MAX_UNITS or any(sp.width < 1 for sp in specs):
        raise ValueError(f"epochs must be 1..{MAX_EPOCHS} and all models together at most {MAX_UNITS} units")
    M = len(specs)
    w1, w2 = zip(*(init_weights(sp.width, sp.seed) for sp in specs), strict=True)
    owner = torch.repeat_interleave(torch.arange(M), torch.tensor([sp.width for sp in specs])).to(device)  # (U,)
    P = torch.stack([torch.cat(w1), torch.zeros(units, dtype=torch.float64), torch.cat(w2)]).to(device, dtype)
    b2 = torch.zeros(M, dtype=dtype, device=device)  # P is (3, U): rows w1, b1, w2 of every unit
    lr = torch.tensor([sp.lr for sp in specs], dtype=dtype, device=device)  # (M,)
    lr_units = lr[owner]  # (U,) every unit steps with its model's learning rate
    one = torch.ones((), dtype=dtype, device=device)
    as_t = lambda a: torch.as_tensor(a, dtype=dtype, device=device)  # noqa: E731
    x, y, x_val, y_val, grid = as_t(s.x), as_t(s.y), as_t(s.x_val), as_t(s.y_val), as_t(GRID)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch calls sparse CSR tensors "beta"
        crow = torch.cat([torch.zeros(1, dtype=torch.int64), torch.cumsum(torch.bincount(owner, minlength=M), 0)])
        W2 = torch.sparse_csr_tensor(crow.to(device), torch.arange(units, device=device), P[2], (M, units))
    if W2.values().data_ptr() != P[2].data_ptr():
        raise RuntimeError("the sparse output matrix must share its values with w2, which Adam updates in place")

    def forward(xs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        two_z = torch.addmm(P[1, :, None], P[0, :, None], xs[None, :], beta=2, alpha=2)  # (U, N) 2 (w1 x + b1)
        a = torch.sigmoid(two_z).mul_(2).sub_(1)  # tanh(z) = 2 sigma(2z) - 1, several times faster on a CPU
        return a, (W2 @ a).add_(b2[:, None])  # (U, N), (M, N): row m of W2 holds model m's w2, zeros elsewhere

    moments = [(torch.zeros_like(p), torch.zeros_like(p)) for p in (P, b2)]
    marks, train, val, curves = set(checkpoints), [], [], []
    for epoch in range(1, epochs + 1):
        a, out = forward(x)
        dout = (out - y).mul_(2.0 / len(x))  # (M, N) dL/dy-hat of each model's mean squared error
        da = dout.index_select(0, owner)  # (U, N) each unit sees its own model's error
        dw2 = (da * a).sum(dim=1)
        dz = da.mul_(P[2, :, None]).mul_(torch.addcmul(one, a, a, value=-1))  # through w2, then tanh' = 1 - a^2
        grad_P = torch.stack([torch.mv(dz, x), dz.sum(dim=1), dw2])  # (3, U) dL/dw1, dL/db1, dL/dw2
        adam_step(P, grad_P, *moments[0], lr_units[None, :], epoch)
        adam_step(b2, dout.sum(dim=1), *moments[1], lr, epoch)
        if epoch in marks:
            train.append(((forward(x)[1] - y) ** 2).mean(dim=1).cpu().numpy())
            val.append(((forward(x_val)[1] - y_val) ** 2).mean(dim=1).cpu().numpy())
            if keep_curves:
                curves.append(forward(grid)[1].cpu().numpy())
    done = sorted(c for c in set(checkpoints) if 1 <= c <= epochs)
    return Batch(specs, done, np.array(train), np.array(val), np.array(curves) if keep_curves else None)


def adam_step(p, g, m, v, lr: torch.Tensor, t: int) -> None:
    """One Adam update written as torch.optim.Adam computes it, but with a learning rate per element."""
    beta1, beta2 = BETAS
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    denom = (v.sqrt() / math.sqrt(1 - beta2**t)).add_(EPS)
    p.addcdiv_(lr * m, denom, value=-1 / (1 - beta1**t))


def u_shape(widths, val: np.ndarray) -> tuple[int, int | None, float]:
    """The width of least error, the peak after it (None below +5 %), and how far below that peak the widest ends."""
    i = int(np.argmin(val))
    if i == len(val) - 1:
        return widths[i], None, 0.0
    j = i + 1 + int(np.argmax(val[i + 1 :]))
    if val[j] <= 1.05 * val[i]:
        return widths[i], None, 0.0
    return widths[i], widths[j], float((val[j] - val[-1]) / val[j])
