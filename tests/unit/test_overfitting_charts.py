"""The overfitting page's figures and views: every drawn number is the computed one, every marker sits where the
thing it marks is (best epoch, exact zeros, tried cells, your width), and the views agree with their sources."""

import numpy as np
import pytest

from core import capacity as cap
from core import overfitting as ov
from core import regularization as reg
from core import search
from core.charts import overfitting as charts


def trace(fig, name):
    return next(t for t in fig.data if t.name == name)


@pytest.fixture(scope="module")
def sw():
    return ov.sweep(12, 0.3, 2, 300)


def test_capacity_view_reads_the_sweep_and_the_polynomial(sw):
    view = ov.capacity(sw, 8, 4)
    k = ov.WIDTHS.index(8)
    assert view.net == (sw.train[-1, k, 0], sw.val[-1, k, 0])
    p = np.polyfit(sw.s.x, sw.s.y, 4)
    assert view.poly[1] == pytest.approx(np.mean((np.polyval(p, sw.s.x_val) - sw.s.y_val) ** 2), rel=1e-9)
    fit = view.figs[0]
    np.testing.assert_array_equal(trace(fit, "network").y, sw.batch.curves[-1, k * ov.N_SEEDS])
    np.testing.assert_array_equal(trace(fit, "training points").x, sw.s.x)
    assert view.shape == cap.u_shape(ov.WIDTHS, sw.val[-1].mean(axis=1))


def test_sweep_figure_draws_means_seeds_floor_and_your_width(sw):
    fig = charts.sweep_figure(ov.WIDTHS, sw.train, sw.val, sw.batch.checkpoints, 64, 0.09)
    np.testing.assert_allclose(trace(fig, "validation, 300 epochs").y, sw.val[-1].mean(axis=1))
    np.testing.assert_allclose(trace(fig, "training, 300 epochs").y, sw.train[-1].mean(axis=1))
    assert sum(t.name == "validation, fewer epochs" for t in fig.data) == len(sw.batch.checkpoints) - 1
    assert fig.layout.shapes[0].y0 == 0.09 and fig.layout.shapes[1].x0 == 64
    assert fig.layout.annotations[-1].x == pytest.approx(np.log10(64))  # log axes place annotations in log10


def test_loss_curves_mark_the_best_epoch_and_the_patience_window():
    train, val = np.linspace(1, 0.1, 50), np.r_[np.linspace(1, 0.3, 30), np.linspace(0.31, 0.5, 20)]
    fig = charts.loss_curves(train, val, 30, 15, 40)
    rect, best, at = fig.layout.shapes
    assert (rect.x0, rect.x1) == (30, 45) and best.x0 == 30 and at.x0 == 40
    np.testing.assert_array_equal(trace(fig, "validation loss").y, val)
    np.testing.assert_array_equal(trace(fig, "validation loss").x, np.arange(1, 51))


def test_penalty_view_figures_show_the_path_zeros_and_histogram():
    pen = ov.penalty(-0.5, 1.0, 3)
    d = reg.make_regression(seed=3)
    W, _, _ = reg.fit_path(d.X, d.y, 10.0**reg.LOG_LAMBDAS, 1.0)
    np.testing.assert_array_equal(pen.w, W[25])
    paths, coefs, hist = pen.figs
    np.testing.assert_array_equal(trace(paths, "w1 (real)").y, W[:, 0])
    noise = trace(paths, "noise features").y
    assert np.isnan(noise).sum() == 16 and np.nansum(noise) == pytest.approx(W[:, d.w_true == 0].sum())
    zeros = [f"w{j + 1}" for j in np.flatnonzero(pen.w == 0)]
    assert list(trace(coefs, "exactly 0").x) == zeros and len(zeros) > 0
    assert list(trace(hist, "exactly 0").y) == [len(zeros)] and 0 not in trace(hist, "non-zero").x
    assert pen.gap < 1e-8


def test_landscape_figure_marks_the_tried_cells_and_the_bests():
    land = search.Landscape((0.1, 0.01, 0.001), (2, 4, 8), np.arange(9.0).reshape(3, 3) + 1, 10)
    grid, rand = np.array([[0, 0], [2, 2]]), np.array([[1, 1], [2, 0]])
    fig = charts.landscape_figure(land, grid, rand, (0, 0), (1, 1))
    assert list(trace(fig, "grid search").x) == ["2", "8"] and list(trace(fig, "grid search").y) == ["0.1", "0.001"]
    assert list(trace(fig, "best of random").x) == ["4"] and list(trace(fig, "best of random").y) == ["0.01"]
    np.testing.assert_allclose(fig.data[0].z, np.log10(land.val))


def test_searches_view_is_consistent():
    land = search.Landscape(tuple(range(4)), tuple(range(4)), np.arange(16.0).reshape(4, 4)[::-1] + 1, 10)
    se = ov.searches(land, 4, draw=3)
    assert (
        se.best_grid == search.best(land.val, se.grid)
        and land.val[se.best_rand] == land.val[se.rand[:, 0], se.rand[:, 1]].min()
    )
    assert (se.wins, se.ties) == search.random_beats_grid(land.val, 4)


def test_reading_says_what_the_curve_does():
    assert "lowest at **width 2**" in ov.reading((2, 48, 0.24)) and "comes down again, 24% below" in ov.reading(
        (2, 48, 0.24)
    )
    assert "stays up" in ov.reading((2, 48, 0.05)) and "comes down" not in ov.reading((2, 48, 0.05))
    assert "keeps falling" in ov.reading((ov.WIDTHS[-1], None, 0.0))
    assert "no clear U" in ov.reading((8, None, 0.0))
