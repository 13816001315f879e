"""1 · A neuron is logistic regression: log-odds, the decision line, and gradient descent on cross-entropy."""

import numpy as np
import streamlit as st

from core import data, neuron
from core.charts import curves, plane, style
from core.charts import neuron as ncharts
from core.training import Run
from pages import share, ui, walkthrough
from pages.course import available

DATA_NAMES = {
    "gauss": "Two gaussians",
    "xor": "Quadrants (XOR)",
    "circle": "Circle",
    "moons": "Two moons",
    "spiral": "Spiral",
    "breast_cancer": "Breast cancer (real)",
    "upload": "Upload a CSV",
}
LRS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]
SPEEDS = [1, 5, 20, 100, 500]
LECTURE = {"w1": 3.0, "w2": -2.0, "b": 1.0}
LOGISTIC = neuron.MODELS["logistic"]
KINKED = {"perceptron", "svm"}  # piecewise-linear losses: the gradient never shrinks, so cap their runs


@st.cache_data(max_entries=32, show_spinner=False)
def load(name: str, noise: float, seed: int, upload: bytes | None) -> tuple[data.Dataset, list[str]]:
    if name == "upload":
        return data.load_csv(upload)
    if name == "breast_cancer":
        return data.breast_cancer(), []
    return data.make_toy(name, 200, noise, seed), []


@st.cache_data(max_entries=64, show_spinner=False)
def converged(key: str, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float, str]:
    """A finished gradient-descent fit from the lecture's weights, shared by every student who asks for it."""
    model = neuron.MODELS[key]
    steps = 2_000 if key in KINKED else 5_000
    fit, run = neuron.fit(model, X, y, [LECTURE["w1"], LECTURE["w2"]], LECTURE["b"], neuron.smooth_lr(model, X), steps)
    w, b = fit.weights()
    said = "converged" if run.status == "converged" else "stopped"
    return w, b, neuron.cost(model, X, y, w, b), f"{said} after {run.steps:,} steps"


@st.cache_data(max_entries=64, show_spinner=False)
def reference(key: str, X: np.ndarray, y: np.ndarray):
    return neuron.reference_fit(neuron.MODELS[key], X, y)


def set_weights(w1: float, w2: float, b: float) -> None:
    st.session_state.update(
        w1=float(np.clip(round(w1, 1), -10, 10)),
        w2=float(np.clip(round(w2, 1), -10, 10)),
        b=float(np.clip(round(b, 1), -10, 10)),
    )


ui.header(
    "A neuron is logistic regression",
    "read a neuron's weights as a straight decision line, and fit them by gradient descent — which is "
    "exactly what logistic regression does.",
)
walkthrough.show("neuron")

st.header("1 · From log-odds to a probability")
st.markdown("Logistic regression assumes the **log-odds** of class 1 are a straight line in the input. Solve for *p*:")
st.latex(
    r"\log\frac{p}{1-p} = b + w x \;\Rightarrow\; \frac{p}{1-p} = e^{b + w x} \;\Rightarrow\; "
    r"p = \frac{e^{b + w x}}{1 + e^{b + w x}} = \sigma(b + w x)"
)
st.latex(r"\text{with the sigmoid } \sigma(t) = \frac{1}{1 + e^{-t}}")
c1, c2 = st.columns(2)
with c1:
    w = ui.slider("weight w", -5.0, 5.0, 1.0, key="odds_w", step=0.1, help="The slope of the log-odds line.")
with c2:
    b = ui.slider("bias b", -5.0, 5.0, 0.0, key="odds_b", step=0.1, help="Shifts every curve left or right.")
x = np.linspace(-6, 6, 241)
x_mid = None if w == 0 else -b / w + 0.0  # + 0.0 turns -0.0 into 0.0 for display
st.plotly_chart(ncharts.log_odds_figure(x, *neuron.log_odds_curves(x, w, b), x_mid), key="odds_chart")
mid = "nowhere: with w = 0 the curves are flat" if x_mid is None else f"x = −b / w = {x_mid:.2f} (the dotted line)"
st.caption(f"The three curves cross their middle line (log-odds 0, odds 1, p = 0.5) together, at {mid}.")

st.header("2 · A neuron draws a straight line")
st.markdown(
    "A neuron weighs its inputs, adds a bias, and passes the sum *z* through an activation *g*. "
    "With the sigmoid as *g*, it **is** logistic regression:"
)
st.latex(r"z = w_1 x_1 + w_2 x_2 + b = \mathbf{w}^\top \mathbf{x} + b, \qquad a = \hat y = \sigma(z)")
left, right = st.columns([1, 2])
with left:
    name = ui.select(
        "Data set",
        list(DATA_NAMES),
        key="data",
        names=DATA_NAMES,
        help="Toy sets as in TensorFlow Playground, a real medical data set, or your own CSV.",
    )
    upload = None
    if name == "upload":
        file = st.file_uploader(
            "CSV with columns x1, x2, label",
            type="csv",
            key="csv",
            help=f"Two numeric columns and a label with two values; up to {data.MAX_ROWS:,} rows.",
        )
        upload = file.getvalue() if file else None
        st.caption("An uploaded file stays in your session: a shared link cannot carry it.")
    noise = ui.slider(
        "Noise",
        0.0,
        0.5,
        0.3,
        key="noise",
        step=0.05,
        disabled=name in ("breast_cancer", "upload"),
        help="How much the two classes overlap.",
    )
    st.button("Lecture example: b = 1, w = (3, −2)", on_click=set_weights, kwargs=LECTURE, key="lecture")
    w1 = ui.slider("w1", -10.0, 10.0, LECTURE["w1"], key="w1", step=0.1, help="How much x1 pushes z up.")
    w2 = ui.slider("w2", -10.0, 10.0, LECTURE["w2"], key="w2", step=0.1, help="How much x2 pushes z up.")
    b = ui.slider("b", -10.0, 10.0, LECTURE["b"], key="b", step=0.1, help="Moves the line without turning it.")
    discretize = ui.toggle("Discretize output", key="discretize", help="Paint each region by its predicted class.")

if name == "upload" and upload is None:
    st.info("Choose a CSV file to see it here. Until then, the two gaussians stand in.")
try:
    ds, notes = load(name if upload is not None or name != "upload" else "gauss", noise, ui.seed(), upload)
except ValueError as err:
    st.error(f"That file cannot be used: {err}")
    ds, notes = load("gauss", noise, ui.seed(), None)
for note in notes:
    st.caption(note)
X, y, wv = ds.X, ds.y, np.array([w1, w2])
u, v, G = style.grid(X)
P = neuron.output_map(LOGISTIC, G, wv, b).reshape(len(v), len(u))
sign = lambda t: "-" if t < 0 else "+"  # noqa: E731
with right:
    st.latex(rf"z = {w1:.1f}\,x_1 {sign(w2)} {abs(w2):.1f}\,x_2 {sign(b)} {abs(b):.1f}")
    st.plotly_chart(plane.decision_figure(u, v, P, X, y, wv, b, discretize, ds.feature_names), key="neuron_map")
    share.chart_text(
        f"The plane of the two inputs, shaded by the neuron's output σ(z) (blue: class 1, orange: class 0), "
        f"with its decision line z = 0 and the {len(y)} data points (circles: class 0, crosses: class 1)."
    )
m1, m2, m3 = st.columns(3)
m1.metric("Accuracy", f"{neuron.accuracy(X, y, wv, b):.1%}", help="Share of points on their class's side of the line.")
m2.metric("Cost J (cross-entropy)", f"{neuron.cost(LOGISTIC, X, y, wv, b):.4f}")
m3.metric("Points", f"{len(y)}", help="Class 1 is drawn as blue crosses, class 0 as orange dots.")
near = np.argsort(np.abs(X @ wv + b))[:6]
z_near = X[near] @ wv + b
st.markdown("**The rule p ≥ 0.5 is the rule z ≥ 0.** The six points closest to the line:")
st.dataframe(
    {
        "x1": X[near, 0].round(3),
        "x2": X[near, 1].round(3),
        "z": z_near.round(3),
        "p = σ(z)": (1 / (1 + np.exp(-z_near))).round(3),
        "predicted class": (z_near >= 0).astype(int),
        "true class": y[near],
    },
    hide_index=True,
)

st.header("3 · Fit it: gradient descent on the cross-entropy")
st.latex(r"J(\mathbf{w}, b) = -\frac{1}{n}\sum_{i=1}^{n}\left[y_i \log \hat y_i + (1 - y_i)\log(1 - \hat y_i)\right]")
st.latex(
    r"\frac{\partial J}{\partial \mathbf{w}} = \frac{1}{n}\sum_i (\hat y_i - y_i)\,\mathbf{x}_i, \qquad "
    r"\frac{\partial J}{\partial b} = \frac{1}{n}\sum_i (\hat y_i - y_i), \qquad "
    r"\mathbf{w} \leftarrow \mathbf{w} - \alpha \frac{\partial J}{\partial \mathbf{w}},\;\; "
    r"b \leftarrow b - \alpha \frac{\partial J}{\partial b}"
)
c1, c2, c3 = st.columns(3)
with c1:
    model_key = ui.select(
        "Neuron (activation + loss)",
        list(neuron.MODELS),
        key="model",
        names={k: m.name for k, m in neuron.MODELS.items()},
        help="Logistic regression is sigmoid + cross-entropy; the others are compared in section 4.",
    )
with c2:
    lr = ui.choice_slider(
        "Learning rate α", LRS, 3.0, key="fit_lr", help="Step size. Changing it takes effect at once, without a reset."
    )
with c3:
    speed = ui.choice_slider(
        "Steps per frame", SPEEDS, 20, key="fit_speed", help="How many gradient steps each redraw shows while playing."
    )
model = neuron.MODELS[model_key]
signature = (model_key, ds.name, noise, ui.seed(), hash(upload), w1, w2, b)
run = ui.live_run("fit", signature, lambda: Run(neuron.NeuronFit(model, X, y, wv, b, lr)), lr)
ui.run_buttons("fit", run)
ref = reference(model_key, X, y)


@st.fragment(run_every=0.2 if ui.playing("fit") else None)
def live_fit() -> None:
    ui.advance_while_playing("fit", run, speed)
    fw, fb = run.model.weights()
    Pm = neuron.output_map(model, G, fw, fb).reshape(len(v), len(u))
    fig = plane.decision_figure(
        u, v, Pm, X, y, fw, fb, names=ds.feature_names, z_label="p" if model.key == "logistic" else "class"
    )
    fig.add_trace(plane.boundary_trace(u, v, wv, b, "start (your sliders)", "#888888", "dot"))
    if ref is not None:
        fig.add_trace(plane.boundary_trace(u, v, ref[0], ref[1], "scikit-learn", style.SERIES[2], "dash"))
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(fig, key="fit_map")
    with c2:
        ref_cost = None if ref is None else neuron.cost(model, X, y, *ref)
        st.plotly_chart(curves.loss_figure(run.losses, f"cost J ({model.loss_name})", ref_cost), key="fit_loss")
        k1, k2 = st.columns(2)
        k1.metric("Step", f"{run.steps:,}")
        k2.metric("Accuracy", f"{neuron.accuracy(X, y, fw, fb):.1%}")
    ui.run_message(run)
    rows = {"parameter": ["w1", "w2", "b"], "gradient descent": [*fw, fb]}
    if ref is not None:
        rows |= {"scikit-learn": [*ref[0], ref[1]], "difference": np.subtract([*fw, fb], [*ref[0], ref[1]])}
    st.dataframe(
        rows, hide_index=True, column_config={k: st.column_config.NumberColumn(format="%.5f") for k in list(rows)[1:]}
    )
    if ref is None:
        st.caption(f"scikit-learn has no unregularised {model.name.lower()}, so there is no reference line here.")
    elif model.key == "logistic" and neuron.accuracy(X, y, *ref) == 1.0:
        st.warning(
            "These data are perfectly separable: the cost keeps falling as the weights grow, so there is "
            "no finite minimum and the two columns cannot agree. Add noise to make the classes overlap."
        )


live_fit()

st.header("4 · One neuron, four classical models")
st.markdown(
    "Keep *z* = **w**ᵀ**x** + *b*; change only the activation and the loss, and you get four famous models. "
    "Labels are ±1 for the three with identity activation."
)
table, lines = [], []
for key, mdl in neuron.MODELS.items():
    fw, fb, final, status = converged(key, X, y)
    table.append(
        {
            "model": mdl.name,
            "activation g": neuron.activation_of(mdl).label,
            "loss": mdl.loss_name,
            "final cost J": final,
            "accuracy": neuron.accuracy(X, y, fw, fb),
            "gradient descent": status,
        }
    )
    lines.append(
        plane.boundary_trace(
            u, v, fw, fb, mdl.name, style.SERIES[len(lines) + 2], ("solid", "dash", "dot", "dashdot")[len(lines)]
        )
    )
fig = plane.decision_figure(u, v, None, X, y, names=ds.feature_names, title="Four fitted lines, same data")
fig.add_traces(lines)
c1, c2 = st.columns([3, 2])
c1.plotly_chart(fig, key="four_map")
with c2:
    for m in neuron.MODELS.values():
        st.markdown(f"**{m.name}** — {neuron.activation_of(m).label.lower()} activation, {m.loss_name}:")
        st.latex(m.loss_latex)
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "accuracy": st.column_config.NumberColumn(format="percent"),
        "final cost J": st.column_config.NumberColumn(format="%.4f"),
    },
)

st.header("5 · Where one neuron fails")
xor = data.make_toy("xor", 1000, 0.0, ui.seed())
xw, xb, _, _ = converged("logistic", xor.X, xor.y)
xu, xv, XG = style.grid(xor.X)
xP = neuron.output_map(LOGISTIC, XG, xw, xb).reshape(len(xv), len(xu))
c1, c2 = st.columns([3, 2])
c1.plotly_chart(
    plane.decision_figure(xu, xv, xP, xor.X, xor.y, xw, xb, title="The lecture's quadrant data"), key="xor_map"
)
with c2:
    st.metric("Best accuracy of one neuron", f"{neuron.accuracy(xor.X, xor.y, xw, xb):.1%}")
    st.markdown(
        "Class 1 where *x₁·x₂ > 0*: two opposite quadrants. No single straight line separates them, "
        "so even the best-fitting neuron does no better than a coin flip. **Hidden layers** fix this by letting "
        "the network build new features — such as *x₁·x₂* — from the inputs."
    )
    nxt = [t for topics in available().values() for t in topics if t.url == "network"]
    if nxt:
        st.page_link(nxt[0].file, label="Next: hidden layers", icon=nxt[0].icon)
st.markdown(
    "**More than two classes (preview).** Use *K* output neurons and the softmax, then the categorical cross-entropy:"
)
st.latex(r"\hat y_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}, \qquad L = -\sum_{k=1}^{K} y_k \log \hat y_k")

ui.notice(
    "The boundary is where z = 0, which is exactly where p = 0.5: the sigmoid never moves the line, "
    "it only says how sure the neuron is away from it.",
    "Doubling w1, w2 and b keeps the same line but makes the probabilities sharper.",
    "Gradient descent lands on the same weights as scikit-learn — both minimise the same cost.",
    "The four classical models share one neuron; only the activation and the loss differ.",
)
ui.try_this(
    "sharp",
    "Set w1 = 6, w2 = −4, b = 2 (the lecture's weights doubled). What happens to the line?",
    ["It moves", "It stays put; the colours get sharper", "It turns by 90°"],
    "It stays put; the colours get sharper",
    "z doubles everywhere, so z = 0 on the same points; σ(z) runs from 0 to 1 over half the distance.",
)
ui.try_this(
    "lr",
    "In section 3 choose Linear regression and learning rate 30, then press Play. What happens?",
    ["It converges faster", "The loss explodes and training stops", "Nothing changes"],
    "The loss explodes and training stops",
    "Each step overshoots the bottom of the bowl by more "
    "than it gains; the page rewinds to the last good step and asks for a smaller α.",
)
ui.show_code(neuron.loss_and_dz, neuron.NeuronFit, Run.advance)
