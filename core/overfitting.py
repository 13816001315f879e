"""The overfitting page's views: for each section, its results and figures from its settings (pure; the page caches)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core import augmentation as aug
from core import capacity as cap
from core import regularization as reg
from core import search
from core.charts import overfitting as charts
from core.charts import style

WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128, 256)
EPOCHS = (100, 300, 1000, 3000, 10000)
SWEEP_LR, N_SEEDS, SEARCH_EPOCHS, PLANE_EPOCHS = 0.03, 3, 300, 300
PRESETS = {"Underfit": (1, 1), "Good fit": (2, 3), "Overfit": (256, 14)}  # width, degree
DEGREES = list(range(21))


@dataclass(frozen=True)
class Sweep:
    s: cap.Sample
    batch: cap.Batch
    train: np.ndarray  # (C, len(WIDTHS), N_SEEDS) MSE at the checkpoint epochs
    val: np.ndarray  # (C, len(WIDTHS), N_SEEDS)


def sweep(n: int, noise: float, seed: int, epochs: int) -> Sweep:
    """Every width x seed network trained together on one sample (model seeds seed, seed + 1, ...)."""
    s = cap.make_sample(n, noise, seed)
    specs = [cap.Spec(w, seed + k, SWEEP_LR) for w in WIDTHS for k in range(N_SEEDS)]
    b = cap.train_batch(s, specs, epochs, [e for e in EPOCHS if e <= epochs])
    shape = (len(b.checkpoints), len(WIDTHS), N_SEEDS)
    return Sweep(s, b, b.train.reshape(shape), b.val.reshape(shape))


@dataclass(frozen=True)
class Capacity:
    net: tuple[float, float]  # training, validation MSE of the network of the chosen width (first seed)
    poly: tuple[float, float]  # the same for the polynomial of the chosen degree
    figs: tuple[go.Figure, ...]  # network fit, polynomial fit, width sweep, degree sweep
    shape: tuple[int, int | None, float]  # cap.u_shape of the mean validation error


def capacity(sw: Sweep, width: int, degree: int) -> Capacity:
    s, k, p = sw.s, WIDTHS.index(width), cap.poly_fit(sw.s, degree)
    pt, pv = cap.poly_sweep(s, DEGREES)
    figs = (
        charts.fit_figure(
            s, cap.GRID, sw.batch.curves[-1, k * N_SEEDS], f"Network: {width} hidden tanh units", "network"
        ),
        charts.fit_figure(s, cap.GRID, p(cap.GRID), f"Polynomial of degree {degree}", "polynomial"),
        charts.sweep_figure(WIDTHS, sw.train, sw.val, sw.batch.checkpoints, width, s.noise**2),
        charts.poly_figure(DEGREES, pt, pv, degree, len(s.x)),
    )
    net = (float(sw.train[-1, k, 0]), float(sw.val[-1, k, 0]))
    poly = (cap.mse(p(s.x), s.y), cap.mse(p(s.x_val), s.y_val))
    return Capacity(net, poly, figs, cap.u_shape(WIDTHS, sw.val[-1].mean(axis=1)))


def reading(shape: tuple[int, int | None, float]) -> str:
    """The sweep's validation curve in words: where it bottoms out, whether it climbs (the U) and comes down again."""
    best, peak, down = shape
    said = f"Training error falls as the width grows. Validation error is lowest at **width {best}**"
    if peak is None and best == WIDTHS[-1]:
        said += ", the widest: it keeps falling, no U at this training length."
    elif peak is None:
        said += " and stays about level beyond it: no clear U in this run."
    elif down > 0.1:
        said += (
            f", climbs to a peak at width {peak} (the classical U), then comes down again, {down:.0%} below the peak, "
            "for the widest nets: a glimpse of why modern practice trains far past the classical overfitting point."
        )
    else:
        said += f", climbs to a peak at width {peak} (the classical U) and stays up: more width does not undo it here."
    return said + " Change the epochs: the longer the training, the deeper the U."


@dataclass(frozen=True)
class Penalty:
    w: np.ndarray  # (p,) the weights at the chosen lambda
    train: float
    val: float
    gap: float  # largest |ours - scikit-learn| over weights and intercept
    figs: tuple[go.Figure, ...]  # paths, coefficients, histogram


def penalty(lam_log: float, rho: float, seed: int) -> Penalty:
    d = reg.make_regression(seed=seed)
    W, b, _ = reg.fit_path(d.X, d.y, 10.0**reg.LOG_LAMBDAS, rho)
    k = int(np.argmin(np.abs(reg.LOG_LAMBDAS - lam_log)))
    tr = [reg.mse(d.X, d.y, W[i], b[i]) for i in range(len(b))]
    va = [reg.mse(d.X_val, d.y_val, W[i], b[i]) for i in range(len(b))]
    ref_w, ref_b = reg.reference(d.X, d.y, 10.0 ** reg.LOG_LAMBDAS[k], rho)
    gap = max(float(np.abs(W[k] - ref_w).max()), abs(b[k] - ref_b))
    figs = (
        charts.path_figure(reg.LOG_LAMBDAS, W, tr, va, d.w_true, lam_log),
        charts.coef_figure(W[k], d.w_true),
        charts.weight_hist(W[k]),
    )
    return Penalty(W[k], tr[k], va[k], gap, figs)


def planes(name: str, n: int, noise: float, layers: int, copies: int, sigma: float, seed: int):
    """The same network on the points alone and on the points plus jittered copies: two fits and two planes."""
    train, test = aug.task(name, n, noise, seed)
    u, v, G = style.grid(train.X)
    X2, y2 = aug.jitter_copies(train.X, train.y, copies, sigma, seed)
    hidden = (16,) * layers
    fits = [aug.fit_plane(X, y, test, G, hidden, PLANE_EPOCHS, seed, n) for X, y in ((train.X, train.y), (X2, y2))]
    more = f" + {copies} jittered copies of each (grey)" if copies else ", no copies: the same as left"
    titles = (f"{n} points", f"{n} points{more}")
    figs = [
        charts.augmented_plane(u, v, f.P.reshape(len(v), len(u)), train.X, train.y, Xc, t)
        for f, Xc, t in zip(fits, (X2[:0], X2[n:]), titles, strict=True)
    ]
    return fits, figs


@dataclass(frozen=True)
class Search:
    land: search.Landscape
    grid: np.ndarray  # (budget, 2) cells the grid tried
    rand: np.ndarray  # (budget, 2) cells the random search tried
    best_grid: tuple[int, int]
    best_rand: tuple[int, int]
    wins: float  # share of random searches that beat the grid
    ties: float
    fig: go.Figure


def landscape(n: int, noise: float, seed: int) -> search.Landscape:
    return search.landscape(cap.make_sample(n, noise, seed), SEARCH_EPOCHS, seed)


def searches(land: search.Landscape, budget: int, draw: int) -> Search:
    """A grid and a random search (random draw number `draw`) with the same budget over one landscape."""
    g = search.grid_trials(land.val.shape, budget)
    r = search.random_trials(land.val.shape, budget, np.random.default_rng(draw))
    bg, br = search.best(land.val, g), search.best(land.val, r)
    wins, ties = search.random_beats_grid(land.val, budget)
    return Search(land, g, r, bg, br, wins, ties, charts.landscape_figure(land, g, r, bg, br))
