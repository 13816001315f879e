"""The 1-D capacity task: the batched sweep against each network trained alone (the playground's NetTrainer and a
plain torch.nn model with torch.optim.Adam), polynomials against numpy and scikit-learn, and the U on the overfit
preset."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression
from sklearn.preprocessing import PolynomialFeatures

from core import capacity as cap
from core import network
from core import overfitting as ov


def _alone_playground(s, spec, epochs, dtype):
    """One network of the sweep, trained by core.network's NetTrainer (hand backprop + torch.optim.Adam)."""
    cfg = network.NetConfig(features=("x1",), hidden=(spec.width,), activations=("tanh",), task="regression",
                            seed=spec.seed)  # fmt: skip
    pad = lambda v: np.c_[v, np.zeros_like(v)]  # noqa: E731
    tr = network.NetTrainer(cfg, pad(s.x), s.y, pad(s.x_val), s.y_val, spec.lr, len(s.x), "adam", dtype=dtype)
    out = {}
    for epoch in range(1, epochs + 1):
        tr.step()
        out[epoch] = tr.metrics()
    return out


def _alone_torch_nn(s, spec, epochs, dtype=torch.float64):
    """The same network as torch.nn layers, autograd, MSELoss and torch.optim.Adam, from the same initial weights."""
    w1, w2 = cap.init_weights(spec.width, spec.seed)
    net = torch.nn.Sequential(torch.nn.Linear(1, spec.width), torch.nn.Tanh(), torch.nn.Linear(spec.width, 1))
    net = net.to(dtype)
    with torch.no_grad():
        net[0].weight.copy_(w1[:, None]), net[0].bias.zero_(), net[2].weight.copy_(w2[None, :]), net[2].bias.zero_()
    opt = torch.optim.Adam(net.parameters(), lr=spec.lr)
    x, y = (torch.tensor(v, dtype=dtype)[:, None] for v in (s.x, s.y))
    xv, yv = (torch.tensor(v, dtype=dtype)[:, None] for v in (s.x_val, s.y_val))
    out = {}
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
        with torch.no_grad():
            out[epoch] = (
                float(torch.nn.functional.mse_loss(net(x), y)),
                float(torch.nn.functional.mse_loss(net(xv), yv)),
            )
    return out


def test_sample_is_seeded_stratified_and_noisy_as_asked():
    a, b = cap.make_sample(12, 0.3, seed=5), cap.make_sample(12, 0.3, seed=5)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.y, cap.make_sample(12, 0.3, seed=6).y)
    np.testing.assert_array_equal(np.floor((a.x + 1) / 2 * 12), np.arange(12))  # one point in each slice
    clean = cap.make_sample(12, 0.0, seed=5)
    np.testing.assert_allclose(clean.y, np.sin(np.pi * clean.x))
    big = cap.make_sample(200, 0.5, seed=1, n_val=20_000)
    assert np.var(big.y_val - np.sin(np.pi * big.x_val)) == pytest.approx(0.25, rel=0.05)
    with pytest.raises(ValueError):
        cap.make_sample(1, 0.3, 0)


@pytest.mark.parametrize("degree", [0, 1, 3, 7])
def test_polynomial_is_least_squares_like_numpy_and_scikit_learn(degree):
    s = cap.make_sample(20, 0.3, seed=2)
    ours = cap.poly_fit(s, degree)(s.x_val)
    np.testing.assert_allclose(ours, np.polyval(np.polyfit(s.x, s.y, degree), s.x_val), atol=1e-8)
    feats = PolynomialFeatures(degree, include_bias=False)
    if degree:
        sk = LinearRegression().fit(feats.fit_transform(s.x[:, None]), s.y)
        np.testing.assert_allclose(ours, sk.predict(feats.transform(s.x_val[:, None])), atol=1e-8)


def test_polynomial_training_error_never_rises_and_interpolates_at_n_minus_1():
    s = cap.make_sample(12, 0.3, seed=1)
    train, val = cap.poly_sweep(s, list(range(12)))
    assert np.all(np.diff(train) <= 1e-12)  # nested least-squares problems
    assert train[11] < 1e-20 and val[11] > 10 * val[3]  # 12 coefficients through 12 points: noise memorised


def test_adam_step_is_torch_optim_adam():
    gen = torch.Generator().manual_seed(0)
    p = torch.randn(50, generator=gen, dtype=torch.float64)
    ref = p.clone().requires_grad_(True)
    opt = torch.optim.Adam([ref], lr=0.05)
    m, v = torch.zeros_like(p), torch.zeros_like(p)
    for t in range(1, 30):
        g = torch.sin(3 * p) + p  # any gradient field
        cap.adam_step(p, g, m, v, torch.full_like(p, 0.05), t)
        opt.zero_grad()
        ref.grad = torch.sin(3 * ref.detach()) + ref.detach()
        opt.step()
    torch.testing.assert_close(p, ref.detach(), rtol=0, atol=1e-14)


def test_batched_sweep_equals_each_playground_net_trained_alone():
    s = cap.make_sample(15, 0.3, seed=3)
    specs = [cap.Spec(1, 4, 0.03), cap.Spec(5, 7, 0.01), cap.Spec(16, 4, 0.1), cap.Spec(3, 0, 0.003)]
    marks = [1, 2, 10, 60]
    b = cap.train_batch(s, specs, 60, marks, dtype=torch.float64)
    for m, spec in enumerate(specs):
        alone = _alone_playground(s, spec, 60, torch.float64)
        for c, e in enumerate(marks):
            assert b.train[c, m] == pytest.approx(alone[e]["train_loss"], rel=1e-9, abs=1e-12)
            assert b.val[c, m] == pytest.approx(alone[e]["test_loss"], rel=1e-9, abs=1e-12)


def test_batched_sweep_equals_torch_nn_alone_for_wide_nets_and_in_float32():
    s = cap.make_sample(15, 0.3, seed=1)
    specs = [cap.Spec(64, 1, 0.03), cap.Spec(200, 2, 0.03), cap.Spec(2, 3, 0.03)]
    b64 = cap.train_batch(s, specs, 40, [40], dtype=torch.float64)
    b32 = cap.train_batch(s, specs, 40, [40], dtype=torch.float32)
    for m, spec in enumerate(specs):
        train, val = _alone_torch_nn(s, spec, 40)[40]
        assert b64.train[0, m] == pytest.approx(train, rel=1e-9) and b64.val[0, m] == pytest.approx(val, rel=1e-9)
        assert b32.val[0, m] == pytest.approx(val, rel=1e-4)


def test_curves_are_the_models_predictions():
    s = cap.make_sample(10, 0.2, seed=0)
    b = cap.train_batch(s, [cap.Spec(3, 0), cap.Spec(7, 1)], 5, [5], dtype=torch.float64)
    alone = _alone_torch_nn(s, cap.Spec(7, 1), 5)
    assert b.curves.shape == (1, 2, len(cap.GRID))
    fit = b.curves[0, 1]
    assert np.mean((np.interp(s.x_val, cap.GRID, fit) - s.y_val) ** 2) == pytest.approx(alone[5][1], rel=2e-3)


def test_caps_refuse_huge_work():
    s = cap.make_sample(10, 0.2, seed=0)
    with pytest.raises(ValueError):
        cap.train_batch(s, [cap.Spec(10, 0)], cap.MAX_EPOCHS + 1, [1])
    with pytest.raises(ValueError):
        cap.train_batch(s, [cap.Spec(cap.MAX_UNITS + 1, 0)], 1, [1])


def test_u_shape_reads_a_curve():
    assert cap.u_shape([1, 2, 4, 8], np.array([3.0, 1.0, 2.0, 1.5])) == (2, 4, 0.25)
    assert cap.u_shape([1, 2, 4], np.array([3.0, 2.0, 1.0])) == (4, None, 0.0)
    assert cap.u_shape([1, 2, 4], np.array([3.0, 1.0, 1.01])) == (2, None, 0.0)


def test_overfit_preset_training_error_falls_while_validation_error_rises():
    """The page's default sweep: wider nets fit the training points better and the validation points worse."""
    sw = ov.sweep(15, 0.3, 1, 3000)
    train, val = sw.train[-1].mean(axis=1), sw.val[-1].mean(axis=1)
    assert train[-1] < 0.3 * train[0] and train[-1] < 0.09  # below the noise floor: memorising
    assert val[-1] > 1.2 * val.min() and np.argmin(val) < len(val) // 2
    assert np.all(sw.train >= 0) and sw.batch.checkpoints == [100, 300, 1000, 3000]
