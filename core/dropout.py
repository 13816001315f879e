"""Dropout: random masks thin the network in training, 1/p keeps the mean, eval mode uses the whole net, MC averages."""

# ruff: noqa: E741  (l is the lecture's layer index)

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from scipy.stats import binom

from core import data
from core.network import MLP, NetConfig, NetTrainer, featurize, loss_and_dz, output_activation, penalty

MAX_MASKS = 20_000  # caps on the numeric demos: enough to watch the error shrink like 1/sqrt(K), cheap to draw
MAX_PASSES = 200


def torch_p(keep: float) -> float:
    """The lecture keeps a unit with probability p; nn.Dropout(p) drops it with probability p: p_torch = 1 - p."""
    return 1.0 - keep


def mask(shape, keep: float, gen: torch.Generator, dtype=torch.float32, device="cpu") -> torch.Tensor:
    """r ~ Bernoulli(p) per unit and example, drawn exactly as nn.Dropout draws it on the CPU (bernoulli_)."""
    return torch.empty(shape, dtype=dtype, device=device).bernoulli_(keep, generator=gen)


def thin(x: torch.Tensor, r: torch.Tensor | None, keep: float, scale: bool = True) -> torch.Tensor:
    """x * r / p (inverted dropout) or x * r (no scaling); r = None means the layer is not dropped."""
    if r is None:
        return x
    return x * (r / keep) if scale else x * r  # r / p first, as nn.Dropout does, so results agree to the last bit


def drop(a: torch.Tensor, keep: float, gen: torch.Generator, scale: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Train-mode dropout in the lecture's convention: a~ = r * a / p with r ~ Bernoulli(p); returns (a~, r)."""
    r = mask(a.shape, keep, gen, a.dtype, a.device)
    return thin(a, r, keep, scale), r


def forward(net: MLP, A: torch.Tensor, keep, gen: torch.Generator | None = None, scale=True, one_mask=False):
    """MLP.forward with a fresh mask on each layer's input; gen=None is eval mode (the whole network).

    one_mask=True draws one mask per layer for the whole batch: a single thinned network answers every input.
    Returns zs, as_ (unmasked, as MLP.forward gives them) and rs (the mask on each layer's input, None if kept whole).
    """
    zs, as_, rs = [], [A], []
    for l, (W, b) in enumerate(zip(net.W, net.b, strict=True)):
        shape = (1, W.shape[0]) if one_mask else as_[l].shape
        r = mask(shape, keep[l], gen, A.dtype, A.device) if gen is not None and keep[l] < 1 else None
        rs.append(r)
        z = thin(as_[l], r, keep[l], scale) @ W + b  # (N, n_l+1)
        zs.append(z)
        as_.append(net.g[l].g(z) if l < len(net.g) else output_activation(net.cfg.task, z))
    return zs, as_, rs


def backward(net: MLP, zs, as_, rs, keep, dz: torch.Tensor, scale: bool = True):
    """MLP.backward through the same masks: dW = a~^T dz, and the gradient into a unit passes its mask r / p."""
    dW, db = [None] * len(net.W), [None] * len(net.b)
    for l in reversed(range(len(net.W))):
        dW[l] = thin(as_[l], rs[l], keep[l], scale).T @ dz
        db[l] = dz.sum(dim=0)
        if l:
            dz = thin(dz @ net.W[l].T, rs[l], keep[l], scale) * net.g[l - 1].dg(zs[l - 1])
    return dW, db


class DropoutTrainer(NetTrainer):
    """NetTrainer whose every training batch runs through fresh masks; metrics use eval mode (the whole network)."""

    def __init__(self, cfg: NetConfig, X_train, y_train, X_test, y_test, keep, scale=True, record=False, **kw):
        if len(keep) != len(cfg.sizes) - 1 or not all(0 < p <= 1 for p in keep):
            raise ValueError("one keep probability 0 < p <= 1 per layer input (the inputs, then each hidden layer)")
        super().__init__(cfg, X_train, y_train, X_test, y_test, **kw)
        self.keep, self.scale = tuple(float(p) for p in keep), bool(scale)
        # masks have their own stream, so a plain twin with the same seed gets the same init and shuffling
        self.mask_gen = torch.Generator(device=self.X.device).manual_seed(cfg.seed + 2)
        self.log: list | None = [] if record else None  # per batch: (masks, weights before the update, labels)

    def gradients(self, X, y):
        zs, as_, rs = forward(self.net, X, self.keep, self.mask_gen, self.scale)
        loss, dz = loss_and_dz(self.cfg.task, zs[-1], y)
        dW, db = backward(self.net, zs, as_, rs, self.keep, dz, self.scale)
        if self.log is not None:
            self.log.append((rs, [w.cpu().clone() for w in self.net.W], y.cpu().numpy().copy()))
        pen, dpen = penalty(self.reg, self.lam, self.net.W)
        dW = [d if p is None else d + p for d, p in zip(dW, dpen, strict=True)]
        return float(loss) + pen, dW, db

    def state(self) -> dict:
        """NetTrainer's state plus both random streams, so a rewound run replays the same masks and order."""
        return super().state() | {"masks": self.mask_gen.get_state(), "order": self.gen.get_state()}

    def load(self, state: dict) -> None:
        super().load(state)
        self.mask_gen.set_state(state["masks"])
        self.gen.set_state(state["order"])


def weight_scaled(net: MLP, keep) -> MLP:
    """The 2012 paper's test-time rule for a net trained WITHOUT 1/p: multiply each layer's outgoing weights by p."""
    out = copy.copy(net)
    out.W = [W * p for W, p in zip(net.W, keep, strict=True)]
    return out


class Act(torch.nn.Module):
    """A registry activation as an nn.Module, so the network can be written as nn.Sequential."""

    def __init__(self, g):
        super().__init__()
        self.g = g

    def forward(self, z):
        return self.g(z)


def to_torch(net: MLP, keep) -> torch.nn.Sequential:
    """The same network in PyTorch: nn.Dropout(p = 1 - keep) before every layer that drops its input."""
    layers = []
    for l, (W, b) in enumerate(zip(net.W, net.b, strict=True)):
        if keep[l] < 1:
            layers.append(torch.nn.Dropout(p=torch_p(keep[l])))
        lin = torch.nn.Linear(*W.shape, dtype=W.dtype)
        with torch.no_grad():
            lin.weight.copy_(W.T)
            lin.bias.copy_(b)
        layers.append(lin)
        layers.append(Act(net.g[l].g) if l < len(net.g) else Act(lambda z: output_activation(net.cfg.task, z)))
    return torch.nn.Sequential(*layers)


def passes(net: MLP, A: torch.Tensor, keep, k: int, seed: int, one_mask: bool = False) -> torch.Tensor:
    """k train-mode forward passes of the same inputs, each with fresh masks: (k, N) outputs of the first unit."""
    gen = torch.Generator(device=A.device).manual_seed(seed)
    return torch.stack([forward(net, A, keep, gen, one_mask=one_mask)[1][-1][:, 0] for _ in range(min(k, MAX_PASSES))])


@dataclass(frozen=True)
class MaskStats:
    kept: int  # units kept, summed over every mask drawn
    total: int  # units that could have been kept
    keep: float  # p
    lo: int  # the central 95 % interval of Binomial(total, p)
    hi: int

    @property
    def fraction(self) -> float:
        return self.kept / max(self.total, 1)

    @property
    def plausible(self) -> bool:
        return self.lo <= self.kept <= self.hi


def mask_stats(rs: list[torch.Tensor], keep: float) -> MaskStats:
    """How many units the masks kept, against the 95 % range a fair Bernoulli(p) coin gives."""
    kept, total = int(sum(float(r.sum()) for r in rs)), sum(r.numel() for r in rs)
    lo, hi = binom.interval(0.95, total, keep) if total else (0, 0)
    return MaskStats(kept, total, keep, int(lo), int(hi))


@dataclass(frozen=True)
class Expectation:
    a: np.ndarray  # (n,) the activations, = eval mode's output of the dropout layer
    lecture: np.ndarray  # (n,) mean of r * a / p over the masks (our code)
    pytorch: np.ndarray  # (n,) mean of nn.Dropout(1 - p)(a) over the same number of masks, same seed
    unscaled: np.ndarray  # (n,) mean of r * a (no 1/p): about p * a
    se: np.ndarray  # (n,) standard error of the lecture mean: its sampling error
    kept: np.ndarray  # (n,) share of masks that kept each unit


def expectation(a: np.ndarray, keep: float, k: int, seed: int) -> Expectation:
    """Average k train-mode outputs of one dropout layer, both conventions and without scaling; eval mode is a."""
    k = int(min(max(k, 2), MAX_MASKS))
    A = torch.as_tensor(a, dtype=torch.float64).expand(k, len(a))  # (k, n): one row per mask
    out, r = drop(A, keep, torch.Generator().manual_seed(seed))
    with torch.random.fork_rng(devices=[]):  # nn.Dropout draws from the global generator: seed it, then restore it
        torch.manual_seed(seed)
        layer = torch.nn.Dropout(p=torch_p(keep)).train()
        theirs = layer(A)
    return Expectation(
        np.asarray(a, float),
        out.mean(0).numpy(),
        theirs.mean(0).numpy(),
        (A * r).mean(0).numpy(),
        out.std(0).numpy() / np.sqrt(k),
        r.mean(0).numpy(),
    )


@dataclass(frozen=True)
class Preset:
    """The overfitting-prone task: few noisy training points, many test points, a wide net."""

    data: str = "moons"  # a playground toy set
    n_train: int = 30  # few training points: easy to memorise
    n_test: int = 500  # many test points: a steady estimate of the test loss
    noise: float = 0.5  # classes overlap, so memorising means learning noise
    width: int = 16  # units in each of the two hidden layers (the playground's maximum)
    activation: str = "tanh"
    lr: float = 0.03  # Adam's step size alpha
    batch_size: int = 10
    epochs: int = 300  # one run's length: the plain net overfits well before the end


def task(preset: Preset, seed: int) -> data.Split:
    """The preset's points, split into a few training and many test points."""
    ds = data.make_toy(preset.data, preset.n_train + preset.n_test, preset.noise, seed)
    return data.train_test_split(ds, preset.n_train / (preset.n_train + preset.n_test), seed)


def trainers(preset: Preset, keep, seed: int, scale=True, device="cpu") -> tuple[NetTrainer, DropoutTrainer]:
    """Two identical nets (same seed: same weights, same shuffling): a plain one and one with dropout."""
    split = task(preset, seed)
    cfg = NetConfig(hidden=(preset.width,) * 2, activations=(preset.activation,) * 2, seed=seed)
    args = (cfg, split.X_train, split.y_train, split.X_test, split.y_test)
    kw = dict(lr=preset.lr, batch_size=preset.batch_size, optimizer="adam", device=device)
    # The plain twin runs the same torch loop as the dropout one (not the fused engine): with every keep = 1 the
    # two must agree to the last bit, so that any difference on the page is dropout's alone.
    return NetTrainer(*args, fast=False, **kw), DropoutTrainer(*args, keep=keep, scale=scale, **kw)


class Pair:
    """Two trainers stepped in lockstep, so one Run (and one set of buttons) drives both."""

    def __init__(self, plain: NetTrainer, dropout: DropoutTrainer):
        self.plain, self.dropout = plain, dropout

    @property
    def lr(self) -> float:
        return self.dropout.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.plain.lr = self.dropout.lr = value

    def step(self) -> tuple[float, float]:
        (l1, g1), (l2, g2) = self.plain.step(), self.dropout.step()
        return l1 + l2, max(g1, g2)  # a blow-up in either net stops both

    def metrics(self) -> dict:
        return {f"plain_{k}": v for k, v in self.plain.metrics().items()} | {
            f"dropout_{k}": v for k, v in self.dropout.metrics().items()
        }

    def state(self) -> dict:
        return {"plain": self.plain.state(), "order": self.plain.gen.get_state(), "dropout": self.dropout.state()}

    def load(self, state: dict) -> None:
        self.plain.load(state["plain"])
        self.plain.gen.set_state(state["order"])  # NetTrainer.state leaves out its shuffling stream
        self.dropout.load(state["dropout"])


def grid_inputs(trainer: NetTrainer, G: np.ndarray) -> torch.Tensor:
    """Grid points (M, 2) as the net's input features."""
    return torch.as_tensor(featurize(G, trainer.cfg.features), dtype=trainer.X.dtype, device=trainer.X.device)


@dataclass(frozen=True)
class ThinStep:
    alive: list[list[np.ndarray]]  # per example of the batch, per column (inputs, hidden..., output): kept?
    W: list[np.ndarray]  # the weights before this step
    dW: list[np.ndarray]  # what this step changed them by
    y: np.ndarray  # the batch's labels


def thinned_steps(split: data.Split, keep, batch: int, steps: int, seed: int, hidden=(6, 6), lr=0.3) -> list[ThinStep]:
    """The first `steps` minibatch steps of a small dropout net under plain SGD, with every mask and weight change."""
    cfg = NetConfig(hidden=tuple(hidden), activations=("tanh",) * len(hidden), seed=seed)
    tr = DropoutTrainer(cfg, split.X_train, split.y_train, split.X_test, split.y_test, keep, record=True, lr=lr,
                        batch_size=batch, optimizer="sgd")  # fmt: skip
    while len(tr.log) <= steps:
        tr.step()
    out = []
    for (rs, W, y), (_, W_next, _) in zip(tr.log[:steps], tr.log[1 : steps + 1], strict=True):
        n = len(y)
        cols = [np.ones((n, s), bool) if r is None else r.numpy() > 0 for r, s in zip(rs, cfg.sizes, strict=False)]
        cols.append(np.ones((n, 1), bool))  # the output unit is never dropped
        alive = [[c[e] for c in cols] for e in range(n)]
        out.append(
            ThinStep(alive, [w.numpy() for w in W], [(b - a).numpy() for a, b in zip(W, W_next, strict=True)], y)
        )
    return out


def train(trainer: NetTrainer, epochs: int) -> NetTrainer:
    """Train to the end in one go (for cached results; the live view steps a Run instead)."""
    for _ in range(epochs):
        trainer.step()
    return trainer


def bce(p: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Cross-entropy and accuracy of predicted probabilities p (N,) against labels y (N,)."""
    loss = torch.nn.functional.binary_cross_entropy(p, y.to(p.dtype))
    return float(loss), float(((p >= 0.5) == (y > 0.5)).float().mean())


def scaling_effect(preset: Preset, keep, seed: int, inverted: DropoutTrainer) -> dict[str, tuple[float, float]]:
    """Test loss and accuracy: inverted dropout vs a net trained without 1/p, tested as is or with weights times p."""
    no_scale = train(trainers(preset, keep, seed, scale=False)[1], preset.epochs).net
    X, y = inverted.Xt, inverted.yt
    return {
        "trained with 1/p, whole net at test": bce(inverted.net.predict(X)[:, 0], y),
        "trained without 1/p, as is at test": bce(no_scale.predict(X)[:, 0], y),
        "trained without 1/p, W × p at test": bce(weight_scaled(no_scale, keep).predict(X)[:, 0], y),
    }


def torch_code(keep, sizes) -> str:
    """The PyTorch code of to_torch's network for a tanh net, with the two modes."""
    lines = ["model = nn.Sequential("]
    for l, (p, n_in, n_out) in enumerate(zip(keep, sizes[:-1], sizes[1:], strict=True)):
        if p < 1:
            lines.append(f"    nn.Dropout(p={torch_p(p):g}),  # the lecture's keep p = {p:g}")
        lines.append(f"    nn.Linear({n_in}, {n_out}), " + ("nn.Tanh()," if l < len(sizes) - 2 else "nn.Sigmoid(),"))
    return "\n".join([*lines, ")",
        "model.train()  # masks on: every call draws new ones, so outputs vary",
        "model.eval()   # masks off: the whole network, the same output every time",
        "with torch.no_grad():", "    y_hat = model(x)"])  # fmt: skip


def mask_table(steps: list[ThinStep], keep) -> list[dict]:
    """Per dropped column (inputs, hidden layers): units the masks kept over these steps, against Binomial(n, p)."""
    rows = []
    for col, name in enumerate(("inputs", *(f"hidden layer {l}" for l in range(1, len(keep))))):
        if keep[col] < 1:
            ms = mask_stats([torch.as_tensor(np.array([a[col] for a in s.alive], float)) for s in steps], keep[col])
            rows.append({"layer": name, "keep p": keep[col], "units kept": ms.kept, "of": ms.total,
                         "share": ms.fraction, "95 % range, Binomial(n, p)": f"{ms.lo} – {ms.hi}",
                         "within it": ms.plausible})  # fmt: skip
    return rows
