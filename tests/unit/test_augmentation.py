"""Data augmentation: jittered copies keep their labels and leave the originals alone; the plane fit reports accuracy
on the original points and on fresh test points, as the playground's NetTrainer measures them."""

import numpy as np
import pytest

from core import augmentation as aug
from core import network


def test_copies_follow_the_originals_with_their_labels():
    X = np.arange(8.0).reshape(4, 2)
    y = np.array([0, 1, 1, 0])
    X2, y2 = aug.jitter_copies(X, y, 3, 0.1, seed=0)
    assert X2.shape == (16, 2) and np.array_equal(X2[:4], X) and np.array_equal(y2, np.tile(y, 4))
    jitter = X2[4:] - np.tile(X, (3, 1))
    assert 0 < np.abs(jitter).max() < 0.6 and np.all(jitter != 0)
    same, _ = aug.jitter_copies(X, y, 2, 0.0, seed=0)
    np.testing.assert_array_equal(same, np.tile(X, (3, 1)))
    alone, ya = aug.jitter_copies(X, y, 0, 0.3, seed=0)
    np.testing.assert_array_equal(alone, X) and np.testing.assert_array_equal(ya, y)
    with pytest.raises(ValueError):
        aug.jitter_copies(X, y, aug.MAX_COPIES + 1, 0.1, seed=0)


def test_plane_fit_measures_the_original_points_and_the_test_set():
    train, test = aug.task("xor", 20, 0.3, seed=1)
    assert len(test.y) == aug.N_TEST and not np.array_equal(train.X, test.X[:20])
    G = np.array([[0.0, 0.0], [0.5, 0.5], [-0.5, 0.5]])
    X2, y2 = aug.jitter_copies(train.X, train.y, 2, 0.1, seed=1)
    fit = aug.fit_plane(X2, y2, test, G, (8,), 50, seed=1, n_orig=20)
    cfg = network.NetConfig(hidden=(8,), activations=("tanh",), seed=1)
    tr = network.NetTrainer(cfg, X2, y2, test.X, test.y, lr=0.05, batch_size=60, optimizer="adam")
    for _ in range(50):
        tr.step()
    p = tr.predict_grid(train.X)[-1][:, 0]
    assert fit.train_acc == pytest.approx(np.mean((p >= 0.5) == train.y))
    assert fit.test_acc == pytest.approx(tr.metrics()["test_acc"]) and fit.n_seen == 60
    np.testing.assert_allclose(fit.P, tr.predict_grid(G)[-1][:, 0])
