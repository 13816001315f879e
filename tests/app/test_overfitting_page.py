"""AppTest of the overfitting page: defaults open cleanly and every number on it agrees with an independent oracle
(numpy's polyfit, scikit-learn, the playground's NetTrainer), presets and controls drive it, links restore it, bad
links warn, and early stopping stops where the validation loss bottomed out."""

import json

import numpy as np
import pytest
import torch
from sklearn.linear_model import ElasticNet, Lasso

from core import capacity as cap
from core import network, search
from core import overfitting as ov
from core import regularization as reg
from tests.conftest import open_page

PAGE = "pages/overfitting.py"


def metrics(at, label: str) -> list[str]:
    return [m.value for m in at.metric if m.label == label]


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").split()[0])


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def playground_fit(s, width: int, seed: int, epochs: int, lr: float = 0.03) -> dict:
    """The page's network trained on its own by core.network's NetTrainer (float32, as on the page)."""
    cfg = network.NetConfig(features=("x1",), hidden=(width,), activations=("tanh",), task="regression", seed=seed)
    pad = lambda v: np.c_[v, np.zeros_like(v)]  # noqa: E731
    tr = network.NetTrainer(cfg, pad(s.x), s.y, pad(s.x_val), s.y_val, lr, len(s.x), "adam", dtype=torch.float32)
    for _ in range(epochs):
        tr.step()
    return tr.metrics()


@pytest.fixture(scope="module")
def default_page():
    return open_page(PAGE)


def test_defaults_open_without_warnings(default_page):
    no_errors(default_page)
    assert not default_page.warning
    assert default_page.slider(key="of_n").value == 15 and default_page.select_slider(key="of_width").value == 2
    assert len(default_page.get("plotly_chart")) >= 11


def test_capacity_numbers_match_independent_fits(default_page):
    s = cap.make_sample(15, 0.3, seed=1)
    train, val, gap = (metrics(default_page, k) for k in ("Training MSE", "Validation MSE", "Gap"))
    coef = np.polyfit(s.x, s.y, 3)
    mse = lambda x, y: np.mean((np.polyval(coef, x) - y) ** 2)  # noqa: E731
    assert train[1] == f"{mse(s.x, s.y):.4f}" and val[1] == f"{mse(s.x_val, s.y_val):.4f}"
    assert number(gap[1]) == pytest.approx(mse(s.x_val, s.y_val) - mse(s.x, s.y), abs=1e-4)
    sw = ov.sweep(15, 0.3, 1, 3000)  # after 3,000 Adam steps only the same code reproduces every digit
    k = ov.WIDTHS.index(2)
    assert train[0] == f"{sw.train[-1, k, 0]:.4f}" and val[0] == f"{sw.val[-1, k, 0]:.4f}"


def test_network_numbers_match_the_playground_net_trained_alone():
    at = open_page(PAGE, of_epochs="100", of_width="8")
    alone = playground_fit(cap.make_sample(15, 0.3, seed=1), 8, seed=1, epochs=100)
    assert metrics(at, "Training MSE")[0] == f"{alone['train_loss']:.4f}"
    assert metrics(at, "Validation MSE")[0] == f"{alone['test_loss']:.4f}"


def test_penalty_numbers_match_scikit_learn(default_page):
    d = reg.make_regression(seed=1)
    sk = Lasso(alpha=0.1, tol=1e-12, max_iter=1_000_000).fit(d.X, d.y)
    assert metrics(default_page, "Weights exactly 0") == [f"{int(np.sum(sk.coef_ == 0))} of 20"]
    assert metrics(default_page, "Validation MSE")[2] == f"{np.mean((sk.predict(d.X_val) - d.y_val) ** 2):.3f}"
    assert number(metrics(default_page, "Off from scikit-learn by")[0]) < 1e-8


def test_search_numbers_read_the_landscape(default_page):
    land = search.landscape(cap.make_sample(15, 0.3, seed=1), 300, seed=1)
    grid = search.grid_trials(land.val.shape, 9)
    assert metrics(default_page, "Best of grid") == [f"{land.val[grid[:, 0], grid[:, 1]].min():.4f}"]
    assert metrics(default_page, "Learning rates tried")[0].startswith("3 vs ")
    spec = json.loads(
        next(c.proto.spec for c in default_page.get("plotly_chart") if "after 300 epochs" in c.proto.spec)
    )
    assert spec["data"][0]["type"] == "heatmap"


def test_augmentation_numbers_match_the_playground_net(default_page):
    from core import augmentation as aug

    train, test = aug.task("xor", 30, 0.3, seed=1)
    cfg = network.NetConfig(hidden=(16, 16), activations=("tanh", "tanh"), seed=1)
    tr = network.NetTrainer(cfg, train.X, train.y, test.X, test.y, lr=0.05, batch_size=30, optimizer="adam")
    for _ in range(300):
        tr.step()
    assert metrics(default_page, "Test accuracy")[0] == f"{tr.metrics()['test_acc']:.1%}"


def test_presets_set_the_capacity():
    at = open_page(PAGE, of_epochs="300")
    good_gap = number(metrics(at, "Gap")[1])
    at.button(key="of_overfit").click().run()
    no_errors(at)
    assert at.select_slider(key="of_width").value == 256 and at.slider(key="of_degree").value == 14
    assert number(metrics(at, "Gap")[1]) > 100 * good_gap  # the degree-14 polynomial memorises 15 points
    at.button(key="of_underfit").click().run()
    assert at.select_slider(key="of_width").value == 1 and at.slider(key="of_degree").value == 1


def test_a_link_restores_every_control():
    at = open_page(
        PAGE,
        of_n="30",
        of_noise="0.5",
        of_width="16",
        of_degree="5",
        of_epochs="300",
        of_pen="Elastic net",
        of_lam="-0.5",
        of_mix="0.3",
        of_aug_data="Two moons",
        of_aug_copies="5",
        of_budget="16",
        of_draw="7",
        of_es_layers="1",
        of_es_lr="0.03",
        of_patience="50",
        of_restore="false",
        seed="4",
    )
    no_errors(at)
    assert not at.warning
    assert at.slider(key="of_n").value == 30 and at.select_slider(key="of_width").value == 16
    assert at.radio(key="of_pen").value == "EN" and at.slider(key="of_mix").value == 0.3
    assert at.selectbox(key="of_aug_data").value == "moons" and at.slider(key="of_draw").value == 7
    assert at.radio(key="of_es_layers").value == "1" and at.toggle(key="of_restore").value is False
    s = cap.make_sample(30, 0.5, seed=4)
    coef = np.polyfit(s.x, s.y, 5)
    assert metrics(at, "Validation MSE")[1] == f"{np.mean((np.polyval(coef, s.x_val) - s.y_val) ** 2):.4f}"
    d = reg.make_regression(seed=4)
    sk = ElasticNet(alpha=10**-0.5, l1_ratio=0.3, tol=1e-12, max_iter=1_000_000).fit(d.X, d.y)
    assert metrics(at, "Weights exactly 0") == [f"{int(np.sum(sk.coef_ == 0))} of 20"]
    assert metrics(at, "Learning rates tried")[0].startswith("4 vs ")


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"of_width": "7"}, "of_width=7"),
        ({"of_n": "abc"}, "of_n=abc"),
        ({"of_noise": "9"}, "of_noise=9"),
        ({"of_epochs": "5"}, "of_epochs=5"),
        ({"of_pen": "<script>"}, "of_pen=<script>"),
        ({"of_lam": "nan"}, "of_lam=nan"),
        ({"of_budget": "5"}, "of_budget=5"),
        ({"of_es_layers": "9"}, "of_es_layers=9"),
        ({"of_restore": "maybe"}, "of_restore=maybe"),
        ({"of_draw": "-3"}, "of_draw=-3"),
        ({"of_draw": "inf"}, "of_draw=inf"),
    ],
)
def test_bad_links_warn_and_fall_back(params, fragment):
    at = open_page(PAGE, **{"of_epochs": "100", **params})
    no_errors(at)
    assert any(fragment in w.value and "Using the default" in w.value for w in at.warning)


def test_early_stopping_stops_at_the_best_validation_epoch_and_restores_it():
    at = open_page(PAGE, of_epochs="100", of_patience="20", of_es_lr="0.03")
    at.button(key="of_es_step").click().run()
    assert metrics(at, "Epoch") == ["1"]
    at.button(key="of_es_finish").click().run()
    no_errors(at)
    run = at.session_state["of_es_run"]
    val = np.array([h["test_loss"] for h in run.history])
    best = int(np.argmin(val)) + 1
    assert run.status == "stopped" and run.steps == best + 20
    assert metrics(at, "Best epoch") == [f"{best:,}"] and metrics(at, "Epoch") == [f"{best + 20:,}"]
    assert any("Stopped early" in s.value for s in at.success)
    assert any(f"Restored the weights of epoch {best}" in i.value for i in at.info)
    assert at.select_slider(key="of_es_at").value == best  # the view opens on the kept network
    at.select_slider(key="of_es_at").set_value(0).run()
    assert '"The fit at epoch 0"' in next(
        c.proto.spec for c in at.get("plotly_chart") if "The fit at epoch" in c.proto.spec
    )
