"""3 · Hidden layers: a live playground with every TensorFlow Playground control, plus multi-class and optimizers."""

import streamlit as st

from core import data, network
from core.activations import ACTIVATIONS
from core.charts import curves, style
from core.charts import network as ncharts
from core.training import Run
from pages import share, ui, walkthrough

DATA = {
    "circle": "Circle",
    "xor": "XOR (quadrants)",
    "gauss": "Two gaussians",
    "spiral": "Spiral",
    "moons": "Two moons",
    "blobs": "Blobs, 3-5 classes",
    "spiral_k": "Spiral, 3-5 classes",
    "plane": "Plane (regression)",
    "multigauss": "Multi-gaussian (regression)",
    "upload": "Upload a CSV",
}
TASK = {"blobs": "multiclass", "spiral_k": "multiclass", "plane": "regression", "multigauss": "regression"}
LRS = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
RATES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
ACTS = {k: a.label for k, a in ACTIVATIONS.items()}
FEATS = {"x1": "x1", "x2": "x2", "x1sq": "x1^2", "x2sq": "x2^2", "x1x2": "x1*x2", "sin1": "sin(x1)", "sin2": "sin(x2)"}
GRID = 40  # heatmap resolution: one batched pass over 1,600 points per redraw
LECTURE = dict(
    nn_data="xor",
    nn_noise=0.0,
    nn_n=1000,
    nn_train=70,
    nn_batch=10,
    nn_layers=1,
    nn_u1=5,
    nn_g1="sigmoid",
    nn_x=["x1", "x2"],
    nn_lr=0.3,
    nn_opt="sgd",
    nn_reg="none",
)


@st.cache_data(max_entries=32, show_spinner=False)
def dataset(name: str, n: int, noise: float, k: int, seed: int, upload: bytes | None) -> tuple[data.Dataset, list]:
    if name == "upload":
        ds, notes = data.load_csv(upload)
        return data.Dataset(ds.X, ds.y, "upload", ds.feature_names), notes
    if name in ("blobs", "spiral_k"):
        return data.make_multiclass(name.removesuffix("_k"), n, k, noise, seed, scale=6.0), []
    return data.make_toy(name, n, noise, seed, scale=6.0), []


def lower_lr(lr: float) -> None:
    st.session_state.nn_lr = max([x for x in LRS if x <= lr / 10] or [LRS[0]])


ui.header(
    "Hidden layers: the network playground",
    "build a network layer by layer, watch every hidden unit learn its own feature, and see the decision "
    "boundary bend — everything TensorFlow Playground does, with the lecture's formulas.",
)
walkthrough.show("network")
st.latex(
    r"z_i = w_{0,i} + \sum_j a_j\, w_{j,i}, \qquad a_i = g(z_i) \qquad\Longleftrightarrow\qquad "
    r"\mathbf{a}^{(l+1)} = g\big(\mathbf{a}^{(l)} W^{(l)} + \mathbf{b}^{(l)}\big)"
)
st.button(
    "Lecture example: quadrants, 1,000 points, 70/30 split, one hidden layer of 5 sigmoid units",
    key="nn_lecture",
    on_click=lambda: st.session_state.update(LECTURE),
)

c_data, c_net, c_train = st.columns([1, 1.2, 1], gap="medium")
with c_data:
    st.markdown("**Data**")
    name = ui.select("Data set", list(DATA), key="nn_data", names=DATA)
    task = TASK.get(name, "binary")
    k = ui.slider("Classes", 3, 5, 3, key="nn_k", disabled=task != "multiclass")
    noise = ui.slider("Noise", 0.0, 0.5, 0.0, key="nn_noise", step=0.05, help="How much the classes overlap.")
    n = ui.choice_slider("Points", [100, 200, 500, 1000], 500, key="nn_n")
    train_pct = ui.slider("Training share %", 10, 90, 50, key="nn_train", step=10)
    batch = ui.slider("Batch size", 1, 30, 10, key="nn_batch", help="Examples per gradient step.")
    upload = None
    if name == "upload":
        file = st.file_uploader("CSV: x1, x2, label", type="csv", key="nn_csv")
        upload = file.getvalue() if file else None
    st.button(
        "🎲 Regenerate",
        key="nn_regen",
        help="New random data: adds 1 to the seed.",
        on_click=lambda: st.session_state.update(seed=(ui.seed() + 1) % 1_000_000),
    )
with c_net:
    st.markdown("**Network**")
    layers = ui.number("Hidden layers", 0, network.MAX_LAYERS, 2, key="nn_layers")
    units, acts = [], []
    for layer in range(1, layers + 1):
        a, b = st.columns([1, 1.3])
        with a:
            units.append(
                ui.number(
                    f"Units in layer {layer}",
                    1,
                    network.MAX_UNITS,
                    (4, 2)[layer - 1] if layer < 3 else 2,
                    key=f"nn_u{layer}",
                )
            )
        with b:
            acts.append(ui.select(f"Activation {layer}", list(ACTS), key=f"nn_g{layer}", default="tanh", names=ACTS))
with c_train:
    st.markdown("**Training**")
    lr = ui.choice_slider("Learning rate α", LRS, 0.03, key="nn_lr", help="Takes effect at once, no reset.")
    opt = ui.select(
        "Optimizer",
        list(network.OPTIMIZERS),
        key="nn_opt",
        names={"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"},
    )
    reg = ui.select(
        "Regularization",
        list(network.PENALTIES),
        key="nn_reg",
        names={"none": "None", "L1": "L1 (lasso)", "L2": "L2 (ridge)"},
    )
    lam = ui.choice_slider("Regularization rate λ", RATES, 0.0, key="nn_lam", disabled=reg == "none")
    init = ui.select(
        "Initial weights", ["random", "zero"], key="nn_init", names={"random": "Random (Glorot)", "zero": "All zero"}
    )

c_feat, c_view = st.columns([3, 1], gap="medium")
with c_feat:
    st.markdown("**Features**")
    feats = ui.pills(
        "Inputs",
        list(network.FEATURES),
        ["x1", "x2"],
        key="nn_x",
        names=FEATS,
        help="What the first layer sees. x1² + x2² makes the circle linear.",
    )
with c_view:
    show_test = ui.toggle("Show test data", key="nn_test")
    discretize = ui.toggle("Discretize output", key="nn_disc")
if not feats:
    st.warning("Choose at least one input feature; x1 and x2 stand in until you do.")
    feats = ["x1", "x2"]
if name == "upload" and upload is None:
    st.info("Choose a CSV file to train on it. Until then, the circle stands in.")
try:
    ds, notes = dataset(name if upload is not None or name != "upload" else "circle", n, noise, k, ui.seed(), upload)
except ValueError as err:
    st.error(f"That file cannot be used: {err}")
    ds, notes = dataset("circle", n, noise, k, ui.seed(), None)
for note in notes:
    st.caption(note)
split = data.train_test_split(ds, train_pct / 100, ui.seed())
cfg = network.NetConfig(
    tuple(feats), tuple(units), tuple(acts), task, int(ds.y.max()) + 1 if task == "multiclass" else 2, init, ui.seed()
)
signature = (cfg, ds.name, n, noise, train_pct, batch, opt, reg, lam, hash(upload))
run = ui.live_run(
    "nn",
    signature,
    lambda: Run(
        network.NetTrainer(cfg, split.X_train, split.y_train, split.X_test, split.y_test, lr, batch, opt, reg, lam),
        max_steps=5_000,
    ),
    lr,
)
ui.run_buttons("nn", run)
u, v, G = style.grid(ds.X, n=GRID, pad=0.05)


@st.fragment(run_every=0.2 if ui.playing("nn") else None)
def live() -> None:
    ui.advance_while_playing("nn", run, n=1000, seconds=0.08)
    tr: network.NetTrainer = run.model
    maps = tr.predict_grid(G)
    labels = (
        [[FEATS[f] for f in feats]]
        + [[f"unit {j + 1} of layer {i + 1}" for j in range(h)] for i, h in enumerate(units)]
        + [["output"] * cfg.sizes[-1]]
    )
    W = [w.cpu().numpy() for w in tr.net.W]
    left, right = st.columns([1.05, 1])
    with left:
        st.plotly_chart(ncharts.network_figure(cfg.sizes, W, maps, labels, GRID), key="nn_graph")
        st.caption(
            "Each square shows what that unit outputs over the input plane (orange negative, blue positive). "
            "Edges: blue positive weights, orange negative, thicker = larger. Hover for numbers."
        )
    with right:
        out = maps[-1].reshape(-1, maps[-1].shape[1])
        st.plotly_chart(
            ncharts.output_figure(
                task,
                u,
                v,
                out,
                split.X_train,
                split.y_train,
                split.X_test if show_test else None,
                split.y_test if show_test else None,
                discretize,
            ),
            key="nn_out",
        )
        share.chart_text(
            f"The network's {'prediction' if task == 'regression' else 'class'} over the input plane after "
            f"{run.steps:,} epochs, with the training points{' and the test points' if show_test else ''} on top."
        )
    m = run.history[-1] if run.history else tr.metrics()
    cols = st.columns(5)
    cols[0].metric("Epoch", f"{run.steps:,}")
    cols[1].metric("Train loss", f"{m['train_loss']:.4f}")
    cols[2].metric("Test loss", f"{m['test_loss']:.4f}")
    if task != "regression":
        cols[3].metric("Train accuracy", f"{m['train_acc']:.1%}")
        cols[4].metric("Test accuracy", f"{m['test_acc']:.1%}")
    ui.run_message(run)
    if run.status == "diverged":
        st.button(
            f"Lower the learning rate to {max([x for x in LRS if x <= lr / 10] or [LRS[0]]):g} and continue",
            key="nn_fix",
            on_click=lower_lr,
            args=(lr,),
        )
    c1, c2 = st.columns([2, 1])
    c1.plotly_chart(curves.train_test_figure(run.history, "loss", "loss"), key="nn_curves")
    if task != "regression":
        names = [f"class {c}" for c in range(cfg.sizes[-1] if task == "multiclass" else 2)]
        c2.markdown("**Confusion matrix (test set)**")
        c2.plotly_chart(ncharts.confusion_figure(tr.confusion(test=True), names), key="nn_confusion")


live()

ui.notice(
    "With no hidden layer the boundary is a straight line; one hidden layer of a few tanh units already "
    "bends it around the circle.",
    "Each hidden unit is a feature detector: its square shows the half-plane or blob it responds to; later "
    "layers combine them into curved regions.",
    "Add x1² and x2² as inputs and the circle becomes linearly separable: good features can replace layers.",
    "All-zero initial weights keep every unit of a layer identical forever: randomness breaks the symmetry.",
)
ui.try_this(
    "nn_spiral",
    "Spiral data, default network (2 hidden layers of 4 and 2 tanh units). Does it fit?",
    ["Yes, easily", "No: it needs more units and layers (or sin features)"],
    "No: it needs more units and layers (or sin features)",
    "Two layers of 4 and 2 units cannot bend the boundary often enough; try 6 layers of 8 units.",
)
ui.try_this(
    "nn_lr",
    "Set the learning rate to 10 with SGD and press Play. What happens?",
    ["Faster training", "The loss jumps around or training stops as diverged", "Nothing"],
    "The loss jumps around or training stops as diverged",
    "Steps overshoot the minimum; the divergence doctor rewinds and offers a smaller α.",
)
ui.show_code(network.MLP.forward, network.MLP.backward, network.loss_and_dz, network.NetTrainer.step)
