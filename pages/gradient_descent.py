"""4 · Gradient descent: the lecture's exercise step by step, learning rates you can feel, landscapes you can walk."""

import numpy as np
import pandas as pd
import streamlit as st

from core import descent, expression
from core.charts import descent as charts
from pages import share, ui, walkthrough
from pages.ui import _as_number, _url_value, _warn

LECTURE = {"f": "x^2", "x0": 9.0, "lr": 0.1, "steps": 3, "gd_schedule": "constant"}
ICONS = {"too small": "🐢", "good": "✅", "oscillating": "〰️", "divergent": "💥"}
LRS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0]
GTOLS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8]
FTOLS = [0.0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4]
LANDS = descent.landscapes()
# Results hold plotly figures, so they are cached as shared objects (never mutated here): unpickling a figure from
# st.cache_data would re-validate it, ~20 ms each, six times per rerun.
cached = st.cache_resource(max_entries=64, show_spinner=False)


def number(label: str, lo: float, hi: float, value: float, key: str, step: float, help: str) -> float:
    """A decimal input bound to the URL; a bad or out-of-range link value falls back with a warning."""
    raw = _url_value(key)
    if raw is not None and ((x := _as_number(raw, False)) is None or not lo <= x <= hi):
        _warn(key, raw, f"a number from {lo:g} to {hi:g}", f"{value:g}")
    return st.number_input(label, lo, hi, value, step=step, format="%g", key=key, help=help, bind="query-params")


@cached
def explore(text: str, x0: float):
    """One learning rate and run per regime on this f from this x0, f'' if f is a quadratic, and the regimes chart."""
    f = expression.parse(text)
    runs = descent.regime_runs(f, x0)
    return runs, descent.quadratic_curvature(f), runs and charts.regimes_figure(runs)


@cached
def exercise(text: str, x0: float, lr: float, steps: int, schedule: str, x_star: tuple):
    """The run, and its chart over the iterates and the point a good rate reaches."""
    f = expression.parse(text)
    run = descent.descend_1d(f, x0, lr, steps, schedule)
    return run, charts.steps_figure(*descent.curve(f, np.r_[run.x, x_star]), run, f"f(x) = {text}")


@cached
def race(key: str, seed: int, start: tuple, lr: float, lra: float, stop: descent.Stop, surface: bool):
    """Every optimizer from the same start on one landscape: the paths, their chart and their cost curves."""
    ls = descent.landscapes(seed)[key]
    paths = descent.race(ls, start, lr, lra, stop)
    drawn = {n: (p.theta, p.J) for n, p in paths.items() if len(p.J)}
    box = ls.around(np.concatenate([[start], *(p.theta for p in paths.values() if len(p.J))]))
    land = charts.landscape_figure(*descent.surface(ls.J, box), drawn, surface)
    return paths, land, charts.cost_figure({n: p.J for n, p in paths.items()})


@cached
def batches(n: int, b: int, epochs: int, lr: float, seed: int):
    """Batch GD, mini-batch and SGD for the same epochs on the regression data, and their charts."""
    x, y = descent.regression_data(n, seed)
    runs = descent.batch_race(x, y, b, epochs, lr, seed)
    grid = descent.surface(descent.regression_cost(x, y), LANDS["bowl"].box)
    land = charts.landscape_figure(*grid, {k: (p.theta, p.J) for k, (p, _) in runs.items()}, height=480)
    costs = charts.cost_figure({k: p.J for k, (p, _) in runs.items()}, "epoch", {k: e for k, (_, e) in runs.items()})
    return runs, land, costs


def click_start() -> None:
    """A click on the contour moves the start there."""
    points = st.session_state["gd_land_chart"]["selection"]["points"]
    if points:
        x, y = (float(np.clip(round(points[0][k], 2), -5, 6)) for k in "xy")
        st.session_state.update(gd_t0=x, gd_t1=y)


def land_defaults() -> None:
    ls = LANDS[st.session_state["gd_land"]]
    st.session_state.update(gd_t0=ls.start[0], gd_t1=ls.start[1], gd_lr=ls.lr, gd_lra=ls.lr_adaptive)


if "gd_schedule" not in st.session_state:  # first run of a visit: our widgets' state is gone...
    st.session_state.pop("lr", None)  # ...so an lr still here is the neuron page's slider, not this page's α
ui.header(
    "Gradient descent",
    "do the lecture's descent by hand and check it, feel what the learning rate does, and watch five optimizers "
    "walk the same loss landscape.",
)
walkthrough.show("gradient_descent")
st.latex(r"\theta \;\leftarrow\; \theta - \alpha\,\nabla J(\theta)")
st.markdown(
    "The gradient ∇J points uphill — it generalises the derivative, the slope of the tangent line — so step the "
    "other way, by a fraction α, the **learning rate**. The algorithm: **initialise** θ (randomly); **repeat**: "
    "compute g = ∇J(θ) and update θ ← θ − α g; **stop** when the gradient is small, the cost stops decreasing, "
    "or a maximum number of iterations is reached."
)

st.header("1 · The lecture's exercise, step by step")
st.latex(r"f(x) = x^2,\quad f'(x) = 2x,\quad x_0 = 9,\quad \alpha = 0.1:\qquad x_{t+1} = x_t - \alpha\, f'(x_t)")
c = st.columns([2.4, 1, 1.4, 1.6, 1.5])
text = c[0].text_input(
    "f(x) =", LECTURE["f"], key="f", bind="query-params", max_chars=expression.MAX_CHARS, help=expression.allowed()
)
with c[1]:
    x0 = number("Start x₀", -100.0, 100.0, LECTURE["x0"], "x0", 1.0, "Where the descent starts.")
with c[2]:
    lr = number("Learning rate α", 0.0, 1000.0, LECTURE["lr"], "lr", 0.01, "How far each step goes along −f′.")
with c[3]:
    steps = ui.slider("Steps", 1, 60, LECTURE["steps"], key="steps", help="How many updates to take.")
with c[4]:
    schedule = ui.select(
        "α schedule", list(descent.SCHEDULES), key="gd_schedule", help="Keep α fixed, or shrink it as t grows."
    )
try:
    f = expression.parse(text)
    why = descent.trouble(f, x0)
    if why:
        raise expression.ExpressionError(f"f cannot start at x₀ = {x0:g}: {why}.")
except expression.ExpressionError as err:
    st.error(f"**That formula cannot be used.** {err} Showing f(x) = {LECTURE['f']} instead.", icon="🚫")
    text = LECTURE["f"]
runs, curv, regimes_fig = explore(text, x0)
found = {k: a for k, (a, _) in runs.items()}
b = st.columns(5)
b[0].button("↺ Lecture exercise", key="gd_lecture", on_click=st.session_state.update, kwargs=LECTURE, width="stretch")
for col, name in zip(b[1:], ICONS, strict=True):
    alpha = found.get(name)
    col.button(
        f"{ICONS[name]} {name.capitalize()}",
        key=f"gd_regime_{name.replace(' ', '_')}",
        on_click=st.session_state.update,
        kwargs={"lr": alpha, "steps": 25, "gd_schedule": "constant"},
        disabled=alpha is None,
        width="stretch",
        help="Sets α (listed below) and 25 steps." if alpha else "No learning rate does this here: see below.",
    )
if found:
    rates = ", ".join(f"{k} α = {descent.fmt(a)}" for k, a in found.items())
    st.caption(f"One click sets α and 25 steps: {rates} — each found by running descent on this f from this x₀.")
if curv is not None and curv > 0:
    st.markdown(
        f"**Theory for a quadratic.** f″ = {descent.fmt(curv)} everywhere, so each step multiplies the distance to "
        f"the minimum by 1 − α f″ = {descent.fmt(1 - lr * curv)} (with constant α): α < 1/f″ = "
        f"{descent.fmt(1 / curv)} walks straight down, 1/f″ < α < 2/f″ oscillates in, and "
        f"**α > 2/f″ = {descent.fmt(2 / curv)} diverges**."
    )
if not found:
    st.info("No learning-rate regimes here: from this x₀, gradient descent finds no minimum to settle in.", icon="ℹ️")
elif "oscillating" not in found:
    st.caption("No α oscillates for long here: a step that overshoots lands where f is steeper, so it diverges.")
run, steps_fig = exercise(text, x0, lr, steps, schedule, (runs["good"][1].x[-1],) if runs else ())
left, right = st.columns([3, 2])
left.plotly_chart(steps_fig, key="gd_steps_chart")
share.chart_text(f"The curve f(x) = {ui.plain(text)} and the descent's steps on it from x₀ = {x0:g}, α = {lr:g}.", left)
with right:
    k = len(run.x_next)
    cols = {"xₜ": run.x[:k], "f(xₜ)": run.f[:k], "f′(xₜ)": run.df[:k], "αₜ": run.alpha, "xₜ₊₁": run.x_next}
    st.dataframe({"t": np.arange(k)} | {c: [descent.fmt(v) for v in vals] for c, vals in cols.items()}, hide_index=True)
    T = len(run.x) - 1
    xT = f"x{charts.subscript(T)}"
    st.markdown(f"After {T} steps: **{xT} = {descent.fmt(run.x[-1])}**, f({xT}) = {descent.fmt(run.f[-1])}")
if run.message:
    st.error(run.message, icon="💥")

st.header("2 · What the learning rate does")
st.markdown(
    "Too small and descent crawls; too large and it overshoots — xₜ jumps from side to side (the cost **wiggles**) "
    "or **diverges**. The four rates of the buttons above, run on the same f from the same x₀:"
)
if regimes_fig:
    st.plotly_chart(regimes_fig, key="gd_regimes_chart")
st.markdown(
    "α can also **decay** as t grows: big steps far away, small steps near the minimum, where an oscillation "
    "then dies out. The schedules on offer (choose one above):"
)
names = list(descent.SCHEDULES)
for pair in (names[:2], names[2:]):
    st.latex(r"\qquad".join(rf"\text{{{k}: }}\; {descent.SCHEDULES[k][1]}" for k in pair))

st.header("3 · Two parameters: walk a landscape")
st.markdown(
    "Linear regression h(x) = θ₀ + θ₁x has a cost that is a **bowl** over (θ₀, θ₁): convex, one minimum. The cost "
    "of a deep network is not — it has **saddles**, curved **valleys** and **several minima**. Five optimizers "
    "from torch.optim start from the same point; momentum and Nesterov remember past steps, RMSProp and Adam "
    "scale each coordinate's step by its recent gradient size."
)
c = st.columns([2, 1, 1, 1.4])
with c[0]:
    land = ui.select(
        "Landscape",
        list(LANDS),
        key="gd_land",
        names={k: ls.name for k, ls in LANDS.items()},
        on_change=land_defaults,
        help="Choosing one also resets the start and the learning rates to values that show its lesson.",
    )
ls = LANDS[land]
with c[1]:
    t0 = ui.slider("Start θ₀", -5.0, 6.0, ls.start[0], key="gd_t0", step=0.01)
with c[2]:
    t1 = ui.slider("Start θ₁", -5.0, 6.0, ls.start[1], key="gd_t1", step=0.01)
with c[3]:
    surface = ui.select("View", ["contour", "3-D surface"], key="gd_view", radio=True) == "3-D surface"
st.latex(ls.latex)
st.markdown("**Learning rates, and when to stop** — whichever stopping test holds first ends a run:")
c = st.columns(5)
with c[0]:
    lr2 = ui.choice_slider(
        "α: SGD family", LRS, ls.lr, key="gd_lr", help="Gradient descent, momentum, Nesterov: step = α × gradient."
    )
with c[1]:
    lra = ui.choice_slider(
        "α: RMSProp, Adam", LRS, ls.lr_adaptive, key="gd_lra", help="Roughly the step length in each coordinate."
    )
with c[2]:
    gtol = ui.choice_slider("stop: ‖∇J‖ below", GTOLS, 1e-4, key="gd_gtol", help="The slope is (nearly) flat.")
with c[3]:
    ftol = ui.choice_slider("stop: |ΔJ| below", FTOLS, 1e-10, key="gd_ftol", help="The cost stopped falling. 0: off.")
with c[4]:
    iters = ui.slider("stop: iterations", 10, descent.MAX_ITER, 500, key="gd_iters", step=10, help="The cap.")
stop = descent.Stop(gtol, ftol, iters)
paths, land_fig, cost_fig = race(land, ui.seed(), (t0, t1), lr2, lra, stop, surface)
left, right = st.columns([3, 2])
left.plotly_chart(land_fig, key="gd_land_chart", on_select=click_start, selection_mode="points")
left.caption("Click anywhere on the contour to start there." if not surface else "Drag to turn the surface.")
right.plotly_chart(cost_fig, key="gd_cost_chart")
ends = {k: [f"{v:.6g}" for v in [*p.theta[-1:].ravel(), *p.J[-1:]]] or ["", "", ""] for k, p in paths.items()}
rows = [(k, len(p.J) - 1, *ends[k], p.message) for k, p in paths.items()]
st.dataframe(pd.DataFrame(rows, columns=["optimizer", "iterations", "θ₀", "θ₁", "final J", "stopped"]), hide_index=True)
if diverged := [n for n, p in paths.items() if p.reason == "diverged"]:
    msg = "each step overshot by more than it gained, so J grew without bound and the run was stopped. Lower its α."
    st.error(f"{', '.join(diverged)} diverged: {msg}", icon="💥")

st.header("4 · Batch, mini-batch, stochastic")
st.markdown(
    "**Batch** gradient descent uses all n records for each step; **SGD** uses one; **mini-batch** uses b of "
    "them. An **epoch** is one pass over the data, so a smaller batch means more (but noisier) steps per epoch."
)
c = st.columns(4)
with c[0]:
    n = ui.slider("records n", 20, 500, 200, key="gd_n", step=10, help="Size of the regression data set.")
with c[1]:
    bsize = ui.slider("batch size b", 1, 500, 40, key="gd_batch", help="Records per mini-batch step.")
with c[2]:
    epochs = ui.slider("epochs", 1, 20, 5, key="gd_epochs", help="Passes over the data, the same for all three.")
with c[3]:
    mblr = ui.choice_slider("α", LRS[:12], 0.1, key="gd_mblr", help="The same step size for all three.")
bsize = min(bsize, n)
plan = descent.BatchPlan(n, bsize, epochs)
st.latex(
    rf"n_\text{{batches}} = \lceil n / b \rceil = \lceil {n}/{bsize} \rceil = {plan.batches_per_epoch}, \qquad "
    rf"\text{{iterations}} = \text{{epochs}} \times n_\text{{batches}} = {epochs} \times {plan.batches_per_epoch}"
    rf" = {plan.iterations}"
)
if plan.last_batch != bsize:
    st.caption(f"{bsize} does not divide {n}: the last batch of each epoch has {plan.last_batch} records.")
mb_runs, mb_fig, mb_cost = batches(n, bsize, epochs, mblr, ui.seed())
left, right = st.columns([3, 2])
left.plotly_chart(mb_fig, key="gd_batch_chart")
right.plotly_chart(mb_cost, key="gd_batch_cost")
rows = [(k, per, len(p.J) - 1, f"{p.J[-1]:.6g}") for k, (p, per) in mb_runs.items()]
st.dataframe(pd.DataFrame(rows, columns=["method", "updates per epoch", "updates", "final J"]), hide_index=True)
if bad := [k for k, (p, _) in mb_runs.items() if p.reason == "diverged"]:
    st.error(f"{', '.join(bad)} diverged and stopped: J grew without bound. Lower α.", icon="💥")

ui.notice(
    "In the exercise each step is 0.8 × the last (xₜ = 9 · 0.8ᵗ): with f = x², 1 − α f″ = 1 − 0.1 · 2 = 0.8.",
    "The steps shrink by themselves near the minimum even with a constant α, because f′ shrinks.",
    "RMSProp with a constant α ends up hopping between two points across the bowl's floor: J stays the same, so "
    "the |ΔJ| test fires although ‖∇J‖ is not small — the stopping tests can disagree.",
    "Same epochs, very different numbers of steps: SGD gets closest but never sits still — it jitters.",
)
ui.try_this(
    "diverge",
    "Type f(x) = 3*x^2. Above which learning rate does gradient descent diverge?",
    ["α > 1/3", "α > 2/3", "α > 1", "α > 2"],
    "α > 1/3",
    "f″ = 6, so each step multiplies the distance to the minimum by 1 − 6α, whose size passes 1 once "
    "α > 2/f″ = 2/6 = 1/3. The 💥 button finds it by running descent.",
)
ui.try_this(
    "iterations",
    "200 records, batch size 25, 3 epochs: how many iterations (updates)?",
    ["8", "24", "75", "600"],
    "24",
    "200 / 25 = 8 batches per epoch, and 3 epochs × 8 = 24 updates. Set the sliders in section 4 to check.",
)
ui.try_this(
    "saddle",
    "Choose the saddle and set the start θ₁ = 0 exactly. Where does plain gradient descent stop?",
    ["At a minimum, J = −0.25", "At the saddle point (0, 0)", "It diverges"],
    "At the saddle point (0, 0)",
    "On θ₁ = 0 the gradient never points sideways, so descent slides into the saddle, where ‖∇J‖ → 0 and the "
    "gradient test fires. The smallest nudge to θ₁ lets it roll off to a real minimum.",
)
ui.show_code(descent.descend_1d, descent.optimize, descent.minibatch_path, expression.parse)
