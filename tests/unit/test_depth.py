"""Vanishing gradients: the hand-written chain rule equals autograd; sigmoid's gradient collapses, ReLU's does not."""

import numpy as np
import pytest
import torch

from core import data, depth
from core.activations import ACTIVATIONS


@pytest.fixture(scope="module")
def circle():
    return data.make_toy("circle", 200, 0.0, seed=1)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_backward_matches_autograd(circle, name):
    Ws, bs = depth.init_stack(6, "he", 0.1, seed=2)
    X, y = torch.as_tensor(circle.X), torch.as_tensor(circle.y, dtype=torch.float64)
    loss, dWs, dbs, _ = depth.backward(X, y, Ws, bs, name)
    params = [p.clone().requires_grad_() for p in Ws + bs]
    zs, _ = depth.forward(X, params[:7], params[7:], name)
    ref = torch.nn.functional.binary_cross_entropy_with_logits(zs[-1][:, 0], y)
    grads = torch.autograd.grad(ref, params, allow_unused=True)  # step: no path back to the hidden weights
    assert loss == pytest.approx(float(ref.detach()))
    for mine, auto in zip(dWs + dbs, grads, strict=True):
        torch.testing.assert_close(mine, torch.zeros_like(mine) if auto is None else auto, rtol=1e-9, atol=1e-15)


def test_sigmoid_gradient_shrinks_and_relu_does_not_at_depth_10(circle):
    sig = depth.profile(circle.X, circle.y, "sigmoid", 10, "he", 0.0, seed=1).grad_norms
    relu = depth.profile(circle.X, circle.y, "relu", 10, "he", 0.0, seed=1).grad_norms
    assert sig[0] / sig[-1] < 1e-4 and np.all(np.diff(np.log(sig)) > 0)  # smaller at every step towards the input
    assert relu[0] / relu[-1] > 1e-2 and relu.max() / relu.min() < 100


def test_sigmoid_slopes_never_exceed_a_quarter(circle):
    prof = depth.profile(circle.X, circle.y, "sigmoid", 5, "xavier", 0.0, seed=0)
    assert np.all(prof.mean_slope <= 0.25) and np.all(prof.dead == 0)


def test_dead_units_counted_against_a_torch_forward(circle):
    prof = depth.profile(circle.X, circle.y, "relu", 8, "xavier", -0.3, seed=4)
    Ws, bs = depth.init_stack(8, "xavier", -0.3, seed=4)
    a, dead, on = torch.as_tensor(circle.X), [], []
    for W, b in zip(Ws[:-1], bs[:-1], strict=True):
        z = torch.nn.functional.linear(a, W, b)
        dead.append(float((z <= 0).all(dim=0).double().mean()))  # never on for any example
        on.append(float((z > 0).double().mean()))  # ReLU's slope is 1 exactly when the unit is on
        a = torch.relu(z)
    np.testing.assert_allclose(prof.dead, dead)
    np.testing.assert_allclose(prof.mean_slope, on)
    assert prof.dead.mean() > 0.5


def test_a_negative_bias_kills_every_gradient(circle):
    prof = depth.profile(circle.X, circle.y, "relu", 10, "he", -0.5, seed=1)
    assert np.all(prof.grad_norms == 0) and prof.dead[-1] == 1.0
    assert np.all(depth.profile(circle.X, circle.y, "leaky_relu", 10, "he", -0.5, seed=1).dead == 0)


@pytest.mark.parametrize("init, std", [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(2 / 800))])
def test_initial_weights_have_the_stated_spread(init, std):
    Ws, bs = depth.init_stack(2, init, 0.25, seed=0, width=400)
    assert float(Ws[1].std()) == pytest.approx(std, rel=0.02)
    assert torch.all(bs[1] == 0.25)


def test_bad_arguments():
    with pytest.raises(ValueError):
        depth.init_stack(depth.MAX_DEPTH + 1, "he", 0.0, 0)
    with pytest.raises(ValueError, match="Unknown init"):
        depth.init_stack(3, "lecun", 0.0, 0)
