"""Hyperparameter search with a fixed budget of trials: a grid against random picks, over a landscape of validation
errors measured by training every (learning rate, width) network of a lattice in one batch."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core import capacity

LRS = tuple(float(f"{v:.2g}") for v in np.geomspace(1e-4, 1.0, 17))  # 4 per decade
WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
BUDGETS = (4, 9, 16, 25)  # square numbers, so the grid can be k x k


@dataclass(frozen=True)
class Landscape:
    lrs: tuple[float, ...]  # rows
    widths: tuple[int, ...]  # columns
    val: np.ndarray  # (len(lrs), len(widths)) validation MSE after `epochs`
    epochs: int


def landscape(s: capacity.Sample, epochs: int, seed: int, lrs=LRS, widths=WIDTHS) -> Landscape:
    """Validation error of every (learning rate, width) pair, all networks trained together."""
    specs = [capacity.Spec(w, seed, lr) for lr in lrs for w in widths]
    batch = capacity.train_batch(s, specs, epochs, [epochs], keep_curves=False)
    val = np.nan_to_num(batch.val[-1], nan=np.inf).reshape(len(lrs), len(widths))  # a diverged net counts as worst
    return Landscape(tuple(lrs), tuple(widths), val, epochs)


def grid_trials(shape: tuple[int, int], budget: int) -> np.ndarray:
    """k x k cells spread evenly (the centres of k equal slices of each axis), k = sqrt(budget): (budget, 2)."""
    k = int(round(np.sqrt(budget)))
    if k * k != budget or k > min(shape):
        raise ValueError(f"the grid needs a square budget of at most {min(shape) ** 2}")
    rows, cols = ((np.arange(k) + 0.5) * n / k for n in shape)
    return np.array([(int(r), int(c)) for r in rows for c in cols])


def random_trials(shape: tuple[int, int], budget: int, rng: np.random.Generator) -> np.ndarray:
    """`budget` different cells drawn uniformly at random: (budget, 2)."""
    cells = rng.choice(shape[0] * shape[1], size=budget, replace=False)
    return np.c_[cells // shape[1], cells % shape[1]]


def best(val: np.ndarray, trials: np.ndarray) -> tuple[int, int]:
    """The tried cell with the lowest validation error."""
    r, c = trials[np.argmin(val[trials[:, 0], trials[:, 1]])]
    return int(r), int(c)


def random_beats_grid(val: np.ndarray, budget: int) -> tuple[float, float]:
    """The exact chance that a random search finds a better cell than the grid, and that it ties.

    With N cells of which k beat the grid's best and t equal it, a random search misses all k with probability
    C(N - k, B) / C(N, B): it beats the grid unless it misses every better cell.
    """
    target = val[best(val, grid_trials(val.shape, budget))]
    N, k, t = val.size, int(np.sum(val < target)), int(np.sum(val == target))
    miss = lambda m: math.comb(N - m, budget) / math.comb(N, budget)  # noqa: E731 — P(no pick among m cells)
    return 1.0 - miss(k), miss(k) - miss(k + t)
