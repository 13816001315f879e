"""5 · Backpropagation: the chain rule on a real network, one multiplication at a time."""

import numpy as np
import streamlit as st

from core import backprop as bp
from core.activations import ACTIVATIONS
from core.charts import backprop as charts
from pages import ui
from pages import walkthrough as tour  # backprop.py has its own walkthrough(): the forward/backward walk

LRS = [0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0]
INITS = {"example": "Worked example", "random": "Random (seed)"}
CHAIN_W = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]
PLAY_EVERY = 1.5  # seconds per step while playing: time to read each formula
TINY = ("|hand − autograd|", "|hand − finite diff.|", "difference")


def formats(table: dict) -> dict:
    """Differences in scientific notation, every other number to ten decimals; the first column is the name."""
    return {k: st.column_config.NumberColumn(format="%.1e" if k in TINY else "%.10f") for k in list(table)[1:]}


@st.cache_data(max_entries=64, show_spinner=False)
def walkthrough(hidden: tuple, act: str, loss: str, x: tuple, y: int, init: str, seed: int, alpha: float) -> bp.Pass:
    net = bp.example_net(hidden, act, loss) if init == "example" else bp.random_net(hidden, act, loss, seed)
    return bp.walk(net, x, y, alpha)


@st.cache_data(max_entries=32, show_spinner=False)
def chain(acts: tuple, depth: int, w: float):
    curves = {ACTIVATIONS[a].label: bp.chain_gradients(a, depth, w) for a in acts}
    return charts.chain_figure(depth, w, curves), curves


def go_to(k: int, play: bool | None = None) -> None:
    st.session_state.bp_step = k
    if play is not None:  # starting or stopping the timer needs a full rerun: see walk()
        st.session_state.update(bp_playing=play, bp_restart=True)


ui.header(
    "Backpropagation",
    "compute the gradient of every weight of a small network with the chain rule, one multiplication at a time, "
    "and check each one against torch's autograd and a finite difference.",
)
tour.show("backprop")
st.markdown("A network is a chain of simple functions. The slope of a chain is the product of the slopes of its links:")
st.latex(r"y = u(v(x)) \;\Rightarrow\; \frac{dy}{dx} = \frac{du}{dv} \cdot \frac{dv}{dx}")
st.markdown(
    "**Forward pass:** push the input *x* through the layers to the prediction *ŷ* and the loss *J*. "
    "**Backward pass:** from the loss back, multiply local derivatives to get ∂J/∂(every weight). "
    "**Update:** move every weight a little against its gradient. Repeat. The lecture's chain for a first-layer "
    "weight θ₁ of a network with one hidden unit:"
)
st.latex(
    r"\frac{\partial J}{\partial \theta_1} = \frac{\partial J}{\partial a_3} \cdot \frac{\partial a_3}{\partial z_3}"
    r" \cdot \frac{\partial z_3}{\partial a_2} \cdot \frac{\partial a_2}{\partial z_2} \cdot"
    r" \frac{\partial z_2}{\partial \theta_1}"
)

st.header("1 · Follow one example through the network")
c = st.columns(4)
with c[0]:
    layers = ui.select(
        "Hidden layers",
        [str(n) for n in range(1, bp.MAX_HIDDEN + 1)],
        key="bp_layers",
        radio=True,
        help="Two layers let paths meet.",
    )
with c[1]:
    units = ui.slider("Units per hidden layer", 1, bp.MAX_UNITS, 2, key="bp_units", help="Hidden neurons per layer.")
with c[2]:
    names = {a: ACTIVATIONS[a].label for a in ACTIVATIONS}
    act = ui.select("Hidden activation g", list(ACTIVATIONS), key="bp_act", names=names, help="The output is σ.")
with c[3]:
    loss = ui.select("Loss J", list(bp.LOSSES), key="bp_loss", names=bp.LOSSES, radio=True, help="For one example.")
c = st.columns(5)
with c[0]:
    x1 = ui.slider("Input x₁", -2.0, 2.0, bp.EXAMPLE_X[0], key="bp_x1", step=0.1, help="The example's first feature.")
with c[1]:
    x2 = ui.slider("Input x₂", -2.0, 2.0, bp.EXAMPLE_X[1], key="bp_x2", step=0.1, help="The example's second feature.")
with c[2]:
    y = int(ui.select("Label y", ["1", "0"], key="bp_y", radio=True, help="The class the network should predict."))
with c[3]:
    init = ui.select("Weights", list(INITS), key="bp_init", names=INITS, help="Random ones follow the sidebar seed.")
with c[4]:
    alpha = ui.choice_slider("Learning rate α", LRS, 0.5, key="bp_lr", help="Step size of the update at the end.")

p = walkthrough((units,) * int(layers), act, loss, (x1, x2), y, init, ui.seed(), alpha)
if not all(np.isfinite([p.fwd.J, *p.hand.values()])):
    st.error(
        "The output unit is saturated: ŷ is 0 or 1 to machine precision, so the cross-entropy and its slope are "
        "infinite. Use smaller inputs, other weights or the squared loss."
    )


@st.fragment(run_every=PLAY_EVERY if ui.playing("bp") else None)
def walk() -> None:
    if st.session_state.pop("bp_restart", False):
        st.rerun()  # run_every is set when the whole page runs, so Play and Pause rerun it all
    last, k = len(p.steps) - 1, int(st.session_state.get("bp_step", 0))
    if ui.playing("bp") and k >= last:
        go_to(last, play=False)
        st.rerun()
    elif ui.playing("bp"):
        st.session_state.bp_step = k + 1
    elif k > last:  # a smaller network has fewer steps
        st.session_state.bp_step = last
    row = st.container()  # the buttons go above the slider but need its value, which a link may set
    k = ui.slider("Step", 0, last, 0, key="bp_step", help="Every step is in the link: share it to show step k.")
    b = row.columns(5)
    b[0].button("↺ Start", key="bp_start", on_click=go_to, args=(0,), width="stretch")
    b[1].button("◀ Previous", key="bp_prev", on_click=go_to, args=(max(k - 1, 0),), width="stretch")
    b[2].button("Next ▶", key="bp_next", on_click=go_to, args=(min(k + 1, last),), width="stretch", type="primary")
    if ui.playing("bp"):
        b[3].button("❚❚ Pause", key="bp_play", on_click=go_to, args=(k, False), width="stretch")
    else:
        b[3].button("▶ Play", key="bp_play", on_click=go_to, args=(0 if k >= last else k, True), width="stretch")
    b[4].button("▶▶ Whole pass", key="bp_all", on_click=go_to, args=(last,), width="stretch")
    step = p.steps[k]
    st.plotly_chart(charts.graph_figure(p, k), key="bp_graph", config={"modeBarButtons": [["toImage"]]})
    st.caption(
        "In blue: what this step computes. Above each node: its value in the forward pass (over a z, its bias b). "
        "On each edge: the weight. In orange, once the backward pass reaches them: the gradients ∂J/∂(node) and "
        "∂J/∂w. Hover for every digit."
    )
    with st.container(border=True):
        st.markdown(f"**Step {k} of {last} · {step.title}**")
        st.latex(r"\begin{gathered}" + r" \\[6pt] ".join(step.latex) + r"\end{gathered}")


walk()

st.header("2 · The chain-rule ledger: one weight, every path")
options = [*bp.param_names(p.net), "x1", "x2"]
if st.session_state.get("bp_of") not in (None, *options):
    st.session_state.bp_of = "w1_11"  # that weight is gone from the smaller network
of = ui.select(
    "Gradient of",
    options,
    key="bp_of",
    default="w1_11",
    names={n: bp.param_label(n) for n in options},
    help="w(l)jk leads from unit k of layer l to unit j of layer l + 1; b(l)j is unit j's bias; x are the inputs.",
)
paths = bp.ledger(p.net, p.fwd, p.bwd, of)
st.markdown(
    "Walk from the loss back to the weight. Each factor is a **local derivative**: the slope of the loss, "
    "then per layer the activation's slope g′(z) and the weight on the edge, and last what the weight multiplies. "
    + ("Several paths lead here, so their products add up." if len(paths) > 1 else "")
)
for line in bp.ledger_latex(of, paths):
    st.latex(line)
m = st.columns(3)
m[0].metric("Chain rule, by hand", f"{p.hand[of]:.10f}")
m[1].metric("torch autograd", f"{p.autograd[of]:.10f}")
m[2].metric("Finite difference", f"{p.numeric[of]:.10f}")
m[1].caption(f"hand − autograd = {p.hand[of] - p.autograd[of]:.1e}")
m[2].caption(f"hand − finite difference = {p.hand[of] - p.numeric[of]:.1e}")
if len(paths) == 1 and of[0] != "x":
    st.caption(
        "One hidden layer gives each weight one path. Pick an input x, or use two hidden layers, to see paths meet."
    )

st.header("3 · Every gradient, three ways")
st.markdown(
    "**By hand:** the chain rule above, in `core/backprop.py`. **Autograd:** torch builds the same network from its "
    "own operations and differentiates it. **Finite difference:** nudge one weight by ±10⁻⁶ and rerun only the "
    "forward pass: (J(θ + ε) − J(θ − ε)) / 2ε."
)
table = bp.gradient_table(p)
st.dataframe(table, hide_index=True, height=35 * len(table["gradient of"]) + 38, column_config=formats(table))
st.caption(
    "The hand and autograd columns agree to about 10⁻¹⁶ — rounding in the last digit of a float64. The finite "
    "difference agrees to about 10⁻¹⁰: its own error from the step ε (and a kink of ReLU within ε gives it away)."
)

st.header("4 · One step of gradient descent")
st.latex(r"\theta \leftarrow \theta - \alpha \, \frac{\partial J}{\partial \theta}")
table = bp.update_table(p)
st.dataframe(table, hide_index=True, height=35 * len(table["parameter"]) + 38, column_config=formats(table))
m = st.columns(3)
m[0].metric("Loss J before", f"{p.fwd.J:.6f}")
m[1].metric("Loss J after one step", f"{p.new_J:.6f}", delta=f"{p.new_J - p.fwd.J:.6f}", delta_color="inverse")
m[2].metric("Prediction ŷ", f"{p.fwd.a[p.net.L][0]:.4f}", help=f"The label is y = {y}.")
if not p.new_J <= p.fwd.J:  # also true when the new loss is infinite or NaN
    st.error(
        f"This step made the loss worse: J went from {p.fwd.J:.4f} to {p.new_J:.4f}. With α = {alpha:g} the step "
        "jumps past the bottom of the valley and lands higher up the other side. Choose a smaller learning rate."
    )

st.header("5 · The same pass in matrix form")
st.markdown(
    "Computers do a whole layer at once. Call δ⁽ˡ⁾ = ∂J/∂z⁽ˡ⁾ the layer's error signal: it flows back through the "
    "transposed weights, and each weight's gradient is the error at its end times the activation at its start."
)
st.latex(
    r"\delta^{(l)} = \left(W^{(l)}\right)^{\top} \delta^{(l+1)} \odot g'\!\left(z^{(l)}\right), \qquad "
    r"\frac{\partial J}{\partial W^{(l)}} = \delta^{(l+1)} \left(a^{(l)}\right)^{\top}, \qquad "
    r"\frac{\partial J}{\partial b^{(l)}} = \delta^{(l+1)}"
)
st.latex(r"\begin{gathered}" + r" \\[10pt] ".join(bp.matrix_latex(p.net, p.fwd, y)) + r"\end{gathered}")
st.caption("⊙ multiplies element by element. Every entry equals the node-by-node number in section 1.")

st.header("6 · Vanishing and exploding gradients")
st.markdown(
    "Stack *D* single units, z⁽ˡ⁾ = w a⁽ˡ⁻¹⁾, a⁽ˡ⁾ = g(z⁽ˡ⁾), starting from x = 0.5. The gradient that reaches "
    "layer *l* is a product of one factor w · g′(z) per layer above it. Sigmoid's slope is at most 0.25, so the "
    "product shrinks every layer; ReLU's slope is 1, so only the weights decide."
)
c = st.columns(2)
with c[0]:
    depth = ui.slider("Depth D", 2, 60, 20, key="bp_depth", help="Number of layers in the chain.")
with c[1]:
    w_chain = ui.choice_slider("Every weight w", CHAIN_W, 1.0, key="bp_w", help="The same weight on every link.")
acts = tuple(dict.fromkeys(("sigmoid", "tanh", "relu", act)))
fig, curves = chain(acts, depth, w_chain)
st.plotly_chart(fig, key="bp_chain")
m = st.columns(len(curves))
for col, (name, values) in zip(m, curves.items(), strict=True):
    col.metric(f"{name}: gradient at layer 1", f"{values[0]:.2e}")

ui.notice(
    "Every gradient is a product of local derivatives along a path: the loss slope, then g′(z) and a weight per "
    "layer, and last the input of the weight.",
    "The backward pass reuses work: ∂J/∂z of a node is computed once, layer by layer from the output back, and "
    "shared by every weight into it. The largest gradients mark the weights that change the loss most.",
    "∂J/∂w = ∂J/∂z · (what w multiplies): a weight whose input is 0 learns nothing from this example.",
    "With a sigmoid output and cross-entropy, ∂J/∂z at the output is simply ŷ − y.",
)
ui.try_this(
    "dead",
    "Use the worked example with one hidden layer of two units and pick ReLU. Which gradients are exactly zero?",
    ["Only the output bias", "Everything into and out of hidden unit 2", "None: ReLU never has zero slope"],
    "Everything into and out of hidden unit 2",
    "z⁽²⁾₂ = −0.3 < 0, so ReLU′ = 0 blocks every path through unit 2 (w(1)21, w(1)22, b(1)2), and its output "
    "a⁽²⁾₂ = 0 multiplies the gradient of w(2)12.",
)
ui.try_this(
    "vanish",
    "In section 6, with w = 1 and depth 20: roughly how much gradient reaches layer 1 through the sigmoid chain?",
    ["About 0.1", "About 10⁻³", "Less than 10⁻¹²"],
    "Less than 10⁻¹²",
    "Each layer multiplies by σ′(z) ≈ 0.22, and 0.22²⁰ ≈ 10⁻¹³: the first layers barely learn.",
)
ui.show_code(bp.backward, bp.ledger, bp.matrix_backward, note="The hand-written chain rule, from core/backprop.py.")
