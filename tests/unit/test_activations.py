"""Every hand-written derivative in the registry agrees with torch autograd."""

import pytest
import torch

from core.activations import ACTIVATIONS, get

Z = torch.linspace(-6, 6, 1201, dtype=torch.float64)
Z = Z[Z.abs() > 1e-3]  # kinks at 0 (ReLU, step) have no derivative


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "step"])
def test_derivative_matches_autograd(name):
    act = ACTIVATIONS[name]
    z = Z.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(act.g(z).sum(), z)
    torch.testing.assert_close(act.dg(Z), grad, rtol=1e-9, atol=1e-12)


def test_step_derivative_is_zero_by_finite_differences():
    act = ACTIVATIONS["step"]
    h = 1e-6
    torch.testing.assert_close((act.g(Z + h) - act.g(Z - h)) / (2 * h), act.dg(Z))


@pytest.mark.parametrize(
    "name, reference",
    [
        ("sigmoid", torch.sigmoid),
        ("tanh", torch.tanh),
        ("relu", torch.relu),
        ("softplus", torch.nn.functional.softplus),
        ("gelu", torch.nn.functional.gelu),
        ("elu", torch.nn.functional.elu),
        ("leaky_relu", torch.nn.functional.leaky_relu),
    ],
)
def test_values_match_torch(name, reference):
    torch.testing.assert_close(ACTIVATIONS[name].g(Z), reference(Z))


def test_sigmoid_derivative_peaks_at_a_quarter():
    # The vanishing-gradient fact the lecture quotes.
    assert float(ACTIVATIONS["sigmoid"].dg(Z).max()) == pytest.approx(0.25, abs=1e-5)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="relu"):
        get("swish2")
