"""Early stopping: it stops exactly `patience` epochs after the argmin of the validation loss, restores those
weights, films the fit sparsely within its cap, and trains exactly like the playground's NetTrainer."""

import numpy as np
import pytest
import torch

from core import capacity as cap
from core import early_stopping as es
from core import network


@pytest.fixture(scope="module")
def sample():
    return cap.make_sample(15, 0.3, seed=1)


def _run(s, patience=60, hidden=(16, 16), lr=0.03, seed=0):
    return es.make_run(s.x, s.y, s.x_val, s.y_val, cap.GRID, hidden, lr, patience, seed)


def test_stops_patience_epochs_after_the_argmin_of_validation_loss(sample):
    run = _run(sample)
    run.advance()
    train, val = es.curves(run)
    best = int(np.argmin(val)) + 1  # epochs count from 1
    assert run.status == "stopped" and "Stopped early" in run.message
    assert run.model.best_epoch == best and run.model.best_loss == val[best - 1]
    assert run.steps == best + 60 and np.all(val[best:] >= val[best - 1])
    assert len(train) == run.steps


def test_restore_best_puts_back_the_best_weights(sample):
    run = _run(sample)
    run.advance()
    last = run.model.trainer.metrics()["test_loss"]
    run.model.restore_best()
    assert run.model.trainer.metrics()["test_loss"] == pytest.approx(run.model.best_loss, rel=1e-6)
    assert last > run.model.best_loss
    np.testing.assert_allclose(run.model.curve(), run.model.film()[run.model.best_epoch], rtol=1e-6)


def test_chunks_and_time_budgets_stop_at_the_same_epoch(sample):
    whole = _run(sample)
    whole.advance()
    pieces = _run(sample)
    while not pieces.done:
        pieces.advance(n=7, seconds=0.05)
    assert pieces.steps == whole.steps and pieces.model.best_epoch == whole.model.best_epoch
    np.testing.assert_array_equal(es.curves(pieces)[1], es.curves(whole)[1])


def test_trains_exactly_like_the_playground_net(sample):
    run = _run(sample, patience=1000, hidden=(5,), lr=0.01, seed=3)
    run.advance(n=25)
    cfg = network.NetConfig(features=("x1",), hidden=(5,), activations=("tanh",), task="regression", seed=3)
    pad = lambda v: np.c_[v, np.zeros_like(v)]  # noqa: E731
    tr = network.NetTrainer(cfg, pad(sample.x), sample.y, pad(sample.x_val), sample.y_val, 0.01, 15, "adam")
    for epoch in range(25):
        tr.step()
        want = tr.metrics()
        assert [run.history[epoch][k] for k in ("train_loss", "test_loss")] == [want["train_loss"], want["test_loss"]]


def test_film_is_sparse_capped_and_true(sample):
    run = _run(sample, patience=1000, hidden=(4,), lr=0.01)
    run.advance(n=600)
    frames, every = run.model.film(), run.model.every
    assert len(frames) <= es.MAX_FRAMES + 2 and {0, run.model.best_epoch, 600} <= set(frames)
    assert 600 / es.MAX_FRAMES <= every <= 2 * 600 / es.MAX_FRAMES
    assert all(e % every == 0 or e in (run.model.best_epoch, 600) for e in frames)
    e = max(k for k in frames if k != run.model.best_epoch)
    again = _run(sample, patience=1000, hidden=(4,), lr=0.01)
    again.advance(n=e)
    np.testing.assert_array_equal(frames[e], again.model.curve())


def test_rewind_forgets_frames_and_best_from_the_future(sample):
    run = _run(sample, patience=1000, hidden=(4,))
    saved = run.model.state()
    run.advance(n=40)
    run.model.load(saved)
    assert run.model.epoch == 0 and list(run.model.film()) == [0] and run.model.best_epoch == 0


def test_diverging_learning_rate_is_caught_by_the_stepper(sample):
    run = _run(sample, patience=1000, hidden=(16,), lr=0.01)
    run.model.trainer.net.W[0].mul_(torch.tensor(float("nan")))
    run.advance(n=5)
    assert run.status == "diverged" and run.steps == 0
