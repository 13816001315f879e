"""The hand-written chain rule against independent oracles: torch autograd, central differences, torch.optim.SGD."""

# ruff: noqa: E741  (l is the lecture's layer index, as in z^(l))

import re
import zlib

import numpy as np
import pytest
import torch

from core import backprop as bp
from core.activations import ACTIVATIONS
from core.charts import backprop as charts

ARCHS = [(1,), (2,), (3,), (1, 1), (2, 3), (3, 2), (3, 3)]
KINKED = {"relu", "leaky_relu", "elu", "step"}  # a finite difference across a kink is not a derivative


def random_case(rng: np.random.Generator, hidden: tuple, act: str, loss: str):
    """A network with unrounded normal weights and a random example, kept clear of kinks for kinked activations."""
    sizes = [2, *hidden, 1]
    while True:
        W = {l: rng.normal(0, 0.9, (sizes[l], sizes[l - 1])) for l in range(1, len(sizes))}
        b = {l: rng.normal(0, 0.5, sizes[l]) for l in range(1, len(sizes))}
        net, x, y = bp.Net(W, b, act, loss), rng.uniform(-2, 2, 2), int(rng.integers(0, 2))
        fwd = bp.forward(net, x, y)
        if act not in KINKED or min(np.abs(z).min() for z in fwd.z.values()) > 1e-3:
            return net, x, y


def torch_nodes(net: bp.Net, x, y) -> dict[str, tuple[float, float]]:
    """Every node's value and dJ/d(node) from autograd, built without core/backprop.py's formulas."""
    a = torch.tensor(np.asarray(x, float), requires_grad=True)
    nodes = {"a1": a}
    for l in range(1, net.L):
        z = torch.tensor(net.W[l]) @ a + torch.tensor(net.b[l])
        a = torch.sigmoid(z) if l + 1 == net.L else ACTIVATIONS[net.act].g(z)
        for t in (z, a):
            if t.requires_grad:  # the step function cuts the graph: nothing flows back through it
                t.retain_grad()
        nodes |= {f"z{l + 1}": z, f"a{l + 1}": a}
    target = torch.tensor([float(y)], dtype=torch.float64)
    J = torch.nn.functional.binary_cross_entropy(a, target) if net.loss == "bce" else ((a - target) ** 2).sum()
    if J.requires_grad:
        J.backward()
    out = {"J": (float(J.detach()), 1.0)}
    for key, t in nodes.items():
        for j in range(len(t)):
            grad = 0.0 if t.grad is None else float(t.grad[j])
            out[f"{key}_{j + 1}"] = (float(t[j].detach()), grad)
    return out


@pytest.mark.parametrize("loss", list(bp.LOSSES))
@pytest.mark.parametrize("act", list(ACTIVATIONS))
def test_hand_gradients_equal_autograd_and_finite_differences(act, loss):
    rng = np.random.default_rng(zlib.crc32(f"{act}-{loss}".encode()))  # hash() of a str changes per process
    for hidden in ARCHS:
        net, x, y = random_case(rng, hidden, act, loss)
        fwd = bp.forward(net, x, y)
        hand = bp.gradients(net, bp.backward(net, fwd, y))
        auto = bp.autograd_gradients(net, x, y)
        fd = bp.finite_differences(net, x, y)
        assert set(hand) == set(auto) == set(fd) == {*bp.param_names(net), "x1", "x2"}
        for name in hand:
            assert hand[name] == pytest.approx(auto[name], abs=1e-10), (hidden, name)
            assert hand[name] == pytest.approx(fd[name], abs=1e-6), (hidden, name)
        assert fwd.J == pytest.approx(torch_nodes(net, x, y)["J"][0], abs=1e-12)


@pytest.mark.parametrize("hidden", ARCHS)
def test_matrix_form_equals_the_node_by_node_pass(hidden):
    net, x, y = random_case(np.random.default_rng(len(hidden)), hidden, "tanh", "bce")
    fwd = bp.forward(net, x, y)
    bwd = bp.backward(net, fwd, y)
    delta, dW, db = bp.matrix_backward(net, fwd, y)
    for l in range(2, net.L + 1):
        np.testing.assert_allclose(delta[l], bwd.dJ_dz[l], atol=1e-15)
    for l in range(1, net.L):
        np.testing.assert_allclose(dW[l], bwd.dJ_dW[l], atol=1e-15)
        np.testing.assert_allclose(db[l], bwd.dJ_db[l], atol=1e-15)
    shown = bp.matrix_latex(net, fwd, y)
    assert len(shown) == (net.L - 1) + 2 * (net.L - 1)  # one delta per layer after the input, then dW and db
    assert all(bp.val(v) in " ".join(shown) for v in bwd.dJ_dW[1].ravel())


@pytest.mark.parametrize("loss", list(bp.LOSSES))
@pytest.mark.parametrize("alpha", [0.01, 0.5, 10.0])
def test_one_update_equals_torch_sgd(loss, alpha):
    net, x, y = random_case(np.random.default_rng(3), (2, 2), "sigmoid", loss)
    p = bp.walk(net, x, y, alpha)
    for name in bp.param_names(net):
        assert bp.get_param(p.new, name) == pytest.approx(bp.get_param(p.torch_new, name), abs=1e-12)
        assert bp.get_param(p.new, name) == pytest.approx(bp.get_param(net, name) - alpha * p.autograd[name], abs=1e-12)
    assert p.new_J == pytest.approx(torch_nodes(p.torch_new, x, y)["J"][0], abs=1e-12)


@pytest.mark.parametrize("hidden", ARCHS)
@pytest.mark.parametrize("act", ["sigmoid", "relu", "gelu"])
def test_ledger_products_sum_to_the_gradient(hidden, act):
    net, x, y = random_case(np.random.default_rng(7), hidden, act, "bce")
    fwd = bp.forward(net, x, y)
    bwd = bp.backward(net, fwd, y)
    auto = bp.autograd_gradients(net, x, y)
    for name in auto:
        paths = bp.ledger(net, fwd, bwd, name)
        kind, l = name[0], 1 if name[0] == "x" else int(name[1])
        first = 2 if kind == "x" else l + 1
        expected = np.prod([net.sizes[m] for m in range(first + (kind != "x"), net.L)])  # units the path may visit
        assert len(paths) == expected, name
        assert all(len(p) == 2 * (net.L - first) + 3 for p in paths)  # slope; g' per layer, w between; the last
        assert sum(bp.path_value(p) for p in paths) == pytest.approx(auto[name], abs=1e-12), name
        lines = bp.ledger_latex(name, paths)
        assert lines[-1].endswith(bp.val(auto[name])) or lines[-1].endswith(bp.val(auto[name]) + r"\end{gathered}")


def test_ledger_reads_like_the_lecture():
    net = bp.example_net((1,), "sigmoid", "bce")
    fwd = bp.forward(net, bp.EXAMPLE_X, 1)
    (path,) = bp.ledger(net, fwd, bp.backward(net, fwd, 1), "w1_11")
    # dJ/dtheta1 = dJ/da3 . da3/dz3 . dz3/da2 . da2/dz2 . dz2/dtheta1
    tops = [re.findall(r"\\partial ([^}]*)}", f.symbol) for f in path]
    assert tops == [
        ["J", "a^{(3)"],
        ["a^{(3)", "z^{(3)"],
        ["z^{(3)", "a^{(2)"],
        ["a^{(2)", "z^{(2)"],
        ["z^{(2)", "w^{(1)"],
    ]
    assert [f.meaning for f in path][1:] == [r"\sigma'(z^{(3)})", "w^{(2)}_{11}", r"\sigma'(z^{(2)})", "x_1"]


def test_every_step_states_the_oracles_numbers():
    """The last number of each step's formula is the value autograd finds for what that step computes."""
    for hidden, act, loss in [((2,), "sigmoid", "bce"), ((3, 2), "tanh", "squared"), ((1,), "softplus", "bce")]:
        net, x, y = random_case(np.random.default_rng(11), hidden, act, loss)
        p = bp.walk(net, x, y, 0.3)
        truth = torch_nodes(net, x, y)
        for step in p.steps:
            last = [re.findall(r"(-?\d+\.\d{4})", line)[-1] for line in step.latex if re.search(r"\d\.\d{4}", line)]
            if step.phase == "forward":
                assert last[-1] == bp.val(truth[step.node][0])
            elif step.phase == "loss":
                assert last[-1] == bp.val(truth["J"][0])
            elif step.phase == "backward" and any(r.startswith("g:w") for r in step.reveals):
                names = [r[2:] for r in step.reveals]
                assert last == [bp.val(p.autograd[n]) for n in names]
            elif step.phase == "backward":
                assert last[-1] == bp.val(truth[step.node][1])
            elif step.phase == "update":
                assert last[-1] == bp.val(p.new_J)


def test_steps_reveal_everything_once():
    p = bp.walk(bp.example_net((3, 2), "sigmoid", "bce"), bp.EXAMPLE_X, 1, 0.5)
    reveals = [r for s in p.steps for r in s.reveals]
    assert len(reveals) == len(set(reveals))
    assert {f"g:{n}" for n in bp.param_names(p.net)} <= set(reveals)
    units = [f"{k}{l}_{j}" for l in range(2, 5) for j in range(1, p.net.sizes[l] + 1) for k in "za"]
    assert {f"v:{u}" for u in units} | {f"g:{u}" for u in units} | {"v:J", "new"} <= bp.revealed(p.steps, len(p.steps))
    assert bp.revealed(p.steps, 0) == {"v:a1_1", "v:a1_2"}
    assert [s.phase for s in p.steps][:2] == ["input", "forward"] and p.steps[-1].phase == "update"


def test_worked_example_numbers_and_the_dead_relu():
    p = bp.walk(bp.example_net((2,), "sigmoid", "bce"), bp.EXAMPLE_X, bp.EXAMPLE_Y, 0.5)
    np.testing.assert_allclose(p.fwd.z[2], [0.45, -0.3], atol=1e-15)
    y_hat = p.fwd.a[3][0]
    assert p.bwd.dJ_dz[3][0] == pytest.approx(y_hat - 1, abs=1e-15)  # sigmoid + cross-entropy: dJ/dz = y-hat - y
    relu = bp.walk(bp.example_net((2,), "relu", "bce"), bp.EXAMPLE_X, bp.EXAMPLE_Y, 0.5)
    dead = {"w1_21", "w1_22", "b1_2", "w2_12"}
    assert all(relu.autograd[n] == 0 for n in dead)
    assert all(relu.autograd[n] != 0 for n in bp.param_names(relu.net) if n not in dead)


def test_loss_slopes_are_the_lecture_formulas():
    for y_hat, y in [(0.3, 1), (0.8, 0), (0.5, 1)]:
        t = torch.tensor(y_hat, dtype=torch.float64, requires_grad=True)
        J = torch.nn.functional.binary_cross_entropy(t, torch.tensor(float(y), dtype=torch.float64))
        (g,) = torch.autograd.grad(J, t)
        assert bp.loss_and_slope("bce", y_hat, y) == pytest.approx((float(J.detach()), float(g)), abs=1e-12)
        assert bp.loss_and_slope("squared", y_hat, y) == pytest.approx(((y - y_hat) ** 2, 2 * (y_hat - y)))
    assert bp.loss_and_slope("bce", 1.0, 1) == (0.0, -1.0)  # no 0 * log(0)
    assert bp.loss_and_slope("bce", 1.0, 0)[0] == np.inf


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu", "gelu"])
@pytest.mark.parametrize("w", [0.5, 1.0, 2.0])
def test_chain_gradients_equal_autograd(act, w):
    depth = 12
    a = torch.tensor(0.5, dtype=torch.float64)
    zs = []
    for _ in range(depth):
        z = (w * a).requires_grad_(True) if not zs else w * a
        z.retain_grad()
        zs.append(z)
        a = ACTIVATIONS[act].g(z)
    a.backward()
    expected = [abs(float(z.grad)) for z in zs]
    np.testing.assert_allclose(bp.chain_gradients(act, depth, w), expected, rtol=1e-12, atol=1e-300)


def test_the_vanishing_try_this_holds():
    assert bp.chain_gradients("sigmoid", 20, 1.0)[0] < 1e-12
    assert bp.chain_gradients("relu", 20, 1.0)[0] == 1.0
    assert bp.chain_gradients("relu", 20, 2.0)[0] == 2.0**19  # exploding: w^(D-1) with slope 1
    assert np.all(np.diff(bp.chain_gradients("sigmoid", 20, 1.0)) > 0)  # smaller every layer further back


def test_numbers_never_show_minus_zero():
    assert bp.val(-1e-17) == "0.0000" and bp.num(-1e-17) == "0.0000" and bp.num(-0.25) == "(-0.2500)"


def test_tables_hold_the_three_answers_and_the_update():
    p = bp.walk(bp.example_net((2,), "sigmoid", "bce"), bp.EXAMPLE_X, 1, 0.5)
    g = bp.gradient_table(p)
    assert len(g["gradient of"]) == len(bp.param_names(p.net)) + 2
    assert max(g["|hand − autograd|"]) < 1e-15 and max(g["|hand − finite diff.|"]) < 1e-6
    u = bp.update_table(p)
    assert max(abs(v) for v in u["difference"]) < 1e-15
    assert u["θ before"][0] == 0.5 and u["θ − α ∂J/∂θ (hand)"][0] == pytest.approx(0.5 - 0.5 * p.autograd["w1_11"])


def test_random_weights_follow_the_seed():
    a, b = bp.random_net((2,), "relu", "bce", 5), bp.random_net((2,), "relu", "bce", 5)
    c = bp.random_net((2,), "relu", "bce", 6)
    assert all(np.array_equal(a.W[l], b.W[l]) for l in a.W) and not np.array_equal(a.W[1], c.W[1])
    assert np.array_equal(a.W[1], a.W[1].round(2))


def figure_nodes(fig):
    return next(t for t in fig.data if t.mode == "markers+text")


@pytest.mark.parametrize("hidden", [(1,), (2,), (3, 3)])
def test_graph_highlights_the_current_node_and_shows_the_oracle_numbers(hidden):
    p = bp.walk(bp.example_net(hidden, "sigmoid", "bce"), bp.EXAMPLE_X, 1, 0.5)
    nodes = list(charts.positions(p.net))
    for k in (1, len(p.steps) // 2, len(p.steps) - 2):
        fig = charts.graph_figure(p, k)
        lit = [n for n, c in zip(nodes, figure_nodes(fig).marker.line.color, strict=True) if c == charts.NOW]
        assert lit == [p.steps[k].node]
    fig = charts.graph_figure(p, len(p.steps) - 2)  # the backward pass is complete
    truth = torch_nodes(p.net, bp.EXAMPLE_X, 1)
    below = next(t for t in fig.data if t.mode == "text" and t.textfont.color == charts.GRAD)
    for n, text in zip(nodes, below.text, strict=True):
        if n[0] in "za" and not n.startswith("a1_"):
            assert text == f"<b>{bp.val(truth[n][1])}</b>", n
    labels = " ".join(a.text for a in fig.layout.annotations)
    dense = [l for l in range(1, p.net.L) if p.net.sizes[l] * p.net.sizes[l + 1] > 6]
    for n in bp.param_names(p.net):
        if n[0] == "w" and int(n[1]) not in dense:
            assert bp.val(p.autograd[n]) in labels, n


def test_graph_starts_with_only_the_inputs_known():
    p = bp.walk(bp.example_net((2,), "sigmoid", "bce"), bp.EXAMPLE_X, 1, 0.5)
    fig = charts.graph_figure(p, 0)
    fills = dict(zip(charts.positions(p.net), figure_nodes(fig).marker.color, strict=True))
    assert [n for n, c in fills.items() if c == charts.KNOWN_FILL] == ["a1_1", "a1_2"]
    assert charts.node_label(p.net, "z2_1") == "z<sub>1</sub><sup>(2)</sup>"
    assert charts.node_label(p.net, "a3_1") == "a<sup>(3)</sup>"


def test_chain_figure_is_log_scaled_and_hides_exact_zeros():
    curves = {"A": np.array([1e-9, 1e-3, 1.0]), "B": np.array([0.0, 2.0, 1.0])}
    fig = charts.chain_figure(3, 1.0, curves)
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_array_equal(fig.data[0].y, curves["A"])
    assert np.isnan(fig.data[1].y[0])
