"""AppTest of the playground: defaults, stepping, the lecture preset, URL state, tasks, divergence, and its numbers."""

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix

from tests.conftest import open_page

PAGE = "pages/network.py"


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_defaults_are_tensorflow_playgrounds():
    at = open_page(PAGE)
    ok(at)
    assert at.selectbox(key="nn_data").value == "circle" and at.number_input(key="nn_layers").value == 2
    assert [at.number_input(key=k).value for k in ("nn_u1", "nn_u2")] == [4, 2]
    assert at.select_slider(key="nn_lr").value == 0.03 and at.slider(key="nn_batch").value == 10
    assert at.button_group(key="nn_x").value == ["x1", "x2"]
    assert metric(at, "Epoch") == "0"


def test_step_trains_one_epoch_and_the_numbers_are_the_nets():
    at = open_page(PAGE)
    at.button(key="nn_step").click().run()
    ok(at)
    assert metric(at, "Epoch") == "1"
    tr = at.session_state["nn_run"].model
    p = tr.net.predict(tr.X)[:, 0]
    bce = torch.nn.functional.binary_cross_entropy(p, tr.y)  # torch's own loss, not ours
    assert metric(at, "Train loss") == f"{float(bce):.4f}"
    acc = float(((p >= 0.5).float() == tr.y).float().mean())
    assert metric(at, "Train accuracy") == f"{acc:.1%}"


def test_lecture_preset_learns_the_quadrants():
    at = open_page(PAGE)
    at.button(key="nn_lecture").click().run()
    assert at.selectbox(key="nn_data").value == "xor" and at.number_input(key="nn_layers").value == 1
    assert at.number_input(key="nn_u1").value == 5 and at.selectbox(key="nn_g1").value == "sigmoid"
    assert at.select_slider(key="nn_n").value == 1000 and at.slider(key="nn_train").value == 70
    while int(metric(at, "Epoch").replace(",", "")) < 150 and not at.session_state["nn_run"].done:
        at.button(key="nn_finish").click().run()
    ok(at)
    tr = at.session_state["nn_run"].model
    assert len(tr.yt) == 300
    assert float(metric(at, "Test accuracy").rstrip("%")) > 90


def test_url_restores_the_configuration():
    at = open_page(
        PAGE,
        nn_data="Spiral",
        nn_layers="3",
        nn_u3="8",
        nn_g2="ReLU",
        nn_x=["x1", "sin(x1)"],
        nn_lr="0.1",
        nn_opt="Adam",
        nn_reg="L2 (ridge)",
        nn_lam="0.001",
        nn_init="All zero",
        seed="5",
    )
    ok(at)
    assert not at.warning
    tr = at.session_state["nn_run"].model
    cfg = tr.cfg
    assert cfg.hidden == (4, 2, 8) and cfg.activations == ("tanh", "relu", "tanh")
    assert cfg.features == ("x1", "sin1") and cfg.init == "zero" and cfg.seed == 5
    assert tr.optimizer == "adam" and tr.reg == "L2" and tr.lam == 0.001 and tr.lr == 0.1


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"nn_layers": "99"}, "nn_layers=99"),
        ({"nn_x": "bogus"}, "nn_x=bogus"),
        ({"nn_data": "mnist"}, "nn_data=mnist"),
        ({"nn_lr": "abc"}, "nn_lr=abc"),
        ({"nn_u1": "0"}, "nn_u1=0"),
    ],
)
def test_bad_links_warn(params, fragment):
    at = open_page(PAGE, **params)
    ok(at)
    assert any(fragment in w.value for w in at.warning)


def test_multiclass_confusion_matrix_matches_scikit_learn():
    at = open_page(PAGE, nn_data="Blobs, 3-5 classes", nn_k="4")
    for _ in range(3):
        at.button(key="nn_step").click().run()
    ok(at)
    tr = at.session_state["nn_run"].model
    assert tr.cfg.sizes[-1] == 4
    pred = tr.net.predict(tr.Xt).argmax(dim=1).numpy()
    np.testing.assert_array_equal(tr.confusion(test=True), confusion_matrix(tr.yt.numpy(), pred, labels=range(4)))


def test_regression_shows_losses_only():
    at = open_page(PAGE, nn_data="Plane (regression)")
    at.button(key="nn_step").click().run()
    ok(at)
    assert "Train accuracy" not in [m.label for m in at.metric]
    tr = at.session_state["nn_run"].model
    mse = torch.nn.functional.mse_loss(tr.net.predict(tr.X)[:, 0], tr.y)
    assert metric(at, "Train loss") == f"{float(mse):.4f}"


def test_divergence_doctor_stops_explains_and_lowers_the_rate():
    at = open_page(PAGE, nn_data="Plane (regression)", nn_lr="10", nn_g1="ReLU", nn_g2="ReLU")
    at.button(key="nn_finish").click().run()
    ok(at)
    assert any("Training stopped" in e.value for e in at.error)
    at.button(key="nn_fix").click().run()
    assert at.select_slider(key="nn_lr").value == 1.0
    assert not at.session_state["nn_run"].done  # resumed with the smaller step


def test_zero_hidden_layers_is_one_neuron():
    at = open_page(PAGE, nn_layers="0")
    at.button(key="nn_step").click().run()
    ok(at)
    assert at.session_state["nn_run"].model.cfg.sizes == (2, 1)
