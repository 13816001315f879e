"""AppTest: the gradient-descent page opens on the lecture's exercise, its controls and its URL drive the numbers,
bad links and bad formulas warn without breaking it, and every number shown matches the core computed directly."""

import json

import numpy as np
import pytest

from core import descent
from core.expression import parse
from tests.conftest import open_page

PAGE = "pages/gradient_descent.py"


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def table(at, first_column: str):
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def steps_table(at):
    return table(at, "t")


def test_defaults_are_the_lecture_exercise_shown_exactly():
    at = open_page(PAGE)
    no_errors(at)
    assert not at.error and not at.warning
    assert at.text_input(key="f").value == "x^2"
    rows = steps_table(at)
    assert rows["xₜ₊₁"].tolist() == ["7.2", "5.76", "4.608"]
    assert rows["xₜ"].tolist() == ["9", "7.2", "5.76"]
    assert rows["f′(xₜ)"].tolist() == ["18", "14.4", "11.52"]
    assert rows["αₜ"].tolist() == ["0.1", "0.1", "0.1"]
    assert any("**x₃ = 4.608**, f(x₃) = 21.233664" in m.value for m in at.markdown)
    theory = next(m.value for m in at.markdown if m.value.startswith("**Theory"))
    assert "f″ = 2 everywhere" in theory and "1 − α f″ = 0.8" in theory and "α > 2/f″ = 1 diverges" in theory


def test_url_sets_any_exercise_and_the_table_matches_the_core():
    at = open_page(PAGE, f="x**4 - 3*x**2 + x", x0="2", lr="0.02", steps="6", gd_schedule="exponential")
    no_errors(at)
    assert not at.warning and not at.error
    assert at.text_input(key="f").value == "x**4 - 3*x**2 + x"
    assert at.number_input(key="x0").value == 2 and at.number_input(key="lr").value == 0.02
    run = descent.descend_1d(parse("x**4 - 3*x**2 + x"), 2, 0.02, 6, "exponential")
    rows = steps_table(at)
    assert rows["xₜ₊₁"].tolist() == [descent.fmt(v) for v in run.x_next]
    assert rows["αₜ"].tolist() == [descent.fmt(0.02 * 0.9**t) for t in range(6)]
    assert not any(m.value.startswith("**Theory") for m in at.markdown)  # not a quadratic


def test_controls_drive_the_numbers():
    at = open_page(PAGE)
    at.number_input(key="lr").set_value(0.25).run()
    at.slider(key="steps").set_value(2).run()
    no_errors(at)
    assert steps_table(at)["xₜ₊₁"].tolist() == ["4.5", "2.25"]
    at.text_input(key="f").input("(x - 1)^2").run()
    assert steps_table(at)["xₜ₊₁"].tolist() == ["5", "3"]


@pytest.mark.parametrize(
    "formula, words",
    [
        ("__import__('os').system('echo hi')", "not an allowed function"),
        ("x.__class__", "Attribute access"),
        ("lambda: 0", "lambda"),
        ("9**9**9", "too large"),
        ("x" * 300, "Unknown name"),  # the text box keeps the first 200 characters; the parser refuses the name
        ("log(x)", "log needs a positive number"),
    ],
)
def test_a_rejected_formula_says_why_and_the_page_keeps_the_default(formula, words):
    at = open_page(PAGE, f=formula, x0="-1" if formula == "log(x)" else "9")
    no_errors(at)
    msg = next(e.value for e in at.error if "That formula cannot be used" in e.value)
    assert words in msg and "Showing f(x) = x^2 instead" in msg
    assert len(at.text_input(key="f").value) <= 200
    if formula != "log(x)":
        assert "Use numbers, x" in msg or "too large" in msg  # says what is allowed
        assert steps_table(at)["xₜ₊₁"].tolist() == ["7.2", "5.76", "4.608"]


def test_regime_buttons_set_the_rate_and_divergence_is_explained():
    at = open_page(PAGE)
    found = descent.regimes(parse("x^2"), 9.0)
    at.button(key="gd_regime_divergent").click().run()
    no_errors(at)
    assert at.number_input(key="lr").value == found["divergent"] and at.slider(key="steps").value == 25
    assert any("went up" in e.value and "too large" in e.value for e in at.error)
    at.button(key="gd_regime_oscillating").click().run()
    x = steps_table(at)["xₜ"].astype(float).to_numpy()
    assert np.all(np.sign(x[1:]) != np.sign(x[:-1]))  # flips side every step
    at.button(key="gd_lecture").click().run()
    assert steps_table(at)["xₜ₊₁"].tolist() == ["7.2", "5.76", "4.608"]


def test_runaway_iterates_stop_with_a_message():
    at = open_page(PAGE, lr="3", steps="40")
    no_errors(at)
    assert any("Stopped at step" in e.value and "ran beyond" in e.value for e in at.error)


def test_a_function_without_a_minimum_disables_the_regimes():
    at = open_page(PAGE, f="x")
    no_errors(at)
    assert all(at.button(key=f"gd_regime_{k}").disabled for k in ("too_small", "good", "oscillating", "divergent"))
    assert any("no minimum" in i.value for i in at.info)


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"lr": "abc"}, "lr=abc"),
        ({"x0": "1e9"}, "x0=1e9"),
        ({"steps": "0"}, "steps=0"),
        ({"gd_land": "nope"}, "gd_land=nope"),
        ({"gd_lr": "7"}, "gd_lr=7"),
        ({"gd_batch": "-3"}, "gd_batch=-3"),
    ],
)
def test_bad_url_values_warn_and_fall_back(params, fragment):
    at = open_page(PAGE, **params)
    no_errors(at)
    assert any(fragment in w.value and "Using the default" in w.value for w in at.warning)


def test_landscape_url_and_the_optimizer_table_match_the_core():
    at = open_page(PAGE, gd_land="Several minima (Himmelblau)", gd_iters="300", gd_gtol="1e-06")
    no_errors(at)
    ls = descent.landscapes(1)["minima"]
    assert (at.slider(key="gd_t0").value, at.slider(key="gd_t1").value) == ls.start
    paths = descent.race(ls, ls.start, ls.lr, ls.lr_adaptive, descent.Stop(1e-6, 1e-10, 300))
    rows = table(at, "optimizer")
    assert rows["iterations"].tolist() == [len(p.J) - 1 for p in paths.values()]
    assert rows["final J"].tolist() == [f"{p.J[-1]:.6g}" for p in paths.values()]
    assert rows["stopped"].tolist() == [p.message for p in paths.values()]


def test_choosing_a_landscape_resets_its_start_and_rates():
    at = open_page(PAGE)
    at.selectbox(key="gd_land").set_value("saddle").run()
    no_errors(at)
    ls = descent.landscapes(1)["saddle"]
    assert (at.slider(key="gd_t0").value, at.slider(key="gd_t1").value) == ls.start
    assert (at.select_slider(key="gd_lr").value, at.select_slider(key="gd_lra").value) == (ls.lr, ls.lr_adaptive)


def test_the_stopping_table_says_which_criterion_fired():
    at = open_page(PAGE, gd_iters="10")
    assert set(table(at, "optimizer")["stopped"]) == {"reached 10 iterations"}
    at = open_page(PAGE, gd_gtol="0.01", gd_ftol="0.0001")
    assert set(table(at, "optimizer")["stopped"]) <= {"‖∇J‖ < 0.01", "|ΔJ| < 0.0001"}


def test_a_diverging_optimizer_is_stopped_and_explained():
    at = open_page(PAGE, gd_land="A curved valley (Rosenbrock-like)", gd_lr="2")
    no_errors(at)
    assert any("diverged" in e.value and "Lower its α" in e.value for e in at.error)
    assert "diverged at iteration" in " ".join(table(at, "optimizer")["stopped"])


def test_the_batch_calculator_and_paths():
    at = open_page(PAGE)
    latex = " ".join(x.value for x in at.latex)
    assert r"\lceil 200/40 \rceil = 5" in latex and r"5 \times 5 = 25" in latex
    rows = table(at, "method")
    assert rows["updates per epoch"].tolist() == [1, 5, 200] and rows["updates"].tolist() == [5, 25, 1000]
    x, y = descent.regression_data(200, 1)
    runs = descent.batch_race(x, y, 40, 5, 0.1, seed=1)
    assert rows["final J"].tolist() == [f"{p.J[-1]:.6g}" for p, _ in runs.values()]
    at = open_page(PAGE, gd_batch="25", gd_epochs="3")
    latex = " ".join(x.value for x in at.latex)
    assert r"\lceil 200/25 \rceil = 8" in latex and r"3 \times 8 = 24" in latex
    at = open_page(PAGE, gd_n="100", gd_batch="30")
    assert any("last batch of each epoch has 10 records" in c.value for c in at.caption)
    at = open_page(PAGE, gd_n="50", gd_batch="400")
    assert table(at, "method")["updates per epoch"].tolist() == [1, 1, 50]  # b is capped at n


def test_three_d_view_draws_a_surface():
    at = open_page(PAGE, gd_view="3-D surface")
    no_errors(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(t["type"] == "surface" for s in specs for t in s["data"])


def test_the_neuron_pages_learning_rate_does_not_leak_in():
    """Switching from the neuron page's learning rate to this page must not carry its value over."""
    at = open_page("pages/neuron.py")
    at.select_slider(key="fit_lr").set_value(30.0).run()
    at.switch_page(PAGE).run()
    no_errors(at)
    assert at.number_input(key="lr").value == 0.1
    assert steps_table(at)["xₜ₊₁"].tolist() == ["7.2", "5.76", "4.608"]
