"""8 · Autoencoder latent space: learn from unlabelled digits by rebuilding them; explore and use the code."""

from dataclasses import replace

import numpy as np
import streamlit as st

from core import autoencoder as ae
from core.activations import ACTIVATIONS
from core.charts import autoencoder as aec
from core.device import pick_device
from core.training import Run
from pages import share, ui, walkthrough

HIDDEN = {"none": (), "32": (32,), "64": (64,), "128": (128,), "64-32": (64, 32), "128-64": (128, 64)}
SHAPES = {k: " → ".join(["64", *map(str, h), "k"]) for k, h in HIDDEN.items()}
ACTS = {k: ACTIVATIONS[k].label for k in ae.TRAINABLE}
LRS = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
MS = (10, 20, 50, 100, 200, 500)  # how many labelled images in the few-labels experiment
DEFAULT, EPOCHS = ae.AEConfig(), 60  # the view every student gets at once, trained once per server
DEVICE = pick_device().device
HELP = {
    "hidden": "Widths from the 64 pixels down to the code; the decoder mirrors them back up.",
    "act": "Used in every hidden layer. Identity (linear) makes the whole autoencoder linear.",
    "noise": "Train on x + σ·noise but score against the clean x: a denoising autoencoder.",
    "epochs": "Passes over the 1,297 training images, in shuffled minibatches of 128.",
    "J": "Mean minibatch J over the last epoch (on the noisy inputs when denoising).",
}


@st.cache_data(max_entries=8, show_spinner=False)
def digits(seed: int) -> ae.Digits:
    return ae.digits(seed)


@st.cache_data(max_entries=8, show_spinner="Training the autoencoder once for everyone…")
def pretrained(cfg: ae.AEConfig, epochs: int) -> Run:
    """A finished run; every session unpickles its own copy, so no one trains a shared model."""
    return ae.train(cfg, digits(cfg.seed), epochs, DEVICE)


@st.cache_data(max_entries=16, show_spinner=False)
def pca(seed: int, k: int) -> ae.PCAResult:
    return ae.pca_result(digits(seed), k)


@st.cache_data(max_entries=16, show_spinner="Fitting 54 small classifiers…")
def few(Z: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    D, k = digits(seed), Z.shape[1]
    return ae.few_labels(
        {"encoder's code z": Z, f"PCA's {k} components": pca(seed, k).codes, "raw pixels": D.X}, D, MS, seed
    )


def memo(name: str, version: tuple, build):
    """The last figure built for this model version: a rerun redraws it without rebuilding."""
    box = st.session_state.setdefault("ae_memo", {})
    if box.get(name, (None,))[0] != version:
        box[name] = (version, build())
    return box[name][1]


def picked(chart: str, *keys: str) -> None:
    """A click sets the controls: a point gives its image number, a place on the map gives (z1, z2)."""
    points = st.session_state[chart].selection.points
    if points and len(keys) == 1 and points[0]["curve_number"] < 10:  # trace d holds digit d's images in order
        st.session_state[keys[0]] = int(np.flatnonzero(D.y == points[0]["curve_number"])[points[0]["point_index"]])
    elif points and len(keys) == 2:
        for key, axis in zip(keys, ("x", "y"), strict=True):
            st.session_state[key] = float(np.clip(round(round(points[0][axis] / 0.05) * 0.05, 2), -10, 10))


def show(images: np.ndarray, cols: int, scale: int, caption: str) -> None:
    st.image(aec.png(aec.tile(images, cols), scale), caption=caption, output_format="PNG")


ui.header(
    "Autoencoder latent space",
    "train a network to squeeze real handwritten digits into two numbers and back, read the map it learns, "
    "and use what it learned when only a few labels exist.",
)
walkthrough.show("autoencoder")
seed = ui.seed()
D = digits(seed)

st.header("1 · Learn from the images alone")
st.markdown(
    "Images are plentiful; **labels** cost a person's time. An autoencoder needs none: an **encoder** *f* squeezes "
    "each image **x** into a short **code z**, a **decoder** *g* rebuilds the image from the code, and both are "
    "trained so the rebuilt image **x̂** matches the original. The image is its own target."
)
st.latex(r"\mathbf{z} = f(\mathbf{x}) \in \mathbb{R}^k, \qquad \hat{\mathbf{x}} = g(\mathbf{z}) = g(f(\mathbf{x}))")
st.latex(
    r"L(\mathbf{x}, \hat{\mathbf{x}}) = \lVert \mathbf{x} - \hat{\mathbf{x}} \rVert^2"
    r" = \sum_{j=1}^{64} (x_j - \hat x_j)^2, \qquad J = \frac{1}{n} \sum_{i=1}^{n} L(\mathbf{x}_i, \hat{\mathbf{x}}_i)"
)
show(D.X[:30], 30, 5, "scikit-learn's 1,797 real digits, 8 × 8 pixels in [0, 1]: 1,297 to learn from, 500 held out")

st.header("2 · Train it and watch the codes organise")
c = st.columns(3)
with c[0]:
    hidden = ui.select("Hidden layers", list(HIDDEN), "ae_hidden", "64-32", SHAPES, help=HELP["hidden"])
    latent = ui.slider("Latent size k", 2, ae.MAX_LATENT, 2, key="ae_k", help="How many numbers the code z has.")
with c[1]:
    act = ui.select("Activation", list(ACTS), "ae_act", "tanh", ACTS, help=HELP["act"])
    noise = ui.slider("Input noise σ (denoising)", 0.0, ae.MAX_NOISE, 0.0, "ae_noise", 0.05, help=HELP["noise"])
with c[2]:
    lr = ui.choice_slider("Learning rate α (Adam)", LRS, DEFAULT.lr, key="ae_lr", help="Takes effect at once.")
    epochs = ui.slider("Epochs", 10, 500, EPOCHS, key="ae_epochs", step=10, help=HELP["epochs"])
if noise:
    st.latex(
        rf"\tilde{{\mathbf{{x}}}} = \mathbf{{x}} + {noise:g}\,\boldsymbol{{\varepsilon}},\;"
        r"\boldsymbol{\varepsilon} \sim \mathcal{N}(0, I): \qquad"
        r" L = \lVert \mathbf{x} - g(f(\tilde{\mathbf{x}})) \rVert^2"
    )
cfg = ae.AEConfig(HIDDEN[hidden], latent, act, noise, lr, seed=seed)
signature = (cfg.hidden, latent, act, noise, seed)


def start(scratch: bool) -> Run:
    """The default model comes pretrained (instant for everyone); any other starts from random weights."""
    st.session_state["ae_runs"] = st.session_state.get("ae_runs", 0) + 1
    if cfg == replace(DEFAULT, seed=seed) and not scratch:
        return pretrained(cfg, min(epochs, EPOCHS))
    return Run(ae.AutoencoderFit(cfg, D.X[D.train], D.X[D.test], DEVICE), max_steps=epochs)


if st.session_state.get("ae_run") is not None and st.session_state["ae_run"].steps > epochs:
    st.session_state["ae_sig"] = "fewer epochs"  # cannot untrain: start again
prev = st.session_state.get("ae_sig", "first visit")
run = ui.live_run("ae", signature, lambda: start(scratch=prev is None), lr)  # prev is None after ↺ Reset
run.max_steps = epochs
if run.steps < epochs and (prev not in (signature, None) or run.status == "capped"):
    run.resume()
    st.session_state["ae_playing"] = True  # a new model or more epochs: train it live at once
ui.run_buttons("ae", run)
fit: ae.AutoencoderFit = run.model


def version() -> tuple:
    """Names the current weights: which run, how far, and how it ended."""
    return st.session_state["ae_runs"], run.steps, run.status, run.losses[-1] if run.losses else None


@st.fragment(run_every=0.2 if ui.playing("ae") else None)
def live() -> None:
    ui.advance_while_playing("ae", run, max(1, int(0.08 / fit.epoch_seconds)))
    left, right = st.columns([3, 2])
    with right:
        i = ui.number("Image # (or click a point)", 0, len(D.y) - 1, 0, "ae_image", help="Any of the 1,797.")
        x = D.X[i : i + 1]
        x_in = ae.noisy(x, noise, seed + i) if noise else x
        panel = [x, x_in, fit.decode(fit.encode(x_in))] if noise else [x, fit.decode(fit.encode(x))]
        names = ["original x", "noisy input x̃", "x̂ = g(f(x̃))"] if noise else ["original x", "reconstruction x̂"]
        st.image([aec.png(aec.tile(p, 1), 11) for p in panel], caption=names, output_format="PNG")
        where = "held out" if i in set(D.test) else "a training image"
        err = float(ae.squared_error(panel[0], panel[-1])[0])
        st.caption(f"Image #{i} is a **{D.y[i]}** ({where}); its error ‖x − x̂‖² = {err:.3f}.")
        m = st.columns(3)
        m[0].metric("Epoch", f"{run.steps:,}")
        m[1].metric("J, training", f"{run.losses[-1]:.3f}" if run.losses else "—", help=HELP["J"])
        m[2].metric("J, held out", f"{fit.held_out[-1]:.3f}" if fit.held_out else "—")
    P, axis = ae.plane(fit.encode(D.X))
    title = f"The codes of all 1,797 images, epoch {run.steps}" + (" (two main directions)" if latent > 2 else "")
    fig = memo("scatter", (*version(), i), lambda: aec.latent_figure(P, D.y, axis, title, i))
    left.plotly_chart(
        fig, key="ae_scatter", on_select=lambda: picked("ae_scatter", "ae_image"), selection_mode="points"
    )
    share.chart_text(
        f"Each of the 1,797 digit images as a point at its code z after {run.steps} epochs, coloured by the digit "
        f"it shows; image #{i} is marked.",
        left,
    )
    curve = lambda: aec.training_figure(run.losses, fit.held_out, pca(seed, latent).J_train, latent)  # noqa: E731
    st.plotly_chart(memo("curve", version(), curve), key="ae_curve")
    if run.status == "capped":
        st.success(f"Trained for {run.steps} epochs. Raise *Epochs* to go on, or ↺ Reset to watch it from scratch.")
    elif run.status == "diverged":
        ui.run_message(run)


live()
if ui.playing("ae"):
    st.info("Training… the sections below show the model from before; they update when training stops.")
Z = fit.encode(D.X)  # (1797, k)

st.header("3 · Decode anywhere")
if latent == 2:
    st.markdown("Pick any place **z** on the plane — even where no image landed — and the decoder draws what it means.")
    c = st.columns([2, 1])
    with c[1]:
        z1 = ui.slider("z₁", -10.0, 10.0, 0.0, "ae_z1", 0.05, help="First number of the code; or click the map.")
        z2 = ui.slider("z₂", -10.0, 10.0, 0.0, "ae_z2", 0.05, help="Second number of the code.")
        show(fit.decode(np.array([[z1, z2]])), 1, 18, f"g({z1:.2f}, {z2:.2f})")
    u, v = ae.latent_grid(Z, 12)
    tiles = memo("tiles", version(), lambda: fit.decode(np.stack([g.ravel() for g in np.meshgrid(u, v)], axis=1)))
    mapped = memo("map", (*version(), z1, z2), lambda: aec.latent_map_figure(u, v, tiles, Z, D.y, (z1, z2)))
    c[0].plotly_chart(
        mapped, key="ae_map", on_select=lambda: picked("ae_map", "ae_z1", "ae_z2"), selection_mode="points"
    )
else:
    st.info(f"The map needs a 2-D code; this one has k = {latent} numbers. Set *Latent size k* to 2.")

st.header("4 · Walk from one digit to another")
c = st.columns(2)
with c[0]:
    ia = ui.number("From image #", 0, len(D.y) - 1, 0, "ae_from", help="Where the walk starts.")
with c[1]:
    ib = ui.number("To image #", 0, len(D.y) - 1, 7, "ae_to", help="Where the walk ends.")
through, fade = ae.interpolate(fit, D.X[ia], D.X[ib], 10)
st.latex(
    r"\mathbf{x}(t) = g\big((1 - t)\,f(\mathbf{x}_A) + t\,f(\mathbf{x}_B)\big), \qquad t = 0, \tfrac{1}{9}, \dots, 1"
)
show(through, 10, 8, f"Through the code: from digit {D.y[ia]} (image #{ia}) to digit {D.y[ib]} (image #{ib})")
show(fade, 10, 8, "For comparison, fading the pixels: (1 − t) x_A + t x_B")

st.header("5 · Against PCA")
ref = pca(seed, latent)
st.markdown(
    f"PCA finds the best **linear** code with k = {latent} numbers: project onto the {latent} directions of largest "
    "variance and back. A **linear** autoencoder can do no better, and training brings it to the same error — the "
    "classical result. Non-linear layers can beat it."
)
c = st.columns(2)
side = lambda P, axis, title: aec.latent_figure(ae.plane(P)[0], D.y, axis, title, height=420, legend=False)  # noqa: E731
c[0].plotly_chart(memo("pca", (seed, latent), lambda: side(ref.codes, "PC", "PCA")), key="ae_pca")
c[1].plotly_chart(memo("mine", version(), lambda: side(Z, "z", "Autoencoder")), key="ae_mine")
me = f"autoencoder ({ACTS[act]}, {SHAPES[hidden].replace('k', str(latent))})"
J_me = memo("errors", version(), lambda: [fit.error(D.X[i]) for i in (D.train, D.test)])
J_cols = {"J, training images": [ref.J_train, J_me[0]], "J, held-out images": [ref.J_test, J_me[1]]}
fmt = st.column_config.NumberColumn(format="%.4f")
st.dataframe({"model": [f"PCA, k = {latent}", me]} | J_cols, hide_index=True, column_config=dict.fromkeys(J_cols, fmt))
shown = D.X[D.test[: len(ref.shown)]]
recs = np.vstack([shown, ref.shown, fit.decode(fit.encode(shown))])
show(recs, len(shown), 8, "Held-out images (top), PCA's reconstructions (middle), the autoencoder's (bottom)")

st.header("6 · When only a few labels exist")
st.markdown(
    "The lecture's use: keep the trained **encoder** as a feature extractor. Label only *m* training images (about "
    "m/10 of each digit), fit a logistic regression on their codes, and test on the 500 held-out images. Compare "
    "with the same classifier on PCA's codes and on the raw pixels (each an average over 3 random labellings)."
)
m_lab = ui.choice_slider("Labelled images m", MS, 10, key="ae_labels", help="How many images a person labelled.")
if ui.playing("ae"):
    st.info("The 54 classifiers are fitted once training stops.")  # a model about to change is not worth it
else:
    acc = few(Z, seed)
    c = st.columns([3, 2])
    c[0].plotly_chart(memo("few", (*version(), m_lab), lambda: aec.few_labels_figure(MS, acc, m_lab)), key="ae_few")
    for name, a in acc.items():
        c[1].metric(f"{name}, m = {m_lab}", f"{a[MS.index(m_lab)]:.1%}")

st.header("Where autoencoders lead")
st.markdown(
    "The encoder-decoder shape returns throughout deep learning: **segmentation** networks (U-Net) decode a label "
    "for every pixel; **variational autoencoders** and **GANs** generate new images from codes; **transformers** "
    "such as BERT learn by rebuilding masked words; **CNN** encoders read images and **RNN** encoder-decoders "
    "translate sentences."
)
ui.notice(
    "Nobody told the network which digit is which, yet images of the same digit land near each other: "
    "similar pixels become nearby codes.",
    "Places between the clusters decode to in-between shapes; walking through the code morphs one digit into "
    "another, while fading the pixels only superimposes them.",
    "A linear autoencoder settles on PCA's error (the dashed line); non-linear layers go below it.",
    "With very few labels, features learned without labels can beat raw pixels; with many labels, pixels catch up.",
)
ui.try_this(
    "linear",
    "Set *Activation* to Identity (linear) and let it train. Where does the training curve end?",
    ["Far below PCA's line", "On PCA's line", "Far above PCA's line"],
    "On PCA's line",
    "A linear encoder and decoder can only reach a k-dimensional flat subspace, and PCA's is the best one: "
    "gradient descent finds it (the unit tests check this to within a few percent).",
)
ui.try_this(
    "labels",
    "With the default 2-number code, raw pixels win at m = 20 labels. Set *Latent size k* to 8 and let it train: "
    "who wins at m = 20 now?",
    ["The encoder's code", "Raw pixels", "They tie"],
    "The encoder's code",
    "Eight numbers keep much more of what tells digits apart than two, yet are still few enough for a classifier "
    "to weigh from 20 examples; 64 raw pixels need more labels. With hundreds of labels the pixels win again.",
)
ui.show_code(ae.mlp, ae.Autoencoder.__init__, ae.AutoencoderFit.step, ae.few_labels)
