"""The fused engine (core/fastnet.py) against autograd and torch.optim, and against NetTrainer's reference loop."""

import numpy as np
import pytest
import torch

from core import data, fastnet, network
from core.activations import ACTIVATIONS
from core.training import Run
from tests.unit.oracles import torch_cost

ACT_PAIRS = [("tanh", "sigmoid"), ("relu", "leaky_relu"), ("softplus", "elu"), ("gelu", "identity"), ("step", "tanh")]


def _task(task: str, n: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)
    X, Xt = rng.normal(size=(n, 2)) * 2, rng.normal(size=(15, 2)) * 2
    draw = {"binary": lambda m: rng.integers(0, 2, m), "multiclass": lambda m: rng.integers(0, 3, m)}
    y, yt = (draw.get(task, lambda m: rng.normal(size=m))(m) for m in (n, 15))
    return X, y, Xt, yt


def _trainer(task="binary", acts=("tanh", "tanh"), hidden=(5, 3), features=("x1", "x2", "x1x2"), **kw):
    cfg = network.NetConfig(features, hidden, acts, task, n_classes=3, seed=kw.pop("seed", 4))
    return network.NetTrainer(cfg, *_task(task, kw.pop("n", 60)), **{"dtype": torch.float64} | kw)


def _cost(task, W, b, g, X, y, reg, lam):
    """The cost from torch's own losses on given parameters (a fresh graph: autograd differentiates it)."""
    return torch_cost(task, W, b, [ACTIVATIONS[name].g for name in g], X, y, reg, lam)


@pytest.mark.parametrize("task", network.TASKS)
@pytest.mark.parametrize("reg", network.PENALTIES)
@pytest.mark.parametrize("acts", ACT_PAIRS)
def test_fused_gradient_is_autograds(task, reg, acts):
    # lr = 0 and one batch of everything: the epoch leaves the weights alone and its gradient buffer holds dCost/dp
    tr = _trainer(task, acts, lr=0.0, batch_size=1000, reg=reg, lam=0.03)
    assert tr.fast is not None
    W = [w.clone().requires_grad_(True) for w in tr.net.W]
    b = [v.clone().requires_grad_(True) for v in tr.net.b]
    cost = _cost(task, W, b, acts, tr.X, tr.y, reg, 0.03)
    grads = torch.autograd.grad(cost, [*W, *b], allow_unused=True, materialize_grads=True)  # step: g' = 0
    J, gnorm = tr.step()
    for layer, G in enumerate(tr.fast.G):
        np.testing.assert_allclose(G[:-1], grads[layer].numpy(), rtol=1e-9, atol=1e-12)  # dW
        np.testing.assert_allclose(G[-1], grads[len(W) + layer].numpy(), rtol=1e-9, atol=1e-12)  # db
    assert J == pytest.approx(cost.item(), rel=1e-12)
    assert gnorm == pytest.approx(float(torch.sqrt(sum((g * g).sum() for g in grads))), rel=1e-12)


def _torch_optim_run(tr0: network.NetTrainer, optimizer: str, lr: float, batch: int, reg: str, lam: float, k: int):
    """k epochs the textbook way: autograd, torch.optim, and torch.randperm from the trainer's shuffling seed."""
    W = [w.clone().requires_grad_(True) for w in tr0.net.W]
    b = [v.clone().requires_grad_(True) for v in tr0.net.b]
    opt = {
        "sgd": lambda ps: torch.optim.SGD(ps, lr=lr),
        "momentum": lambda ps: torch.optim.SGD(ps, lr=lr, momentum=0.9),
        "adam": lambda ps: torch.optim.Adam(ps, lr=lr),
    }[optimizer]([*W, *b])
    gen = torch.Generator().manual_seed(tr0.cfg.seed + 1)
    for _ in range(k):
        order = torch.randperm(len(tr0.y), generator=gen)
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            opt.zero_grad()
            _cost(tr0.cfg.task, W, b, tr0.cfg.activations, tr0.X[idx], tr0.y[idx], reg, lam).backward()
            opt.step()
    return [p.detach() for p in (*W, *b)]


@pytest.mark.parametrize("optimizer", network.OPTIMIZERS)
@pytest.mark.parametrize("task,reg", [("binary", "none"), ("multiclass", "L2"), ("regression", "L1")])
def test_k_epochs_equal_torch_optim(optimizer, task, reg):
    lr, batch, lam = {"adam": 0.01}.get(optimizer, 0.05), 7, 0.01  # 60 points in batches of 7: a short last batch
    tr = _trainer(task, ("tanh", "relu"), lr=lr, batch_size=batch, optimizer=optimizer, reg=reg, lam=lam)
    want = _torch_optim_run(tr, optimizer, lr, batch, reg, lam, k=4)
    for _ in range(4):
        tr.step()
    for mine, ref in zip(tr.net.params, want, strict=True):
        torch.testing.assert_close(mine, ref, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-9), (torch.float32, 2e-4)])
@pytest.mark.parametrize("optimizer", network.OPTIMIZERS)
def test_fast_trainer_matches_the_reference_loop(dtype, tol, optimizer):
    kw = dict(lr=0.05, batch_size=10, optimizer=optimizer, reg="L2", lam=0.001, dtype=dtype)
    fast, ref = _trainer(fast=True, **kw), _trainer(fast=False, **kw)
    assert fast.fast is not None and ref.fast is None
    for epoch in range(6):
        if epoch == 3:
            fast.lr = ref.lr = 0.2  # a new learning rate takes effect at once in both
        (J1, g1), (J2, g2) = fast.step(), ref.step()
        assert J1 == pytest.approx(J2, rel=tol) and g1 == pytest.approx(g2, rel=tol, abs=tol)
        m1, m2 = fast.metrics(), ref.metrics()
        assert m1 == pytest.approx(m2, rel=tol, abs=1e-6)  # accuracies: the reference rounds them to float32
    for a, b in zip(fast.net.params, ref.net.params, strict=True):
        torch.testing.assert_close(a, b, rtol=tol, atol=tol)


def test_torch_views_share_the_engines_memory():
    tr = _trainer(lr=0.1)
    before = [w.clone() for w in tr.net.W]
    tr.step()
    assert not torch.equal(before[0], tr.net.W[0])  # the page's tensors moved with the engine
    np.testing.assert_array_equal(tr.net.W[1].numpy(), tr.fast.Wb[1][:-1])
    tr.net.b[0].add_(1.0)  # and writes through them reach the engine (load() relies on this)
    np.testing.assert_array_equal(tr.fast.Wb[0][-1], tr.net.b[0].numpy())


def test_rewind_replays_the_same_epochs():
    tr = _trainer(lr=0.05, optimizer="adam", batch_size=8)
    tr.step()
    saved = tr.state()
    first = [tr.step() for _ in range(3)]
    weights = [p.clone() for p in tr.net.params]
    tr.load(saved)
    assert [tr.step() for _ in range(3)] == first  # same weights, Adam moments, step count and batch order
    assert all(torch.equal(a, b) for a, b in zip(weights, tr.net.params, strict=True))


def test_divergence_is_caught_and_rewound_to_finite_weights():
    d = data.make_toy("plane", 200, 0.0, seed=0, scale=6.0)
    s = data.train_test_split(d, 0.5, seed=0)
    cfg = network.NetConfig(hidden=(8,), activations=("relu",), task="regression")
    tr = network.NetTrainer(cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=10.0, optimizer="momentum")
    run = Run(tr, max_steps=300)
    run.advance(n=300)
    assert tr.fast is not None and run.status == "diverged"
    assert all(torch.isfinite(p).all() for p in tr.net.params) and np.isfinite(tr.metrics()["train_loss"])


@pytest.mark.parametrize("batch", [1, 13, 500])  # one example per step, a short last batch, more than the data
def test_any_batch_size_and_no_hidden_layer(batch):
    kw = dict(hidden=(), acts=(), lr=0.1, batch_size=batch, optimizer="momentum")
    fast, ref = _trainer(fast=True, **kw), _trainer(fast=False, **kw)
    for _ in range(2):
        assert fast.step() == pytest.approx(ref.step(), rel=1e-9)
    for a, b in zip(fast.net.params, ref.net.params, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-12)


def test_fast_path_is_chosen_where_it_applies():
    assert fastnet.supports(("tanh", "relu"), "cpu") and not fastnet.supports(("tanh",), "meta")
    assert set(fastnet.NP_ACTIVATIONS) == set(ACTIVATIONS)  # a new activation needs a numpy twin (or falls back)

    class Custom(network.NetTrainer):
        def gradients(self, X, y):  # a subclass that changes the batch gradient keeps the reference loop
            return super().gradients(X, y)

    X, y, Xt, yt = _task("binary")
    assert Custom(network.NetConfig(), X, y, Xt, yt).fast is None
    assert network.NetTrainer(network.NetConfig(), X, y, Xt, yt).fast is not None
    with pytest.raises(ValueError):
        network.NetTrainer(network.NetConfig(), X, y, Xt, yt, optimizer="rmsprop")
