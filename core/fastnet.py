"""The playground's mini-batch epoch, fused: core.network's chain rule as a fixed tape of numpy ops on fixed buffers.

A 2-4-2-1 net on a batch of 10 does a few hundred flops, so the time goes to per-op overhead, not arithmetic: a torch
op costs ~2-4 us, torch.optim ~30 us of Python per step, a numpy ufunc writing into a preallocated contiguous `out`
~0.2-0.4 us. So this engine
- keeps every weight and bias in one flat buffer (the trainer's torch W and b are views of it) and folds each bias
  into its weight matrix, so z = Wb^T [a; 1] is one product and dWb = [a; 1] dz^T gives dW and db at once;
- stores activations unit-major, (units, batch), so every slice it writes to is contiguous;
- records an epoch once as a tape of calls (every mini-batch's forward, backward, penalty and optimizer step, on
  buffers fixed at construction) and replays it from C with deque(map(call, tape)): no Python runs between ops.
Autograd and torch.optim stay the reference: tests hold this engine to them.
"""

from __future__ import annotations

import math
import operator
from collections import deque
from functools import partial

import numpy as np
import torch
from scipy.special import expit, ndtr  # scipy ships with scikit-learn; expit is one op where 1/(1+e^-z) is three

LEAK = 0.01  # leaky ReLU slope, as core.activations.LEAK
BETA1, BETA2, ADAM_EPS, MOMENTUM = 0.9, 0.999, 1e-8, 0.9  # torch.optim's defaults, as core.network uses them


def _ops(*calls) -> list[partial]:
    return [partial(f, *args, **kw) for f, args, kw in calls]


# Each activation: forward(z, a) and backward(dA, z, a, dz, t1, t2) return the calls that write a = g(z) and
# dz = dA * g'(z) (t1, t2: scratch of the same shape). `c` makes constants 0-d arrays of the net's dtype: numpy
# takes those ~2x faster than Python floats.
def _tanh(c):
    fwd = lambda z, a: _ops((np.tanh, (z, a), {}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (np.multiply, (a, a, t1), {}), (np.multiply, (t1, dA, t1), {}), (np.subtract, (dA, t1, dz), {})
    )  # g' = 1 - a^2, so dz = dA - dA a^2
    return fwd, bwd


def _sigmoid(c):
    fwd = lambda z, a: _ops((expit, (z, a), {}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (np.multiply, (a, a, t1), {}), (np.subtract, (a, t1, t1), {}), (np.multiply, (dA, t1, dz), {})
    )  # g' = a - a^2
    return fwd, bwd


def _relu(c):
    fwd = lambda z, a: _ops((np.maximum, (z, c(0)), {"out": a}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (np.heaviside, (z, c(0), t1), {}), (np.multiply, (dA, t1, dz), {})
    )  # g' = 1 where z > 0, else 0
    return fwd, bwd


def _leaky_relu(c):
    fwd = lambda z, a: _ops((np.multiply, (z, c(LEAK), a), {}), (np.maximum, (z, a), {"out": a}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (np.heaviside, (z, c(0), t1), {}),
        (np.multiply, (t1, c(1 - LEAK), t1), {}),
        (np.add, (t1, c(LEAK), t1), {}),
        (np.multiply, (dA, t1, dz), {}),
    )
    return fwd, bwd


def _softplus(c):
    fwd = lambda z, a: _ops((np.logaddexp, (c(0), z, a), {}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops((expit, (z, t1), {}), (np.multiply, (dA, t1, dz), {}))  # noqa: E731
    return fwd, bwd


def _elu(c):
    # elu = max(z, 0) + expm1(min(z, 0)); g' = 1 for z > 0, else e^z, i.e. e^min(z, 0)
    def fwd(z, a):
        t = np.empty_like(z)
        return _ops(
            (np.minimum, (z, c(0)), {"out": a}),
            (np.expm1, (a, a), {}),
            (np.maximum, (z, c(0)), {"out": t}),
            (np.add, (a, t, a), {}),
        )

    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (np.minimum, (z, c(0)), {"out": t1}), (np.exp, (t1, t1), {}), (np.multiply, (dA, t1, dz), {})
    )
    return fwd, bwd


def _gelu(c):
    fwd = lambda z, a: _ops((ndtr, (z, a), {}), (np.multiply, (z, a, a), {}))  # noqa: E731  z Phi(z)
    bwd = lambda dA, z, a, dz, t1, t2: _ops(  # noqa: E731
        (ndtr, (z, t1), {}),  # g' = Phi(z) + z phi(z)
        (np.multiply, (z, z, t2), {}),
        (np.multiply, (t2, c(-0.5), t2), {}),
        (np.exp, (t2, t2), {}),
        (np.multiply, (t2, z, t2), {}),
        (np.multiply, (t2, c(1 / math.sqrt(2 * math.pi)), t2), {}),
        (np.add, (t1, t2, t1), {}),
        (np.multiply, (dA, t1, dz), {}),
    )
    return fwd, bwd


def _identity(c):
    fwd = lambda z, a: _ops((np.copyto, (a, z), {}))  # noqa: E731
    bwd = lambda dA, z, a, dz, t1, t2: _ops((np.copyto, (dz, dA), {}))  # noqa: E731
    return fwd, bwd


def _step(c):
    fwd = lambda z, a: _ops((np.heaviside, (z, c(1), a), {}))  # noqa: E731  1 where z >= 0
    bwd = lambda dA, z, a, dz, t1, t2: _ops((np.multiply, (dA, c(0), dz), {}))  # noqa: E731  g' = 0
    return fwd, bwd


NP_ACTIVATIONS = {
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "softplus": _softplus,
    "elu": _elu,
    "gelu": _gelu,
    "identity": _identity,
    "step": _step,
}


def example_losses(task: str, z: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each example's loss from output pre-activations z (k, M) and targets t (1, M), or one-hot (k, M)."""
    if task == "binary":
        return np.logaddexp(0, z[0]) - t[0] * z[0]  # BCE of sigmoid(z) = softplus(z) - t z
    if task == "multiclass":
        m = z.max(axis=0)
        return m + np.log(np.exp(z - m).sum(axis=0)) - (t * z).sum(axis=0)  # logsumexp(z) - z_y
    return (z[0] - t[0]) ** 2


class FastOptimizer:
    """SGD, momentum 0.9 or Adam as torch.optim does them, as tape calls on one flat buffer; lr in param_groups."""

    def __init__(self, name: str, p: np.ndarray, g: np.ndarray, lr: float):
        if name not in ("sgd", "momentum", "adam"):
            raise ValueError(f"Unknown optimizer {name!r}; choose one of sgd, momentum, adam.")
        self.name, self.p, self.g = name, p, g
        self.param_groups = [_Group(self, lr)]
        self.t = 0  # Adam's step count, for its bias correction
        self.m, self.v, self.tmp = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
        c = lambda x: np.array(x, p.dtype)  # noqa: E731
        self.lr_ = c(lr)  # 0-d arrays the tape reads; setting lr or counting a step writes into them
        self.scale_, self.eps_ = c(0), c(0)

    def set_lr(self, lr: float) -> None:
        self.lr_[...] = lr

    def _tick(self) -> None:
        """Adam's bias correction for the next step: p -= lr / c1 * m / (sqrt(v) / c2 + eps), c2 moved up."""
        self.t += 1
        c2 = math.sqrt(1 - BETA2**self.t)
        self.scale_[...] = float(self.lr_) * c2 / (1 - BETA1**self.t)
        self.eps_[...] = ADAM_EPS * c2

    def ops(self) -> list:
        p, g, m, v, tmp = self.p, self.g, self.m, self.v, self.tmp
        c = lambda x: np.array(x, p.dtype)  # noqa: E731
        if self.name == "sgd":
            return _ops((np.multiply, (g, self.lr_, tmp), {}), (np.subtract, (p, tmp, p), {}))
        if self.name == "momentum":  # torch: buf = 0.9 buf + g (buf starts at the first g), p -= lr buf
            return _ops(
                (np.multiply, (m, c(MOMENTUM), m), {}),
                (np.add, (m, g, m), {}),
                (np.multiply, (m, self.lr_, tmp), {}),
                (np.subtract, (p, tmp, p), {}),
            )
        return [self._tick] + _ops(
            (np.subtract, (g, m, tmp), {}),  # m += (1 - b1)(g - m): torch's lerp
            (np.multiply, (tmp, c(1 - BETA1), tmp), {}),
            (np.add, (m, tmp, m), {}),
            (np.multiply, (v, c(BETA2), v), {}),
            (np.multiply, (g, g, tmp), {}),
            (np.multiply, (tmp, c(1 - BETA2), tmp), {}),
            (np.add, (v, tmp, v), {}),
            (np.sqrt, (v, tmp), {}),
            (np.add, (tmp, self.eps_, tmp), {}),
            (np.divide, (m, tmp, tmp), {}),
            (np.multiply, (tmp, self.scale_, tmp), {}),
            (np.subtract, (p, tmp, p), {}),
        )

    def state_dict(self) -> dict:
        return {"t": self.t, "m": self.m.copy(), "v": self.v.copy(), "lr": float(self.lr_)}

    def load_state_dict(self, state: dict) -> None:
        self.t = state["t"]
        self.m[...], self.v[...] = state["m"], state["v"]
        self.param_groups[0]["lr"] = state["lr"]  # as torch.optim's load_state_dict restores it


class _Group(dict):
    """torch.optim's param_groups[0]: setting ["lr"] reaches the tape."""

    def __init__(self, opt: FastOptimizer, lr: float):
        super().__init__(lr=float(lr))
        self.opt = opt

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        if key == "lr":
            self.opt.set_lr(value)


class FastNet:
    """An MLP's weights in one flat buffer, and whole epochs of mini-batch training on it.

    Layer l's weights and bias are the block Wb[l] (n_l + 1, n_l+1): rows 0..n_l-1 are W, the last row is b.
    """

    def __init__(self, sizes, activations, task, W, b, X, y, Xt, yt, batch_size, optimizer, lr, reg, lam, dtype):
        self.sizes, self.task, self.reg, self.lam = tuple(sizes), task, reg, float(lam)
        self.dtype = np.dtype(dtype)
        self._consts, self._memo = {}, {}
        self.acts = [NP_ACTIVATIONS[a](self.c) for a in activations]
        shapes = [(n_in + 1, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        ends = np.cumsum([0] + [r * c for r, c in shapes])
        blocks = lambda flat: [flat[a:e].reshape(s) for a, e, s in zip(ends[:-1], ends[1:], shapes, strict=True)]  # noqa: E731
        self.p = np.zeros(ends[-1], self.dtype)  # every weight and bias
        self.g = np.zeros_like(self.p)  # their gradient on the latest batch
        self.Wb, self.G = blocks(self.p), blocks(self.g)
        self.WbT, self.W = [Wb.T for Wb in self.Wb], [Wb[:-1] for Wb in self.Wb]  # views made once: see _shared
        for Wb, w, bias in zip(self.Wb, W, b, strict=True):
            Wb[:-1], Wb[-1] = w.cpu().numpy(), bias.cpu().numpy()
        self.mask = np.zeros_like(self.p)  # the penalty's weight per entry: on W, never on the biases
        for M in blocks(self.mask):
            M[:-1] = 2 * self.lam if reg == "L2" else self.lam if reg == "L1" else 0.0
        self.pen_tmp = np.zeros_like(self.p)
        self.opt = FastOptimizer(optimizer, self.p, self.g, lr)
        self.opt_ops = self.opt.ops()

        self.k = sizes[-1]
        self.X, self.Y = self._inputs(X), self._targets(y)  # (N, d+1) with a ones column; (N, 1) or one-hot (N, k)
        self.Xall = np.concatenate([self.X, self._inputs(Xt)])  # train then test: one forward pass for metrics
        self.Yall = np.concatenate([self.Y, self._targets(yt)])
        self.n = len(self.X)
        self.order = np.zeros(self.n, np.int64)
        self.Xs, self.Ys = np.empty_like(self.X), np.empty_like(self.Y)  # this epoch's shuffled copies
        bs = min(int(batch_size), self.n)
        starts = list(range(0, self.n, bs))
        self.sizes_b = np.array([min(s + bs, self.n) - s for s in starts], self.dtype)
        self.Zo = np.empty(self.n * self.k, self.dtype)  # each batch's output z, for the epoch's loss
        self.pen = np.zeros(len(starts), self.dtype)  # each batch's penalty, before its step
        self.tape = _ops((np.take, (self.X, self.order), {"axis": 0, "out": self.Xs}),
                         (np.take, (self.Y, self.order), {"axis": 0, "out": self.Ys}))  # fmt: skip
        bufs = {}
        self.outs = []
        for i, s in enumerate(starts):
            m = int(self.sizes_b[i])
            if m not in bufs:
                bufs[m] = self._buffers(m)
            zo = self.Zo[s * self.k : (s + m) * self.k].reshape(self.k, m)
            self.outs.append(zo)
            self.tape += self._shared(self._batch(self.Xs[s : s + m].T, self.Ys[s : s + m].T, zo, bufs[m], i))
        self._memo = {}  # only construction needs it
        self.eval_bufs = self._buffers(len(self.Xall))
        self.Zall = np.empty((self.k, len(self.Xall)), self.dtype)
        self.eval_tape = self._forward(self.Xall.T, self.Zall, self.eval_bufs)
        if self.k == 1:  # the losses and hits of both sets in preallocated buffers too (multi-class: see metrics)
            self.L, self.hit = np.empty(len(self.Xall), self.dtype), np.empty(len(self.Xall), bool)
            self.eval_tape += self._loss_ops(self.Zall[0], self.Yall[:, 0], self.L, self.eval_bufs["L"])
            if self.task == "binary":
                P, hit = self.eval_bufs["L"], self.hit  # right when (sigmoid(z) >= 0.5) == label
                self.eval_tape += _ops(
                    (expit, (self.Zall[0], P), {}),
                    (np.greater_equal, (P, self.c(0.5), hit), {}),
                    (np.equal, (hit, self.Yall[:, 0] > 0.5, hit), {}),
                )
            self.Ltrain = np.empty(self.n, self.dtype)
            self.tape += self._loss_ops(self.Zo, self.Ys[:, 0], self.Ltrain, np.empty(self.n, self.dtype))

    def c(self, x: float) -> np.ndarray:
        """A constant as a 0-d array of the net's dtype (numpy takes those ~2x faster than floats), made once."""
        return self._consts.setdefault(float(x), np.array(x, self.dtype))

    def _shared(self, calls: list) -> list:
        """The same call on the same buffers as an earlier batch's is that batch's object: a tape of many batches is
        mostly references (8 bytes each), not new partials. Only calls on a batch's own rows are new."""
        out = []
        for f in calls:
            if not isinstance(f, partial):
                out.append(f)
                continue
            owner = getattr(f.func, "__self__", None)
            key = (id(f.func) if owner is None else (id(owner), f.func.__name__), *map(id, f.args),
                   *sorted((k, id(v)) for k, v in f.keywords.items()))  # fmt: skip
            out.append(self._memo.setdefault(key, f))
        return out

    def _inputs(self, X) -> np.ndarray:
        X = np.asarray(X, self.dtype)
        return np.ascontiguousarray(np.c_[X, np.ones(len(X), self.dtype)])

    def _targets(self, y) -> np.ndarray:
        y = np.asarray(y)
        if self.task == "multiclass":
            return np.eye(self.k, dtype=self.dtype)[y.astype(int)]
        return y.astype(self.dtype).reshape(-1, 1)

    def _buffers(self, m: int) -> dict:
        """Unit-major buffers for a batch of m: z, [a; 1] (last row stays 1: the bias input), dL/dz, dL/da, scratch."""
        hidden, e = self.sizes[1:-1], lambda h: np.empty((h, m), self.dtype)  # noqa: E731
        A1 = [np.ones((h + 1, m), self.dtype) for h in hidden]
        D = [e(h) for h in self.sizes[1:]]
        return {
            "Z": [e(h) for h in hidden],
            "A1": A1,
            "A": [a[:-1] for a in A1],  # contiguous: the first h rows
            "D": D,  # output layer last
            "DT": [d.T for d in D],
            "dA": [e(h) for h in hidden],
            "T": [(e(h), e(h)) for h in hidden],
            "row": np.empty((1, m), self.dtype),
            "L": np.empty(m, self.dtype),
        }

    def _forward(self, xT, ZoT, B) -> list:
        """Calls for z and a of every layer from inputs xT (d+1, m); the output z into ZoT (k, m)."""
        calls, inp = [], xT
        for layer, (fwd, _) in enumerate(self.acts):
            calls += _ops((self.WbT[layer].dot, (inp, B["Z"][layer]), {}))  # a method: np.dot's dispatch costs 30%
            calls += fwd(B["Z"][layer], B["A"][layer])
            inp = B["A1"][layer]
        return calls + _ops((self.WbT[-1].dot, (inp, ZoT), {}))

    def _output_dz(self, ZoT, TT, B, m: int) -> list:
        """dL/dz at the output, the same simple form for all three heads: (prediction - target) / m (x2 for MSE)."""
        D, inv = B["D"][-1], self.c(1 / m)
        if self.task == "binary":
            head = [(expit, (ZoT, D), {}), (np.subtract, (D, TT, D), {})]
        elif self.task == "multiclass":
            row = B["row"]
            head = [
                (np.max, (ZoT,), {"axis": 0, "keepdims": True, "out": row}),
                (np.subtract, (ZoT, row, D), {}),
                (np.exp, (D, D), {}),
                (np.sum, (D,), {"axis": 0, "keepdims": True, "out": row}),
                (np.divide, (D, row, D), {}),
                (np.subtract, (D, TT, D), {}),
            ]
        else:
            head, inv = [(np.subtract, (ZoT, TT, D), {})], self.c(2 / m)
        return _ops(*head, (np.multiply, (D, inv, D), {}))

    def _loss_ops(self, z, t, L, tmp) -> list:
        """Calls that write each example's loss into L from a single output's z and targets t (M,)."""
        if self.task == "binary":  # BCE of sigmoid(z) = softplus(z) - t z
            return _ops((np.logaddexp, (self.c(0), z, L), {}), (np.multiply, (t, z, tmp), {}),
                        (np.subtract, (L, tmp, L), {}))  # fmt: skip
        return _ops((np.subtract, (z, t, L), {}), (np.multiply, (L, L, L), {}))

    def _backward(self, xT, B) -> list:
        """The chain rule from the output's dz back: dWb = [a; 1] dz^T, dA = W dz, dz = dA * g'(z)."""
        calls = []
        for layer in range(len(self.Wb) - 1, 0, -1):
            h = layer - 1  # the hidden layer feeding this one
            calls += _ops((B["A1"][h].dot, (B["DT"][layer], self.G[layer]), {}),
                          (self.W[layer].dot, (B["D"][layer], B["dA"][h]), {}))  # fmt: skip
            calls += self.acts[h][1](B["dA"][h], B["Z"][h], B["A"][h], B["D"][h], *B["T"][h])
        return calls + _ops((xT.dot, (B["DT"][0], self.G[0]), {}))

    def _batch(self, xT, TT, ZoT, B, i: int) -> list:
        """One mini-batch: forward, output dz, backward, the penalty's value and gradient, the optimizer step."""
        calls = self._forward(xT, ZoT, B) + self._output_dz(ZoT, TT, B, xT.shape[1]) + self._backward(xT, B)
        p, g, t = self.p, self.g, self.pen_tmp
        if self.reg == "L2":  # t = 2 lambda W, the gradient; the penalty lambda ||W||^2 = (t . W) / 2
            calls += _ops((np.multiply, (p, self.mask, t), {}), (t.dot, (p, self.pen[i, ...]), {}))
        elif self.reg == "L1":  # t = lambda sign(W); the penalty lambda ||W||_1 = t . W
            calls += _ops((np.sign, (p, t), {}), (np.multiply, (t, self.mask, t), {}),
                          (t.dot, (p, self.pen[i, ...]), {}))  # fmt: skip
        if self.reg in ("L1", "L2"):
            calls += _ops((np.add, (g, t, g), {}))
        return calls + self.opt_ops

    def epoch(self, order: np.ndarray) -> tuple[float, float]:
        """One pass over the training set in this order: (mean cost over the batches as seen, last gradient norm)."""
        self.order[:] = order
        with np.errstate(all="ignore"):  # a diverging run overflows; the caller sees inf/nan and rewinds
            deque(map(operator.call, self.tape), 0)
            if self.k == 1:
                data = float(np.add.reduce(self.Ltrain, dtype=np.float64))
            else:
                data = float(example_losses(self.task, np.concatenate(self.outs, axis=1), self.Ys.T).sum(dtype=float))
            pen = float(np.dot(self.pen.astype(np.float64), self.sizes_b)) / (2 if self.reg == "L2" else 1)
            return (data + pen) / self.n, math.sqrt(float(np.dot(self.g, self.g)))

    def metrics(self) -> dict:
        """Train and test loss and accuracy (for regression: nan) after one forward pass over both sets."""
        with np.errstate(all="ignore"):
            deque(map(operator.call, self.eval_tape), 0)
            if self.k == 1:
                losses, right = self.L, self.hit
            else:
                losses = example_losses(self.task, self.Zall, self.Yall.T)
                right = self.Zall.argmax(axis=0) == self.Yall.argmax(axis=1)
        n, m = self.n, len(self.Xall) - self.n
        add = np.add.reduce
        out = {
            "train_loss": float(add(losses[:n], dtype=float)) / n,
            "test_loss": float(add(losses[n:], dtype=float)) / m,
        }
        if self.task == "regression":
            return out | {"train_acc": math.nan, "test_acc": math.nan}
        hits = np.count_nonzero(right[:n])
        return out | {"train_acc": float(hits / n), "test_acc": float((np.count_nonzero(right) - hits) / m)}

    def tensors(self) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """W and b per layer as torch tensors that share this engine's memory (no copies)."""
        return [torch.from_numpy(Wb[:-1]) for Wb in self.Wb], [torch.from_numpy(Wb[-1]) for Wb in self.Wb]


def supports(activations, device) -> bool:
    """Whether the fused path covers this net: every activation has a numpy version, and it trains on the CPU."""
    return torch.device(device).type == "cpu" and all(a in NP_ACTIVATIONS for a in activations)
