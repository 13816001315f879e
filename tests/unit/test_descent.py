"""Gradient descent core and charts, each checked against an independent oracle: closed forms for quadratics,
torch autograd and finite differences for derivatives, the optimizers' published update rules written out by hand,
numpy gradient descent and scikit-learn for linear regression, and plain arithmetic for the batch calculator."""

import math

import numpy as np
import pytest
import torch
from sklearn.linear_model import LinearRegression

from core import descent
from core.charts import descent as charts
from core.expression import parse

RNG = np.random.default_rng(42)


def test_the_lecture_exercise_exactly():
    run = descent.descend_1d(parse("x^2"), 9, 0.1, 3)
    assert [descent.fmt(v) for v in run.x_next] == ["7.2", "5.76", "4.608"]
    assert [descent.fmt(v) for v in run.x] == ["9", "7.2", "5.76", "4.608"]
    assert [descent.fmt(v) for v in run.f] == ["81", "51.84", "33.1776", "21.233664"]
    assert [descent.fmt(v) for v in run.df] == ["18", "14.4", "11.52", "9.216"]
    assert run.status == "done" and not run.message


def test_fmt_hides_float_noise_but_not_real_digits():
    f3 = descent.descend_1d(parse("x^2"), 9, 0.1, 3).f[-1]
    assert f3 != 21.233664  # the noise is real in float arithmetic (4.608**2 = 21.233663999999997) ...
    assert descent.fmt(f3) == "21.233664"  # ... and the table does not show it
    assert [descent.fmt(v) for v in (0.1 + 0.2, -0.0, 1 / 3, -2.5e-12, 123456789012)] == [
        "0.3",
        "0",
        "0.3333333333",
        "-2.5e-12",
        "1.23456789e+11",
    ]


@pytest.mark.parametrize("seed", range(5))
def test_step_tables_on_quadratics_match_the_closed_form(seed):
    """f = a (x - b)^2 + c gives x_t = b + (x0 - b)(1 - 2 a alpha)^t exactly."""
    rng = np.random.default_rng(seed)
    a, b, c, x0 = rng.uniform(0.2, 3), rng.uniform(-3, 3), rng.uniform(-2, 2), rng.uniform(-8, 8)
    alpha = rng.uniform(0.01, 0.9 / a)  # below 2/f'' = 1/a: no divergence
    run = descent.descend_1d(parse(f"{a!r}*(x - {b!r})^2 + {c!r}"), x0, alpha, 12)
    t = np.arange(13)
    x = b + (x0 - b) * (1 - 2 * a * alpha) ** t
    np.testing.assert_allclose(run.x, x, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.f, a * (x - b) ** 2 + c, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.df, 2 * a * (x - b), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.x_next, x[1:], rtol=1e-10, atol=1e-12)
    assert descent.quadratic_curvature(parse(f"{a!r}*(x - {b!r})^2 + {c!r}")) == pytest.approx(2 * a, rel=1e-12)


FORMULAS = [
    ("x**4 - 3*x**2 + x", lambda x: x**4 - 3 * x**2 + x),
    ("sin(3*x) + 0.1*x^2", lambda x: torch.sin(3 * x) + 0.1 * x**2),
    ("exp(-x^2) * cos(x)", lambda x: torch.exp(-(x**2)) * torch.cos(x)),
    ("sqrt(x^2 + 1) + tanh(x) - sigmoid(2*x)", lambda x: torch.sqrt(x**2 + 1) + torch.tanh(x) - torch.sigmoid(2 * x)),
    ("log(1 + x^2) / (1 + abs(x))", lambda x: torch.log(1 + x**2) / (1 + torch.abs(x))),
    ("x/(1 + x^2) - tan(x/3)", lambda x: x / (1 + x**2) - torch.tan(x / 3)),
]


@pytest.mark.parametrize("text, torch_f", FORMULAS, ids=[t for t, _ in FORMULAS])
def test_derivatives_of_parsed_formulas_match_autograd_and_finite_differences(text, torch_f):
    x = RNG.uniform(-2.5, 2.5, 40)
    x = x[np.abs(x) > 1e-3]  # keep away from abs's kink
    f, df, d2f = descent.derivatives(parse(text), x)
    xt = torch.as_tensor(x).requires_grad_(True)
    y = torch_f(xt)
    (g,) = torch.autograd.grad(y.sum(), xt, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), xt)
    np.testing.assert_allclose(f, y.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(df, g.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(d2f, h.numpy(), rtol=1e-9, atol=1e-10)
    eps = 1e-6
    fd = (torch_f(torch.as_tensor(x + eps)) - torch_f(torch.as_tensor(x - eps))).numpy() / (2 * eps)
    np.testing.assert_allclose(df, fd, rtol=1e-6, atol=1e-6)


def test_schedules_follow_their_formulas():
    a = 0.8
    rates = {name: [rate(a, t) for t in range(12)] for name, (rate, _) in descent.SCHEDULES.items()}
    assert rates["constant"] == [a] * 12
    assert rates["step decay"] == [a] * 5 + [a / 2] * 5 + [a / 4] * 2
    np.testing.assert_allclose(rates["exponential"], a * 0.9 ** np.arange(12))
    np.testing.assert_allclose(rates["1/t"], a / (1 + np.arange(12) / 5))
    run = descent.descend_1d(parse("x^2"), 9, a, 11, "exponential")
    x = 9.0
    for t in range(11):
        x -= a * 0.9**t * 2 * x
    assert run.x[-1] == pytest.approx(x, rel=1e-12)
    np.testing.assert_allclose(run.alpha, rates["exponential"][:11])


def test_a_decaying_rate_tames_an_oscillating_one():
    constant = descent.descend_1d(parse("x^2"), 9, 0.95, 20)
    decayed = descent.descend_1d(parse("x^2"), 9, 0.95, 20, "1/t")
    assert abs(decayed.x[-1]) < abs(constant.x[-1]) / 100


@pytest.mark.parametrize("a", [0.5, 1.0, 3.0, 0.05])
def test_regimes_on_quadratics_agree_with_the_theory(a):
    """For f = a x^2 (f'' = 2a): alpha < 1/f'' is monotone, 1/f'' < alpha < 2/f'' oscillates, alpha > 2/f'' diverges."""
    f = parse(f"{a}*x^2")
    c = 2 * a
    found = descent.regimes(f, 9.0)
    assert found["too small"] <= found["good"] / 30
    assert found["good"] < 1 / c < found["oscillating"] < 2 / c < found["divergent"]
    good = descent.descend_1d(f, 9.0, found["good"], 25)
    assert np.all(np.diff(good.x) < 0) and good.x[-1] < 0.1  # walks straight down, and gets there
    osc = descent.descend_1d(f, 9.0, found["oscillating"], 25)
    assert np.all(np.sign(osc.x[1:]) != np.sign(osc.x[:-1])) and abs(osc.x[-1]) < 9  # flips side, shrinking
    wild = descent.descend_1d(f, 9.0, found["divergent"], 25)
    assert wild.status == "diverged" and abs(wild.x[-1]) > 9
    small = descent.descend_1d(f, 9.0, found["too small"], 25)
    assert small.x[-1] > 0.5 * 9  # after 25 steps, not even halfway


def test_classify_names_what_each_rate_does():
    assert descent.classify(parse("x^2"), 9, [0.1, 0.7, 1.1]) == ["monotone", "oscillating", "diverging"]
    assert descent.classify(parse("x"), 9, [0.1, 1e6]) == ["monotone", "runaway"]


@pytest.mark.parametrize("text", ["x", "-x^2", "exp(-x)", "5"])
def test_no_regimes_without_a_minimum(text):
    assert descent.regimes(parse(text), 9.0) is None


def test_regimes_on_a_non_convex_function_are_checked_by_running_them():
    f = parse("sin(3*x) + 0.1*x^2")
    found = descent.regimes(f, 9.0)
    assert descent.classify(f, 9.0, [found[k] for k in ("good", "oscillating", "divergent")]) == [
        "monotone",
        "oscillating",
        "diverging",
    ]


def test_divergence_stops_and_explains():
    run = descent.descend_1d(parse("x^2"), 9, 1.5, 60)  # x_t = 9 (-2)^t passes 1e6 at t = 17
    assert run.status == "diverged" and "Stopped at step 17" in run.message and "too large" in run.message
    assert len(run.x) == 17 and np.all(np.isfinite(run.x)) and abs(run.x_next[-1]) > descent.X_MAX
    slow = descent.descend_1d(parse("x^2"), 9, 1.1, 25)
    assert slow.status == "diverged" and "went up" in slow.message


def test_leaving_where_f_is_defined_stops_and_names_the_cause():
    run = descent.descend_1d(parse("log(x) + x^2"), 1.0, 2.0, 10)  # x_1 = 1 - 2 * 3 = -5
    assert run.status == "undefined" and "log needs a positive number" in run.message
    assert run.x.tolist() == [1.0] and run.x_next.tolist() == [-5.0]


def test_curve_spans_the_points_and_hides_undefined_values():
    x, fx = descent.curve(parse("log(x)"), np.array([0.5, 4.0]))
    assert x[0] < 0.5 and x[-1] > 4.0 and len(x) == 400
    assert np.all(np.isnan(fx[x <= 0])) and np.all(np.isfinite(fx[x > 0.01]))


def _bowl_gradient(theta, x, y):
    r = theta[0] + theta[1] * x - y
    return np.array([r.mean(), (r * x).mean()])


def _by_hand(grad, start, rule: str, lr: float, steps: int) -> np.ndarray:
    """The update rules as torch.optim's documentation states them, written out with numpy."""
    th = np.array(start, dtype=float)
    b = v = m = np.zeros(2)
    path = [th.copy()]
    for t in range(1, steps + 1):
        g = grad(th)
        if rule == "gd":
            th = th - lr * g
        elif rule in ("momentum", "nesterov"):
            b = g if t == 1 else 0.9 * b + g
            th = th - lr * (g + 0.9 * b if rule == "nesterov" else b)
        elif rule == "rmsprop":
            v = 0.9 * v + 0.1 * g**2
            th = th - lr * g / (np.sqrt(v) + 1e-8)
        else:  # adam
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            th = th - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        path.append(th.copy())
    return np.array(path)


@pytest.mark.parametrize("rule", list(descent.OPTIMIZERS))
def test_optimizer_paths_equal_the_update_rules_by_hand(rule):
    x, y = descent.regression_data(200, 1)
    ls = descent.landscapes(1)["bowl"]
    lr = 0.1
    path = descent.optimize(ls.J, ls.start, rule, lr, descent.Stop(0, 0, 40))
    assert path.reason == "max_iter" and len(path.theta) == 41
    # 40 steps: RMSProp later hops around the bottom, where rounding differences grow by chaos, not by error
    expected = _by_hand(lambda th: _bowl_gradient(th, x, y), ls.start, rule, lr, 40)
    np.testing.assert_allclose(path.theta, expected, rtol=1e-9, atol=1e-11)


def test_the_bowl_is_linear_regression_and_its_bottom_is_scikit_learns_fit():
    x, y = descent.regression_data(200, 1)
    J = descent.regression_cost(x, y)
    t0, t1 = RNG.normal(size=5), RNG.normal(size=5)
    direct = [((a + b * x - y) ** 2).sum() / (2 * len(x)) for a, b in zip(t0, t1, strict=True)]
    np.testing.assert_allclose(J(torch.as_tensor(t0), torch.as_tensor(t1)).numpy(), direct, rtol=1e-12)
    ref = LinearRegression().fit(x[:, None], y)
    path = descent.optimize(J, (-3.0, 4.5), "gd", 0.5, descent.Stop(1e-10, 0, 2000))
    assert path.reason == "gradient"
    np.testing.assert_allclose(path.theta[-1], [ref.intercept_, ref.coef_[0]], atol=1e-8)


def test_each_stopping_criterion_fires_and_says_so():
    ls = descent.landscapes(1)["bowl"]
    flat = descent.optimize(ls.J, ls.start, "gd", 0.1, descent.Stop(grad_tol=1e3))
    assert (flat.reason, len(flat.J), flat.message) == ("gradient", 1, "‖∇J‖ < 1000")
    still = descent.optimize(ls.J, ls.start, "gd", 0.1, descent.Stop(grad_tol=0, loss_tol=1e9))
    assert (still.reason, len(still.J), still.message) == ("loss", 2, "|ΔJ| < 1e+09")
    capped = descent.optimize(ls.J, ls.start, "gd", 0.1, descent.Stop(0, 0, 10))
    assert (capped.reason, len(capped.J), capped.message) == ("max_iter", 11, "reached 10 iterations")
    assert capped.grad_norm[-1] > 0 and abs(capped.J[-1] - capped.J[-2]) > 0
    default = descent.optimize(ls.J, ls.start, "gd", 0.1, descent.Stop(1e-4, 0, 2000))
    assert default.reason == "gradient" and default.grad_norm[-1] < 1e-4 <= default.grad_norm[-2]


def test_a_diverging_optimizer_is_stopped_with_finite_history():
    ls = descent.landscapes(1)["valley"]
    path = descent.optimize(ls.J, ls.start, "gd", 2.0, descent.Stop())
    assert path.reason == "diverged" and "diverged at iteration" in path.message
    assert len(path.J) >= 1 and np.all(np.isfinite(path.J)) and np.all(np.isfinite(path.theta))


def test_landscapes_have_their_minima_and_saddles_where_the_formulas_say():
    L = descent.landscapes(1)
    points = {
        "saddle": [(0, 1, -0.25), (0, -1, -0.25), (0, 0, 0.0)],
        "valley": [(1, 1, 0.0)],
        "minima": [(3, 2, 0), (-2.805118, 3.131312, 0), (-3.779310, -3.283186, 0), (3.584428, -1.848126, 0)],
    }
    for key, pts in points.items():
        for a, b, value in pts:
            theta = torch.tensor([a, b], dtype=torch.float64, requires_grad=True)
            J = L[key].J(theta[0], theta[1])
            J.backward()
            J = J.detach()
            assert J.item() == pytest.approx(value, abs=1e-9)
            assert float(theta.grad.norm()) < 1e-4


def test_gradient_descent_stops_on_the_saddle_when_started_on_its_ridge():
    ls = descent.landscapes(1)["saddle"]
    on_ridge = descent.optimize(ls.J, (-2.0, 0.0), "gd", 0.1, descent.Stop())
    assert on_ridge.reason == "gradient" and np.abs(on_ridge.theta[-1]).max() < 1e-3  # (0, 0): not a minimum
    nudged = descent.optimize(ls.J, (-2.0, 0.01), "gd", 0.1, descent.Stop())
    assert nudged.J[-1] == pytest.approx(-0.25, abs=1e-8)


def test_surface_grid_layout():
    ls = descent.landscapes(1)["valley"]
    u, v, Z = descent.surface(ls.J, ls.box, n=7)
    assert Z.shape == (7, 7)
    assert Z[2, 5] == pytest.approx((1 - u[5]) ** 2 + 10 * (v[2] - u[5] ** 2) ** 2)


def test_the_box_grows_to_show_a_path_but_not_without_limit():
    ls = descent.landscapes(1)["valley"]  # box (-2, 2, -1, 3)
    assert ls.around(np.array([[0.0, 0.0]])) == ls.box
    a, b, c, d = ls.around(np.array([[2.5, 0.0], [0.0, 1e9], [np.nan, 0.0]]))
    assert a == -2 and 2.5 < b < 3 and c == -1 and d == 5  # grown by at most half the box


@pytest.mark.parametrize(
    "n, b, epochs, per_epoch, iterations, last",
    [
        (200, 40, 1, 5, 5, 40),
        (200, 40, 10, 5, 50, 40),
        (200, 25, 3, 8, 24, 25),
        (201, 40, 2, 6, 12, 1),
        (7, 7, 4, 1, 4, 7),
    ],
)
def test_batch_arithmetic(n, b, epochs, per_epoch, iterations, last):
    plan = descent.BatchPlan(n, b, epochs)
    assert (plan.batches_per_epoch, plan.iterations, plan.last_batch) == (per_epoch, iterations, last)


def test_full_batch_path_is_plain_gradient_descent():
    x, y = descent.regression_data(60, 3)
    path = descent.minibatch_path(x, y, (-3.0, -2.0), 0.3, 60, 8, seed=5)
    th, expected = np.array([-3.0, -2.0]), [np.array([-3.0, -2.0])]
    for _ in range(8):
        th = th - 0.3 * _bowl_gradient(th, x, y)
        expected.append(th)
    np.testing.assert_allclose(path.theta, expected, rtol=1e-12)
    np.testing.assert_allclose(path.J, [((a + b * x - y) ** 2).mean() / 2 for a, b in expected], rtol=1e-12)


def test_mini_batches_visit_every_record_once_per_epoch_in_a_seeded_order():
    x, y = descent.regression_data(50, 2)
    path = descent.minibatch_path(x, y, (0.0, 0.0), 0.05, 15, 3, seed=9)
    assert len(path.theta) == 1 + 3 * 4  # ceil(50 / 15) = 4 updates per epoch
    gen = torch.Generator().manual_seed(9)
    th, expected = np.zeros(2), [np.zeros(2)]
    for _ in range(3):
        order = torch.randperm(50, generator=gen).numpy()
        assert sorted(order) == list(range(50))
        for i in range(0, 50, 15):
            idx = order[i : i + 15]
            th = th - 0.05 * _bowl_gradient(th, x[idx], y[idx])
            expected.append(th)
    np.testing.assert_allclose(path.theta, expected, rtol=1e-10)
    again = descent.minibatch_path(x, y, (0.0, 0.0), 0.05, 15, 3, seed=9)
    other = descent.minibatch_path(x, y, (0.0, 0.0), 0.05, 15, 3, seed=10)
    assert np.array_equal(path.theta, again.theta) and not np.array_equal(path.theta, other.theta)


def test_batch_race_same_epochs_different_step_counts_and_a_cap():
    x, y = descent.regression_data(200, 1)
    runs = descent.batch_race(x, y, 40, 10, 0.1, seed=1)
    assert [(len(p.J) - 1, per) for p, per in runs.values()] == [(10, 1), (50, 5), (2000, 200)]
    sgd = runs["SGD (1)"][0]
    assert np.abs(np.diff(sgd.J[-200:])).max() > 1e-3  # SGD never sits still: its cost jitters
    with pytest.raises(ValueError, match="10,000 updates"):
        descent.minibatch_path(*descent.regression_data(600, 1), (0.0, 0.0), 0.1, 1, 20, seed=1)
    wild = descent.batch_race(x, y, 40, 5, 50.0, seed=1)
    assert all(p.reason == "diverged" and np.all(np.isfinite(p.J)) for p, _ in wild.values())


def test_race_uses_each_optimizers_own_kind_of_rate():
    ls = descent.landscapes(1)["bowl"]
    paths = descent.race(ls, ls.start, 0.1, 0.05, descent.Stop(0, 0, 3))
    assert list(paths) == [name for name, _, _ in descent.OPTIMIZERS.values()]
    first_adam_step = np.abs(paths["Adam"].theta[1] - paths["Adam"].theta[0])
    np.testing.assert_allclose(first_adam_step, 0.05, rtol=1e-6)  # Adam's first step is alpha in each coordinate


def test_steps_chart_draws_the_run_its_tangents_and_its_steps():
    run = descent.descend_1d(parse("x^2"), 9, 0.1, 3)
    fig = charts.steps_figure(*descent.curve(parse("x^2"), run.x), run, "f(x) = x^2")
    points = next(t for t in fig.data if t.name == "xₜ")
    assert list(points.x) == list(run.x) and list(points.text) == ["x₀", "x₁", "x₂", "x₃"]
    tangent = next(t for t in fig.data if t.name.startswith("tangent"))
    x0, x1, y0, y1 = tangent.x[0], tangent.x[1], tangent.y[0], tangent.y[1]
    assert (y1 - y0) / (x1 - x0) == pytest.approx(18)  # slope f'(9) = 18
    step = next(t for t in fig.data if t.name.startswith("step"))
    assert list(step.x[:2]) == [9, pytest.approx(7.2)] and list(step.y[:2]) == [81, 81]


def test_regimes_chart_names_each_rate_and_lets_divergence_leave_the_view():
    runs = descent.regime_runs(parse("x^2"), 9.0)
    fig = charts.regimes_figure(runs)
    assert [t.name for t in fig.data] == [f"{k} (α = {descent.fmt(a)})" for k, (a, _) in runs.items()]
    wild = fig.data[-1]
    lo, hi = fig.layout.yaxis.range
    assert len(wild.y) < 26 and not lo <= wild.y[-1] <= hi


def test_landscape_and_cost_charts():
    ls = descent.landscapes(1)["bowl"]
    paths = descent.race(ls, ls.start, 0.1, 0.1, descent.Stop(0, 0, 20))
    u, v, Z = descent.surface(ls.J, ls.box, n=30)
    fig = charts.landscape_figure(u, v, Z, {k: (p.theta, p.J) for k, p in paths.items()})
    contour = fig.data[0]
    assert contour.type == "contour" and np.allclose(np.asarray(contour.customdata), Z)
    assert [t.name for t in fig.data[1:6]] == list(paths)[::-1]  # drawn last-first, so the first is on top
    assert [t.legendrank for t in fig.data[1:6]] == [4, 3, 2, 1, 0]  # but listed first in the legend
    assert len(fig.data[-1].x) == charts.CLICK_GRID**2  # the invisible points that catch a click
    surf = charts.landscape_figure(u, v, Z, {k: (p.theta, p.J) for k, p in paths.items()}, surface=True)
    assert surf.data[0].type == "surface" and surf.data[5].type == "scatter3d"
    assert list(surf.data[5].z) == pytest.approx(list(paths["Gradient descent"].J))
    cost = charts.cost_figure({k: p.J for k, p in paths.items()})
    assert cost.layout.yaxis.type == "log" and len(cost.data) == 5
    per_epoch = charts.cost_figure({"a": np.ones(11), "b": np.ones(3)}, "epoch", {"a": 5, "b": 1})
    assert per_epoch.data[0].x[-1] == 2 and per_epoch.data[1].x[-1] == 2 and per_epoch.layout.yaxis.type == "log"
    assert math.isclose(per_epoch.data[0].x[1], 0.2)


def test_rmsprop_hops_across_the_floor_so_the_loss_change_test_fires_early():
    """The page's claim: with a constant alpha RMSProp ends bouncing between two points; J repeats, grad J does not
    vanish."""
    ls = descent.landscapes(1)["bowl"]
    path = descent.optimize(ls.J, ls.start, "rmsprop", ls.lr_adaptive, descent.Stop())
    assert path.reason == "loss" and path.grad_norm[-1] > 0.1
    np.testing.assert_allclose(path.theta[-1], path.theta[-3], atol=1e-6)  # period two
    assert np.linalg.norm(path.theta[-1] - path.theta[-2]) > 0.1
