"""Activation registry: each name maps to g, its derivative g' and their LaTeX, as the lecture writes them."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

Fn = Callable[[torch.Tensor], torch.Tensor]
LEAK = 0.01  # leaky ReLU slope for z < 0


@dataclass(frozen=True)
class Activation:
    name: str
    label: str  # what a student reads in a menu
    g: Fn  # a = g(z)
    dg: Fn  # g'(z), written by hand; tests compare it with autograd
    latex: str
    dlatex: str
    out_range: str
    since: str = ""  # when it entered common use, for the history note
    role: str = ""  # where practitioners put it today


def _sigmoid(z):
    return torch.sigmoid(z)


def _dsigmoid(z):
    s = torch.sigmoid(z)
    return s * (1 - s)


def _gelu(z):
    return z * 0.5 * (1 + torch.erf(z / math.sqrt(2)))


def _dgelu(z):
    cdf = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
    pdf = torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return cdf + z * pdf


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            "Sigmoid",
            _sigmoid,
            _dsigmoid,
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
            "(0, 1)",
            "1986–2010: hidden layers in the backpropagation era",
            "output of a binary classifier (a probability); gates in LSTMs",
        ),
        Activation(
            "tanh",
            "Tanh",
            torch.tanh,
            lambda z: 1 - torch.tanh(z) ** 2,
            r"\tanh(z) = \frac{e^{2z} - 1}{e^{2z} + 1}",
            r"\tanh'(z) = 1 - \tanh^2(z)",
            "(-1, 1)",
            "1986–2010: hidden layers, preferred to σ for being zero-centred",
            "state of recurrent networks (RNN, LSTM)",
        ),
        Activation(
            "relu",
            "ReLU",
            torch.relu,
            lambda z: (z > 0).to(z.dtype),
            r"\mathrm{ReLU}(z) = \max(0, z)",
            r"\mathrm{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
            "[0, ∞)",
            "2010 (Nair & Hinton; Glorot et al. 2011; AlexNet 2012)",
            "hidden layers: the default choice",
        ),
        Activation(
            "leaky_relu",
            "Leaky ReLU",
            lambda z: torch.where(z > 0, z, LEAK * z),
            lambda z: torch.where(z > 0, torch.ones_like(z), torch.full_like(z, LEAK)),
            rf"\mathrm{{LReLU}}(z) = \max({LEAK}z, z)",
            rf"\mathrm{{LReLU}}'(z) = \begin{{cases}} 1 & z > 0 \\ {LEAK} & z \le 0 \end{{cases}}",
            "(-∞, ∞)",
            "2013 (Maas, Hannun & Ng)",
            "hidden layers, when too many ReLUs die",
        ),
        Activation(
            "softplus",
            "Softplus",
            torch.nn.functional.softplus,
            _sigmoid,
            r"\mathrm{softplus}(z) = \log(1 + e^{z})",
            r"\mathrm{softplus}'(z) = \sigma(z)",
            "(0, ∞)",
            "2001 (Dugas et al.); a smooth ReLU",
            "outputs that must be positive (a rate, a variance)",
        ),
        Activation(
            "elu",
            "ELU",
            torch.nn.functional.elu,
            lambda z: torch.where(z > 0, torch.ones_like(z), torch.exp(z)),
            r"\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ e^{z} - 1 & z \le 0 \end{cases}",
            r"\mathrm{ELU}'(z) = \begin{cases} 1 & z > 0 \\ e^{z} & z \le 0 \end{cases}",
            "(-1, ∞)",
            "2015 (Clevert, Unterthiner & Hochreiter)",
            "hidden layers; its negative side pulls the mean output towards 0",
        ),
        Activation(
            "gelu",
            "GELU",
            _gelu,
            _dgelu,
            r"\mathrm{GELU}(z) = z\,\Phi(z)",
            r"\mathrm{GELU}'(z) = \Phi(z) + z\,\varphi(z)",
            "(≈-0.17, ∞)",
            "2016 (Hendrycks & Gimpel)",
            "hidden layers of transformers (BERT, GPT)",
        ),
        Activation(
            "identity",
            "Identity (linear)",
            lambda z: z,
            torch.ones_like,
            r"g(z) = z",
            r"g'(z) = 1",
            "(-∞, ∞)",
            "from the start: the 'no activation' choice",
            "output of a regression",
        ),
        Activation(
            "step",
            "Step",
            lambda z: (z >= 0).to(z.dtype),
            torch.zeros_like,
            r"g(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}",
            r"g'(z) = 0 \quad (z \ne 0)",
            "{0, 1}",
            "1943–1960s: McCulloch–Pitts neurons, Rosenblatt's perceptron",
            "history: g' = 0, so gradient descent cannot train it",
        ),
    )
}


FLAT = 0.01  # g'(z) below this counts as flat: a gradient passing through shrinks at least 100-fold


def flat_regions(act: Activation, eps: float = FLAT, lo: float = -10.0, hi: float = 10.0) -> list[tuple[float, float]]:
    """The intervals of [lo, hi] where |g'(z)| < eps: where the unit passes almost no gradient back."""
    z = torch.linspace(lo, hi, 20_001, dtype=torch.float64)  # steps of 0.001
    flat = (act.dg(z).abs() < eps).tolist()
    edges = [i for i in range(1, len(flat)) if flat[i] != flat[i - 1]]
    # An interval ends halfway between its last flat point and the next one, so edges are exact to 0.0005.
    cuts = [lo] + [float(z[i - 1] + z[i]) / 2 for i in edges] + [hi]
    return [(a, b) for a, b, f in zip(cuts[:-1], cuts[1:], [flat[0]] + [flat[i] for i in edges], strict=True) if f]


def describe_flat(regions: list[tuple[float, float]], lo: float = -10.0, hi: float = 10.0) -> str:
    """Flat regions in words, e.g. 'z < −4.58 and z > 4.58'; the window's ends stand for ±∞."""
    if not regions:
        return "nowhere"
    if regions[0] == (lo, hi):
        return "everywhere"
    num = lambda t: f"{round(t, 2) + 0.0:.2f}".rstrip("0").rstrip(".").replace("-", "−")  # + 0.0: no −0
    parts = [
        f"z < {num(b)}" if a == lo else f"z > {num(a)}" if b == hi else f"{num(a)} < z < {num(b)}" for a, b in regions
    ]
    return " and ".join(parts)


def max_slope(act: Activation, lo: float = -10.0, hi: float = 10.0) -> float:
    """The largest g'(z) on [lo, hi]: at most 1/4 for the sigmoid, the root of the vanishing gradient."""
    return float(act.dg(torch.linspace(lo, hi, 20_001, dtype=torch.float64)).max())


def get(name: str) -> Activation:
    """Look an activation up by its URL name, with a message that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.") from None
