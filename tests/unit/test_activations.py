"""The registry: every hand-written derivative agrees with autograd; flat regions and slopes match closed forms."""

import math

import pytest
import torch

from core.activations import ACTIVATIONS, FLAT, describe_flat, flat_regions, get, max_slope

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


EDGES = torch.tensor([-80.0, -30.0, -20.0, -1e-3, -1e-6, 1e-6, 1e-3, 20.0, 30.0, 80.0], dtype=torch.float64)


def test_registry_is_complete():
    expected = {"sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "gelu", "identity", "step"}
    assert set(ACTIVATIONS) == expected
    for name, act in ACTIVATIONS.items():
        assert act.name == name and act.label and act.out_range and act.since and act.role
        assert act.latex.count("(z)") >= 1 and act.dlatex.count("'(z)") == 1, name
        assert act.g(Z).shape == act.dg(Z).shape == Z.shape


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "step"])
def test_derivative_matches_autograd_near_zero_and_far_out(name):
    act = ACTIVATIONS[name]
    z = EDGES.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(act.g(z).sum(), z)
    torch.testing.assert_close(act.dg(EDGES), grad, rtol=1e-9, atol=1e-15)
    assert torch.isfinite(act.g(EDGES)).all() and torch.isfinite(act.dg(EDGES)).all()


# Where |g'(z)| = 0.01, solved by hand: the oracle for the flat regions the gallery reports.
_S = (1 + math.sqrt(1 - 4 * FLAT)) / 2


@pytest.mark.parametrize(
    "name, regions",
    [
        ("sigmoid", [(-10, -math.log(_S / (1 - _S))), (math.log(_S / (1 - _S)), 10)]),
        ("tanh", [(-10, -math.atanh(math.sqrt(1 - FLAT))), (math.atanh(math.sqrt(1 - FLAT)), 10)]),
        ("softplus", [(-10, math.log(FLAT / (1 - FLAT)))]),
        ("elu", [(-10, math.log(FLAT))]),
        ("relu", [(-10, 0.0)]),
        ("step", [(-10, 10)]),
        ("identity", []),
        ("leaky_relu", []),
    ],
)
def test_flat_regions_match_closed_forms(name, regions):
    got = flat_regions(ACTIVATIONS[name])
    assert len(got) == len(regions)
    for (a, b), (ea, eb) in zip(got, regions, strict=True):
        assert a == pytest.approx(ea, abs=6e-4) and b == pytest.approx(eb, abs=6e-4)


def test_gelu_flat_regions_hold_by_bisection():
    # g'(z) = Phi(z) + z phi(z), written with math.erf: find where |g'| crosses 0.01 by bisection.
    def slope(z):
        return 0.5 * (1 + math.erf(z / math.sqrt(2))) + z * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    def root(lo, hi, level):
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if (slope(lo) - level) * (slope(mid) - level) > 0 else (lo, mid)
        return lo

    expected = [(-10, root(-5, -2, -FLAT)), (root(-0.9, -0.75, -FLAT), root(-0.75, -0.6, FLAT))]
    got = flat_regions(ACTIVATIONS["gelu"])
    assert [(a if a == -10 else pytest.approx(a, abs=6e-4), pytest.approx(b, abs=6e-4)) for a, b in expected] == got


def test_describe_flat_in_words():
    assert describe_flat(flat_regions(ACTIVATIONS["sigmoid"])) == "z < −4.58 and z > 4.58"
    assert describe_flat(flat_regions(ACTIVATIONS["relu"])) == "z < 0"
    assert describe_flat(flat_regions(ACTIVATIONS["step"])) == "everywhere"
    assert describe_flat(flat_regions(ACTIVATIONS["identity"])) == "nowhere"
    assert describe_flat([(-1.5, 2.25)]) == "−1.5 < z < 2.25"


def test_max_slopes_match_closed_forms():
    assert max_slope(ACTIVATIONS["sigmoid"]) == pytest.approx(0.25, abs=1e-12)
    assert max_slope(ACTIVATIONS["tanh"]) == pytest.approx(1.0, abs=1e-12)
    assert max_slope(ACTIVATIONS["step"]) == 0.0
    # GELU's slope peaks where its derivative phi(z)(2 - z^2) is 0: at z = sqrt(2).
    r = math.sqrt(2)
    peak = 0.5 * (1 + math.erf(r / math.sqrt(2))) + r * math.exp(-1) / math.sqrt(2 * math.pi)
    assert max_slope(ACTIVATIONS["gelu"]) == pytest.approx(peak, abs=1e-6)


@pytest.mark.parametrize(
    "name, lo, hi",
    [
        ("sigmoid", 0, 1),
        ("tanh", -1, 1),
        ("relu", 0, math.inf),
        ("softplus", 0, math.inf),
        ("elu", -1, math.inf),
        ("gelu", -0.17, math.inf),
        ("step", 0, 1),
    ],
)
def test_output_ranges_hold_on_a_wide_grid(name, lo, hi):
    a = ACTIVATIONS[name].g(torch.linspace(-30, 30, 60_001, dtype=torch.float64))
    assert float(a.min()) >= lo - 1e-3 and float(a.max()) <= hi
    assert ACTIVATIONS[name].out_range.replace("≈", "").startswith(("(", "[", "{"))


def test_gelu_minimum_is_the_quoted_minus_0_17():
    # GELU' = 0 where Phi(z) = -z phi(z), near z = -0.7518; the minimum value is about -0.170.
    z = torch.linspace(-3, 0, 300_001, dtype=torch.float64)
    assert float(ACTIVATIONS["gelu"].g(z).min()) == pytest.approx(-0.16997, abs=1e-4)
