"""Universal approximation: the fit is the network it claims to be, and its error falls as N grows."""

import numpy as np
import pytest
import torch

from core import approximation as ap
from core.activations import LEAK

TORCH_ACTS = {
    "sigmoid": torch.nn.Sigmoid(),
    "tanh": torch.nn.Tanh(),
    "relu": torch.nn.ReLU(),
    "leaky_relu": torch.nn.LeakyReLU(LEAK),
    "softplus": torch.nn.Softplus(),
    "elu": torch.nn.ELU(),
    "gelu": torch.nn.GELU(),
    "identity": torch.nn.Identity(),
}


def torch_net(fit: ap.Fit, activation: str) -> torch.nn.Sequential:
    """The same weights in torch's own layers: an independent forward pass."""
    net = torch.nn.Sequential(torch.nn.Linear(1, fit.n), TORCH_ACTS[activation], torch.nn.Linear(fit.n, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(torch.as_tensor(fit.w1)[:, None])
        net[0].bias.copy_(torch.as_tensor(fit.b1))
        net[2].weight.copy_(torch.as_tensor(fit.w2)[None, :])
        net[2].bias.fill_(fit.b2)
    return net


@pytest.mark.parametrize("activation", list(TORCH_ACTS))
def test_units_sum_to_the_torch_network(activation):
    fit = ap.fit("bump", activation, 5, seed=3)
    with torch.no_grad():
        y_torch = torch_net(fit, activation)(torch.as_tensor(fit.x)[:, None])[:, 0].numpy()
    np.testing.assert_allclose(fit.parts.sum(axis=0) + fit.b2, fit.y_hat, atol=1e-12)
    np.testing.assert_allclose(fit.y_hat, y_torch, atol=1e-9)
    err = fit.y_hat - ap.target_curve("bump", fit.x)
    assert fit.rms == pytest.approx(np.sqrt(np.mean(err**2))) and fit.max_err == pytest.approx(np.abs(err).max())


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_error_falls_with_n_on_the_sine(activation):
    rms = [f.rms for f in ap.ladder("sine", activation, seed=1)]
    assert all(b < a for a, b in zip(rms, rms[1:], strict=False)), rms
    assert rms[-1] < 0.01 < 0.5 < rms[0]


@pytest.mark.parametrize("target", list(ap.TARGETS))
def test_error_never_rises_as_the_net_grows(target):
    knots = ap.parse_knots(ap.DEFAULT_KNOTS)
    rms = [f.rms for f in ap.ladder(target, "softplus", seed=2, knots=knots, ns=(1, 3, 9))]
    assert all(b <= a * (1 + 1e-9) for a, b in zip(rms, rms[1:], strict=False)), rms


def test_identity_units_are_the_least_squares_line():
    # A sum of straight lines is a straight line: every N gives numpy's best line, no better.
    line = np.polyval(np.polyfit(ap.GRID, np.sin(2 * ap.GRID), 1), ap.GRID)
    best = np.sqrt(np.mean((line - np.sin(2 * ap.GRID)) ** 2))
    for fit in ap.ladder("sine", "identity", seed=0, ns=(1, 8)):
        assert fit.rms == pytest.approx(best, rel=1e-9)


def test_step_units_only_train_the_output_layer():
    # g' = 0, so the hidden weights never move and the output layer is plain least squares.
    fit = ap.fit("sine", "step", 12, seed=4)
    w1, b1 = ap.new_units(0, 12, seed=4)
    np.testing.assert_array_equal(fit.w1, w1.numpy())
    A = np.c_[(np.outer(ap.GRID, w1.numpy()) + b1.numpy() >= 0).astype(float), np.ones_like(ap.GRID)]
    coef, *_ = np.linalg.lstsq(A, np.sin(2 * ap.GRID), rcond=None)
    assert fit.rms == pytest.approx(np.sqrt(np.mean((A @ coef - np.sin(2 * ap.GRID)) ** 2)), rel=1e-6)


def test_same_seed_same_fit_other_seed_other_units():
    a, b = ap.fit("abs", "tanh", 4, seed=7), ap.fit("abs", "tanh", 4, seed=7)
    np.testing.assert_array_equal(a.w1, b.w1)
    assert not np.array_equal(ap.new_units(0, 8, 1)[0], ap.new_units(0, 8, 2)[0])


def test_new_units_spread_over_the_axis():
    # Any first 2^k - 1 units switch at evenly spaced points: here 7 units, every 0.75 from -2.25 to 2.25.
    w1, b1 = ap.new_units(0, 7, seed=0)
    np.testing.assert_allclose(np.sort((-b1 / w1).numpy()), np.arange(-2.25, 2.3, 0.75), atol=1e-12)


def test_van_der_corput():
    assert [ap.van_der_corput(i) for i in range(7)] == [0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875]


def test_points_target_passes_through_the_knots():
    knots = (0.0, 2.0, -1.0, 4.0)
    xs = np.linspace(ap.X_LO, ap.X_HI, len(knots))
    np.testing.assert_allclose(ap.target_curve("points", xs, knots), knots)
    assert ap.target_curve("points", np.array([(xs[0] + xs[1]) / 2]), knots)[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    "text, message",
    [
        ("1", "between 2 and 15"),
        (",".join(["1"] * 16), "between 2 and 15"),
        ("1, abc", "'abc' is not a number"),
        ("1, nan", "outside"),
        ("1, inf", "outside"),
        ("1, 6", "outside"),
        ("", "between 2 and 15"),
    ],
)
def test_bad_knots_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        ap.parse_knots(text)


def test_good_knots():
    assert ap.parse_knots(" 0, 1.5 ;-2,, 5 ") == (0.0, 1.5, -2.0, 5.0)
    assert ap.parse_knots(ap.DEFAULT_KNOTS) == (0, 1, -0.5, 0.5, 0.5, -1, 0)


def test_parent_and_bad_arguments():
    assert [ap.parent(n) for n in (1, 2, 3, 8, 9, 64)] == [None, 1, 2, 4, 8, 32]
    with pytest.raises(ValueError):
        ap.fit("sine", "relu", 65)
    with pytest.raises(ValueError, match="Unknown target"):
        ap.target_curve("cosine", ap.GRID)


def test_read_knots_falls_back_with_a_reason():
    assert ap.read_knots("1, 2") == ((1.0, 2.0), "")
    knots, problem = ap.read_knots(None)
    assert knots == ap.parse_knots(ap.DEFAULT_KNOTS) and "between 2 and 15" in problem
