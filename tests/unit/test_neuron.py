"""The neuron: hand-derived gradients vs autograd, BCE vs torch, fits vs scikit-learn, the lecture's numbers."""

import numpy as np
import pytest
import torch

from core import data, neuron
from core.training import Run

GAUSS = data.make_toy("gauss", 200, 0.3, seed=1)


def test_log_odds_curves_follow_the_derivation():
    x = np.linspace(-4, 4, 9)
    t, odds, p = neuron.log_odds_curves(x, w=1.5, b=-0.5)
    np.testing.assert_allclose(t, -0.5 + 1.5 * x)
    np.testing.assert_allclose(odds, p / (1 - p))  # odds are p / (1 - p)
    np.testing.assert_allclose(np.log(odds), t)  # and their log is the line
    np.testing.assert_allclose(p, torch.sigmoid(torch.tensor(t)).numpy())


def test_lecture_example_prediction():
    # w0 = 1, w = (3, -2): y-hat = g(1 + 3 x1 - 2 x2); at x = (1, 1), z = 2.
    P = neuron.output_map(neuron.MODELS["logistic"], np.array([[1.0, 1.0], [0.0, 0.5]]), [3, -2], 1)
    np.testing.assert_allclose(P, [1 / (1 + np.exp(-2)), 0.5])


def test_p_half_is_z_zero():
    G = np.random.default_rng(0).uniform(-2, 2, (5000, 2))
    P = neuron.output_map(neuron.MODELS["logistic"], G, [3, -2], 1)
    np.testing.assert_array_equal(P >= 0.5, neuron.predict(G, [3, -2], 1) == 1)


@pytest.mark.parametrize("key", list(neuron.MODELS))
def test_hand_gradients_match_autograd(key):
    model = neuron.MODELS[key]
    fit = neuron.NeuronFit(model, GAUSS.X, GAUSS.y, [0.7, -1.3], 0.2, lr=0.1)
    J, dw, db = fit.gradients()
    w = fit.w.clone().requires_grad_(True)
    b = fit.b.clone().requires_grad_(True)
    z = fit.X @ w + b
    y = fit.y
    a = torch.sigmoid(z) if model.activation == "sigmoid" else z
    loss = {
        "logistic": lambda: torch.nn.functional.binary_cross_entropy(a, y),
        "linear": lambda: ((y - a) ** 2).mean(),
        "perceptron": lambda: torch.relu(-y * a).mean(),
        "svm": lambda: torch.relu(1 - y * a).mean(),
    }[key]()
    gw, gb = torch.autograd.grad(loss, (w, b))
    torch.testing.assert_close(J, loss.detach())
    torch.testing.assert_close(dw, gw)
    torch.testing.assert_close(db, gb)


def test_cost_is_torch_bce():
    X, y = GAUSS.X, GAUSS.y
    p = torch.sigmoid(torch.tensor(X @ [2.0, 1.0] - 0.5))
    expected = torch.nn.functional.binary_cross_entropy(p, torch.tensor(y, dtype=torch.float64))
    assert neuron.cost(neuron.MODELS["logistic"], X, y, [2.0, 1.0], -0.5) == pytest.approx(float(expected), rel=1e-12)


def test_cost_is_finite_where_naive_bce_overflows():
    X = np.array([[100.0, 0.0], [-100.0, 0.0]])
    assert np.isfinite(neuron.cost(neuron.MODELS["logistic"], X, np.array([0, 1]), [50.0, 0.0], 0.0))


@pytest.mark.parametrize("name", ["gauss", "moons"])
def test_gradient_descent_lands_on_scikit_learns_logistic_regression(name):
    d = data.make_toy(name, 200, 0.4, seed=2)
    model = neuron.MODELS["logistic"]
    fit, run = neuron.fit(model, d.X, d.y, [3, -2], 1, lr=3.0)
    assert run.status == "converged"
    w, b = fit.weights()
    ref_w, ref_b = neuron.reference_fit(model, d.X, d.y)
    np.testing.assert_allclose(w, ref_w, rtol=1e-3, atol=1e-3)
    assert b == pytest.approx(ref_b, abs=1e-3)


def test_gradient_descent_lands_on_least_squares():
    model = neuron.MODELS["linear"]
    fit, run = neuron.fit(model, GAUSS.X, GAUSS.y, [3, -2], 1, lr=0.3)
    w, b = fit.weights()
    A = np.c_[GAUSS.X, np.ones(len(GAUSS.y))]
    closed = np.linalg.lstsq(A, 2.0 * GAUSS.y - 1, rcond=None)[0]  # the normal equations, independent of sklearn
    np.testing.assert_allclose([*w, b], closed, atol=1e-5)


def test_hinge_and_perceptron_reduce_their_loss():
    for key in ("perceptron", "svm"):
        _, run = neuron.fit(neuron.MODELS[key], GAUSS.X, GAUSS.y, [3, -2], 1, lr=0.1, max_steps=2000)
        assert run.losses[-1] < 0.5 * run.losses[0]


def test_one_neuron_cannot_solve_the_quadrants():
    xor = data.make_toy("xor", 1000, 0.0, seed=1)
    fit, _ = neuron.fit(neuron.MODELS["logistic"], xor.X, xor.y, [3, -2], 1, lr=3.0)
    assert neuron.accuracy(xor.X, xor.y, *fit.weights()) < 0.65


def test_too_large_learning_rate_diverges_and_rewinds():
    fit = neuron.NeuronFit(neuron.MODELS["linear"], GAUSS.X, GAUSS.y, [3, -2], 1, lr=100.0)
    run = Run(fit)
    run.advance(n=5000)
    assert run.status == "diverged" and "learning rate 100" in run.message
    assert np.isfinite(fit.weights()[0]).all() and all(np.isfinite(run.losses))
    assert len(run.losses) == run.steps
