"""Hypothesis over the core functions that see what a student types, uploads or sets: any text, bytes, shape,
dtype or extreme number gives either a result of the promised shape or the module's own error with a message;
nothing else escapes, and nothing hangs."""

import math
import string

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import activations, approximation, data, descent, expression, neuron

FAST = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
EXTREME = st.sampled_from([0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, math.inf, -math.inf, math.nan, 1.0, -1.0])
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | EXTREME
FORMULA_ALPHABET = string.ascii_letters + string.digits + " .,+-*/^()_[]{}'\"=<>!@#$%&|~`;:\\\n\t" + "πé🙂ｘ"
TOKENS = ["x", "2", "1e308", "(", ")", "+", "-", "*", "/", "**", "^", "sin", "cos", "exp", "log", "sqrt", "tanh"]
TOKENS += ["sigmoid", "abs", "pi", "e", ".", ",", "__class__", "import", "lambda", "[", "]", "9" * 30, "1/0"]


@FAST
@given(st.text(FORMULA_ALPHABET, max_size=240) | st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_the_formula_parser_refuses_or_evaluates(text):
    try:
        f = expression.parse(text)
    except expression.ExpressionError as err:
        assert str(err)
        return
    assert len(text) <= expression.MAX_CHARS
    x = torch.tensor([-3.0, -1e-9, 0.0, 0.5, 2.0, 1e6], dtype=torch.float64)
    with torch.no_grad():
        y = f(x)
    assert torch.broadcast_to(y, x.shape).shape == x.shape  # a constant formula broadcasts
    f.undefined_at(0.5)  # a reason or None; never raises


@settings(FAST, max_examples=60)  # each example runs up to 100 autograd steps
@given(
    st.sampled_from(["x^2", "x^4 - 3*x^2 + x", "exp(x)", "log(x)", "1/x", "sqrt(x)", "x**x", "abs(x)"]),
    FLOATS,
    FLOATS,
    st.integers(-5, 10_000),
    st.sampled_from(sorted(descent.SCHEDULES)),
)
def test_descent_1d_stops_itself_on_any_start_and_rate(text, x0, alpha, steps, schedule):
    run = descent.descend_1d(expression.parse(text), x0, alpha, steps, schedule)
    assert len(run.x) <= descent.MAX_STEPS_1D + 1  # the step cap holds for any requested count
    assert np.all(np.abs(run.x) <= descent.X_MAX) and np.all(np.isfinite(run.f))
    assert run.status in ("done", "diverged", "undefined")


@FAST
@given(st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode))
def test_load_csv_refuses_any_bytes_with_a_message(raw):
    try:
        ds, notes = data.load_csv(raw)
    except ValueError as err:
        assert str(err)
        return
    assert ds.X.shape == (len(ds.y), 2) and np.isfinite(ds.X).all() and set(np.unique(ds.y)) <= {0, 1}


@FAST
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 60), st.just(2)), elements=FLOATS),
    st.lists(st.sampled_from(["0", "1", "a", "", "nan", "🙂"]), min_size=1, max_size=60),
)
def test_load_csv_with_numbers_of_any_size(X, labels):
    rows = [f"{a!r},{b!r},{labels[i % len(labels)]}" for i, (a, b) in enumerate(X)]
    try:
        ds, _ = data.load_csv("x1,x2,label\n" + "\n".join(rows))
    except ValueError as err:
        assert str(err)
        return
    assert np.abs(ds.X).max() <= data.MAX_ABS_VALUE and len(ds.X) <= len(X)


def test_load_csv_refuses_more_rows_and_bytes_than_its_caps():
    with pytest.raises(ValueError, match="rows"):
        data.load_csv("x1,x2,y\n" + "1,2,0\n2,1,1\n" * (data.MAX_ROWS // 2 + 1))
    with pytest.raises(ValueError, match="MB"):
        data.load_csv(b"1" * (data.MAX_UPLOAD_BYTES + 1))


@FAST
@given(st.text(max_size=300) | st.lists(FLOATS.map(repr), max_size=20).map(", ".join))
def test_points_text_gives_knots_or_a_reason(text):
    knots, problem = approximation.read_knots(text)
    assert 2 <= len(knots) <= approximation.MAX_KNOTS
    assert all(abs(k) <= approximation.MAX_ABS_KNOT for k in knots)
    assert bool(problem) or knots == approximation.parse_knots(text)


@FAST
@given(
    st.sampled_from(sorted(activations.ACTIVATIONS)),
    st.sampled_from([torch.float32, torch.float64]),
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=5),
    FLOATS,
)
def test_activations_keep_shape_and_dtype_on_extreme_inputs(name, dtype, shape, fill):
    act = activations.get(name)
    z = torch.full(shape, fill, dtype=torch.float64).to(dtype)  # beyond float32 becomes inf, as on a GPU
    a, da = act.g(z), act.dg(z)
    assert a.shape == z.shape and da.shape == z.shape and a.dtype == dtype and da.dtype == dtype
    if torch.isfinite(z).all():
        assert not torch.isinf(da).any()  # a slope on a finite input is a number, however far out


@FAST
@given(
    st.sampled_from(sorted(data.CLASSIFICATION + data.REGRESSION)),
    st.integers(1, 1000),
    st.floats(0, 0.5),
    st.integers(0, 999_999),
)
def test_toy_data_for_any_size_noise_and_seed(name, n, noise, seed):
    d = data.make_toy(name, n, noise, seed)
    assert d.X.shape[1] == 2 and len(d.X) == len(d.y) and np.isfinite(d.X).all()


@FAST
@given(FLOATS, FLOATS, FLOATS)
def test_neuron_numbers_on_extreme_weights(w1, w2, b):
    d = data.make_toy("gauss", 50, 0.3, seed=1)
    acc = neuron.accuracy(d.X, d.y, [w1, w2], b)
    assert 0 <= acc <= 1 or math.isnan(acc)
    P = neuron.output_map(neuron.MODELS["logistic"], d.X, [w1, w2], b)
    assert P.shape[0] == len(d.X)
