"""Backpropagation by hand: a small network's forward pass, the chain rule node by node, and one SGD step.

Layers are numbered as in the lecture: a^(1) = x is the input layer, z^(l) and a^(l) = g(z^(l)) the later
ones, and the last one, a^(L) = y-hat, is one sigmoid unit. W^(l), b^(l) lead from layer l to layer l + 1.
Everything is float64, so the hand-computed chain rule can be checked against autograd to the last digit.
"""

# ruff: noqa: E741  (l is the lecture's layer index, as in z^(l))

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import torch

from core.activations import ACTIVATIONS, Activation

LOSSES = {"bce": "Cross-entropy", "squared": "Squared error"}
LOSS_LATEX = {
    "bce": r"J = -\left[\,y \log \hat y + (1 - y) \log(1 - \hat y)\,\right]",
    "squared": r"J = (y - \hat y)^2",
}
SLOPE_LATEX = {
    "bce": r"\frac{\partial J}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1 - y}{1 - \hat y}",
    "squared": r"\frac{\partial J}{\partial \hat y} = 2\,(\hat y - y)",
}
MAX_UNITS, MAX_HIDDEN = 3, 2
THETA = r"\theta"
# The worked example: small weights of both signs, so each hidden unit does something different.
EXAMPLE_W = (
    np.array([[0.5, -0.3], [-0.4, 0.6], [0.2, 0.7]]),  # inputs -> first hidden layer
    np.array([[0.3, -0.5, 0.4], [0.6, 0.2, -0.3], [-0.2, 0.4, 0.5]]),  # hidden -> hidden
    np.array([[0.8, -0.6, 0.5]]),  # last hidden layer -> output
)
EXAMPLE_B = (np.array([0.1, -0.2, 0.3]), np.array([0.1, -0.1, 0.2]), np.array([0.2]))
EXAMPLE_X, EXAMPLE_Y = (1.0, 0.5), 1


@dataclass(frozen=True, eq=False)
class Net:
    """2 inputs -> hidden layers -> 1 sigmoid output; W[l] (units in l + 1, units in l) and b[l] lead out of layer l."""

    W: dict[int, np.ndarray]
    b: dict[int, np.ndarray]
    act: str  # g of the hidden layers, a registry name; the output unit is always the sigmoid
    loss: str  # "bce" or "squared"

    @property
    def L(self) -> int:
        """Number of layers, the input layer included (the lecture's a^(1) = x)."""
        return len(self.W) + 1

    @property
    def sizes(self) -> dict[int, int]:
        return {1: self.W[1].shape[1], **{l + 1: W.shape[0] for l, W in self.W.items()}}

    def g(self, l: int) -> Activation:
        return ACTIVATIONS["sigmoid" if l == self.L else self.act]


def example_net(hidden: tuple[int, ...], act: str, loss: str) -> Net:
    """The worked example's weights, cut to the chosen layer sizes."""
    sizes = [2, *hidden, 1]
    tables = [*EXAMPLE_W[: len(hidden)], EXAMPLE_W[2]], [*EXAMPLE_B[: len(hidden)], EXAMPLE_B[2]]
    W = {l: tables[0][l - 1][: sizes[l], : sizes[l - 1]].copy() for l in range(1, len(sizes))}
    b = {l: tables[1][l - 1][: sizes[l]].copy() for l in range(1, len(sizes))}
    return Net(W, b, act, loss)


def random_net(hidden: tuple[int, ...], act: str, loss: str, seed: int) -> Net:
    """Weights drawn uniformly from [-1, 1] and rounded to two decimals, so a student can redo the sums."""
    rng = np.random.default_rng(seed)
    sizes = [2, *hidden, 1]
    W = {l: rng.uniform(-1, 1, (sizes[l], sizes[l - 1])).round(2) for l in range(1, len(sizes))}
    b = {l: rng.uniform(-1, 1, sizes[l]).round(2) for l in range(1, len(sizes))}
    return Net(W, b, act, loss)


def param_names(net: Net) -> list[str]:
    """Every weight and bias: w{l}_{j}{k} is w^(l)_jk, from unit k of layer l to unit j of layer l + 1."""
    names = []
    for l, W in net.W.items():
        names += [f"w{l}_{j + 1}{k + 1}" for j in range(W.shape[0]) for k in range(W.shape[1])]
        names += [f"b{l}_{j + 1}" for j in range(W.shape[0])]
    return names


def _parse(name: str) -> tuple[str, int, int, int]:
    """'w1_21' -> ('w', 1, 1, 0): kind, layer, zero-based j and k. Inputs 'x2' -> ('x', 1, 0, 1)."""
    if name[0] == "x":
        return "x", 1, 0, int(name[1:]) - 1
    kind, rest = name[0], name[1:]
    l, idx = rest.split("_")
    return kind, int(l), int(idx[0]) - 1, (int(idx[1]) - 1 if kind == "w" else 0)


def get_param(net: Net, name: str) -> float:
    kind, l, j, k = _parse(name)
    return float(net.W[l][j, k] if kind == "w" else net.b[l][j])


def with_params(net: Net, values: dict[str, float]) -> Net:
    """A copy of the network with some weights or biases replaced."""
    W = {l: w.copy() for l, w in net.W.items()}
    b = {l: v.copy() for l, v in net.b.items()}
    for name, v in values.items():
        kind, l, j, k = _parse(name)
        if kind == "w":
            W[l][j, k] = v
        else:
            b[l][j] = v
    return Net(W, b, net.act, net.loss)


def _apply(fn, z: np.ndarray) -> np.ndarray:
    """Run a registry function (written for torch) on float64 numbers."""
    return fn(torch.from_numpy(np.asarray(z, dtype=np.float64))).numpy().copy()


def loss_and_slope(loss: str, y_hat: float, y: float) -> tuple[float, float]:
    """J(y, y-hat) for one example and its slope dJ/dy-hat, as the lecture writes them."""
    if loss == "squared":
        return (y - y_hat) ** 2, 2 * (y_hat - y)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Terms whose factor is 0 are left out, so y = 1 never evaluates 0 * log(0).
        J = -(y * np.log(y_hat) if y else 0.0) - ((1 - y) * np.log(1 - y_hat) if y != 1 else 0.0)
        slope = -(y / np.float64(y_hat) if y else 0.0) + ((1 - y) / np.float64(1 - y_hat) if y != 1 else 0.0)
    return float(J), float(slope)


@dataclass(frozen=True, eq=False)
class Forward:
    z: dict[int, np.ndarray]  # z^(l) for l = 2..L
    a: dict[int, np.ndarray]  # a^(1) = x, ..., a^(L) = (y-hat,)
    J: float


def forward(net: Net, x, y: float) -> Forward:
    """The forward pass: z^(l) = W^(l-1) a^(l-1) + b^(l-1), a^(l) = g(z^(l)), then the loss."""
    a = {1: np.asarray(x, dtype=np.float64)}
    z = {}
    for l in range(2, net.L + 1):
        z[l] = net.W[l - 1] @ a[l - 1] + net.b[l - 1]  # (units in l,)
        a[l] = _apply(net.g(l).g, z[l])
    return Forward(z, a, loss_and_slope(net.loss, float(a[net.L][0]), y)[0])


@dataclass(frozen=True, eq=False)
class Backward:
    dJ_da: dict[int, np.ndarray]  # dJ/da^(l) for every layer, the inputs included
    dJ_dz: dict[int, np.ndarray]  # dJ/dz^(l), the "delta" of layer l
    dg: dict[int, np.ndarray]  # the local derivatives da^(l)/dz^(l) = g'(z^(l))
    dJ_dW: dict[int, np.ndarray]
    dJ_db: dict[int, np.ndarray]


def backward(net: Net, fwd: Forward, y: float) -> Backward:
    """The chain rule from the loss back to the inputs, one node at a time: each step multiplies by a local slope."""
    L = net.L
    dJ_da = {L: np.array([loss_and_slope(net.loss, float(fwd.a[L][0]), y)[1]])}
    dJ_dz, dg, dJ_dW, dJ_db = {}, {}, {}, {}
    for l in range(L, 1, -1):
        n, m, W, a_in = net.sizes[l], net.sizes[l - 1], net.W[l - 1], fwd.a[l - 1]
        dg[l] = _apply(net.g(l).dg, fwd.z[l])
        # a_j = g(z_j): dJ/dz_j = dJ/da_j * da_j/dz_j
        dJ_dz[l] = np.array([dJ_da[l][j] * dg[l][j] for j in range(n)])
        # z_j = sum_k w_jk a_k + b_j: dz_j/dw_jk = a_k and dz_j/db_j = 1
        dJ_dW[l - 1] = np.array([[dJ_dz[l][j] * a_in[k] for k in range(m)] for j in range(n)])
        dJ_db[l - 1] = np.array([dJ_dz[l][j] * 1.0 for j in range(n)])
        # dz_j/da_k = w_jk; a_k feeds every z_j of the next layer, so its gradient sums over those edges
        dJ_da[l - 1] = np.array([sum(dJ_dz[l][j] * W[j, k] for j in range(n)) for k in range(m)])
    return Backward(dJ_da, dJ_dz, dg, dJ_dW, dJ_db)


def matrix_backward(net: Net, fwd: Forward, y: float) -> tuple[dict, dict, dict]:
    """The same pass a layer at a time: delta^(l) = W^(l)T delta^(l+1) * g'(z^(l)), dJ/dW^(l) = delta^(l+1) a^(l)T."""
    L = net.L
    slope = loss_and_slope(net.loss, float(fwd.a[L][0]), y)[1]
    delta = {L: slope * _apply(net.g(L).dg, fwd.z[L])}  # (1,)
    for l in range(L - 1, 1, -1):
        delta[l] = (net.W[l].T @ delta[l + 1]) * _apply(net.g(l).dg, fwd.z[l])  # (units in l,)
    dW = {l: np.outer(delta[l + 1], fwd.a[l]) for l in range(1, L)}
    db = {l: delta[l + 1].copy() for l in range(1, L)}
    return delta, dW, db


def _vec(v: np.ndarray) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(val(x) for x in v) + r"\end{bmatrix}"


def _mat(M: np.ndarray) -> str:
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(val(x) for x in row) for row in M) + r"\end{bmatrix}"


def matrix_latex(net: Net, fwd: Forward, y: float) -> list[str]:
    """The matrix form with this example's numbers: one line per delta, then the weight gradients."""
    delta, dW, db = matrix_backward(net, fwd, y)
    L = net.L
    slope = np.array([loss_and_slope(net.loss, float(fwd.a[L][0]), y)[1]])
    lines = [
        rf"\delta^{{({L})}} = {d('J', f'a^{{({L})}}')} \odot \sigma'(z^{{({L})}}) = "
        rf"{_vec(slope)} \odot {_vec(_apply(net.g(L).dg, fwd.z[L]))} = {_vec(delta[L])}"
    ]
    for l in range(L - 1, 1, -1):
        g = g_name(net.act)
        lines.append(
            rf"\delta^{{({l})}} = (W^{{({l})}})^{{\top}} \delta^{{({l + 1})}} \odot {g}'(z^{{({l})}}) = "
            rf"{_mat(net.W[l].T)} {_vec(delta[l + 1])} \odot {_vec(_apply(net.g(l).dg, fwd.z[l]))} = {_vec(delta[l])}"
        )
    for l in range(L - 1, 0, -1):
        lines.append(
            rf"{d('J', f'W^{{({l})}}')} = \delta^{{({l + 1})}} \, (a^{{({l})}})^{{\top}} = "
            rf"{_vec(delta[l + 1])} {_mat(fwd.a[l][None, :])} = {_mat(dW[l])}"
        )
        lines.append(rf"{d('J', f'b^{{({l})}}')} = \delta^{{({l + 1})}} = {_vec(db[l])}")
    return lines


def gradients(net: Net, bwd: Backward) -> dict[str, float]:
    """dJ/d(every weight and bias), then dJ/dx1 and dJ/dx2, by name."""
    out = {name: _lookup(bwd.dJ_dW, bwd.dJ_db, name) for name in param_names(net)}
    return out | {f"x{k + 1}": float(v) for k, v in enumerate(bwd.dJ_da[1])}


def _lookup(W: dict, b: dict, name: str) -> float:
    kind, l, j, k = _parse(name)
    return float(W[l][j, k] if kind == "w" else b[l][j])


def autograd_gradients(net: Net, x, y: float) -> dict[str, float]:
    """The oracle: torch autograd through the same network built from torch's own ops and losses."""
    W = {l: torch.tensor(w, dtype=torch.float64, requires_grad=True) for l, w in net.W.items()}
    b = {l: torch.tensor(v, dtype=torch.float64, requires_grad=True) for l, v in net.b.items()}
    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    a = xt
    for l in range(1, net.L):
        z = W[l] @ a + b[l]
        a = torch.sigmoid(z) if l + 1 == net.L else ACTIVATIONS[net.act].g(z)
    target = torch.tensor([float(y)], dtype=torch.float64)
    J = torch.nn.functional.binary_cross_entropy(a, target) if net.loss == "bce" else ((a - target) ** 2).sum()
    leaves = [*W.values(), *b.values(), xt]
    grads = torch.autograd.grad(J, leaves, allow_unused=True, materialize_grads=True)
    gW, gb = dict(zip(W, grads[: len(W)], strict=True)), dict(zip(b, grads[len(W) : 2 * len(W)], strict=True))
    out = {name: _lookup(gW, gb, name) for name in param_names(net)}
    return out | {f"x{k + 1}": float(v) for k, v in enumerate(grads[-1])}


def loss_at(net: Net, x, y: float) -> float:
    return forward(net, x, y).J


def finite_differences(net: Net, x, y: float, eps: float = 1e-6) -> dict[str, float]:
    """Central differences (J(theta + eps) - J(theta - eps)) / 2 eps: needs only the forward pass."""
    out = {}
    for name in param_names(net):
        v = get_param(net, name)
        up, down = (loss_at(with_params(net, {name: v + s}), x, y) for s in (eps, -eps))
        out[name] = (up - down) / (2 * eps)
    for k in range(2):
        xs = [np.asarray(x, dtype=np.float64).copy() for _ in range(2)]
        xs[0][k] += eps
        xs[1][k] -= eps
        out[f"x{k + 1}"] = (loss_at(net, xs[0], y) - loss_at(net, xs[1], y)) / (2 * eps)
    return out


def sgd_step(net: Net, grads: dict[str, float], alpha: float) -> Net:
    """theta <- theta - alpha * dJ/dtheta for every weight and bias."""
    return with_params(net, {n: get_param(net, n) - alpha * grads[n] for n in param_names(net)})


def torch_sgd_step(net: Net, x, y: float, alpha: float) -> Net:
    """The same update done by torch.optim.SGD on a torch copy of the network."""
    W = {l: torch.tensor(w, dtype=torch.float64, requires_grad=True) for l, w in net.W.items()}
    b = {l: torch.tensor(v, dtype=torch.float64, requires_grad=True) for l, v in net.b.items()}
    opt = torch.optim.SGD([*W.values(), *b.values()], lr=alpha)
    a = torch.tensor(np.asarray(x, dtype=np.float64))
    for l in range(1, net.L):
        z = W[l] @ a + b[l]
        a = torch.sigmoid(z) if l + 1 == net.L else ACTIVATIONS[net.act].g(z)
    target = torch.tensor([float(y)], dtype=torch.float64)
    J = torch.nn.functional.binary_cross_entropy(a, target) if net.loss == "bce" else ((a - target) ** 2).sum()
    opt.zero_grad()
    J.backward()
    opt.step()
    return Net(
        {l: w.detach().numpy().copy() for l, w in W.items()},
        {l: v.detach().numpy().copy() for l, v in b.items()},
        net.act,
        net.loss,
    )


def node_latex(net: Net, kind: str, l: int, j: int) -> str:
    """z^(l)_j or a^(l)_j; inputs are x_k; a layer of one unit drops the subscript, as the lecture does."""
    if kind == "a" and l == 1:
        return f"x_{j + 1}"
    return f"{kind}^{{({l})}}" + (f"_{j + 1}" if net.sizes[l] > 1 else "")


def param_latex(name: str) -> str:
    kind, l, j, k = _parse(name)
    return {"x": f"x_{k + 1}", "w": f"w^{{({l})}}_{{{j + 1}{k + 1}}}", "b": f"b^{{({l})}}_{j + 1}"}[kind]


def param_label(name: str) -> str:
    """A plain-text name for menus and tables, e.g. w(1)12."""
    kind, l, j, k = _parse(name)
    return {"x": f"x{k + 1}", "w": f"w({l}){j + 1}{k + 1}", "b": f"b({l}){j + 1}"}[kind]


def val(v: float) -> str:
    """Four decimals; a value that rounds to zero shows as 0.0000, never -0.0000."""
    return f"{round(float(v), 4) + 0.0:.4f}"


def num(v: float) -> str:
    """A number ready to be multiplied: four decimals, negative ones in brackets."""
    return f"({val(v)})" if val(v).startswith("-") else val(v)


def d(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def g_name(act: str) -> str:
    """The activation's symbol, e.g. \\sigma or \\mathrm{ReLU}, read from its registry formula."""
    head = ACTIVATIONS[act].latex.split("(z)")[0]
    return head if "=" not in head else "g"


@dataclass(frozen=True)
class Factor:
    symbol: str  # e.g. \frac{\partial a^{(3)}}{\partial z^{(3)}}
    meaning: str  # what the local derivative is, e.g. \sigma'(z^{(3)})
    value: float


def ledger(net: Net, fwd: Forward, bwd: Backward, name: str) -> list[list[Factor]]:
    """dJ/d(name) as paths from the loss back to it; each path is a list of local derivatives to multiply."""
    kind, l, j, k = _parse(name)
    L = net.L
    start = 2 if kind == "x" else l + 1  # the layer whose z the parameter (or input) feeds
    first = range(net.sizes[start]) if kind == "x" else [j]
    layers = range(start, L + 1)
    choices = [first if m == start else range(net.sizes[m]) for m in layers]
    paths = []
    for units in itertools.product(*choices):
        u = dict(zip(layers, units, strict=True))  # the unit the path passes through in each layer
        path = [Factor(d("J", node_latex(net, "a", L, 0)), r"J'(\hat y)", float(bwd.dJ_da[L][0]))]
        for m in range(L, start - 1, -1):
            a_m, z_m = node_latex(net, "a", m, u[m]), node_latex(net, "z", m, u[m])
            path.append(Factor(d(a_m, z_m), f"{g_name(net.g(m).name)}'({z_m})", float(bwd.dg[m][u[m]])))
            if m > start:
                a_prev = node_latex(net, "a", m - 1, u[m - 1])
                w = f"w{m - 1}_{u[m] + 1}{u[m - 1] + 1}"
                path.append(Factor(d(z_m, a_prev), param_latex(w), get_param(net, w)))
        z_s = node_latex(net, "z", start, u[start])
        if kind == "w":
            path.append(Factor(d(z_s, param_latex(name)), node_latex(net, "a", l, k), float(fwd.a[l][k])))
        elif kind == "b":
            path.append(Factor(d(z_s, param_latex(name)), "1", 1.0))
        else:
            w = f"w1_{u[start] + 1}{k + 1}"
            path.append(Factor(d(z_s, param_latex(name)), param_latex(w), get_param(net, w)))
        paths.append(path)
    return paths


def path_value(path: list[Factor]) -> float:
    return float(np.prod([f.value for f in path]))


def _known(f: Factor) -> str:
    """What a local derivative is and its value, e.g. w^{(2)}_{11} = 0.8000 (a constant 1 is just 1)."""
    return f.meaning if f.meaning == "1" else rf"{f.meaning} \,=\, {val(f.value)}"


def ledger_latex(name: str, paths: list[list[Factor]]) -> list[str]:
    """One line per path: the local derivatives with their meaning and value beneath, then the sum over paths."""
    lhs = d("J", param_latex(name))
    lines = []
    for i, path in enumerate(paths):
        braces = [rf"\underbrace{{{f.symbol}}}_{{{_known(f)}}}" for f in path]
        # More than five factors do not fit across the page: the rest continue on a second row.
        body = r" \cdot ".join(braces[:5] if len(braces) <= 5 else braces[:4])
        more = "" if len(braces) <= 5 else r" \cdot \\[4pt] \cdot " + r" \cdot ".join(braces[4:])
        if len(paths) > 1:  # the path's product sits under its name
            head = rf"\underset{{=\,{val(path_value(path))}}}{{\text{{path {i + 1}}}}}:\quad"
            lines.append(rf"\begin{{gathered}}{head} {body}{more}\end{{gathered}}")
        else:
            lines.append(rf"\begin{{gathered}}{lhs} = {body}{more} = {val(path_value(path))}\end{{gathered}}")
    if len(paths) > 1:
        values = [path_value(p) for p in paths]
        terms = " + ".join(num(v) for v in values)
        wrap = r" \\[4pt] " if len(values) > 5 else ""
        lines.append(
            rf"\begin{{gathered}}{lhs} = \sum_{{\text{{paths}}}} = {wrap}{terms} = {val(sum(values))}\end{{gathered}}"
        )
    return lines


@dataclass(frozen=True)
class Step:
    phase: str  # input | forward | loss | backward | update
    title: str
    node: str  # the node being computed, e.g. "z2_1", "a3_1" or "J"
    edges: tuple[str, ...]  # the weights whose edges take part
    latex: tuple[str, ...]  # the formula in symbols, then with this example's numbers
    reveals: tuple[str, ...]  # what becomes known: "v:z2_1" a value, "g:z2_1" or "g:w1_11" a gradient, "new"


@dataclass(frozen=True, eq=False)
class Pass:
    """Everything the page shows for one network, example and learning rate."""

    net: Net
    x: np.ndarray
    y: float
    alpha: float
    fwd: Forward
    bwd: Backward
    hand: dict[str, float]
    autograd: dict[str, float]
    numeric: dict[str, float]
    new: Net
    new_J: float
    torch_new: Net
    steps: list[Step]


def walk(net: Net, x, y: float, alpha: float) -> Pass:
    """Run forward, backward, the oracles and the update, and write every node's step."""
    x = np.asarray(x, dtype=np.float64)
    fwd = forward(net, x, y)
    bwd = backward(net, fwd, y)
    hand = gradients(net, bwd)
    new = sgd_step(net, hand, alpha)
    new_J = loss_at(new, x, y)
    steps = _steps(net, fwd, bwd, y, alpha, new, new_J)
    return Pass(
        net,
        x,
        y,
        alpha,
        fwd,
        bwd,
        hand,
        autograd_gradients(net, x, y),
        finite_differences(net, x, y),
        new,
        new_J,
        torch_sgd_step(net, x, y, alpha),
        steps,
    )


def _steps(net: Net, fwd: Forward, bwd: Backward, y: float, alpha: float, new: Net, new_J: float) -> list[Step]:
    xs = ", ".join(f"x_{k + 1} = {val(v)}" for k, v in enumerate(fwd.a[1]))
    first = Step("input", "The example goes in", "a1_1", (), (xs + rf",\quad y = {y:g}",), ("v:a1_1", "v:a1_2"))
    return [
        first,
        *_forward_steps(net, fwd, y),
        *_backward_steps(net, fwd, bwd, y),
        _update_step(net, fwd, bwd, alpha, new, new_J),
    ]


def _unit(net: Net, l: int, j: int) -> str:
    return "the output unit" if l == net.L else f"hidden layer {l - 1}, unit {j + 1}"


def _local_slope(net: Net, l: int, j: int) -> str:
    """The registry's g'(z) with this node's z put in, e.g. \\sigma'(z^{(2)}_1) = \\sigma(z^{(2)}_1)(1 - ...)."""
    z = node_latex(net, "z", l, j)
    return re.sub(r"(?<![A-Za-z\\])z(?![A-Za-z])", lambda _: z, net.g(l).dlatex)


def _forward_steps(net: Net, fwd: Forward, y: float) -> list[Step]:
    out = []
    for l in range(2, net.L + 1):
        for j in range(net.sizes[l]):
            A = [node_latex(net, "a", l - 1, k) for k in range(net.sizes[l - 1])]
            Z, g = node_latex(net, "z", l, j), g_name(net.g(l).name)
            ws = [f"w{l - 1}_{j + 1}{k + 1}" for k in range(net.sizes[l - 1])]
            b = f"b{l - 1}_{j + 1}"
            sym = " + ".join(rf"{param_latex(w)}\,{A[k]}" for k, w in enumerate(ws))
            nums = " + ".join(rf"{num(get_param(net, w))} \cdot {num(fwd.a[l - 1][k])}" for k, w in enumerate(ws))
            lines = (rf"{Z} = {sym} + {param_latex(b)}", rf"= {nums} + {num(get_param(net, b))} = {val(fwd.z[l][j])}")
            out.append(
                Step(
                    "forward",
                    f"Forward · {_unit(net, l, j)}: weighted sum",
                    f"z{l}_{j + 1}",
                    tuple(ws),
                    lines,
                    (f"v:z{l}_{j + 1}",),
                )
            )
            a = node_latex(net, "a", l, j) + (r" = \hat y" if l == net.L else "")
            line = rf"{a} = {g}({Z}) = {g}({val(fwd.z[l][j])}) = {val(fwd.a[l][j])}"
            out.append(
                Step(
                    "forward",
                    f"Forward · {_unit(net, l, j)}: activation",
                    f"a{l}_{j + 1}",
                    (),
                    (line,),
                    (f"v:a{l}_{j + 1}",),
                )
            )
    y_hat = float(fwd.a[net.L][0])
    if net.loss == "bce":
        nums = rf"= -\left[{y:g} \log {num(y_hat)} + {1 - y:g} \log(1 - {num(y_hat)})\right] = {val(fwd.J)}"
    else:
        nums = rf"= ({y:g} - {num(y_hat)})^2 = {val(fwd.J)}"
    return [
        *out,
        Step("loss", "The loss: how wrong is the prediction?", "J", (), (LOSS_LATEX[net.loss], nums), ("v:J",)),
    ]


def _backward_steps(net: Net, fwd: Forward, bwd: Backward, y: float) -> list[Step]:
    L, A, Z = net.L, (lambda l, j: node_latex(net, "a", l, j)), (lambda l, j: node_latex(net, "z", l, j))
    y_hat, slope = float(fwd.a[L][0]), float(bwd.dJ_da[L][0])
    if net.loss == "bce":
        nums = rf"= -\frac{{{y:g}}}{{{num(y_hat)}}} + \frac{{{1 - y:g}}}{{1 - {num(y_hat)}}} = {val(slope)}"
    else:
        nums = rf"= 2\,({num(y_hat)} - {y:g}) = {val(slope)}"
    out = [
        Step(
            "backward", "Backward · the slope of the loss", f"a{L}_1", (), (SLOPE_LATEX[net.loss], nums), (f"g:a{L}_1",)
        )
    ]
    for l in range(L, 1, -1):
        for k in range(net.sizes[l]) if l < L else ():
            nxt = range(net.sizes[l + 1])
            ws = tuple(f"w{l}_{j + 1}{k + 1}" for j in nxt)
            sym = " + ".join(rf"{d('J', Z(l + 1, j))}\,{param_latex(w)}" for j, w in zip(nxt, ws, strict=True))
            nums = " + ".join(rf"{num(bwd.dJ_dz[l + 1][j])} \cdot {num(net.W[l][j, k])}" for j in nxt)
            lines = (rf"{d('J', A(l, k))} = {sym}", rf"= {nums} = {val(bwd.dJ_da[l][k])}")
            title = f"Backward · {_unit(net, l, k)}: add up what comes back along its edges"
            out.append(Step("backward", title, f"a{l}_{k + 1}", ws, lines, (f"g:a{l}_{k + 1}",)))
        for j in range(net.sizes[l]):
            g = g_name(net.g(l).name)
            lines = (
                rf"{d('J', Z(l, j))} = {d('J', A(l, j))} \cdot {d(A(l, j), Z(l, j))}, \qquad {_local_slope(net, l, j)}",
                rf"= {num(bwd.dJ_da[l][j])} \cdot {g}'({val(fwd.z[l][j])}) = {num(bwd.dJ_da[l][j])} \cdot "
                rf"{num(bwd.dg[l][j])} = {val(bwd.dJ_dz[l][j])}",
            )
            title = f"Backward · {_unit(net, l, j)}: back through the activation"
            out.append(Step("backward", title, f"z{l}_{j + 1}", (), lines, (f"g:z{l}_{j + 1}",)))
            ws = tuple(f"w{l - 1}_{j + 1}{k + 1}" for k in range(net.sizes[l - 1]))
            b = f"b{l - 1}_{j + 1}"
            lines = tuple(
                rf"{d('J', param_latex(w))} = {d('J', Z(l, j))} \cdot {A(l - 1, k)} = "
                rf"{num(bwd.dJ_dz[l][j])} \cdot {num(fwd.a[l - 1][k])} = {val(bwd.dJ_dW[l - 1][j, k])}"
                for k, w in enumerate(ws)
            ) + (rf"{d('J', param_latex(b))} = {d('J', Z(l, j))} \cdot 1 = {val(bwd.dJ_db[l - 1][j])}",)
            title = f"Backward · the weights into {_unit(net, l, j)}"
            out.append(Step("backward", title, f"z{l}_{j + 1}", ws, lines, tuple(f"g:{n}" for n in (*ws, b))))
    return out


def _update_step(net: Net, fwd: Forward, bwd: Backward, alpha: float, new: Net, new_J: float) -> Step:
    names = param_names(net)
    # Up to nine lines fit beside the graph; bigger networks show the output layer here, the rest in a table.
    shown = names if len(names) <= 9 else [n for n in names if _parse(n)[1] == net.L - 1]
    lines = [
        rf"{param_latex(n)} \leftarrow {num(get_param(net, n))} - {alpha:g} \cdot "
        rf"{num(_lookup(bwd.dJ_dW, bwd.dJ_db, n))} = {val(get_param(new, n))}"
        for n in shown
    ]
    if len(shown) < len(names):
        lines.append(r"\text{(the other layers: in the update table below)}")
    return Step(
        "update",
        "Update every weight, then the new loss",
        "J",
        tuple(n for n in names if n[0] == "w"),
        (
            rf"\theta \leftarrow \theta - \alpha \, {d('J', THETA)}, \qquad \alpha = {alpha:g}",
            *lines,
            rf"J:\; {val(fwd.J)} \;\to\; {val(new_J)} \quad \text{{(forward pass again, new weights)}}",
        ),
        ("new",),
    )


def gradient_table(p: Pass) -> dict[str, list]:
    """Every gradient three ways, with the differences, one row per weight, bias and input."""
    names = list(p.hand)
    return {
        "gradient of": [param_label(n) for n in names],
        "chain rule (hand)": [p.hand[n] for n in names],
        "torch autograd": [p.autograd[n] for n in names],
        "finite difference": [p.numeric[n] for n in names],
        "|hand − autograd|": [abs(p.hand[n] - p.autograd[n]) for n in names],
        "|hand − finite diff.|": [abs(p.hand[n] - p.numeric[n]) for n in names],
    }


def update_table(p: Pass) -> dict[str, list]:
    """The update of every parameter by hand and by torch.optim.SGD."""
    names = param_names(p.net)
    return {
        "parameter": [param_label(n) for n in names],
        "θ before": [get_param(p.net, n) for n in names],
        "∂J/∂θ": [p.hand[n] for n in names],
        "θ − α ∂J/∂θ (hand)": [get_param(p.new, n) for n in names],
        "torch.optim.SGD": [get_param(p.torch_new, n) for n in names],
        "difference": [get_param(p.new, n) - get_param(p.torch_new, n) for n in names],
    }


def revealed(steps: list[Step], k: int) -> set[str]:
    """Everything known after step k."""
    return {r for s in steps[: k + 1] for r in s.reveals}


def chain_gradients(act: str, depth: int, w: float, x: float = 0.5) -> np.ndarray:
    """|da^(D)/dz^(l)| for l = 1..D along a chain of single units z^(l) = w a^(l-1), a^(l) = g(z^(l))."""
    g = ACTIVATIONS[act]
    z = np.empty(depth)
    a = x
    for l in range(depth):
        z[l] = w * a
        a = float(_apply(g.g, z[l : l + 1])[0])
    local = _apply(g.dg, z)  # g'(z^(l)) for every layer
    out = np.empty(depth)
    running = 1.0
    for l in range(depth - 1, -1, -1):
        running *= local[l]  # times da^(l)/dz^(l)
        out[l] = abs(running)
        running *= w  # times dz^(l)/da^(l-1) = w, to continue one layer further back
    return out
