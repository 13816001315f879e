"""AppTest: every registered page opens cleanly, and the neuron page answers its controls and its URL."""

import base64
import json
import re

import numpy as np
import pytest

from core import data, neuron
from pages.course import available
from tests.conftest import ROOT, open_page

PAGES = [t.file for topics in available().values() for t in topics]


def typed_array(v) -> np.ndarray:
    """Plotly 7 sends arrays as base64 typed arrays; decode one (or pass a plain list through)."""
    if isinstance(v, dict):
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return arr.reshape([int(n) for n in str(v["shape"]).split(",")]) if "shape" in v else arr
    return np.asarray(v, dtype=float)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_home_shows_the_loop_and_every_registered_page():
    at = open_page()
    no_errors(at)
    assert at.title[0].value.startswith("Deep learning")
    assert "pages/neuron.py" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_with_defaults(page):
    no_errors(open_page(page))


def test_neuron_defaults_are_the_lecture_example():
    at = open_page("pages/neuron.py")
    no_errors(at)
    assert [at.slider(key=k).value for k in ("w1", "w2", "b")] == [3.0, -2.0, 1.0]
    X, y = data.make_toy("gauss", 200, 0.3, seed=1).X, data.make_toy("gauss", 200, 0.3, seed=1).y
    assert metric(at, "Accuracy") == f"{neuron.accuracy(X, y, [3, -2], 1):.1%}"
    assert metric(at, "Cost J (cross-entropy)") == f"{neuron.cost(neuron.MODELS['logistic'], X, y, [3, -2], 1):.4f}"
    assert any(r"3.0\,x_1 - 2.0\,x_2 + 1.0" in lx.value for lx in at.latex)


def test_sliders_move_the_line_and_the_numbers():
    at = open_page("pages/neuron.py")
    at.slider(key="w2").set_value(4.0).run()
    no_errors(at)
    d = data.make_toy("gauss", 200, 0.3, seed=1)
    assert metric(at, "Accuracy") == f"{neuron.accuracy(d.X, d.y, [3, 4], 1):.1%}"
    assert any(r"+ 4.0\,x_2" in lx.value for lx in at.latex)
    at.button(key="lecture").click().run()
    assert at.slider(key="w2").value == -2.0


def test_step_and_run_to_the_end_reach_scikit_learn():
    at = open_page("pages/neuron.py")
    at.button(key="fit_step").click().run()
    assert metric(at, "Step") == "1"
    at.button(key="fit_finish").click().run()
    no_errors(at)
    assert any("Converged" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "difference" in d.value.columns)
    assert np.abs(table["difference"].to_numpy()).max() < 1e-3


def test_huge_learning_rate_stops_and_explains():
    at = open_page("pages/neuron.py", model="Linear regression", fit_lr="100")
    at.button(key="fit_finish").click().run()
    no_errors(at)
    assert any("Training stopped" in e.value and "learning rate 100" in e.value for e in at.error)


def test_url_reproduces_the_state():
    at = open_page(
        "pages/neuron.py",
        w1="5.5",
        b="-0.5",
        data="Quadrants (XOR)",
        noise="0.1",
        model="Linear SVM",
        fit_lr="0.1",
        discretize="true",
        seed="7",
    )
    no_errors(at)
    assert at.slider(key="w1").value == 5.5 and at.slider(key="b").value == -0.5
    assert at.selectbox(key="data").value == "xor" and at.selectbox(key="model").value == "svm"
    assert at.select_slider(key="fit_lr").value == 0.1 and at.toggle(key="discretize").value is True
    d = data.make_toy("xor", 200, 0.1, seed=7)
    assert metric(at, "Accuracy") == f"{neuron.accuracy(d.X, d.y, [5.5, -2], -0.5):.1%}"
    assert not at.warning


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"data": "nope"}, "data=nope"),
        ({"w1": "abc"}, "w1=abc"),
        ({"w1": "99"}, "w1=99"),
        ({"noise": "nan"}, "noise=nan"),
        ({"fit_lr": "7"}, "fit_lr=7"),
        ({"model": "<script>"}, "model=<script>"),
        ({"discretize": "maybe"}, "discretize=maybe"),
    ],
)
def test_bad_url_values_warn_and_fall_back(params, fragment):
    at = open_page("pages/neuron.py", **params)
    no_errors(at)
    assert any(fragment in w.value and "Using the default" in w.value for w in at.warning)


def test_bad_seed_in_url_warns_on_first_load():
    at = open_page(None, seed="-1")
    assert any("seed=-1" in w.value for w in at.warning)
    assert at.number_input(key="seed").value == 1


def test_charts_are_real_figures():
    at = open_page("pages/neuron.py")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(specs) >= 5
    heat = typed_array(next(t for s in specs for t in s["data"] if t["type"] == "heatmap")["z"])
    assert heat.shape == (80, 80) and 0 <= heat.min() < 0.1 and 0.9 < heat.max() <= 1


@pytest.mark.parametrize("page", PAGES)
def test_readme_documents_every_url_parameter(page):
    readme = (ROOT / "README.md").read_text()
    at = open_page(page)
    bound = [
        w.key
        for kind in (
            at.slider,
            at.select_slider,
            at.selectbox,
            at.toggle,
            at.number_input,
            at.text_input,
            at.button_group,
            at.pagination,
        )
        for w in kind
        if w.key
    ] + [w.key for w in at.radio if w.key and not w.key.startswith("try_")]
    # numbered families (nn_u1 … nn_u8) are documented by their first member
    missing = [k for k in bound if f"`{k}`" not in readme and f"`{re.sub(r'[0-9]+$', '1', k)}`" not in readme]
    assert not missing, f"README lacks URL parameters {missing} of {page}"


def test_neuron_tables_and_metrics_agree_with_independent_oracles():
    """The six-point table, the four-model table and the XOR metric, recomputed with torch and scikit-learn."""
    import torch
    from sklearn.linear_model import LinearRegression, LogisticRegression

    at = open_page("pages/neuron.py")
    near = next(d.value for d in at.dataframe if "p = σ(z)" in d.value.columns)
    d = data.make_toy("gauss", 200, 0.3, seed=1)
    z = torch.tensor(near[["x1", "x2"]].to_numpy()) @ torch.tensor([3.0, -2.0], dtype=torch.float64) + 1.0
    np.testing.assert_allclose(near["z"], z.numpy(), atol=2e-3)  # the table rounds x to 3 places
    np.testing.assert_allclose(near["p = σ(z)"], torch.sigmoid(z).numpy(), atol=2e-3)
    assert (near["predicted class"] == (near["p = σ(z)"] >= 0.5)).all()

    four = next(df.value for df in at.dataframe if "final cost J" in df.value.columns).set_index("model")
    logistic = LogisticRegression(C=np.inf, max_iter=10_000).fit(d.X, d.y)
    assert four.loc["Logistic regression", "accuracy"] == pytest.approx(logistic.score(d.X, d.y))
    p = torch.sigmoid(torch.tensor(d.X @ logistic.coef_[0] + logistic.intercept_[0]))
    bce = torch.nn.functional.binary_cross_entropy(p, torch.tensor(d.y, dtype=torch.float64))
    assert four.loc["Logistic regression", "final cost J"] == pytest.approx(float(bce), abs=1e-4)
    signed = 2.0 * d.y - 1
    ls = LinearRegression().fit(d.X, signed)
    mse = float(np.mean((ls.predict(d.X) - signed) ** 2))
    assert four.loc["Linear regression", "final cost J"] == pytest.approx(mse, abs=1e-6)
    assert four.loc["Linear regression", "accuracy"] == pytest.approx(np.mean((ls.predict(d.X) >= 0) == d.y))

    xor = data.make_toy("xor", 1000, 0.0, seed=1)
    best = LogisticRegression(C=np.inf, max_iter=10_000).fit(xor.X, xor.y).score(xor.X, xor.y)
    assert metric(at, "Best accuracy of one neuron") == f"{best:.1%}"


def test_presenter_mode_enlarges_type():
    # The frame's own elements are read on the first page: AppTest drops them from its tree after switch_page.
    at = open_page(present="true")
    no_errors(at)
    assert at.toggle(key="present").value is True
    assert any("font-size: 21px" in h.proto.body for h in at.get("html"))
    assert not any("font-size: 21px" in h.proto.body for h in open_page().get("html"))
