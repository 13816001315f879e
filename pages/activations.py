"""2 · Activation functions: what the non-linearity does for a network, and what it costs its gradients."""

from functools import partial

import streamlit as st

from core import approximation, data, depth, linearity, neuron
from core.activations import ACTIVATIONS, describe_flat, flat_regions, max_slope
from core.charts import activations as charts
from core.charts import style
from pages import share, ui, walkthrough

NAMES = {k: a.label for k, a in ACTIVATIONS.items()}
NOTES = {"gelu": "Φ, φ: the normal CDF and density; the slope crosses 0 at the dip.", "relu": "At 0 we take g′ = 0."}
COMPARED = ("sigmoid", "tanh", "relu")  # compared by default; the faint reference lines on the depth chart
BENDING = [k for k in ACTIVATIONS if k != "identity"]
INIT_HELP = "He suits ReLU (it keeps the signal's size); Xavier suits sigmoid and tanh."
KNOTS = "Heights of your points, left to right"
KNOTS_HELP = "2 to 15 numbers within ±5, separated by commas; spread evenly over x from −3 to 3 and joined by lines."
LOGISTIC = neuron.MODELS["logistic"]
circle = partial(data.make_toy, "circle", 200, 0.0)  # circle(seed): the 200 points sections 2 and 4 use
compare = st.cache_resource(max_entries=32, show_spinner=False)(charts.compare_figure)


@st.cache_resource(show_spinner=False)
def gallery() -> dict:
    """Figures are cached as objects (st.plotly_chart copies a figure, never changes it), with their facts in words."""
    cards = {}
    for name, act in ACTIVATIONS.items():
        facts = f"Flat (|g′| < 0.01): **{describe_flat(flat_regions(act))}**. Steepest slope {max_slope(act):.3g}."
        cards[name] = charts.card_figure(name), facts
    return cards


@st.cache_resource(max_entries=48, show_spinner="Training a small network…")
def trained(activation: str, layers: int, seed: int):
    """A finished net, its map, its collapse check and logistic regression's cost on the same data."""
    d = circle(seed)
    net = linearity.train(d.X, d.y, activation, layers, seed)
    title = f"g = {NAMES[activation]}, {layers} hidden layer{'s' * (layers > 1)}"
    reference = neuron.cost(LOGISTIC, d.X, d.y, *neuron.reference_fit(LOGISTIC, d.X, d.y))
    return net, charts.plane_figure(net, d.X, d.y, title), linearity.collapse_gap(net, style.grid(d.X)[2]), reference


@st.cache_data(max_entries=16, show_spinner="Fitting 1, 2, 4, … 64 units…")
def ladder(target: str, activation: str, seed: int, knots: tuple[float, ...]) -> list[approximation.Fit]:
    return approximation.ladder(target, activation, seed, knots)


@st.cache_resource(max_entries=32, show_spinner=False)
def approximation_view(target: str, activation: str, n: int, seed: int, knots: tuple[float, ...], parts: bool):
    fits, ns = ladder(target, activation, seed, knots), list(approximation.LADDER)
    if n in ns:
        fit = fits[ns.index(n)]
    else:
        fit = approximation.fit(target, activation, n, seed, knots, start=fits[ns.index(approximation.parent(n))])
    return fit, charts.approximation_figure(fit, parts), charts.error_figure(ns, [f.rms for f in fits], n, fit.rms)


@st.cache_resource(max_entries=64, show_spinner=False)
def depth_view(activation: str, layers: int, init: str, bias: float, seed: int):
    d = circle(seed)
    profiles = {g: depth.profile(d.X, d.y, g, layers, init, bias, seed) for g in dict.fromkeys((*COMPARED, activation))}
    prof = profiles[activation]
    return prof, charts.gradient_figure(profiles, activation), charts.dead_figure(prof)


ui.header(
    "Activation functions",
    "say why a network needs a non-linearity, what it lets the network draw, what it costs the gradients, "
    "and pick the right one for a hidden or an output layer.",
)
walkthrough.show("activations")
st.markdown("Every unit computes *z* = **w**ᵀ**x** + *b*, then passes it through an **activation function** *g*:")
st.latex(r"a = g(z)")

st.header("1 · The gallery")
st.caption("Solid blue: g(z). Dashed orange: its slope g′(z), which back-propagation multiplies by. Grey: flat.")
for row in range(0, len(ACTIVATIONS), 3):
    for col, name in zip(st.columns(3), list(ACTIVATIONS)[row : row + 3], strict=False):
        act, (fig, facts) = ACTIVATIONS[name], gallery()[name]
        with col.container(border=True):
            st.markdown(f"**{act.label}** · range {act.out_range}")
            st.plotly_chart(fig, key=f"act_card_{name}")
            st.latex(act.latex)
            st.latex(act.dlatex)
            st.caption(f"{facts} {NOTES.get(name, '')}")

st.subheader("Compare side by side")
picked = ui.pills("Activations to compare (up to three)", list(ACTIVATIONS), COMPARED, "act_cmp", NAMES)
if len(picked) > 3:
    st.caption(f"Showing the first three: {', '.join(NAMES[n] for n in picked[:3])}.")
if picked:
    st.plotly_chart(compare(picked[:3]), key="act_compare")
    share.chart_text(
        f"{', '.join(NAMES[n] for n in picked[:3])} on the same axes: each activation g(z) and its slope g′(z) "
        "against z, to compare where they saturate and how steep they are."
    )
else:
    st.info("Pick one to three activations above to overlay them.")

st.header("2 · Why a network needs a non-linearity")
st.markdown("Take *g* away and a layer is just *z* = *W* **x** + *b*. Stack two, and they multiply out into **one**:")
st.latex(r"W_2 (W_1 x + b_1) + b_2 = \underbrace{W_2 W_1}_{W}\, x + \underbrace{W_2 b_1 + b_2}_{b}")
st.markdown(
    "However many linear layers you stack, you get one linear function: one straight boundary. Two small networks "
    "(4 units per hidden layer) train on the circle data: one without an activation, one with an activation you pick."
)
c1, c2 = st.columns(2)
with c1:
    bend = ui.select("Activation of the right-hand network", BENDING, "act_bend", "relu", NAMES)
with c2:
    layers = ui.slider("Hidden layers", 1, linearity.MAX_LAYERS, 1, "act_layers", help="Both networks get this many.")
lin, lin_fig, gap, logistic_cost = trained("identity", layers, ui.seed())
net, net_fig, *_ = trained(bend, layers, ui.seed())
c1, c2 = st.columns(2)
c1.plotly_chart(lin_fig, key="act_lin_map")
c2.plotly_chart(net_fig, key="act_net_map")
m = st.columns(4)
m[0].metric("Accuracy, no activation", f"{lin.accuracy:.1%}")
m[1].metric(f"Accuracy, {NAMES[bend]}", f"{net.accuracy:.1%}")
m[2].metric("Cost J, no activation", f"{lin.losses[-1]:.4f}", help=f"Cross-entropy after {linearity.STEPS} Adam steps.")
m[3].metric("Cost J, logistic regression", f"{logistic_cost:.4f}", help="scikit-learn's best single neuron.")
if bend == "step":
    st.info("Step units pass no gradient back (g′ = 0), so gradient descent trained only the output layer.")
elif net.accuracy < 0.95:
    st.info(f"This {NAMES[bend]} net got stuck: 4 units per layer leave no slack. Try another seed, or add a layer.")
st.markdown("**The left network's trained weights, multiplied out** one layer at a time (rounded to two decimals):")
for line in linearity.collapse_latex(lin):
    st.latex(line)
_, W, b = linearity.collapse(lin.Ws, lin.bs)
st.latex(rf"z = W x + b = {W[0, 0]:.2f}\,x_1 {W[0, 1]:+.2f}\,x_2 {b[0]:+.2f}")
st.caption(
    f"Check: on all 6,400 points of the map, the network's own z and W x + b differ by at most {gap:.1e}. "
    "That line, drawn on the left, is logistic regression's: a stack of linear layers is one neuron."
)

st.header("3 · What a non-linearity buys: universal approximation")
st.markdown(
    "One hidden layer of *N* units with a non-linear *g*, and a linear output, can match **any continuous curve** "
    "on an interval (here −3 ≤ x ≤ 3) as closely as you like, given enough units. Each unit adds a scaled, shifted *g*:"
)
st.latex(r"\hat y(x) = b_2 + \sum_{i=1}^{N} w_{2,i}\; g(w_{1,i}\, x + b_{1,i})")
c1, c2, c3 = st.columns(3)
with c1:
    targets = {k: t.label for k, t in approximation.TARGETS.items()}
    target = ui.select("Curve to match", list(targets), "act_target", "sine", targets)
with c2:
    ua_g = ui.select("Activation g", list(ACTIVATIONS), "act_ua", "relu", NAMES, help="The hidden units' activation.")
with c3:
    units = ui.slider("Hidden units N", 1, approximation.MAX_UNITS, 8, "act_units", help="Width of the hidden layer.")
knots: tuple[float, ...] = ()
if target == "points":
    text = st.text_input(KNOTS, approximation.DEFAULT_KNOTS, 200, "act_knots", bind="query-params", help=KNOTS_HELP)
    knots, problem = approximation.read_knots(text)
    if problem:
        st.warning(f"Those points cannot be used: {ui.plain(problem)}. Using the default points instead.", icon="⚠️")
st.latex(approximation.TARGETS[target].latex)
show_parts = ui.toggle("Show each unit's contribution", "act_parts", True, help="Thin green lines; they sum to ŷ.")
fit, fit_fig, err_fig = approximation_view(target, ua_g, units, ui.seed(), knots, show_parts)
c1, c2 = st.columns([3, 2])
c1.plotly_chart(fit_fig, key="act_fit")
c2.plotly_chart(err_fig, key="act_err")
m = st.columns(3)
m[0].metric("RMS error", f"{fit.rms:.4f}", help="Root-mean-square gap between ŷ and the curve, x from −3 to 3.")
m[1].metric("Largest error", f"{fit.max_err:.4f}")
m[2].metric("Weights", f"{3 * units + 1}", help="w₁, b₁ and w₂ for every unit, plus b₂.")
st.caption(
    "How it is fitted: each new unit switches at a fresh spot on the x-axis; the output weights are solved exactly "
    "(least squares), then L-BFGS trains every weight. Each N grows from the fit with fewer units: errors only fall."
)

st.header("4 · What it costs: vanishing gradients and dead units")
st.markdown("Back-propagation carries the error back layer by layer, multiplying by the weights **and by g′(z)**:")
st.latex(
    r"\delta_{l-1} = \left(\delta_l W_l\right) \odot g'(z_{l-1}), \qquad "
    r"\frac{\partial L}{\partial W_l} = \delta_l^{\top} a_{l-1}"
)
st.markdown(
    "The sigmoid's slope is at most ¼, so ten sigmoid layers shrink the signal by up to (¼)¹⁰ ≈ 10⁻⁶ from the "
    "slopes alone: the first layers barely learn. ReLU's slope is exactly 1 where a unit is on — and exactly 0 "
    "where it is off. A unit that is off for **every** example is **dead**: no gradient passes through it. Below: "
    f"a fresh stack of {depth.WIDTH} units per layer, one pass of the circle data (200 points), cross-entropy loss."
)
c = st.columns(4)
with c[0]:
    deep_g = ui.select("Activation", list(ACTIVATIONS), "act_deep", "sigmoid", NAMES, help="In every hidden layer.")
with c[1]:
    n_layers = ui.slider("Depth (hidden layers)", 1, depth.MAX_DEPTH, 10, "act_depth")
with c[2]:
    init = ui.select("Initial weights", list(depth.INITS), "act_init", "he", depth.INIT_NAMES, help=INIT_HELP)
with c[3]:
    bias = ui.slider("Initial bias b", -1.0, 1.0, 0.0, "act_bias", step=0.1, help="Negative biases switch ReLUs off.")
st.latex(depth.INITS[init])
prof, grad_fig, dead_fig = depth_view(deep_g, n_layers, init, bias, ui.seed())
c1, c2 = st.columns([3, 2])
c1.plotly_chart(grad_fig, key="act_grads")
with c2:
    dead, total = int(round(prof.dead.sum() * depth.WIDTH)), depth.WIDTH * n_layers
    st.metric("Dead units", f"{dead} of {total}", help="Units whose g′(z) is 0 for all 200 examples.")
    st.progress(dead / total, text=f"dead-unit meter: {dead / total:.0%}")
    st.plotly_chart(dead_fig, key="act_dead")
m = st.columns(2)
g = prof.grad_norms
ratio = f"{g[0] / g[-1]:.1e}" if g[-1] > 0 else "— (no gradient at all)"
m[0].metric("Layer 1's gradient ÷ the output layer's", ratio, help="‖∂L/∂W₁‖ / ‖∂L/∂W_out‖: what reaches layer 1.")
m[1].metric("Average slope |g′(z)|", f"{prof.mean_slope.mean():.3f}", help="Over every hidden unit and example.")

st.header("5 · A short history, and where each one goes")
st.markdown(
    "- **1943–1960s: the step** of McCulloch–Pitts neurons and the perceptron. Slope 0: gradient descent can't train "
    "it.\n- **1986–2010: sigmoid and tanh.** Back-propagation needs a slope; these S-curves ruled the hidden layers "
    "(tanh's outputs are centred on 0). Their flat tails made deep stacks hard to train.\n- **Since about 2010: "
    "ReLU.** An on/off switch per feature: cheap, slope 1 when on, so deep nets train. Softplus is its smooth twin; "
    "leaky ReLU, ELU and GELU soften its dead side; GELU runs inside transformers."
)
st.markdown("**Today:** ReLU (or a cousin) in hidden layers. At the output, the activation follows what you predict:")
st.latex(
    r"\underbrace{\hat y = \sigma(z)}_{\text{two classes}} \qquad "
    r"\underbrace{\hat y_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}}_{K\text{ classes: softmax}} \qquad "
    r"\underbrace{\hat y = z}_{\text{a number: identity}}"
)
st.markdown(
    "| activation | output range | in use since | usual role |\n|---|---|---|---|\n"
    + "\n".join(f"| {a.label} | {a.out_range} | {a.since} | {a.role} |" for a in ACTIVATIONS.values())
)

ui.notice(
    "Without an activation, extra layers add nothing: the trained weights multiply out to logistic regression's line.",
    "With N units the network adds N bent copies of g: more units, smaller error, for any non-linear g.",
    "The sigmoid's gradient shrinks by orders of magnitude on its way to the first layer; ReLU's keeps its size.",
    "A ReLU that is off for every example is dead: a negative bias can kill whole layers.",
)
ui.try_this(
    "act_layers",
    "In section 2, give both networks 4 hidden layers. What happens to the left network's boundary?",
    ["It bends around the circle", "It stays one straight line", "It disappears"],
    "It stays one straight line",
    "Four identity layers still multiply out to one matrix W: the same line as logistic regression.",
)
ui.try_this(
    "act_vanish",
    "In section 4 choose Sigmoid and depth 20. How much smaller is the gradient at layer 1 than at the output?",
    ["About 10 times", "About 1,000 times", "More than a billion times"],
    "More than a billion times",
    "Twenty slopes of at most ¼ multiply to (¼)²⁰ ≈ 10⁻¹²; the chart shows about that: the first layers hardly move.",
)
ui.try_this(
    "act_dead",
    "In section 4 choose ReLU and set the initial bias to −0.5. What does the meter say, and why?",
    ["Nothing changes", "Most units die; early layers get exactly zero gradient", "The gradients explode"],
    "Most units die; early layers get exactly zero gradient",
    "With b < 0 and small inputs, z < 0 for every example: g′ = 0, so nothing flows back past a dead layer.",
)
ui.show_code(linearity.collapse, approximation.fit, depth.backward)
