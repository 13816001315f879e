"""7 · Dropout: thinned networks, 1/p in both conventions, train vs eval mode, generalization, MC dropout."""

import dataclasses

import numpy as np
import streamlit as st
import torch

from core import dropout as do
from core.charts import dropout as charts
from core.charts import style
from core.training import Run
from pages import share, ui, walkthrough

DATA_NAMES = {"moons": "Two moons", "circle": "Circle", "gauss": "Two gaussians", "xor": "Quadrants (XOR)"}
MAX_STEPS, PASSES = 30, 30  # minibatch steps section 1 can show; train-mode passes in section 3
EXAMPLE_A = np.array([0.9, -0.4, 0.7, 0.2, -0.8, 0.5])  # six hidden activations a_j for the 1/p demo
EXAMPLE_W, EXAMPLE_B = np.array([1.0, -0.5, 0.8, 1.5, -1.2, 0.6]), 0.1  # the next unit's weights and bias
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FMT4 = st.column_config.NumberColumn(format="%.4f")
# The cached results below are read-only (finished nets, figures, arrays): st.cache_resource hands back the same
# object, where st.cache_data would unpickle a copy on every rerun (about 80 ms per figure).


@st.cache_resource(max_entries=32, show_spinner=False)
def steps(keep: tuple, batch: int, seed: int) -> list[do.ThinStep]:
    return do.thinned_steps(do.task(do.Preset(), seed), keep, batch, MAX_STEPS, seed)


@st.cache_resource(max_entries=64, show_spinner=False)
def thinned_chart(keep: tuple, batch: int, k: int, seed: int):
    s = steps(keep, batch, seed)[k - 1]
    titles = [f"example {e + 1} (class {int(y)})" for e, y in enumerate(s.y)] + ["this step's update Δw"]
    return charts.thinned_figure((2, 6, 6, 1), s.W, s.alive, s.dW, titles)


@st.cache_resource(max_entries=16, show_spinner=False)
def finished(preset: do.Preset, keep: tuple, seed: int) -> do.DropoutTrainer:
    """The dropout net trained to the end (read-only): where section 4's live run arrives after preset.epochs epochs."""
    return do.train(do.trainers(preset, keep, seed)[1], preset.epochs)


@st.cache_resource(max_entries=32, show_spinner=False)
def demo(keep: float, k: int, seed: int):
    e = do.expectation(EXAMPLE_A, keep, k, seed)
    units = [f"a{j + 1}" for j in range(len(EXAMPLE_A))]
    return e, charts.expectation_figure(units, e.a, e.lecture, e.pytorch, e.unscaled, e.se, keep)


@st.cache_resource(max_entries=16, show_spinner=False)
def scaling_effect(keep: tuple, seed: int) -> dict:
    return do.scaling_effect(do.Preset(), keep, seed, finished(do.Preset(), keep, seed))


@st.cache_resource(max_entries=64, show_spinner=False)
def modes(keep: tuple, seed: int, x1: float, x2: float):
    """Section 3: PASSES train-mode outputs for one input, eval mode's, and PyTorch's nn.Sequential in eval mode."""
    net = finished(do.Preset(), keep, seed).net
    x = torch.tensor([[x1, x2]], dtype=net.W[0].dtype)
    outs, y_eval = do.passes(net, x, keep, PASSES, seed)[:, 0].numpy(), float(net.predict(x)[0, 0])
    with torch.no_grad():
        y_torch = float(do.to_torch(net, keep).eval()(x)[0, 0])
    return outs, y_eval, y_torch, charts.passes_figure(outs, y_eval)


@st.cache_resource(max_entries=16, show_spinner=False)
def mc_chart(preset: do.Preset, keep: tuple, seed: int, k: int):
    net, split = finished(preset, keep, seed), do.task(preset, seed)
    u, v, G = style.grid(np.vstack([split.X_train, split.X_test]))
    grid, test = (do.passes(net.net, A, keep, k, seed, one_mask=True) for A in (do.grid_inputs(net, G), net.Xt))
    P_eval = net.net.predict(do.grid_inputs(net, G))[:, 0]
    maps = [m.reshape(len(v), len(u)).numpy() for m in (P_eval, grid.mean(0), grid.std(0, correction=0))]
    scores = {"eval mode": do.bce(net.net.predict(net.Xt)[:, 0], net.yt), f"mean of {k}": do.bce(test.mean(0), net.yt)}
    gap = float((grid.mean(0) - P_eval).abs().max())
    return charts.mc_figure(u, v, *maps, split.X_train, split.y_train, k), scores, gap, float(maps[2].max())


ui.header(
    "Dropout",
    "say what dropout does at each training step, why kept outputs are divided by p, how train and eval mode "
    "differ, and when dropout helps a network on data it has not seen.",
)
walkthrough.show("dropout")
st.markdown(
    "At every training step each unit is **kept with probability p**, otherwise switched off (its output set to 0), "
    "and kept outputs are multiplied by **1/p**. Each step trains a different *thinned* network; at test time the "
    "whole network is used, without dropout:"
)
st.latex(r"r^{(l)}_j \sim \mathrm{Bernoulli}(p), \qquad \tilde a^{(l)} = \frac{1}{p}\, r^{(l)} \odot a^{(l)}")
st.latex(r"\text{training: } z^{(l+1)} = \tilde a^{(l)} W^{(l+1)} + b^{(l+1)}, \qquad "
         r"\text{test: } z^{(l+1)} = a^{(l)} W^{(l+1)} + b^{(l+1)}")  # fmt: skip
with st.container(border=True):
    st.markdown("**Dropout rates for the whole page.** The lecture's *p* is the probability to **keep** a unit.")
    c = st.columns(4)
    help_p = "Probability that a unit is kept at a training step; 1 switches dropout off for the layer."
    with c[0]:
        p1 = ui.slider("Keep p, hidden layer 1", 0.1, 1.0, 0.7, key="do_p1", step=0.05, help=help_p)
    with c[1]:
        p2 = ui.slider("Keep p, hidden layer 2", 0.1, 1.0, 0.7, key="do_p2", step=0.05, help=help_p)
    with c[2]:
        use_in = ui.toggle("Drop inputs too", key="do_input", help="Dropout on the input features x₁, x₂ as well.")
    with c[3]:
        p0 = ui.slider("Keep p, inputs", 0.1, 1.0, 0.8, key="do_p0", step=0.05, disabled=not use_in, help=help_p)
    keep = (p0 if use_in else 1.0, p1, p2)
    layers = zip(("inputs", "hidden 1", "hidden 2"), keep, strict=True)
    named = [f"{n}: `nn.Dropout(p={do.torch_p(p):g})`" for n, p in layers if p < 1]
    st.caption("In PyTorch: " + " · ".join(named) if named else "All keep rates are 1: no dropout anywhere.")
seed = ui.seed()

st.header("1 · Every step trains a different thinned network")
st.markdown(
    "A small net (2 inputs, two hidden layers of 6 tanh units) trains by plain SGD on the two moons of section 4. Each "
    "example of a minibatch gets its **own mask**: grey units are dropped, with all their edges (blue: w > 0, "
    "vermillion: w < 0). Backpropagation runs through the thinned networks only, so a weight moves only if some "
    "example of the minibatch used its edge."
)
c = st.columns([2, 3, 1, 1])
with c[0]:
    batch = ui.slider("Examples per minibatch", 1, 4, 1, key="do_batch", help="One thinned network per example.")
with c[1]:
    k = ui.slider("Training step", 1, MAX_STEPS, 1, key="do_step", help="Which minibatch step to show.")


def go_step(delta: int) -> None:
    st.session_state["do_step"] = int(np.clip(k + delta, 1, MAX_STEPS))


c[2].button("◀ previous", key="do_prev", on_click=go_step, args=(-1,), disabled=k <= 1, width="stretch")
c[3].button("next ▶", key="do_next", on_click=go_step, args=(1,), disabled=k >= MAX_STEPS, width="stretch")
st.plotly_chart(thinned_chart(keep, batch, k, seed), key="do_thin")
s, seen = steps(keep, batch, seed)[k - 1], steps(keep, batch, seed)[:k]
m = st.columns(3)
m[0].metric("Hidden units kept, example 1", f"{sum(int(a.sum()) for a in s.alive[0][1:-1])} of 12")
m[1].metric("Weights this step changed", f"{sum(int((d != 0).sum()) for d in s.dW)} of {sum(d.size for d in s.dW)}",
            help="Counted exactly: Δw ≠ 0. Grey dotted edges in the last panel did not move.")  # fmt: skip
m[2].metric("Possible thinned networks", f"2¹² = {2**12:,}", help="Each of the 12 hidden units is on or off.")
rows = do.mask_table(seen, keep)
if rows:
    st.markdown(f"**Mask statistics over steps 1–{k}:** does the share of kept units match a coin that lands p?")
    st.dataframe(rows, hide_index=True, column_config={"share": st.column_config.NumberColumn(format="percent")})

st.header("2 · Why divide by p — and the two conventions")
left, right = st.columns(2)
left.markdown("**The lecture:** *p* is the probability to **keep** a unit.")
left.latex(r"r_j \sim \mathrm{Bernoulli}(p), \quad \tilde a_j = \frac{r_j\, a_j}{p}")
left.latex(r"\mathbb{E}[\tilde a_j] = p \cdot \frac{a_j}{p} + (1 - p) \cdot 0 = a_j")
right.markdown("**PyTorch:** `nn.Dropout(p)` takes *p* as the probability to **drop** a unit.")
right.latex(r"r_j \sim \mathrm{Bernoulli}(1 - p), \quad \tilde a_j = \frac{r_j\, a_j}{1 - p}")
right.latex(r"p_{\text{PyTorch}} = 1 - p_{\text{lecture}}")
st.markdown(
    f"One operation, opposite meanings of *p*: keep *p* = {p1:g} (hidden layer 1) is "
    f"`nn.Dropout(p={do.torch_p(p1):g})`. Check the expectation with numbers: six activations *a*, "
    "many masks, the mean train-mode output of each unit."
)
with st.columns([2, 3])[0]:
    n_masks = ui.choice_slider("Masks averaged", [10, 100, 1_000, 10_000], 1_000, key="do_masks",
                               help="The sampling error shrinks like 1/√(number of masks).")  # fmt: skip
e, fig = demo(p1, n_masks, seed)
st.plotly_chart(fig, key="do_expect")
table = {"unit": [f"a{j + 1}" for j in range(len(e.a))], "eval mode: a": e.a, "mean r·a/p (ours)": e.lecture,
         "mean nn.Dropout": e.pytorch, "(ours − a) / std. error": (e.lecture - e.a) / np.where(e.se > 0, e.se, 1),
         "mean r·a (no 1/p)": e.unscaled, "p · a": p1 * e.a}  # fmt: skip
st.dataframe(table, hide_index=True, column_config={n: FMT4 for n in list(table)[1:]})
z_eval, z_raw = float(e.a @ EXAMPLE_W + EXAMPLE_B), float(e.unscaled @ EXAMPLE_W + EXAMPLE_B)
m = st.columns(3)
m[0].metric("Largest |ours − nn.Dropout|", f"{np.abs(e.lecture - e.pytorch).max():.1e}",
            help="Same seed, same masks: the two conventions are one operation.")  # fmt: skip
m[1].metric("Next unit's z, eval mode", f"{z_eval:.3f}", help="z = a · w + b with the next unit's weights w.")
m[2].metric("Its mean z in training without 1/p", f"{z_raw:.3f}", delta=f"{z_raw - z_eval:+.3f}", delta_color="off")
st.markdown(
    f"**Without 1/p**, units downstream see on average only *p* times their input in training but all of it at test "
    f"time: 1/p = {1 / p1:.3g} times more than they learned from. A net trained so (section 4's default task) is off "
    "at test time until its weights are multiplied by *p* — the original 2012 rule. Dividing by *p* during training "
    "(*inverted dropout*, what PyTorch does) leaves the test-time net untouched."
)
for col, (name, (loss, acc)) in zip(st.columns(3), scaling_effect(keep, seed).items(), strict=True):
    col.metric(name, f"test loss {loss:.3f}", help=f"Test accuracy {acc:.1%}.")

st.header("3 · Train mode and eval mode")
st.markdown(
    "In **train mode** each forward pass draws fresh masks: the same input, a different output each time. In **eval "
    "mode** dropout is off and the whole network answers, the same every time. The net: section 4's dropout net "
    "(default settings), trained."
)
left, right = st.columns(2)
with left:
    c = st.columns(2)
    with c[0]:
        x1 = ui.slider("Input x₁", -1.0, 1.0, 0.3, key="do_x1", step=0.05, help="The point fed through the net.")
    with c[1]:
        x2 = ui.slider("Input x₂", -1.0, 1.0, 0.3, key="do_x2", step=0.05, help="The point fed through the net.")
    outs, y_eval, y_torch, fig = modes(keep, seed, x1, x2)
    m = st.columns(2) + st.columns(2)
m[0].metric("Eval mode ŷ", f"{y_eval:.4f}", help="The whole network, no masks: one answer.")
m[1].metric("PyTorch, model.eval()", f"{y_torch:.4f}", help="The same weights in nn.Sequential with nn.Dropout.")
m[2].metric("Train mode: range", f"{outs.min():.2f} – {outs.max():.2f}", help=f"Lowest, highest ŷ of {PASSES} passes.")
m[3].metric("Train mode: mean", f"{outs.mean():.4f}", help=f"Of {PASSES} passes: near eval mode, not equal to it.")
right.plotly_chart(fig, key="do_passes")
st.code(do.torch_code(keep, (2, do.Preset().width, do.Preset().width, 1)), language="python")

st.header("4 · What dropout buys: twin nets, one with dropout")
st.markdown(
    "Few noisy training points and a wide net: a recipe for overfitting. Both nets start from the **same weights** "
    "and see the minibatches in the **same order** (same seed); only dropout differs. Curves use eval mode. Look for "
    "the **cost** (a looser fit of the training points, a slower start) and the **benefit**: a lower test loss, "
    "because the plain net becomes confidently wrong on new points. Test accuracy moves less — up more often than "
    "down across seeds, not always."
)
c = st.columns(4)
with c[0]:
    name = ui.select("Data set", list(DATA_NAMES), key="do_data", names=DATA_NAMES, help="The playground's toys.")
with c[1]:
    n_train = ui.slider("Training points", 20, 200, 30, key="do_n", step=10, help="Fewer points overfit more.")
with c[2]:
    noise = ui.slider("Noise", 0.0, 0.5, 0.5, key="do_noise", step=0.05, help="How much the classes overlap.")
with c[3]:
    width = ui.slider("Units per hidden layer", 4, 16, 16, key="do_width", help="Wider nets can memorise more.")
preset = dataclasses.replace(do.Preset(), data=name, n_train=n_train, noise=noise, width=width)
factory = lambda: Run(do.Pair(*do.trainers(preset, keep, seed)), max_steps=preset.epochs)  # noqa: E731
run = ui.live_run("do_fit", (preset, keep, seed), factory, preset.lr)
ui.run_buttons("do_fit", run)
split = do.task(preset, seed)
u, v, G = style.grid(np.vstack([split.X_train, split.X_test]))


@st.fragment(run_every=0.25 if ui.playing("do_fit") else None)
def live() -> None:
    ui.advance_while_playing("do_fit", run, 12)  # ~80 ms of work per redraw (Run checks its clock every 32 steps)
    key, cache = (st.session_state["do_fit_sig"], run.steps), st.session_state.get("do_fit_view")
    if cache is None or cache[0] != key:  # redraw only after training moved: keeps a rerun of the page cheap
        A = do.grid_inputs(run.model.plain, G)
        P = [t.net.predict(A)[:, 0].reshape(len(v), len(u)).numpy() for t in (run.model.plain, run.model.dropout)]
        titles = (f"plain net · epoch {run.steps}", f"dropout net · epoch {run.steps}")
        h = run.history[-1] if run.history else run.model.metrics()
        rows = {"": ["train loss", "test loss", "train accuracy", "test accuracy"]} | {
            f"{net} net": [h[f"{net}_{p}"] for p in ("train_loss", "test_loss", "train_acc", "test_acc")]
            for net in ("plain", "dropout")
        }
        cache = key, charts.curves_figure(run.history, preset.epochs), charts.twin_planes(u, v, *P, split, titles), rows
        st.session_state["do_fit_view"] = cache
    st.plotly_chart(cache[1], key="do_curves")
    share.chart_text(f"Training and test loss per epoch of the plain net and the dropout net, up to epoch {run.steps}.")
    st.plotly_chart(cache[2], key="do_planes")
    if run.status == "diverged":
        ui.run_message(run)
    elif run.done:
        st.success(f"Both nets trained {run.steps} epochs: section 5 uses these very nets.")
    st.dataframe(cache[3], hide_index=True, width=520, column_config={"plain net": FMT4, "dropout net": FMT4})


live()

st.header("5 · Dropout as an ensemble: Monte-Carlo dropout")
n_units = sum(n for n, p in zip((2, width, width), keep, strict=True) if p < 1)  # units that can be dropped
st.markdown(
    f"Training sampled from 2{str(n_units).translate(SUPERSCRIPT)} = {2**n_units:,} possible thinned networks that "
    "share their weights. Keep dropout **on** at test time, run *K* passes, each through one thinned network (one "
    "mask for the whole plane), and average them: an ensemble of *K* of those networks (section 4's dropout net). "
    "Eval mode is the cheap stand-in for that average; where the passes disagree (their spread), the net is unsure."
)
with st.columns([2, 3])[0]:
    n_passes = ui.choice_slider("Passes K", [1, 2, 5, 10, 20, 50, 100, 200], 100, key="do_k", help="Passes averaged.")
fig, scores, gap, top = mc_chart(preset, keep, seed, n_passes)
st.plotly_chart(fig, key="do_mc")
m = st.columns(4)
for col, (name, (loss, acc)) in zip(m, scores.items(), strict=False):
    col.metric(f"Test loss, {name}", f"{loss:.3f}", help=f"Test accuracy {acc:.1%}.")
m[2].metric("Largest |MC − eval|", f"{gap:.3f}", help="Over the plane: how far the cheap rule is off.")
m[3].metric("Largest spread (std)", f"{top:.3f}", help="The largest standard deviation of the K passes.")

ui.notice(
    "A weight moves only if its edge is in some example's thinned network; otherwise Δw = 0 exactly (plain SGD).",
    "Over many masks, r·a/p averages to a within its sampling error — in both conventions, to the last digit.",
    "Dropout costs training fit and buys a lower test loss: the net is no longer confidently wrong on new points.",
    "The spread of MC dropout is largest along the boundary, where the thinned networks disagree on the class.",
)
ui.try_this(
    "rate1",
    "Set both hidden keep rates to 1 (inputs off). What happens to the two nets of section 4?",
    ["They train identically", "The dropout net still generalises better", "The dropout net diverges"],
    "They train identically",
    "Keep p = 1 keeps every unit: same weights, same order, same updates — the curves coincide.",
)
ui.try_this(
    "torchp",
    "A paper used dropout with keep probability 0.8. What do you write in PyTorch?",
    ["nn.Dropout(p=0.8)", "nn.Dropout(p=0.2)", "nn.Dropout(p=1.25)"],
    "nn.Dropout(p=0.2)",
    "PyTorch's p is the probability to drop: 1 − 0.8 = 0.2; kept units are then scaled by 1/(1 − 0.2) = 1.25.",
)
ui.show_code(do.drop, do.forward, do.backward, do.DropoutTrainer.gradients, do.to_torch, do.passes,
             note="The dropout net reuses the playground's MLP and NetTrainer; only the masks are new.")  # fmt: skip
