"""Data as a remedy on a 2-D task: a network fitted to a few noisy points, and to the same points plus jittered copies
of each (data augmentation: every copy keeps its point's label)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core import data
from core.network import NetConfig, NetTrainer

MAX_COPIES = 20
MAX_EPOCHS = 3_000
N_TEST = 500  # fresh points that measure generalisation


@dataclass(frozen=True)
class PlaneFit:
    P: np.ndarray  # (M,) the network's probability of class 1 at the grid points
    train_acc: float  # on the original training points (never the copies)
    test_acc: float
    n_seen: int  # points the network trained on, copies included


def task(name: str, n: int, noise: float, seed: int) -> tuple[data.Dataset, data.Dataset]:
    """A small noisy training set and a large test set from the same source (another seed)."""
    return data.make_toy(name, n, noise, seed), data.make_toy(name, N_TEST, noise, seed + 10_000)


def jitter_copies(X: np.ndarray, y: np.ndarray, copies: int, sigma: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The points followed by `copies` noisy copies of each, x + sigma * N(0, I), each with its point's label."""
    if not 0 <= copies <= MAX_COPIES or sigma < 0:
        raise ValueError(f"copies must be 0..{MAX_COPIES} and sigma >= 0")
    rng = np.random.default_rng(seed)
    moved = np.concatenate([X + sigma * rng.normal(size=X.shape) for _ in range(copies)] or [X[:0]])  # (copies*N, 2)
    return np.vstack([X, moved]), np.concatenate([y, np.tile(y, copies)])


def fit_plane(X, y, test: data.Dataset, G: np.ndarray, hidden: tuple[int, ...], epochs: int, seed: int, n_orig: int):
    """Full-batch Adam (lr 0.05) on a tanh net; accuracy on the first n_orig (original) points and on the test set."""
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be 1..{MAX_EPOCHS}")
    cfg = NetConfig(hidden=hidden, activations=("tanh",) * len(hidden), seed=seed)
    tr = NetTrainer(cfg, X, y, test.X, test.y, lr=0.05, batch_size=len(y), optimizer="adam")
    for _ in range(epochs):
        tr.step()
    train_acc = tr.evaluate(tr.X[:n_orig], tr.y[:n_orig])[1]
    return PlaneFit(tr.predict_grid(G)[-1][:, 0], train_acc, tr.metrics()["test_acc"], len(y))
