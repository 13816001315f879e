"""6 · Overfitting and regularization: capacity, early stopping, weight penalties, more data, hyperparameter search."""

import numpy as np
import streamlit as st

from core import augmentation as aug
from core import capacity as cap
from core import early_stopping as es
from core import overfitting as ov
from core import regularization as reg
from core import search
from core.charts import overfitting as charts
from pages import share, ui, walkthrough

ES_LRS = (0.001, 0.003, 0.01, 0.03, 0.1)
PENALTIES = {"L2": "L2 (ridge)", "L1": "L1 (lasso)", "EN": "Elastic net"}
TOYS = {"xor": "Quadrants (XOR)", "moons": "Two moons", "circle": "Circle", "gauss": "Two gaussians"}
LAYERS = ["1", "2", "3"]
cached = st.cache_resource(max_entries=16, show_spinner=False)  # results hold figures: shared, never mutated
sweep, landscape, penalty, planes = cached(ov.sweep), cached(ov.landscape), cached(ov.penalty), cached(ov.planes)


@cached
def capacity(n: int, noise: float, seed: int, epochs: int, width: int, degree: int) -> ov.Capacity:
    return ov.capacity(sweep(n, noise, seed, epochs), width, degree)


@cached
def searches(n: int, noise: float, seed: int, budget: int, draw: int) -> ov.Search:
    return ov.searches(landscape(n, noise, seed), budget, draw)


def metrics(cols, *items: tuple[str, str, str | None]) -> None:
    for col, (label, value, help) in zip(cols, items, strict=True):
        col.metric(label, value, help=help)


def preset(width: int, degree: int) -> None:
    st.session_state.update(of_width=width, of_degree=degree)


ui.header(
    "Overfitting and regularization",
    "tell an underfit from an overfit model by its training and validation error, and use capacity, early stopping, "
    "weight penalties, more data and a search over hyperparameters to land in between.",
)
walkthrough.show("overfitting")
st.markdown(
    "A model is only useful on data it has **not** seen. So we hold data back: the model learns on a training set "
    "and is judged on a validation set. Here *y = sin(πx) + ε* with noise ε ~ N(0, σ²), and the error is the MSE:"
)
st.latex(
    r"J_\text{train} = \frac{1}{n}\sum_{i \in \text{train}} \left(\hat y(x_i) - y_i\right)^2, \qquad "
    r"J_\text{val} = \frac{1}{m}\sum_{j \in \text{val}} \left(\hat y(x_j) - y_j\right)^2"
)
st.caption("No model can predict the noise of new points, so σ² is the floor of the validation error.")

st.header("1 · Too simple, about right, too flexible")
for col, (name, wd) in zip(st.columns(3), ov.PRESETS.items(), strict=True):
    col.button(name, key=f"of_{name.split()[0].lower()}", on_click=preset, args=wd, width="stretch")
c = st.columns(5)
with c[0]:
    n = ui.slider("Training points n", 5, 100, 15, key="of_n", help="More data is the first remedy: try 60.")
with c[1]:
    noise = ui.slider("Noise σ", 0.0, 1.0, 0.3, key="of_noise", step=0.05, help="Standard deviation of ε.")
with c[2]:
    width = ui.choice_slider("Hidden units", ov.WIDTHS, 2, key="of_width", help="Width of the one tanh layer.")
with c[3]:
    degree = ui.slider("Polynomial degree d", 0, 20, 3, key="of_degree", help="For contrast: d + 1 coefficients.")
with c[4]:
    epochs = ui.choice_slider("Epochs", ov.EPOCHS, 3000, key="of_epochs", help="Full-batch Adam steps, α = 0.03.")
with st.spinner(f"Training {len(ov.WIDTHS) * ov.N_SEEDS} networks together…"):
    view = capacity(n, noise, ui.seed(), epochs, width, degree)
gap = "Validation minus training error: large means the model memorised noise."
for col, fig, (tr, va), key in zip(st.columns(2), view.figs, (view.net, view.poly), ("of_fit", "of_pf"), strict=False):
    col.plotly_chart(fig, key=key)
    metrics(col.columns(3), ("Training MSE", f"{tr:.4f}", None), ("Validation MSE", f"{va:.4f}", None),
            ("Gap", f"{va - tr:+.4f}", gap))  # fmt: skip

st.header("2 · The capacity sweep")
st.markdown(
    f"Each width is trained from {ov.N_SEEDS} seeds; all {len(ov.WIDTHS) * ov.N_SEEDS} networks "
    f"({ov.N_SEEDS * sum(ov.WIDTHS):,} hidden units) train **together**: their units sit side by side in one layer "
    "and each output sums only its own, so the whole curve costs about as much as the widest network alone."
)
left, right = st.columns(2)
left.plotly_chart(view.figs[2], key="of_sweep")
share.chart_text(
    "Training and validation error against the hidden width (log scale), one curve each, with a dot per seed.", left
)
right.plotly_chart(view.figs[3], key="of_psweep")
st.markdown(f"**Reading it.** {ov.reading(view.shape)} The dots are single seeds: their spread shows what is luck.")

st.header("3 · Early stopping")
st.markdown(
    "Train a bigger network (16 units per layer) on the same points and watch both losses every epoch. Keep the "
    "weights of the epoch with the lowest validation loss; stop once **patience** epochs pass without a better one."
)
c = st.columns(4)
with c[0]:
    layers = int(ui.select("Hidden layers", LAYERS, key="of_es_layers", default="2", radio=True, help="Of 16 units."))
with c[1]:
    es_lr = ui.choice_slider("Learning rate α", ES_LRS, 0.01, key="of_es_lr", help="Adam's step size.")
with c[2]:
    patience = ui.slider("Patience (epochs)", 10, 1000, 200, key="of_patience", step=10, help="How long to wait.")
with c[3]:
    restore = ui.toggle("Restore best weights", key="of_restore", value=True, help="When it stops, go back.")
s = cap.make_sample(n, noise, ui.seed())
run = ui.live_run(
    "of_es",
    (n, noise, ui.seed(), layers, patience),
    lambda: es.make_run(s.x, s.y, s.x_val, s.y_val, cap.GRID, (16,) * layers, es_lr, patience, ui.seed()),
    es_lr,
)
ui.run_buttons("of_es", run)


@st.fragment(run_every=0.2 if ui.playing("of_es") else None)
def live_early_stopping() -> None:
    ui.advance_while_playing("of_es", run, n=es.MAX_EPOCHS, seconds=0.1)
    model: es.Watched = run.model
    film = model.film()
    frames = sorted(film)
    now = model.best_epoch if restore and run.status == "stopped" else run.steps
    if st.session_state.get("of_es_seen") != (run.steps, restore) or st.session_state.get("of_es_at") not in frames:
        st.session_state.update(of_es_at=now, of_es_seen=(run.steps, restore))  # follow training; else keep the scrub
    scrub = "Scrub through the run: a frame is kept every few epochs, and always at the best epoch."
    if ui.playing("of_es") or len(frames) < 2:  # no scrubber while training: its value would trail the run
        at = now
    else:
        at = st.select_slider("Look at epoch", frames, key="of_es_at", help=scrub)
    key = (st.session_state.of_es_sig, run.steps, at, restore)
    if st.session_state.get("of_es_figs", (None,))[0] != key:  # redraw only what changed
        train, val = es.curves(run)
        best = film[model.best_epoch] if model.best_epoch else None
        figs = (
            charts.loss_curves(train, val, model.best_epoch, patience, at),
            charts.fit_figure(s, cap.GRID, film[at], f"The fit at epoch {at}", "fit", best),
        )
        st.session_state.of_es_figs = (key, figs)
    left, right = st.columns(2)
    left.plotly_chart(st.session_state.of_es_figs[1][0], key="of_es_loss")
    right.plotly_chart(st.session_state.of_es_figs[1][1], key="of_es_fit")
    now_val = f"{run.history[-1]['test_loss']:.4f}" if run.history else "–"
    metrics(st.columns(4), ("Epoch", f"{run.steps:,}", None), ("Best epoch", f"{model.best_epoch:,}", None),
            ("Best validation MSE", f"{model.best_loss:.4f}" if model.best_epoch else "–", None),
            ("Validation MSE, last epoch", now_val, None))  # fmt: skip
    ui.run_message(run)
    if run.status == "stopped" and restore:
        model.restore_best()
        st.info(f"Restored the weights of epoch {model.best_epoch}: that network is the one you keep.")


live_early_stopping()

st.header("4 · Weight penalties: L1, L2 and the elastic net")
st.markdown(
    "Put a price on large weights. The clearest case is a linear model with many features: here 20 correlated "
    "features of which only 4 matter, n = 40 points. We minimise exactly scikit-learn's elastic-net cost:"
)
st.latex(
    r"J(\mathbf w, b) = \frac{1}{2n}\sum_{i=1}^{n}\left(y_i - b - \mathbf w^\top \mathbf x_i\right)^2"
    r" + \lambda\left(\rho\,\lVert \mathbf w\rVert_1 + \frac{1-\rho}{2}\,\lVert \mathbf w\rVert_2^2\right)"
)
st.markdown(
    "ρ = 1 is L1 (LASSO), ρ = 0 is L2 (ridge). Proximal gradient descent takes a step *t* on the squared error, "
    "then applies the penalty, and that is where the two differ:"
)
st.latex(
    r"w_j \leftarrow \frac{S_{t\lambda\rho}\!\left(w_j - t\,\partial J_\text{SE}/\partial w_j\right)}"
    r"{1 + t\lambda(1-\rho)}, \qquad S_\tau(u) = \operatorname{sign}(u)\,\max(|u| - \tau,\ 0)"
)
st.caption("The soft threshold S sets every small weight to exactly 0; dividing by 1 + tλ(1 − ρ) only shrinks.")
c = st.columns(3)
with c[0]:
    kind = ui.select("Penalty", list(PENALTIES), key="of_pen", names=PENALTIES, radio=True, default="L1")
with c[1]:
    lam_log = ui.slider("log₁₀ λ", -3.0, 1.0, -1.0, key="of_lam", step=0.1, help="Strength of the penalty.")
with c[2]:
    mix_help = "Elastic net only. scikit-learn calls it l1_ratio."
    mix = ui.slider(
        "Mix ρ (share of L1)", 0.05, 0.95, 0.5, key="of_mix", step=0.05, disabled=kind != "EN", help=mix_help
    )
pen = penalty(lam_log, {"L2": 0.0, "L1": 1.0, "EN": mix}[kind], ui.seed())
left, right = st.columns([3, 2])
left.plotly_chart(pen.figs[0], key="of_path")
right.plotly_chart(pen.figs[1], key="of_coef")
right.plotly_chart(pen.figs[2], key="of_hist")
sk = "Largest weight difference from scikit-learn's Lasso(alpha=λ), Ridge(alpha=nλ) or ElasticNet(λ, l1_ratio=ρ)."
metrics(st.columns(4), ("Weights exactly 0", f"{int(np.sum(pen.w == 0))} of {len(pen.w)}", None),
        ("Training MSE", f"{pen.train:.3f}", None), ("Validation MSE", f"{pen.val:.3f}", None),
        ("Off from scikit-learn by", f"{pen.gap:.1e}", sk))  # fmt: skip

st.header("5 · More data, or augmented data")
st.markdown(
    "The surest remedy is more data: raise *n* in section 1 and watch the gap close. The same story in 2-D: given a "
    "few noisy points, a flexible network classifies every one of them right and fresh points less well (left). When "
    "no more data can be had, make **varied copies** of what you have: here each point jittered by noise, label kept."
)
c = st.columns(5)
with c[0]:
    toy = ui.select("Data set", list(TOYS), key="of_aug_data", names=TOYS, help="With noise 0.3: labels overlap.")
with c[1]:
    n2 = ui.slider("Points", 10, 200, 30, key="of_aug_n", step=10, help="Training points; 500 more test it.")
with c[2]:
    layers2 = int(ui.select("Hidden layers", LAYERS, key="of_aug_layers", default="2", radio=True, help="Of 16."))
with c[3]:
    copies = ui.slider("Copies per point", 0, aug.MAX_COPIES, 10, key="of_aug_copies", help="Jittered copies.")
with c[4]:
    sigma = ui.slider("Jitter σ", 0.0, 0.5, 0.1, key="of_aug_sigma", step=0.02, help="Size of the jitter.")
with st.spinner("Training both networks…"):
    fits, figs = planes(toy, n2, 0.3, layers2, copies, sigma, ui.seed())
for col, fit, fig, key in zip(st.columns(2), fits, figs, ("of_plain", "of_augd"), strict=True):
    col.plotly_chart(fig, key=key)
    metrics(col.columns(2), ("Training accuracy", f"{fit.train_acc:.1%}", "On the original points."),
            ("Test accuracy", f"{fit.test_acc:.1%}", "On 500 fresh points."))  # fmt: skip

st.header("6 · Hyperparameter search: grid or random?")
st.markdown(
    f"Learning rate and width are **hyperparameters**: chosen, not learned. Every pair of {len(search.LRS)} "
    f"learning rates and {len(search.WIDTHS)} widths was trained for {ov.SEARCH_EPOCHS} epochs, in one batch, to "
    "map the validation error. A real search can afford only a few cells: a grid, or random ones. Same budget:"
)
c = st.columns(2)
with c[0]:
    budget = ui.choice_slider("Budget (trials)", search.BUDGETS, 9, key="of_budget", help="Networks to train.")
with c[1]:
    draw = ui.slider("Random draw", 0, 99, 0, key="of_draw", help="Another number, another random search.")
se = searches(n, noise, ui.seed(), budget, draw)
st.plotly_chart(se.fig, key="of_land")
cell = lambda rc: f"Learning rate {se.land.lrs[rc[0]]:g}, width {se.land.widths[rc[1]]}."  # noqa: E731
tried = f"{len(set(se.grid[:, 0]))} vs {len(set(se.rand[:, 0]))}"
metrics(st.columns(4), ("Best of grid", f"{se.land.val[se.best_grid]:.4f}", cell(se.best_grid)),
        ("Best of random", f"{se.land.val[se.best_rand]:.4f}", cell(se.best_rand)),
        ("Learning rates tried", tried, "Distinct values, grid vs random, of the hyperparameter that matters most."),
        ("Random beats grid", f"{se.wins:.0%}", f"Exact chance over all draws; {se.ties:.0%} tie."))  # fmt: skip

ui.notice(
    "Training error only falls as capacity grows; validation error shows when the model starts memorising noise.",
    "Early stopping, penalties and more data all shrink the gap between the two errors, each in its own way.",
    "L1 sets weights to exactly 0 (it selects features); L2 shrinks every weight and keeps them all.",
    "With the same budget, random search tries more distinct values of the hyperparameter that matters.",
)
ui.try_this(
    "of_data",
    "Choose the Overfit preset, then raise the training points to 100. What happens to the gap?",
    ["It grows", "It shrinks towards 0", "It stays the same"],
    "It shrinks towards 0",
    "With many points the noise averages out: a flexible model can no longer pass through every point.",
)
ui.try_this(
    "of_l1",
    "Penalty L1, log₁₀ λ = 0. How many of the 16 noise features keep a non-zero weight?",
    ["Most of them", "None or almost none", "Exactly 4"],
    "None or almost none",
    "At this λ the soft threshold zeroes every weak feature; only the strongest real ones survive.",
)
ui.show_code(cap.train_batch, es.EarlyStopping.advance, reg.fit_path, search.random_beats_grid)
