"""The playground's MLP: hand-written backprop vs autograd, torch.optim updates, learning, penalties, divergence."""

import numpy as np
import pytest
import torch

from core import data, network
from core.training import Run
from tests.unit.oracles import torch_cost


def _split(name="circle", n=200, noise=0.0, seed=0, multiclass=False, k=3):
    d = data.make_multiclass(name, n, k, noise, seed) if multiclass else data.make_toy(name, n, noise, seed)
    return data.train_test_split(d, 0.5, seed=seed)


def _autograd_cost(tr, X, y):
    """The same cost built from torch's own losses and autograd, layer by layer."""
    ps = [p.clone().requires_grad_(True) for p in tr.net.params]
    n = len(tr.net.W)
    loss = torch_cost(tr.cfg.task, ps[:n], ps[n:], [g.g for g in tr.net.g], X, y, tr.reg, tr.lam)
    return loss, torch.autograd.grad(loss, ps)


def test_features_are_the_playgrounds():
    X = np.array([[2.0, 3.0]])
    out = network.featurize(X, tuple(network.FEATURES))
    np.testing.assert_allclose(out, [[2, 3, 4, 9, 6, np.sin(2), np.sin(3)]])
    with pytest.raises(ValueError):
        network.featurize(X, ())


@pytest.mark.parametrize("task", network.TASKS)
@pytest.mark.parametrize("reg", network.PENALTIES)
@pytest.mark.parametrize("acts", [("tanh", "sigmoid"), ("relu", "gelu"), ("elu", "softplus")])
def test_backprop_matches_autograd(task, reg, acts):
    rng = np.random.default_rng(len(task) + len(reg))
    X, Xt = rng.normal(size=(40, 2)), rng.normal(size=(5, 2))
    y = {"binary": rng.integers(0, 2, 40), "multiclass": rng.integers(0, 3, 40), "regression": rng.normal(size=40)}[
        task
    ]
    cfg = network.NetConfig(
        features=("x1", "x2", "x1x2"), hidden=(5, 3), activations=acts, task=task, n_classes=3, seed=4
    )
    tr = network.NetTrainer(cfg, X, y, Xt, y[:5], reg=reg, lam=0.03, dtype=torch.float64)
    J, dW, db = tr.gradients(tr.X, tr.y)
    loss, grads = _autograd_cost(tr, tr.X, tr.y)
    assert J == pytest.approx(loss.item(), rel=1e-12)
    for mine, ref in zip([*dW, *db], grads, strict=True):
        torch.testing.assert_close(mine, ref, rtol=1e-10, atol=1e-12)


def test_one_epoch_of_plain_sgd_is_w_minus_lr_grad():
    s = _split()
    cfg = network.NetConfig(seed=2)
    tr = network.NetTrainer(
        cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=0.5, batch_size=len(s.y_train), dtype=torch.float64
    )
    before = [p.clone() for p in tr.net.params]
    _, grads = _autograd_cost(tr, tr.X, tr.y)
    tr.step()
    for b, g, p in zip(before, grads, tr.net.params, strict=True):
        torch.testing.assert_close(p, b - 0.5 * g)


def test_adam_step_equals_torch_adam_on_autograd_gradients():
    s = _split()
    cfg = network.NetConfig(seed=5)
    tr = network.NetTrainer(
        cfg,
        s.X_train,
        s.y_train,
        s.X_test,
        s.y_test,
        lr=0.01,
        batch_size=len(s.y_train),
        optimizer="adam",
        dtype=torch.float64,
    )
    ref = [p.clone().requires_grad_(True) for p in tr.net.params]
    opt = torch.optim.Adam(ref, lr=0.01)
    for _ in range(3):
        _, grads = _autograd_cost(tr, tr.X, tr.y)
        for r, g in zip(ref, grads, strict=True):
            r.grad = g.clone()
        opt.step()
        tr.step()
        for r, p in zip(ref, tr.net.params, strict=True):
            torch.testing.assert_close(p, r.detach())


@pytest.mark.parametrize("name", ["circle", "xor", "gauss", "moons"])
def test_default_net_learns_each_data_set(name):
    s = _split(name, 300, 0.1)
    cfg = network.NetConfig(features=("x1", "x2"), hidden=(8, 8), activations=("tanh", "tanh"), seed=1)
    tr = network.NetTrainer(cfg, s.X_train * 6, s.y_train, s.X_test * 6, s.y_test, lr=0.03, batch_size=10)
    run = Run(tr, max_steps=80)
    run.advance(n=80)
    assert run.losses[-1] < 0.5 * run.losses[0]
    assert run.history[-1]["test_acc"] > 0.8


def test_spiral_with_three_classes_is_learned():
    s = _split("spiral", 300, 0.0, multiclass=True, k=3)
    cfg = network.NetConfig(hidden=(16, 16), activations=("tanh", "tanh"), task="multiclass", n_classes=3, seed=0)
    tr = network.NetTrainer(
        cfg, s.X_train * 6, s.y_train, s.X_test * 6, s.y_test, lr=0.01, batch_size=10, optimizer="adam"
    )
    Run(tr, max_steps=300).advance(n=300)
    assert tr.metrics()["train_acc"] > 0.9


def test_regression_fits_the_plane():
    d = data.make_toy("plane", 300, 0.0, seed=0, scale=6.0)
    s = data.train_test_split(d, 0.5, seed=0)
    cfg = network.NetConfig(hidden=(), activations=(), task="regression")
    tr = network.NetTrainer(cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=0.01, batch_size=10)
    Run(tr, max_steps=100).advance(n=100)
    assert tr.metrics()["test_loss"] < 1e-3


@pytest.mark.parametrize("reg", ["L1", "L2"])
def test_penalties_shrink_weights(reg):
    s = _split("xor", 200, 0.2)
    norms = {}
    for kind, lam in (("none", 0.0), (reg, 0.05)):
        cfg = network.NetConfig(hidden=(8,), activations=("tanh",), seed=3)
        tr = network.NetTrainer(cfg, s.X_train * 6, s.y_train, s.X_test, s.y_test, lr=0.03, reg=kind, lam=lam)
        Run(tr, max_steps=100).advance(n=100)
        norms[kind] = sum(float(w.abs().sum()) for w in tr.net.W)
    assert norms[reg] < 0.7 * norms["none"]


def test_l1_drives_some_weights_to_nearly_zero():
    s = _split("gauss", 200, 0.1)
    cfg = network.NetConfig(features=tuple(network.FEATURES), hidden=(6,), activations=("tanh",), seed=0)
    tr = network.NetTrainer(cfg, s.X_train * 6, s.y_train, s.X_test, s.y_test, lr=0.03, reg="L1", lam=0.01)
    Run(tr, max_steps=200).advance(n=200)
    assert (tr.net.W[0].abs() < 0.02).float().mean() > 0.3


def test_zero_init_keeps_hidden_units_identical():
    s = _split()
    cfg = network.NetConfig(hidden=(4,), activations=("tanh",), init="zero")
    tr = network.NetTrainer(cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=0.1)
    Run(tr, max_steps=20).advance(n=20)
    W = tr.net.W[0]
    assert torch.allclose(W, W[:, :1].expand_as(W))  # symmetry is never broken


def test_huge_learning_rate_is_caught_and_rewound():
    d = data.make_toy("plane", 200, 0.0, seed=0, scale=6.0)
    s = data.train_test_split(d, 0.5, seed=0)
    cfg = network.NetConfig(hidden=(4,), activations=("relu",), task="regression")
    tr = network.NetTrainer(cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=10.0)
    run = Run(tr, max_steps=500)
    run.advance(n=500)
    assert run.status == "diverged"
    assert all(torch.isfinite(p).all() for p in tr.net.params) and len(run.history) == run.steps


def test_learning_rate_changes_without_reset():
    s = _split()
    tr = network.NetTrainer(network.NetConfig(), s.X_train, s.y_train, s.X_test, s.y_test, lr=0.03)
    tr.lr = 0.3
    assert tr.opt.param_groups[0]["lr"] == 0.3 and tr.lr == 0.3


def test_grid_pass_gives_every_layer():
    s = _split()
    tr = network.NetTrainer(network.NetConfig(hidden=(4, 2)), s.X_train, s.y_train, s.X_test, s.y_test)
    layers = tr.predict_grid(np.zeros((25, 2)))
    assert [a.shape for a in layers] == [(25, 2), (25, 4), (25, 2), (25, 1)]


def test_config_caps():
    with pytest.raises(ValueError):
        network.NetConfig(hidden=(17,), activations=("tanh",))
    with pytest.raises(ValueError):
        network.NetConfig(hidden=(2,) * 9, activations=("tanh",) * 9)
    with pytest.raises(ValueError):
        network.NetConfig(hidden=(2,), activations=("swish2",))
