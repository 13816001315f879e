"""Figure builders draw what they claim: the boundary lies on w·x + b = 0, the grid covers the data."""

import numpy as np
import pytest

from core import data, neuron
from core.charts import curves, plane, style
from core.charts import neuron as ncharts


def test_grid_covers_the_data_squarely():
    X = data.make_toy("gauss", 100, 0.2, seed=0).X
    u, v, G = style.grid(X, n=50)
    assert G.shape == (2500, 2)
    assert u[0] < X[:, 0].min() and u[-1] > X[:, 0].max() and v[0] < X[:, 1].min() and v[-1] > X[:, 1].max()
    assert u[-1] - u[0] == pytest.approx(v[-1] - v[0])


@pytest.mark.parametrize("w, b", [([3, -2], 1), ([0.1, 5], -0.3), ([5, 0], 0.5), ([2, 2], 0)])
def test_boundary_points_satisfy_the_line(w, b):
    u = v = np.linspace(-1, 1, 10)
    tr = plane.boundary_trace(u, v, np.array(w, float), b, "line", "#000")
    pts = np.c_[tr.x, tr.y]
    np.testing.assert_allclose(pts @ np.array(w, float) + b, 0, atol=1e-12)


def test_zero_weights_draw_no_line():
    tr = plane.boundary_trace(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3), np.zeros(2), 1.0, "none", "#000")
    assert len(tr.x) == 0


def test_decision_figure_layers_and_discretize():
    d = data.make_toy("gauss", 60, 0.2, seed=0)
    u, v, G = style.grid(d.X, n=20)
    P = neuron.output_map(neuron.MODELS["logistic"], G, [3, -2], 1).reshape(20, 20)
    fig = plane.decision_figure(u, v, P, d.X, d.y, np.array([3.0, -2.0]), 1.0, discretize=True)
    kinds = [t.type for t in fig.data]
    assert kinds == ["heatmap", "scatter", "scatter", "scatter"]
    assert set(np.unique(fig.data[0].z)) <= {0.0, 1.0}
    assert len(fig.data[1].x) + len(fig.data[2].x) == 60
    assert plane.decision_figure(u, v, None, d.X, d.y).data[0].type == "scatter"


def test_log_odds_figure_has_three_panels():
    x = np.linspace(-3, 3, 7)
    fig = ncharts.log_odds_figure(x, *neuron.log_odds_curves(x, 1.0, 0.0))
    assert len(fig.data) == 3
    np.testing.assert_allclose(fig.data[2].y, 1 / (1 + np.exp(-x)))


def test_loss_figure_thins_long_runs_but_keeps_the_ends():
    losses = list(np.linspace(1, 0, 100_000))
    fig = curves.loss_figure(losses, max_points=500)
    assert len(fig.data[0].x) <= 500
    assert fig.data[0].x[0] == 1 and fig.data[0].x[-1] == 100_000
    assert fig.data[0].y[-1] == 0
