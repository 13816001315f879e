"""A multilayer perceptron written out layer by layer: z = a W + b, a = g(z), gradients by the chain rule."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch

from core import fastnet
from core.activations import ACTIVATIONS
from core.training import LearningRate

# Input features as in TensorFlow Playground: name -> (LaTeX, function of x1, x2).
FEATURES = {
    "x1": ("x_1", lambda x1, x2: x1),
    "x2": ("x_2", lambda x1, x2: x2),
    "x1sq": ("x_1^2", lambda x1, x2: x1 * x1),
    "x2sq": ("x_2^2", lambda x1, x2: x2 * x2),
    "x1x2": ("x_1 x_2", lambda x1, x2: x1 * x2),
    "sin1": (r"\sin x_1", lambda x1, x2: np.sin(x1)),
    "sin2": (r"\sin x_2", lambda x1, x2: np.sin(x2)),
}
TASKS = ("binary", "multiclass", "regression")
OPTIMIZERS = ("sgd", "momentum", "adam")
PENALTIES = ("none", "L1", "L2")
MAX_LAYERS, MAX_UNITS = 8, 16  # caps: a playground net never needs more


def featurize(X: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The chosen input features of 2-D points: (N, 2) -> (N, len(names))."""
    if not names:
        raise ValueError("choose at least one input feature")
    return np.stack([FEATURES[n][1](X[:, 0], X[:, 1]) for n in names], axis=1)


@dataclass(frozen=True)
class NetConfig:
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)  # units per hidden layer; () is a single neuron
    activations: tuple[str, ...] = ("tanh", "tanh")  # registry name per hidden layer
    task: str = "binary"  # binary: sigmoid + cross-entropy; multiclass: softmax + CE; regression: identity + MSE
    n_classes: int = 2
    init: str = "random"  # random (Glorot, seeded) | zero
    seed: int = 0

    def __post_init__(self):
        if len(self.hidden) > MAX_LAYERS or any(not 1 <= h <= MAX_UNITS for h in self.hidden):
            raise ValueError(f"at most {MAX_LAYERS} hidden layers of 1 to {MAX_UNITS} units")
        if len(self.activations) != len(self.hidden) or any(a not in ACTIVATIONS for a in self.activations):
            raise ValueError("one known activation per hidden layer")
        if self.task not in TASKS or self.init not in ("random", "zero") or not self.features:
            raise ValueError("unknown task or init, or no input features")

    @property
    def sizes(self) -> tuple[int, ...]:
        n_out = self.n_classes if self.task == "multiclass" else 1
        return (len(self.features), *self.hidden, n_out)


class MLP:
    """Weights W[l] (n_l, n_l+1) and biases b[l]; forward keeps every z and a for backprop and the unit maps."""

    def __init__(self, cfg: NetConfig, dtype=torch.float32, device="cpu"):
        self.cfg = cfg
        gen = torch.Generator().manual_seed(cfg.seed)
        self.W, self.b = [], []
        for fan_in, fan_out in zip(cfg.sizes[:-1], cfg.sizes[1:], strict=True):
            std = math.sqrt(2.0 / (fan_in + fan_out))  # Glorot: keeps the signal's scale layer to layer
            W = torch.randn(fan_in, fan_out, generator=gen, dtype=torch.float64) * std
            self.W.append((W if cfg.init == "random" else torch.zeros_like(W)).to(device, dtype))
            self.b.append(torch.zeros(fan_out, dtype=dtype, device=device))
        self.g = [ACTIVATIONS[name] for name in cfg.activations]

    @property
    def params(self) -> list[torch.Tensor]:
        return [*self.W, *self.b]

    def forward(self, A: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """zs[l] and as_[l] for every layer; as_[0] is the input, the last z is the output's pre-activation."""
        zs, as_ = [], [A]
        for layer, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            z = as_[-1] @ W + b  # (N, n_l+1)
            zs.append(z)
            as_.append(self.g[layer].g(z) if layer < len(self.g) else output_activation(self.cfg.task, z))
        return zs, as_

    def backward(self, zs, as_, dz: torch.Tensor) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """Chain rule from dL/dz of the output back to every weight: dW = a^T dz, then dz = (dz W^T) * g'(z)."""
        dW, db = [None] * len(self.W), [None] * len(self.b)
        for layer in reversed(range(len(self.W))):
            dW[layer] = as_[layer].T @ dz
            db[layer] = dz.sum(dim=0)
            if layer:
                dz = (dz @ self.W[layer].T) * self.g[layer - 1].dg(zs[layer - 1])
        return dW, db

    def predict(self, A: torch.Tensor) -> torch.Tensor:
        return self.forward(A)[1][-1]


def output_activation(task: str, z: torch.Tensor) -> torch.Tensor:
    """sigmoid for two classes, softmax for several, identity for regression."""
    if task == "binary":
        return torch.sigmoid(z)
    if task == "multiclass":
        return torch.softmax(z, dim=1)
    return z


def loss_and_dz(task: str, z: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean loss over the batch and dL/dz of the output layer (the same simple form for all three tasks)."""
    n = z.shape[0]
    if task == "binary":
        t = y.reshape(-1, 1).to(z.dtype)
        loss = (torch.nn.functional.softplus(z) - t * z).mean()  # BCE of sigmoid(z), stable for any z
        return loss, (torch.sigmoid(z) - t) / n
    if task == "multiclass":
        logp = torch.log_softmax(z, dim=1)
        onehot = torch.nn.functional.one_hot(y.long(), z.shape[1]).to(z.dtype)
        return -(onehot * logp).sum() / n, (logp.exp() - onehot) / n
    t = y.reshape(-1, 1).to(z.dtype)
    return ((z - t) ** 2).mean(), 2 * (z - t) / n


def penalty(kind: str, lam: float, W: list[torch.Tensor]) -> tuple[float, list[torch.Tensor | None]]:
    """lambda ||W||_1 or lambda ||W||_2^2 over the weights (never the biases), and its gradient per layer."""
    if kind == "none" or lam == 0:
        return 0.0, [None] * len(W)
    if kind == "L1":
        return lam * sum(float(w.abs().sum()) for w in W), [lam * torch.sign(w) for w in W]
    return lam * sum(float((w * w).sum()) for w in W), [2 * lam * w for w in W]


class NetTrainer(LearningRate):
    """Mini-batch training of an MLP: one step() is one epoch; torch.optim applies the hand-computed gradients.

    With fast=True (the default where it applies) the same epoch runs fused in core/fastnet.py: numpy on one flat
    weight buffer that net.W and net.b are views of. Subclasses that override gradients() take this loop.
    """

    def __init__(
        self,
        cfg: NetConfig,
        X_train,
        y_train,
        X_test,
        y_test,
        lr: float = 0.03,
        batch_size: int = 10,
        optimizer: str = "sgd",
        reg: str = "none",
        lam: float = 0.0,
        dtype=torch.float32,
        device="cpu",
        fast: bool | None = None,
    ):
        self.cfg, self.reg, self.lam, self.batch_size = cfg, reg, float(lam), int(batch_size)
        self.net = MLP(cfg, dtype, device)
        as_t = lambda a: torch.as_tensor(np.asarray(a), dtype=dtype, device=device)  # noqa: E731
        self.X, self.Xt = as_t(featurize(X_train, cfg.features)), as_t(featurize(X_test, cfg.features))
        ydt = torch.long if cfg.task == "multiclass" else dtype
        self.y = torch.as_tensor(np.asarray(y_train), dtype=ydt, device=device)
        self.yt = torch.as_tensor(np.asarray(y_test), dtype=ydt, device=device)
        self.gen = torch.Generator().manual_seed(cfg.seed + 1)  # the shuffling order is part of the seed
        self.optimizer = optimizer
        if fast is None:
            fast = type(self).gradients is NetTrainer.gradients and fastnet.supports(cfg.activations, device)
        self.fast: fastnet.FastNet | None = None
        if fast:
            if optimizer not in OPTIMIZERS:
                raise ValueError(f"Unknown optimizer {optimizer!r}; choose one of {', '.join(OPTIMIZERS)}.")
            self.fast = fastnet.FastNet(
                cfg.sizes, cfg.activations, cfg.task, self.net.W, self.net.b, self.X.numpy(), self.y.numpy(),
                self.Xt.numpy(), self.yt.numpy(), self.batch_size, optimizer, lr, self.reg, self.lam,
                self.X.numpy().dtype,
            )  # fmt: skip
            self.net.W, self.net.b = self.fast.tensors()  # the same memory: the page reads what the engine writes
            self.opt = self.fast.opt
        else:
            self.opt = make_optimizer(optimizer, self.net.params, lr)

    def gradients(self, X, y):
        """Cost (data loss + penalty) and its gradient for every weight and bias on one batch."""
        zs, as_ = self.net.forward(X)
        loss, dz = loss_and_dz(self.cfg.task, zs[-1], y)
        dW, db = self.net.backward(zs, as_, dz)
        pen, dpen = penalty(self.reg, self.lam, self.net.W)
        dW = [d if p is None else d + p for d, p in zip(dW, dpen, strict=True)]
        return float(loss) + pen, dW, db

    def step(self) -> tuple[float, float]:
        order = torch.randperm(len(self.y), generator=self.gen)
        if self.fast is not None:
            return self.fast.epoch(order.numpy())  # this same loop, fused; tests hold the two to each other
        total = 0.0
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            J, dW, db = self.gradients(self.X[idx], self.y[idx])
            grads = [*dW, *db]
            for p, g in zip(self.net.params, grads, strict=True):
                p.grad = g
            self.opt.step()
            total += J * len(idx)
        gnorm = math.sqrt(sum(float((g * g).sum()) for g in grads))  # of the epoch's last batch
        return total / len(self.y), gnorm

    def evaluate(self, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
        """Data loss and accuracy (for regression: loss twice) on a set."""
        zs, as_ = self.net.forward(X)
        loss, _ = loss_and_dz(self.cfg.task, zs[-1], y)
        out = as_[-1]
        if self.cfg.task == "binary":
            acc = float(((out[:, 0] >= 0.5).to(y.dtype) == y).float().mean())
        elif self.cfg.task == "multiclass":
            acc = float((out.argmax(dim=1) == y).float().mean())
        else:
            acc = float("nan")
        return float(loss), acc

    def metrics(self) -> dict:
        if self.fast is not None:
            return self.fast.metrics()
        train_loss, train_acc = self.evaluate(self.X, self.y)
        test_loss, test_acc = self.evaluate(self.Xt, self.yt)
        return {"train_loss": train_loss, "test_loss": test_loss, "train_acc": train_acc, "test_acc": test_acc}

    def confusion(self, test: bool = True) -> np.ndarray:
        """Counts of (true class, predicted class) on the test (or training) set."""
        X, y = (self.Xt, self.yt) if test else (self.X, self.y)
        out = self.net.predict(X)
        k = self.cfg.sizes[-1] if self.cfg.task == "multiclass" else 2
        pred = out.argmax(dim=1) if self.cfg.task == "multiclass" else (out[:, 0] >= 0.5).long()
        return np.bincount(y.long().cpu().numpy() * k + pred.cpu().numpy(), minlength=k * k).reshape(k, k)

    def state(self) -> dict:
        return {
            "W": [w.clone() for w in self.net.W],
            "b": [b.clone() for b in self.net.b],
            "opt": copy.deepcopy(self.opt.state_dict()),  # torch.optim's or FastOptimizer's
            "gen": self.gen.get_state(),  # so a rewound run replays the same batch order
        }

    def load(self, state: dict) -> None:
        for p, saved in zip(self.net.params, [*state["W"], *state["b"]], strict=True):
            p.copy_(saved)
        self.opt.load_state_dict(copy.deepcopy(state["opt"]))
        self.gen.set_state(state["gen"])

    def predict_grid(self, G: np.ndarray) -> list[np.ndarray]:
        """Every layer's activations over grid points (M, 2) in one batched pass: [(M, n_l) for each layer]."""
        A = torch.as_tensor(featurize(G, self.cfg.features), dtype=self.X.dtype, device=self.X.device)
        return [a.cpu().numpy() for a in self.net.forward(A)[1]]


def make_optimizer(name: str, params: list[torch.Tensor], lr: float) -> torch.optim.Optimizer:
    """torch.optim does the update: plain SGD, SGD with momentum 0.9, or Adam."""
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"Unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}.")
