"""Universal approximation: one hidden layer of N units, y-hat(x) = b2 + sum_i w2_i g(w1_i x + b1_i), fitted."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.activations import ACTIVATIONS
from core.device import pick_device

X_LO, X_HI = -3.0, 3.0
N_GRID = 601  # x every 0.01: the net is fitted and judged on the same dense grid, so no gap can hide a spike
GRID = np.linspace(X_LO, X_HI, N_GRID)
MAX_UNITS = 64
LADDER = (1, 2, 4, 8, 16, 32, 64)  # the widths on the error-vs-N chart
MAX_KNOTS, MAX_ABS_KNOT = 15, 5.0
DEFAULT_KNOTS = "0, 1, -0.5, 0.5, 0.5, -1, 0"


@dataclass(frozen=True)
class Target:
    label: str
    latex: str


TARGETS = {
    "sine": Target("Sine wave", r"y = \sin(2x)"),
    "step": Target("Step (a jump)", r"y = \begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}"),
    "abs": Target("Absolute value |x|", r"y = |x|"),
    "bump": Target("Gaussian bump", r"y = e^{-2x^2}"),
    "points": Target("Your points", r"y = \text{straight lines through your points}"),
}


@dataclass(frozen=True)
class Fit:
    activation: str
    w1: np.ndarray  # (N,) input weights
    b1: np.ndarray  # (N,) hidden biases
    w2: np.ndarray  # (N,) output weights
    b2: float  # output bias
    x: np.ndarray  # (M,) evaluation grid
    y: np.ndarray  # (M,) target on the grid
    parts: np.ndarray  # (N, M) each unit's scaled contribution w2_i g(w1_i x + b1_i)
    y_hat: np.ndarray  # (M,) = parts.sum(0) + b2
    rms: float  # root-mean-square error on the grid
    max_err: float

    @property
    def n(self) -> int:
        return len(self.w1)


def parse_knots(text: str) -> tuple[float, ...]:
    """Heights typed as '0, 1, -0.5': 2 to 15 numbers, each within ±5; a ValueError says what is wrong."""
    items = [t for t in text.replace(";", ",").split(",") if t.strip()]
    if not 2 <= len(items) <= MAX_KNOTS:
        raise ValueError(f"type between 2 and {MAX_KNOTS} numbers separated by commas (found {len(items)})")
    out = []
    for t in items:
        try:
            v = float(t)
        except ValueError:
            raise ValueError(f"{t.strip()[:20]!r} is not a number") from None
        if not abs(v) <= MAX_ABS_KNOT:  # also catches nan
            raise ValueError(f"{t.strip()[:20]} is outside ±{MAX_ABS_KNOT:g}")
        out.append(v)
    return tuple(out)


def read_knots(text: str | None) -> tuple[tuple[float, ...], str]:
    """Knots from the text box, or the default knots and the reason the text cannot be used."""
    try:
        return parse_knots(text or ""), ""
    except ValueError as err:
        return parse_knots(DEFAULT_KNOTS), str(err)


def target_curve(key: str, x: np.ndarray, knots: tuple[float, ...] = ()) -> np.ndarray:
    """The function to approximate, evaluated at x; 'points' joins the knots, spread evenly over [X_LO, X_HI]."""
    if key == "sine":
        return np.sin(2 * x)
    if key == "step":
        return (x >= 0).astype(float)
    if key == "abs":
        return np.abs(x)
    if key == "bump":
        return np.exp(-2 * x**2)
    if key == "points":
        return np.interp(x, np.linspace(X_LO, X_HI, len(knots)), knots)
    raise ValueError(f"Unknown target {key!r}; choose one of {', '.join(TARGETS)}.")


def van_der_corput(i: int) -> float:
    """The i-th point of 1/2, 1/4, 3/4, 1/8, ...: the first n are spread evenly over (0, 1) for every n."""
    q, d, k = 0.0, 1.0, i + 1
    while k:
        d /= 2
        q += d * (k & 1)
        k >>= 1
    return q


def new_units(first: int, count: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Hidden weights for units first..first+count-1: each switches at its own spot and faces a random way."""
    gen = torch.Generator().manual_seed(seed)
    sign = torch.where(torch.rand(MAX_UNITS, generator=gen, dtype=torch.float64) < 0.5, -1.0, 1.0)
    idx = range(first, first + count)
    centre = torch.tensor([X_LO + (X_HI - X_LO) * van_der_corput(i) for i in idx], dtype=torch.float64)
    slope = sign[first : first + count] * torch.tensor([1 + i / 4 for i in idx], dtype=torch.float64)
    return slope, -slope * centre  # w1, b1: z = w1 (x - centre)


def fit(
    key: str,
    activation: str,
    n: int,
    seed: int = 0,
    knots: tuple[float, ...] = (),
    start: Fit | None = None,
    iters: int = 100,
    device=None,
) -> Fit:
    """Fit N units: keep `start`'s units (a smaller fit), add new ones, solve the output layer exactly, then train all.

    Growing from a smaller fit means the error can only go down as N grows: the smaller net is one of the
    candidates, least squares finds the best output weights for the larger one, and L-BFGS only takes steps
    that lower the loss.
    """
    if not 1 <= n <= MAX_UNITS:
        raise ValueError(f"n must be between 1 and {MAX_UNITS}")
    g = ACTIVATIONS[activation].g
    device = device or pick_device(tiny=True).device  # a net this small gains nothing from a GPU
    f64 = dict(dtype=torch.float64, device=device)
    x = torch.as_tensor(GRID, **f64)  # (M,)
    y = torch.as_tensor(target_curve(key, GRID, knots), **f64)
    kept = 0 if start is None else min(start.n, n)
    w1n, b1n = new_units(kept, n - kept, seed)
    w1 = torch.as_tensor(np.r_[start.w1[:kept] if kept else [], w1n.numpy()], **f64)  # (N,)
    b1 = torch.as_tensor(np.r_[start.b1[:kept] if kept else [], b1n.numpy()], **f64)  # (N,)
    A = torch.cat([g(x[:, None] * w1 + b1), torch.ones(N_GRID, 1, **f64)], dim=1)  # (M, N + 1)
    # gelsd (SVD-based, copes with nearly equal columns) runs on the CPU only.
    sol = torch.linalg.lstsq(A.cpu(), y.cpu()[:, None], driver="gelsd").solution[:, 0].to(device)  # (N + 1,)
    if kept:
        # gelsd drops tiny singular values; on a badly conditioned A the old fit with silent new units can be better.
        old = torch.as_tensor(np.r_[start.w2[:kept], np.zeros(n - kept), start.b2], **f64)
        if _mse(g, x, y, w1, b1, old[:n], old[n]) < _mse(g, x, y, w1, b1, sol[:n], sol[n]):
            sol = old
    params = [
        w1.requires_grad_(),
        b1.requires_grad_(),
        sol[:n].clone().requires_grad_(),
        sol[n].clone().requires_grad_(),
    ]
    best = [p.detach().clone() for p in params]

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = _mse(g, x, y, *params)
        loss.backward()
        return loss

    opt = torch.optim.LBFGS(
        params, max_iter=iters, history_size=20, line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=0
    )
    opt.step(closure)
    with torch.no_grad():
        if not _mse(g, x, y, *params) <= _mse(g, x, y, *best):  # NaN or worse: keep the starting point
            for p, b in zip(params, best, strict=True):
                p.copy_(b)
    return evaluate(key, activation, *(p.detach().cpu().numpy() for p in params), knots=knots)


def _mse(g, x, y, w1, b1, w2, b2) -> torch.Tensor:
    """Mean squared error of y-hat = b2 + sum_i w2_i g(w1_i x + b1_i) against y."""
    return ((g(x[:, None] * w1 + b1) @ w2 + b2 - y) ** 2).mean()


def evaluate(key: str, activation: str, w1, b1, w2, b2, knots: tuple[float, ...] = ()) -> Fit:
    """Each unit's contribution on the grid, their sum y-hat and the errors against the target."""
    g = ACTIVATIONS[activation].g
    x = GRID
    z = torch.as_tensor(np.outer(w1, x) + np.asarray(b1)[:, None])  # (N, M)
    parts = np.asarray(w2)[:, None] * g(z).numpy()  # (N, M)
    y_hat = parts.sum(axis=0) + float(b2)
    y = target_curve(key, x, knots)
    err = y_hat - y
    return Fit(
        activation,
        np.asarray(w1),
        np.asarray(b1),
        np.asarray(w2),
        float(b2),
        x,
        y,
        parts,
        y_hat,
        float(np.sqrt(np.mean(err**2))),
        float(np.abs(err).max()),
    )


def ladder(key: str, activation: str, seed: int = 0, knots: tuple[float, ...] = (), ns=LADDER) -> list[Fit]:
    """Fits for growing N (each grown from the one before): the data of the error-vs-N chart."""
    fits: list[Fit] = []
    for n in ns:
        fits.append(fit(key, activation, n, seed, knots, start=fits[-1] if fits else None))
    return fits


def parent(n: int, ns=LADDER) -> int | None:
    """The largest ladder width below n: the fit that an N-unit fit grows from."""
    below = [m for m in ns if m < n]
    return below[-1] if below else None
