"""The activation figures draw what they claim: registry curves, units that sum to y-hat, the line W x + b."""

import numpy as np
import pytest
import torch

from core import approximation, data, depth, linearity
from core.activations import ACTIVATIONS, flat_regions
from core.charts import activations as charts


@pytest.mark.parametrize("name", ["sigmoid", "relu", "gelu", "identity"])
def test_card_draws_g_and_its_slope_and_shades_the_flat_parts(name):
    fig = charts.card_figure(name)
    z = torch.as_tensor(np.asarray(fig.data[0].x))
    np.testing.assert_allclose(fig.data[0].y, ACTIVATIONS[name].g(z).numpy())
    np.testing.assert_allclose(fig.data[1].y, ACTIVATIONS[name].dg(z).numpy())
    assert len(fig.layout.shapes) == len(flat_regions(ACTIVATIONS[name], lo=-5, hi=5))


def test_compare_overlays_each_choice_on_both_panels():
    fig = charts.compare_figure(["sigmoid", "tanh"])
    assert [t.name for t in fig.data] == ["Sigmoid", "Sigmoid", "Tanh", "Tanh"]
    assert max(fig.data[1].y) == pytest.approx(0.25, abs=1e-3)  # sigma' peaks at 1/4


def test_unit_lines_are_the_parts_of_the_fit():
    fit = approximation.fit("sine", "relu", 3, seed=0)
    fig = charts.approximation_figure(fit, show_parts=True)
    parts = np.asarray(fig.data[1].y, dtype=float).reshape(3, -1)[:, :-1]  # NaN after each unit
    np.testing.assert_allclose(parts, fit.parts)
    np.testing.assert_allclose(fig.data[-1].y, fit.y_hat)
    assert fig.data[2].y[0] == fig.data[2].y[1] == fit.b2
    assert len(charts.approximation_figure(fit, show_parts=False).data) == 2


def test_error_figure_is_log_log_and_marks_n():
    fig = charts.error_figure([1, 2, 4], [0.5, 0.1, 0.0], 2, 0.1)
    assert fig.layout.xaxis.type == fig.layout.yaxis.type == "log"
    assert min(fig.data[0].y) > 0 and list(fig.data[1].x) == [2]


def test_gradient_figure_hides_exact_zeros_and_says_so():
    X, y = data.make_toy("circle", 50, 0.0, seed=0).X, data.make_toy("circle", 50, 0.0, seed=0).y
    profs = {n: depth.profile(X, y, n, 4, "he", -1.0, seed=0) for n in ("sigmoid", "relu")}
    fig = charts.gradient_figure(profs, "relu")
    assert np.all(np.isnan(np.asarray(fig.data[1].y, dtype=float)))
    assert "every layer" in fig.layout.annotations[0].text
    assert fig.data[1].line.width > fig.data[0].line.width


def test_dead_figure_says_when_none_died():
    X, y = data.make_toy("circle", 50, 0.0, seed=0).X, data.make_toy("circle", 50, 0.0, seed=0).y
    fig = charts.dead_figure(depth.profile(X, y, "sigmoid", 3, "he", 0.0, seed=0))
    assert list(fig.data[0].y) == [0, 0, 0] and fig.layout.annotations[0].text == "no dead units"


def test_identity_plane_draws_the_collapsed_line():
    d = data.make_toy("circle", 100, 0.0, seed=2)
    net = linearity.train(d.X, d.y, "identity", 2, seed=2)
    fig = charts.plane_figure(net, d.X, d.y, "identity")
    line = fig.data[-1]
    _, W, b = linearity.collapse(net.Ws, net.bs)
    np.testing.assert_allclose(np.c_[line.x, line.y] @ W[0] + b[0], 0, atol=1e-9)
