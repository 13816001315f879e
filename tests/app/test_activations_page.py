"""AppTest: the activation page opens with the lecture's defaults, its controls drive its numbers, links restore it."""

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from core import approximation, data, depth
from tests.conftest import open_page

PAGE = "pages/activations.py"


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def grads(at) -> dict:
    """The gradient chart's traces by name, read from the figure the page sent."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if s["layout"]["yaxis"].get("title", {}).get("text", "").startswith("‖∂L/∂W‖"))
    return {t["name"]: t for t in spec["data"]}


@pytest.fixture(scope="module")
def default():
    at = open_page(PAGE)
    no_errors(at)
    return at


def test_defaults_show_every_section_with_checked_numbers(default):
    at = default
    assert at.title[0].value == "Activation functions"
    assert len(at.get("plotly_chart")) == 9 + 1 + 2 + 2 + 2  # cards, comparison, two maps, fit + error, depth
    circle = data.make_toy("circle", 200, 0.0, seed=1)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(circle.X, circle.y)
    assert metric(at, "Accuracy, no activation") == f"{ref.score(circle.X, circle.y):.1%}"
    assert metric(at, "Cost J, no activation") == metric(at, "Cost J, logistic regression")
    assert metric(at, "Accuracy, ReLU") == "100.0%"
    fit = approximation.fit("sine", "relu", 8, 1, start=approximation.ladder("sine", "relu", 1, ns=(1, 2, 4))[-1])
    assert metric(at, "RMS error") == f"{fit.rms:.4f}" and metric(at, "Weights") == "25"
    prof = depth.profile(circle.X, circle.y, "sigmoid", 10, "he", 0.0, 1)
    assert metric(at, "Layer 1's gradient ÷ the output layer's") == f"{prof.grad_norms[0] / prof.grad_norms[-1]:.1e}"
    assert metric(at, "Dead units") == "0 of 160"
    assert len([lx for lx in at.latex if "}_{W_2}" in lx.value]) == 1  # one hidden layer: one product
    assert not at.warning


def test_more_units_smaller_error():
    at = open_page(PAGE)
    before = float(metric(at, "RMS error"))
    at.slider(key="act_units").set_value(64).run()
    no_errors(at)
    assert float(metric(at, "RMS error")) < before / 10 and metric(at, "Weights") == "193"


def test_deeper_identity_stack_still_collapses_to_logistic_regression():
    at = open_page(PAGE)
    acc = metric(at, "Accuracy, no activation")
    at.slider(key="act_layers").set_value(3).run()
    no_errors(at)
    assert metric(at, "Accuracy, no activation") == acc
    assert len([lx for lx in at.latex if "underbrace" in lx.value and "_{M_" in lx.value]) == 3


def test_activation_choice_changes_the_gradient_chart():
    at = open_page(PAGE)
    assert grads(at)["Sigmoid"]["line"]["width"] == 4
    at.selectbox(key="act_deep").select("relu").run()
    no_errors(at)
    assert grads(at)["ReLU"]["line"]["width"] == 4 and grads(at)["Sigmoid"]["line"]["width"] < 4
    at.slider(key="act_bias").set_value(-0.5).run()
    assert metric(at, "Layer 1's gradient ÷ the output layer's").startswith("—")
    assert int(metric(at, "Dead units").split()[0]) > 100


def test_url_restores_every_control():
    at = open_page(
        PAGE,
        act_cmp=["GELU", "ELU"],
        act_bend="Tanh",
        act_layers="2",
        act_target="Gaussian bump",
        act_ua="Sigmoid",
        act_units="16",
        act_parts="false",
        act_deep="ReLU",
        act_depth="20",
        act_init="Xavier (Glorot)",
        act_bias="-0.3",
        seed="3",
    )
    no_errors(at)
    assert not at.warning
    assert at.selectbox(key="act_bend").value == "tanh" and at.slider(key="act_layers").value == 2
    assert at.selectbox(key="act_target").value == "bump" and at.selectbox(key="act_ua").value == "sigmoid"
    assert at.slider(key="act_units").value == 16 and at.toggle(key="act_parts").value is False
    assert at.selectbox(key="act_init").value == "xavier" and at.slider(key="act_bias").value == -0.3
    circle = data.make_toy("circle", 200, 0.0, seed=3)
    prof = depth.profile(circle.X, circle.y, "relu", 20, "xavier", -0.3, 3)
    assert metric(at, "Dead units") == f"{int(round(prof.dead.sum() * 16))} of 320"
    assert metric(at, "Accuracy, Tanh")


def test_your_points_fit_and_bad_points_warn():
    at = open_page(PAGE, act_target="Your points", act_knots="0, 2, 0", act_units="2")
    no_errors(at)
    start = approximation.fit("points", "relu", 1, 1, (0.0, 2.0, 0.0))
    assert metric(at, "RMS error") == f"{approximation.fit('points', 'relu', 2, 1, (0.0, 2.0, 0.0), start).rms:.4f}"
    at = open_page(PAGE, act_target="Your points", act_knots="1, x, 3")
    no_errors(at)
    assert any("Those points cannot be used" in w.value and "'x' is not a number" in w.value for w in at.warning)


BAD = {
    "act_units": "99",
    "act_layers": "2.5",
    "act_target": "nope",
    "act_deep": "<script>",
    "act_bias": "abc",
    "act_init": "lecun",
    "act_cmp": "Swish",
    "act_parts": "maybe",
}


def test_bad_url_values_warn_and_fall_back():
    at = open_page(PAGE, **BAD)
    no_errors(at)
    for key, raw in BAD.items():
        assert any(f"{key}={raw}" in w.value and "Using the default" in w.value for w in at.warning), key
    assert at.slider(key="act_units").value == 8 and at.selectbox(key="act_deep").value == "sigmoid"
