"""Why a non-linearity: stacked linear layers multiply out to one matrix, which is logistic regression's line."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression

from core import data, linearity, neuron
from core.charts import style


@pytest.fixture(scope="module")
def circle():
    return data.make_toy("circle", 200, 0.0, seed=1)


def test_collapse_is_the_matrix_product_and_the_torch_stack():
    rng = np.random.default_rng(0)
    sizes = [2, 4, 4, 4, 1]
    Ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.normal(size=o) for o in sizes[1:]]
    products, W, b = linearity.collapse(Ws, bs)
    np.testing.assert_allclose(W, np.linalg.multi_dot(Ws[::-1]), atol=1e-12)
    np.testing.assert_allclose(products[1], Ws[1] @ Ws[0], atol=1e-12)
    layers = []
    for Wl, bl in zip(Ws, bs, strict=True):
        lin = torch.nn.Linear(Wl.shape[1], Wl.shape[0]).double()
        with torch.no_grad():
            lin.weight.copy_(torch.as_tensor(Wl))
            lin.bias.copy_(torch.as_tensor(bl))
        layers.append(lin)
    X = rng.normal(size=(50, 2))
    with torch.no_grad():
        z = torch.nn.Sequential(*layers)(torch.as_tensor(X))[:, 0].numpy()
    np.testing.assert_allclose(X @ W[0] + b[0], z, atol=1e-12)


@pytest.mark.parametrize("layers", [1, 3])
def test_identity_net_learns_logistic_regression(circle, layers):
    net = linearity.train(circle.X, circle.y, "identity", layers, seed=1)
    _, W, b = linearity.collapse(net.Ws, net.bs)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(circle.X, circle.y)
    np.testing.assert_allclose(W[0], ref.coef_[0], atol=1e-4)
    assert b[0] == pytest.approx(ref.intercept_[0], abs=1e-4)
    logistic = neuron.MODELS["logistic"]
    assert net.losses[-1] == pytest.approx(neuron.cost(logistic, circle.X, circle.y, ref.coef_[0], ref.intercept_[0]))
    assert net.accuracy == pytest.approx(ref.score(circle.X, circle.y))
    assert linearity.collapse_gap(net, style.grid(circle.X)[2]) < 1e-12


def test_a_non_linear_net_bends(circle):
    net = linearity.train(circle.X, circle.y, "relu", 1, seed=1)
    assert net.accuracy == 1.0
    G = style.grid(circle.X)[2]
    z = linearity.logits(net, G)
    A = np.c_[G, np.ones(len(G))]
    plane, *_ = np.linalg.lstsq(A, z, rcond=None)
    assert np.abs(A @ plane - z).max() > 1.0  # no plane W x + b comes close: the map really bends
    assert linearity.collapse_gap(net, G) > 1.0


def test_logits_and_output_map_agree_with_forward(circle):
    net = linearity.train(circle.X, circle.y, "tanh", 2, seed=3)
    G = style.grid(circle.X, n=10)[2]
    z = np.tanh(np.tanh(G @ net.Ws[0].T + net.bs[0]) @ net.Ws[1].T + net.bs[1]) @ net.Ws[2].T + net.bs[2]
    np.testing.assert_allclose(linearity.logits(net, G), z[:, 0], atol=1e-12)
    np.testing.assert_allclose(linearity.output_map(net, G), 1 / (1 + np.exp(-z[:, 0])), atol=1e-12)


def test_training_is_reproducible_and_capped(circle):
    a = linearity.train(circle.X, circle.y, "sigmoid", 1, seed=5)
    b = linearity.train(circle.X, circle.y, "sigmoid", 1, seed=5)
    np.testing.assert_array_equal(a.Ws[0], b.Ws[0])
    assert len(a.losses) == linearity.STEPS and a.losses[-1] < a.losses[0]
    with pytest.raises(ValueError):
        linearity.train(circle.X, circle.y, "relu", linearity.MAX_LAYERS + 1)


def test_collapse_latex_shows_each_product():
    Ws = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0]])]
    net = linearity.Net("identity", Ws, [np.zeros(2), np.zeros(1)], np.zeros(1), 0.0)
    (line,) = linearity.collapse_latex(net)
    assert r"\begin{bmatrix}1.00 & -1.00\end{bmatrix}}_{W_2}" in line
    assert r"\begin{bmatrix}-2.00 & -2.00\end{bmatrix}}_{W}" in line
    assert linearity.latex_matrix(np.array([0.5, -0.001])) == r"\begin{bmatrix}0.50 \\ 0.00\end{bmatrix}"
