"""Gradient descent theta <- theta - alpha * grad J(theta): 1-D steps you can count, learning-rate regimes and
schedules, 2-D landscapes walked by torch.optim's optimizers, batch vs mini-batch vs SGD, and stopping criteria."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from core.expression import Expression

X_MAX = 1e6  # an iterate beyond this (or a value beyond F_MAX) counts as divergence: magnitudes stay bounded
F_MAX = 1e12
MAX_STEPS_1D = 100
MAX_ITER = 2_000  # cap on one optimizer run in 2-D
MAX_UPDATES = 10_000  # cap on the updates of one batch / mini-batch / SGD run
ALPHA_GRID = sorted({float(f"{10 ** (i / 24):.2g}") for i in range(-144, 61)})  # 1e-6 .. 300, 24 per decade
Tensor = torch.Tensor


def fmt(v: float) -> str:
    """A number as the page shows it: 10 significant digits, so float noise such as 5.760000000000001 never shows."""
    return "0" if v == 0 else f"{v:.10g}"  # also turns -0.0 into 0


# Learning-rate schedules: name -> (alpha_t as a function of alpha and t, the formula in LaTeX).
SCHEDULES: dict[str, tuple[Callable[[float, int], float], str]] = {
    "constant": (lambda a, t: a, r"\alpha_t = \alpha"),
    "step decay": (lambda a, t: a * 0.5 ** (t // 5), r"\alpha_t = \alpha \cdot 0.5^{\lfloor t/5 \rfloor}"),
    "exponential": (lambda a, t: a * 0.9**t, r"\alpha_t = \alpha \cdot 0.9^{t}"),
    "1/t": (lambda a, t: a / (1 + t / 5), r"\alpha_t = \frac{\alpha}{1 + t/5}"),
}


def derivatives(f: Expression, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f, f' and f'' at the points x, differentiated exactly by autograd through the parsed formula."""
    xt = torch.as_tensor(np.asarray(x, dtype=float), dtype=torch.float64).requires_grad_(True)
    y = f(xt) + 0 * xt  # keeps a constant formula attached to x, so its derivatives are zeros, not an error
    (dy,) = torch.autograd.grad(y.sum(), xt, create_graph=True)
    d2y = torch.autograd.grad(dy.sum(), xt, allow_unused=True)[0] if dy.requires_grad else None
    d2y = torch.zeros_like(xt) if d2y is None else d2y
    return tuple(t.detach().numpy(force=True) for t in (y, dy, d2y))


def _slope(f: Expression, x: Tensor) -> Tensor:
    """f'(x) elementwise, without building a graph for a second derivative."""
    x = x.detach().requires_grad_(True)
    return torch.autograd.grad((f(x) + 0 * x).sum(), x)[0]


def trouble(f: Expression, x: float) -> str | None:
    """Why descent cannot go on from x (it ran away, or f or f' is not finite there), or None."""
    if not abs(x) <= X_MAX:
        return f"x ran beyond ±{X_MAX:g}"
    why = f.undefined_at(x)
    if why:
        return why
    fx, dfx, _ = derivatives(f, np.array([x]))
    if abs(fx[0]) > F_MAX:
        return f"f(x) grew beyond {F_MAX:g}"
    return None if math.isfinite(dfx[0]) else "f' is infinite there (a vertical tangent)"


@dataclass(frozen=True)
class Descent1D:
    x: np.ndarray  # (k,) the accepted iterates x_0 .. x_{k-1}
    f: np.ndarray  # (k,) f(x_t)
    df: np.ndarray  # (k,) f'(x_t)
    alpha: np.ndarray  # (s,) the step size used at step t
    x_next: np.ndarray  # (s,) x_{t+1} = x_t - alpha_t f'(x_t); s = k - 1, or k when the last one failed
    status: str  # done | diverged | undefined
    message: str


def descend_1d(f: Expression, x0: float, alpha: float, steps: int, schedule: str = "constant") -> Descent1D:
    """The lecture's exercise: x_{t+1} = x_t - alpha_t f'(x_t); stops early if an iterate runs away or leaves f."""
    rate, last = SCHEDULES[schedule][0], min(int(steps), MAX_STEPS_1D)
    xs, fs, dfs, alphas, nxt = [], [], [], [], []
    status, message, x = "done", "", float(x0)
    for t in range(last + 1):
        why = trouble(f, x)
        if why:
            status = "diverged" if "beyond" in why else "undefined"
            message = f"Stopped at step {t}: x_{t} = {fmt(x)}, and {why}."
            if status == "diverged":
                message += " The steps grow instead of shrinking: the learning rate is too large for this function."
            break
        fx, dfx, _ = derivatives(f, np.array([x]))
        xs.append(x)
        fs.append(float(fx[0]))
        dfs.append(float(dfx[0]))
        if t == last:
            break
        alphas.append(rate(alpha, t))
        x = x - alphas[-1] * dfs[-1]
        nxt.append(x)
    if status == "done" and len(fs) > 2 and fs[-1] > fs[0]:
        status = "diverged"
        message = (
            f"f went up from {fmt(fs[0])} to {fmt(fs[-1])}: each step overshoots the minimum by more than it gains, "
            "so the iterates move away. The learning rate is too large for this function."
        )
    return Descent1D(*(np.array(a) for a in (xs, fs, dfs, alphas, nxt)), status, message)


def quadratic_curvature(f: Expression) -> float | None:
    """f'' when f is a quadratic (the same non-zero f'' everywhere), else None."""
    _, _, d2 = derivatives(f, np.array([-2.3, -0.4, 0.7, 1.9, 4.1]))
    c = float(d2[0])
    if not np.all(np.isfinite(d2)) or c == 0 or np.abs(d2 - c).max() > 1e-9 * abs(c):
        return None
    return c


def curve(f: Expression, points: np.ndarray, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """f on n points spanning `points` with a margin, for drawing; NaN where f is undefined or beyond F_MAX."""
    lo, hi = float(np.min(points)), float(np.max(points))
    pad = max(0.15 * (hi - lo), 1.0)
    x = np.linspace(lo - pad, hi + pad, n)
    with torch.no_grad():
        fx = f(torch.as_tensor(x)).numpy()
    return x, np.where(np.abs(fx) < F_MAX, fx, np.nan)


def classify(f: Expression, x0: float, alphas: list[float], steps: int = 25) -> list[str]:
    """Run descent with every alpha at once (one tensor entry each) and name what each run does: monotone,
    oscillating (the step flips direction at least every other step), diverging (overshoots ever further, or
    leaves where f is defined) or runaway (slides downhill forever: there is no minimum to find)."""
    a = torch.tensor(alphas, dtype=torch.float64)  # (K,)
    x = torch.full_like(a, float(x0))
    with torch.no_grad():
        f0 = f(x)
    alive, runaway = torch.isfinite(f0), torch.zeros_like(a, dtype=torch.bool)
    flips, last_dx = torch.zeros_like(a), torch.zeros_like(a)
    for _ in range(steps):
        dx = -a * _slope(f, x)
        new = torch.where(torch.isfinite(dx), x + dx, x)
        with torch.no_grad():
            fx, fnew = f(x), f(new)
            ok = torch.isfinite(dx) & (new.abs() <= X_MAX) & (fnew.abs() <= F_MAX)  # NaN fails every test
            runaway |= alive & ~ok & (fnew < fx)
        alive &= ok
        flips += (dx * last_dx < 0).double()
        last_dx = torch.where(alive, dx, last_dx)
        x = torch.where(alive, new, x)
    with torch.no_grad():
        diverging = ~alive | (f(x) > f0)
    return [
        "runaway" if r else "diverging" if d else "oscillating" if n >= steps / 2 else "monotone"
        for r, d, n in zip(runaway.tolist(), diverging.tolist(), flips.tolist(), strict=True)
    ]


def regimes(f: Expression, x0: float, steps: int = 25) -> dict[str, float | None] | None:
    """One learning rate per regime on this function from this start, each checked by running it: too small, good,
    oscillating (None if no rate oscillates without diverging), divergent. None when there is no minimum to find."""
    kinds = dict(zip(ALPHA_GRID, classify(f, x0, ALPHA_GRID, steps), strict=True))
    wild = [a for a, k in kinds.items() if k == "diverging"]
    if not wild or "runaway" in kinds.values():
        return None
    wiggle = [a for a, k in kinds.items() if k == "oscillating" and a < wild[0]]
    edge = wiggle[0] if wiggle else wild[0]
    calm = [a for a, k in kinds.items() if k == "monotone" and a <= edge / 2]
    if not calm:
        return None
    good = calm[-1]
    return {
        "too small": max([a for a in ALPHA_GRID if a <= good / 30] or ALPHA_GRID[:1]),
        "good": good,
        "oscillating": wiggle[(len(wiggle) - 1) // 2] if wiggle else None,
        "divergent": wild[0],
    }


def regime_runs(f: Expression, x0: float, steps: int = 25) -> dict[str, tuple[float, Descent1D]]:
    """Each regime's learning rate and its run of `steps` steps (empty when there are no regimes)."""
    found = regimes(f, x0, steps) or {}
    return {k: (a, descend_1d(f, x0, a, steps)) for k, a in found.items() if a is not None}


@dataclass(frozen=True)
class Landscape:
    key: str
    name: str
    latex: str  # J(theta0, theta1) in the lecture's notation
    J: Callable[[Tensor, Tensor], Tensor]  # elementwise in theta0, theta1
    start: tuple[float, float]  # a start that shows the landscape's lesson
    lr: float  # a learning rate for GD / momentum / Nesterov that works from that start
    lr_adaptive: float  # the same for RMSProp and Adam, whose steps do not scale with the gradient
    box: tuple[float, float, float, float]  # theta0 from, to; theta1 from, to

    def around(self, points: np.ndarray) -> tuple[float, float, float, float]:
        """The box, grown to show the points (k, 2) — a start or a path — but never by more than half its size."""
        a, b, c, d = self.box
        half = np.array([b - a, d - c]) / 2
        pts = points[np.isfinite(points).all(axis=1)]
        lo = np.minimum([a, c], pts.min(axis=0) - half / 10) if len(pts) else np.array([a, c])
        hi = np.maximum([b, d], pts.max(axis=0) + half / 10) if len(pts) else np.array([b, d])
        lo, hi = np.maximum(lo, [a, c] - half), np.minimum(hi, [b, d] + half)
        return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def regression_data(m: int = 200, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A small data set for h(x) = theta0 + theta1 x: m points near y = 1 + 2x."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, m)
    return x, 1 + 2 * x + rng.normal(0, 0.5, m)


def regression_cost(x: np.ndarray, y: np.ndarray) -> Callable[[Tensor, Tensor], Tensor]:
    """J(theta0, theta1) = 1/(2m) sum_i (h(x_i) - y_i)^2, elementwise over any shape of thetas."""
    xt, yt = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)  # (m,)

    def J(t0: Tensor, t1: Tensor) -> Tensor:
        residual = t0[..., None] + t1[..., None] * xt - yt  # (..., m)
        return (residual**2).mean(-1) / 2

    return J


def landscapes(seed: int = 1) -> dict[str, Landscape]:
    """The bowl of linear regression on the data, and three non-convex surfaces."""
    x, y = regression_data(200, seed)
    return {
        ls.key: ls
        for ls in (
            Landscape(
                "bowl",
                "Linear regression (a bowl)",
                r"J(\theta_0,\theta_1) = \frac{1}{2m}\sum_{i=1}^{m}\left(\theta_0 + \theta_1 x_i - y_i\right)^2",
                regression_cost(x, y),
                (-3.0, 4.5),
                0.1,
                0.1,
                (-4.0, 6.0, -3.0, 5.0),
            ),
            Landscape(
                "saddle",
                "A saddle",
                r"J = \tfrac12\theta_0^2 - \tfrac12\theta_1^2 + \tfrac14\theta_1^4",
                lambda a, b: a**2 / 2 - b**2 / 2 + b**4 / 4,
                (-2.0, 0.01),
                0.1,
                0.05,
                (-2.5, 2.5, -1.8, 1.8),
            ),
            Landscape(
                "valley",
                "A curved valley (Rosenbrock-like)",
                r"J = (1 - \theta_0)^2 + 10\,(\theta_1 - \theta_0^2)^2",
                lambda a, b: (1 - a) ** 2 + 10 * (b - a**2) ** 2,
                (-1.5, 2.0),
                0.01,
                0.1,
                (-2.0, 2.0, -1.0, 3.0),
            ),
            Landscape(
                "minima",
                "Several minima (Himmelblau)",
                r"J = \left[(\theta_0^2 + \theta_1 - 11)^2 + (\theta_0 + \theta_1^2 - 7)^2\right] / 10",
                lambda a, b: ((a**2 + b - 11) ** 2 + (a + b**2 - 7) ** 2) / 10,
                (4.0, -4.0),
                0.02,
                0.1,
                (-5.0, 5.0, -5.0, 5.0),
            ),
        )
    }


def surface(J: Callable[[Tensor, Tensor], Tensor], box: tuple[float, ...], n: int = 80):
    """J on an n x n grid over the box: axis values u (theta0), v (theta1) and Z (n, n) with Z[j, i] = J(u_i, v_j)."""
    u, v = np.linspace(box[0], box[1], n), np.linspace(box[2], box[3], n)
    with torch.no_grad():
        Z = J(*torch.meshgrid(torch.as_tensor(u), torch.as_tensor(v), indexing="xy"))
    return u, v, Z.numpy()


# Optimizers: key -> (name, factory from parameters and learning rate, adaptive step size?)
OPTIMIZERS: dict[str, tuple[str, Callable[[list[Tensor], float], torch.optim.Optimizer], bool]] = {
    "gd": ("Gradient descent", lambda p, lr: torch.optim.SGD(p, lr=lr), False),
    "momentum": ("Momentum", lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9), False),
    "nesterov": ("Nesterov", lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True), False),
    "rmsprop": ("RMSProp", lambda p, lr: torch.optim.RMSprop(p, lr=lr, alpha=0.9), True),
    "adam": ("Adam", lambda p, lr: torch.optim.Adam(p, lr=lr), True),
}


@dataclass(frozen=True)
class Stop:
    grad_tol: float = 1e-4  # stop when ||grad J|| < grad_tol
    loss_tol: float = 1e-10  # stop when |J_t - J_{t-1}| < loss_tol
    max_iter: int = 500  # stop after this many updates


@dataclass(frozen=True)
class Path:
    theta: np.ndarray  # (k+1, 2) theta_0 .. theta_k
    J: np.ndarray  # (k+1,) J at each theta
    grad_norm: np.ndarray  # (k+1,) ||grad J|| at each theta
    reason: str  # gradient | loss | max_iter | diverged
    message: str


def optimize(
    J: Callable[[Tensor, Tensor], Tensor], start: tuple[float, float], optimizer: str, lr: float, stop: Stop
) -> Path:
    """Walk J from `start` with one of torch.optim's optimizers; stop on the first criterion that holds."""
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)  # (2,)
    opt = OPTIMIZERS[optimizer][1]([theta], lr)
    thetas, losses, norms = [], [], []
    for k in range(min(stop.max_iter, MAX_ITER) + 1):
        opt.zero_grad()
        loss = J(theta[0], theta[1])
        loss.backward()
        value, gnorm = loss.item(), theta.grad.norm().item()
        if not (math.isfinite(value) and math.isfinite(gnorm)) or abs(value) > F_MAX or theta.abs().max() > X_MAX:
            return Path(
                np.array(thetas),
                np.array(losses),
                np.array(norms),
                "diverged",
                f"diverged at iteration {k}: J grew without bound, so it was stopped — lower α",
            )
        thetas.append(theta.detach().numpy().copy())
        losses.append(value)
        norms.append(gnorm)
        if gnorm < stop.grad_tol:
            return Path(np.array(thetas), np.array(losses), np.array(norms), "gradient", f"‖∇J‖ < {stop.grad_tol:g}")
        if k and abs(losses[-1] - losses[-2]) < stop.loss_tol:
            return Path(np.array(thetas), np.array(losses), np.array(norms), "loss", f"|ΔJ| < {stop.loss_tol:g}")
        if k == min(stop.max_iter, MAX_ITER):
            break
        opt.step()
    return Path(
        np.array(thetas), np.array(losses), np.array(norms), "max_iter", f"reached {len(losses) - 1} iterations"
    )


def race(ls: Landscape, start: tuple[float, float], lr: float, lr_adaptive: float, stop: Stop) -> dict[str, Path]:
    """Every optimizer from the same start on one landscape, each with its own kind of learning rate."""
    return {
        name: optimize(ls.J, start, key, lr_adaptive if adaptive else lr, stop)
        for key, (name, _, adaptive) in OPTIMIZERS.items()
    }


@dataclass(frozen=True)
class BatchPlan:
    n: int  # records
    batch_size: int
    epochs: int

    @property
    def batches_per_epoch(self) -> int:
        return math.ceil(self.n / self.batch_size)

    @property
    def iterations(self) -> int:
        return self.epochs * self.batches_per_epoch

    @property
    def last_batch(self) -> int:
        """Size of the last batch of an epoch (smaller when batch_size does not divide n)."""
        return self.n - (self.batches_per_epoch - 1) * self.batch_size


def minibatch_path(
    x: np.ndarray, y: np.ndarray, start: tuple[float, float], lr: float, batch_size: int, epochs: int, seed: int
) -> Path:
    """Fit h(x) = theta0 + theta1 x by torch.optim.SGD on batches of `batch_size` records, reshuffled each epoch;
    J on the whole data set is recorded after every update. batch_size = m is batch GD, 1 is SGD."""
    m = len(x)
    if BatchPlan(m, batch_size, epochs).iterations > MAX_UPDATES:
        raise ValueError(f"more than {MAX_UPDATES:,} updates; use fewer records or epochs, or larger batches")
    xt, yt = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)  # (2,)
    opt = torch.optim.SGD([theta], lr=lr)
    gen = torch.Generator().manual_seed(seed)
    thetas, reason = [theta.detach().clone()], "max_iter"
    for _ in range(epochs):
        order = torch.randperm(m, generator=gen)
        xe, ye = xt[order], yt[order]  # this epoch's shuffle; each batch is then a slice
        for i in range(0, m, batch_size):
            opt.zero_grad()
            ((theta[0] + theta[1] * xe[i : i + batch_size] - ye[i : i + batch_size]) ** 2).mean().div(2).backward()
            opt.step()
            if not float(theta.detach().abs().max()) <= X_MAX:  # also catches NaN
                reason = "diverged"
                break
            thetas.append(theta.detach().clone())
        if reason == "diverged":
            break
    path = torch.stack(thetas)  # (k+1, 2)
    with torch.no_grad():
        J = regression_cost(x, y)(path[:, 0], path[:, 1]).numpy()  # every update's J in one pass
    message = "diverged — lower α" if reason == "diverged" else f"{len(path) - 1} updates"
    return Path(path.numpy(), J, np.zeros(0), reason, message)


def batch_race(
    x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int, lr: float, seed: int, start=(-3.0, -2.0)
) -> dict[str, tuple[Path, int]]:
    """Batch GD (all m records), mini-batch and SGD (1 record) for the same epochs: each path and updates per epoch."""
    sizes = {"batch GD (all n)": len(x), f"mini-batch ({batch_size})": batch_size, "SGD (1)": 1}
    return {
        name: (minibatch_path(x, y, start, lr, b, epochs, seed), BatchPlan(len(x), b, 1).iterations)
        for name, b in sizes.items()
    }
