"""Dropout: masks vs binomial bounds, the expectation identity in both conventions, equality with nn.Dropout,
hand-written backprop vs autograd, eval-mode determinism, and the generalization claim over several seeds."""

# ruff: noqa: E741  (l is the lecture's layer index)

import base64

import numpy as np
import pytest
import torch
from scipy.stats import binom

from core import data
from core import dropout as do
from core.charts import dropout as charts
from core.charts import style
from core.network import MLP, NetConfig, NetTrainer
from core.training import Run

SEEDS = range(6)  # the generalization claim is checked on these; the page's default seed is 1


def _net(keep=(0.8, 0.5, 0.7), hidden=(5, 4), act="tanh", task="binary", seed=3, dtype=torch.float64):
    return MLP(NetConfig(hidden=hidden, activations=(act,) * len(hidden), task=task, seed=seed), dtype)


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.7, 0.95])
def test_masks_keep_a_share_p_within_binomial_bounds(keep):
    r = do.mask((400, 250), keep, torch.Generator().manual_seed(11))
    assert set(r.unique().tolist()) <= {0.0, 1.0}
    lo, hi = binom.interval(0.999, r.numel(), keep)
    assert lo <= r.sum() <= hi  # drawn with 1 - p instead, every p but 0.5 would land far outside
    per_unit = r.mean(0)  # each unit on its own is a Bernoulli(p) coin too
    assert np.abs(per_unit.numpy() - keep).max() < 5 * np.sqrt(keep * (1 - keep) / 400)
    stats = do.mask_stats([r[:7], r[7:30]], keep)
    assert (stats.kept, stats.total) == (int(r[:30].sum()), 30 * 250)
    assert (stats.lo, stats.hi) == tuple(int(x) for x in binom.interval(0.95, 30 * 250, keep))
    assert stats.plausible == (stats.lo <= stats.kept <= stats.hi)


def test_mask_stats_flags_the_wrong_convention():
    r = do.mask((200, 50), 0.3, torch.Generator().manual_seed(2))  # a drop probability of 0.7 used by mistake
    assert do.mask_stats([r], 0.3).plausible and not do.mask_stats([r], 0.7).plausible


@pytest.mark.parametrize("keep", [0.3, 0.5, 0.8])
def test_expectation_identity_holds_in_both_conventions(keep):
    a = np.array([0.9, -0.4, 0.7, 0.2, -0.8, 0.5, 3.0])
    e = do.expectation(a, keep, 20_000, seed=5)
    assert np.all(np.abs(e.lecture - a) <= 4 * e.se)  # E[r a / p] = a, within sampling error
    np.testing.assert_allclose(e.pytorch, e.lecture, rtol=1e-14)  # same seed: nn.Dropout(1 - p) is one operation
    np.testing.assert_allclose(e.unscaled, keep * e.lecture, rtol=1e-12)  # without 1/p the mean is p a
    assert np.all(np.abs(e.kept - keep) < 5 * np.sqrt(keep * (1 - keep) / 20_000))
    # PyTorch's convention on its own, with its own random stream: E[r a / (1 - p_drop)] = a
    A = torch.tensor(a).expand(20_000, len(a))
    torch.manual_seed(123)
    out = torch.nn.functional.dropout(A, p=do.torch_p(keep), training=True)
    assert np.all(np.abs(out.mean(0).numpy() - a) <= 4 * out.std(0).numpy() / np.sqrt(20_000))
    assert not np.allclose(e.unscaled, a, atol=4 * e.se.max())  # what goes wrong without the scaling


@pytest.mark.parametrize("keep", [0.5, 0.8, 0.3, 0.7, 0.9])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_our_dropout_equals_nn_dropout_given_the_same_generator(keep, dtype):
    a = torch.randn(64, 13, dtype=dtype, generator=torch.Generator().manual_seed(1))
    ours, r = do.drop(a, keep, torch.Generator().manual_seed(7))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(7)
        theirs = torch.nn.Dropout(p=do.torch_p(keep)).train()(a)
    assert torch.equal(ours != 0, theirs != 0) and torch.equal(ours != 0, r != 0)
    torch.testing.assert_close(ours, theirs, rtol=2e-7 if dtype == torch.float32 else 1e-15, atol=0)
    if keep == 0.5:
        assert torch.equal(ours, theirs)  # to the last bit where 1 - (1 - p) == p exactly


def test_forward_equals_nn_sequential_in_train_and_eval_mode():
    keep, net = (0.8, 0.5, 0.7), _net()
    A = torch.randn(30, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    model = do.to_torch(net, keep)
    assert [type(m).__name__ for m in model][:3] == ["Dropout", "Linear", "Act"]
    assert [m.p for m in model if isinstance(m, torch.nn.Dropout)] == pytest.approx([0.2, 0.5, 0.3])
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(9)
        theirs = model.train()(A)
    ours = do.forward(net, A, keep, torch.Generator().manual_seed(9))[1][-1]
    torch.testing.assert_close(ours, theirs, rtol=1e-12, atol=1e-12)
    with torch.no_grad():
        torch.testing.assert_close(model.eval()(A), net.predict(A), rtol=1e-12, atol=1e-12)


def test_eval_mode_is_deterministic_and_train_mode_is_not():
    keep, net = (1.0, 0.5, 0.5), _net()
    A = torch.randn(20, 2, dtype=torch.float64)
    model = do.to_torch(net, keep).eval()
    with torch.no_grad():
        assert torch.equal(model(A), model(A))
        assert not torch.equal(model.train()(A), model(A))
    assert torch.equal(do.forward(net, A, keep)[1][-1], net.predict(A))  # no generator: eval mode
    outs = do.passes(net, A, keep, 10, seed=4)
    assert outs.shape == (10, 20) and torch.equal(outs, do.passes(net, A, keep, 10, seed=4))
    assert outs.std(0).min() > 0  # each pass drew its own masks
    split = do.task(do.Preset(n_test=50), 0)
    tr = do.DropoutTrainer(NetConfig(hidden=(8, 8), activations=("tanh", "tanh")), *_xy(split), keep=keep)
    assert tr.metrics() == tr.metrics()


def _xy(split: data.Split):
    return split.X_train, split.y_train, split.X_test, split.y_test


def _autograd(net, keep, X, y, rs, scale):
    """The cost through the same masks, differentiated by torch."""
    W = [w.clone().requires_grad_(True) for w in net.W]
    b = [v.clone().requires_grad_(True) for v in net.b]
    a = X
    for l in range(len(W)):
        a = do.thin(a, rs[l], keep[l], scale) @ W[l] + b[l]
        if l < len(W) - 1:
            a = net.g[l].g(a)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(a[:, 0], y)
    return torch.autograd.grad(loss, [*W, *b])


@pytest.mark.parametrize("scale", [True, False])
@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
def test_backward_through_the_masks_matches_autograd(scale, act):
    keep, net = (0.8, 0.5, 0.7), _net(act=act)
    split = do.task(do.Preset(n_train=40, n_test=10), 2)
    tr = do.DropoutTrainer(net.cfg, *_xy(split), keep=keep, scale=scale, dtype=torch.float64, record=True)
    J, dW, db = tr.gradients(tr.X, tr.y)
    rs = tr.log[0][0]
    assert all(r is not None for r in rs)
    for ours, theirs in zip([*dW, *db], _autograd(tr.net, keep, tr.X, tr.y, rs, scale), strict=True):
        torch.testing.assert_close(ours, theirs, rtol=1e-10, atol=1e-12)


def test_gradients_equal_nn_sequential_autograd_with_the_same_generator():
    keep = (0.8, 0.5, 0.7)
    split = do.task(do.Preset(n_train=40, n_test=10), 4)
    tr = do.DropoutTrainer(_net().cfg, *_xy(split), keep=keep, dtype=torch.float64)
    model = do.to_torch(tr.net, keep).train()
    tr.mask_gen.manual_seed(21)
    _, dW, db = tr.gradients(tr.X, tr.y)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(21)
        p = model(tr.X)[:, 0]
    torch.nn.functional.binary_cross_entropy(p, tr.y).backward()
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for l, lin in enumerate(linears):
        torch.testing.assert_close(dW[l], lin.weight.grad.T, rtol=1e-9, atol=1e-12)
        torch.testing.assert_close(db[l], lin.bias.grad, rtol=1e-9, atol=1e-12)


def test_keep_one_trains_exactly_like_the_playground_trainer():
    split = do.task(do.Preset(), 1)
    cfg = NetConfig(hidden=(16, 16), activations=("tanh", "tanh"), seed=1)
    ours = do.DropoutTrainer(cfg, *_xy(split), keep=(1.0, 1.0, 1.0), lr=0.03, batch_size=10, optimizer="adam")
    theirs = NetTrainer(cfg, *_xy(split), lr=0.03, batch_size=10, optimizer="adam", fast=False)
    for _ in range(5):
        assert ours.step() == theirs.step()
    assert all(torch.equal(a, b) for a, b in zip(ours.net.params, theirs.net.params, strict=True))


def test_dropped_units_edges_do_not_move_under_sgd():
    split = do.task(do.Preset(), 1)
    keep = (0.7, 0.5, 0.5)
    moved = []
    for s in do.thinned_steps(split, keep, batch=1, steps=12, seed=1):
        for l, d in enumerate(s.dW):
            live = np.outer(s.alive[0][l], s.alive[0][l + 1])
            assert np.all(d[~live] == 0)  # exactly: these edges were not in the thinned network
            moved += list(d[live] != 0)
    assert np.mean(moved) > 0.9  # and the edges that were in it (almost) all moved
    batch3 = do.thinned_steps(split, keep, batch=3, steps=4, seed=1)
    for s in batch3:  # with a minibatch, an edge moves if any example's thinned network used it
        used = [np.logical_or.reduce([np.outer(m[l], m[l + 1]) for m in s.alive]) for l in range(3)]
        assert all(np.all(d[~u] == 0) for d, u in zip(s.dW, used, strict=True))
        assert len(s.alive) == 3 and len(s.y) == 3


def test_weight_scaling_is_the_mean_of_unscaled_masks_at_the_first_layer():
    keep, net = (0.6, 0.5, 0.5), _net()
    A = torch.randn(5, 2, dtype=torch.float64)
    scaled = do.weight_scaled(net, keep)
    gen = torch.Generator().manual_seed(0)
    zs = torch.stack([do.forward(net, A, keep, gen, scale=False)[0][0] for _ in range(20_000)])  # (K, N, 5)
    se = zs.std(0) / np.sqrt(len(zs))
    assert torch.all((zs.mean(0) - scaled.forward(A)[0][0]).abs() <= 4 * se)
    assert net.W[0] is not scaled.W[0] and torch.equal(net.W[0] * 0.6, scaled.W[0])


def test_forgetting_1_over_p_hurts_until_the_weights_are_scaled():
    pre, keep = do.Preset(), (1.0, 0.7, 0.7)
    inverted = do.train(do.trainers(pre, keep, 1)[1], pre.epochs)
    (ok, _), (as_is, _), (scaled, _) = do.scaling_effect(pre, keep, 1, inverted).values()
    assert as_is > 1.2 * scaled and as_is > 1.2 * ok  # the test-time net sees 1/p times the input it trained on
    logits = inverted.net.forward(inverted.Xt)[0][-1][:, 0]
    assert ok == pytest.approx(float(torch.nn.BCEWithLogitsLoss()(logits, inverted.yt)), rel=1e-5)


def test_mc_average_of_a_linear_net_equals_eval_mode():
    keep, net = (0.7, 0.5, 0.8), _net(act="identity", task="regression")
    A = torch.randn(6, 2, dtype=torch.float64)
    outs = do.passes(net, A, keep, do.MAX_PASSES, seed=1)
    assert outs.shape == (do.MAX_PASSES, 6)
    more = torch.cat([do.passes(net, A, keep, do.MAX_PASSES, seed=s) for s in range(40)])
    se = more.std(0) / np.sqrt(len(more))
    assert torch.all((more.mean(0) - net.predict(A)[:, 0]).abs() <= 4 * se)  # linear: E[output] = eval output


def test_one_mask_means_one_thinned_network_for_every_input():
    keep, net = (0.7, 0.5, 0.5), _net()
    A = torch.randn(8, 2, dtype=torch.float64)
    twice = torch.cat([A, A])
    shared = do.passes(net, twice, keep, 20, seed=3, one_mask=True)
    assert torch.equal(shared[:, :8], shared[:, 8:])  # the same network answers both copies of each input
    apart = do.passes(net, twice, keep, 20, seed=3)
    assert not torch.equal(apart[:, :8], apart[:, 8:])  # nn.Dropout's way: every input draws its own mask
    rs = do.forward(net, A, keep, torch.Generator().manual_seed(0), one_mask=True)[2]
    assert [tuple(r.shape) for r in rs] == [(1, 2), (1, 5), (1, 4)]


def test_torch_code_lists_the_modules_to_torch_builds():
    keep = (1.0, 0.7, 0.5)
    code = do.torch_code(keep, (2, 16, 16, 1))
    model = do.to_torch(_net(hidden=(16, 16)), keep)
    assert [float(p) for p in __import__("re").findall(r"Dropout\(p=([\d.]+)\)", code)] == pytest.approx(
        [m.p for m in model if isinstance(m, torch.nn.Dropout)]
    )
    assert code.count("nn.Linear(") == 3 and "model.train()" in code and "model.eval()" in code


def test_bad_keep_rates_are_refused():
    split = do.task(do.Preset(), 0)
    with pytest.raises(ValueError):
        do.DropoutTrainer(_net().cfg, *_xy(split), keep=(1.0, 0.0, 0.5))
    with pytest.raises(ValueError):
        do.DropoutTrainer(_net().cfg, *_xy(split), keep=(1.0, 0.5))


def test_pair_steps_both_nets_as_if_alone_and_rewinds():
    pre, keep = do.Preset(), (1.0, 0.7, 0.7)
    run = Run(do.Pair(*do.trainers(pre, keep, 1)), max_steps=pre.epochs)
    run.advance(n=3)
    alone = do.train(do.trainers(pre, keep, 1)[1], 3)
    assert all(torch.equal(a, b) for a, b in zip(run.model.dropout.net.params, alone.net.params, strict=True))
    assert len(run.history) == 3 and set(run.history[0]) >= {"plain_test_loss", "dropout_train_acc"}
    saved = run.model.state()
    run.advance(n=2)
    run.model.load(saved)
    run.model.step(), run.model.step()
    again = do.train(do.Pair(*do.trainers(pre, keep, 1)), 5)  # a rewound pair replays masks and order exactly
    for net in ("plain", "dropout"):
        mine, theirs = getattr(run.model, net).net.params, getattr(again, net).net.params
        assert all(torch.equal(a, b) for a, b in zip(mine, theirs, strict=True))
    run.model.lr = 0.1
    assert run.model.plain.lr == run.model.dropout.lr == 0.1


@pytest.fixture(scope="module")
def finals():
    """Both nets of section 4's preset trained to the end, for several seeds."""
    pre, out = do.Preset(), {}
    for seed in SEEDS:
        pair = do.train(do.Pair(*do.trainers(pre, (1.0, 0.7, 0.7), seed)), pre.epochs)
        out[seed] = pair.metrics()
    return out


def test_dropout_beats_the_plain_net_on_test_loss_at_the_default_seed(finals):
    m = finals[1]
    assert m["dropout_test_loss"] < 0.8 * m["plain_test_loss"]
    assert m["dropout_train_loss"] > 2 * m["plain_train_loss"]  # the cost: a looser fit of the training points


def test_dropout_beats_the_plain_net_on_most_seeds(finals):
    wins = [s for s, m in finals.items() if m["dropout_test_loss"] < m["plain_test_loss"]]
    acc = [s for s, m in finals.items() if m["dropout_test_acc"] > m["plain_test_acc"]]
    print(f"test loss lower with dropout: {len(wins)}/{len(finals)}; test accuracy higher: {len(acc)}/{len(finals)}")
    assert len(wins) >= len(finals) - 1
    assert len(acc) >= len(finals) / 2  # the page says: accuracy goes up more often than down, not always


def _decode(spec) -> np.ndarray:
    """plotly.js's typed-array form back to numbers (an independent decoder of charts._arr)."""
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=np.dtype(spec["dtype"]).newbyteorder("<"))


def test_figures_show_what_the_page_says():
    sizes, rng = (2, 6, 6, 1), np.random.default_rng(0)
    W = [rng.normal(size=(a, b)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    alive = [[np.array([True, True]), np.r_[[True] * 4, [False] * 2], np.ones(6, bool), np.ones(1, bool)]]
    dW = [w * np.outer(alive[0][l], alive[0][l + 1]) for l, w in enumerate(W)]
    fig = charts.thinned_figure(sizes, W, alive, dW, ["example 1", "Δw"])
    dropped = [t for t in fig.data if t.mode == "markers" and t.marker.symbol == "circle-x-open"]
    assert len(dropped) == 2 and all(len(_decode(t.x)) == 2 for t in dropped)  # the two dropped units, both panels
    dead = [t for t in fig.data if t.mode == "lines" and t.line.dash == "dot" and t.xaxis == "x"]
    assert sum(np.isnan(_decode(t.x)).sum() for t in dead) == 2 * 2 + 2 * 6  # each: 2 edges in, 6 out
    split = do.task(do.Preset(n_test=40), 0)
    u, v, G = style.grid(split.X_train)
    P = np.full((len(v), len(u)), 0.3)
    planes = charts.twin_planes(u, v, P, P, split, ("a", "b"))
    heat = [t for t in planes.data if t.type == "heatmap"]
    assert len(heat) == 2 and heat[0].z["shape"] == f"{len(v)}, {len(u)}"
    np.testing.assert_array_equal(_decode(heat[0].z), P.ravel())
    mc = charts.mc_figure(u, v, P, P, P / 3, split.X_train, split.y_train, 5)
    assert [t.zmax for t in mc.data if t.type == "heatmap"] == [1.0, 1.0, pytest.approx(0.1)]
    hist = [{f"{n}_{p}_{q}": 0.5 for n in ("plain", "dropout") for p in ("train", "test") for q in ("loss", "acc")}]
    assert len(charts.curves_figure(hist, 300).data) == 8 and charts.curves_figure([], 300).layout.annotations
