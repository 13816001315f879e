"""Grid against random search: the cells each tries, the best it finds, and the exact chance that random search
beats the grid, checked by simulating many random searches."""

import numpy as np
import pytest

from core import capacity as cap
from core import search


def test_grid_spreads_k_by_k_cells_evenly():
    cells = search.grid_trials((17, 10), 9)
    assert cells.shape == (9, 2) and len({tuple(c) for c in cells}) == 9
    assert sorted(set(cells[:, 0])) == [2, 8, 14] and sorted(set(cells[:, 1])) == [1, 5, 8]
    with pytest.raises(ValueError):
        search.grid_trials((17, 10), 8)


def test_random_trials_are_distinct_seeded_cells():
    a = search.random_trials((17, 10), 25, np.random.default_rng(3))
    b = search.random_trials((17, 10), 25, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert len({tuple(c) for c in a}) == 25 and a[:, 0].max() < 17 and a[:, 1].max() < 10


def test_best_is_the_argmin_of_the_tried_cells():
    val = np.arange(12.0).reshape(3, 4)[::-1]
    assert search.best(val, np.array([[0, 0], [1, 2], [2, 3]])) == (2, 3)


@pytest.mark.parametrize("budget", [4, 9, 16])
def test_exact_chance_matches_simulated_random_searches(budget):
    rng = np.random.default_rng(budget)
    val = np.round(rng.gamma(2.0, size=(17, 10)), 1)  # rounding makes ties happen
    wins, ties = search.random_beats_grid(val, budget)
    target = val[search.best(val, search.grid_trials(val.shape, budget))]
    found = np.array([val[search.best(val, search.random_trials(val.shape, budget, rng))] for _ in range(20_000)])
    se = np.sqrt(0.25 / len(found))
    assert wins == pytest.approx(np.mean(found < target), abs=4 * se)
    assert ties == pytest.approx(np.mean(found == target), abs=4 * se)


def test_landscape_cells_are_the_networks_trained_alone():
    s = cap.make_sample(12, 0.3, seed=2)
    land = search.landscape(s, 30, seed=1, lrs=(0.001, 0.1), widths=(2, 8))
    assert land.val.shape == (2, 2)
    alone = cap.train_batch(s, [cap.Spec(8, 1, 0.001)], 30, [30])
    assert land.val[0, 1] == pytest.approx(alone.val[0, 0], rel=1e-5)
    assert land.val[1, 1] != pytest.approx(land.val[0, 1], rel=1e-3)  # the learning rate does matter
