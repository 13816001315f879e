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
        ),
        Activation(
            "tanh",
            "Tanh",
            torch.tanh,
            lambda z: 1 - torch.tanh(z) ** 2,
            r"\tanh(z) = \frac{e^{2z} - 1}{e^{2z} + 1}",
            r"\tanh'(z) = 1 - \tanh^2(z)",
            "(-1, 1)",
        ),
        Activation(
            "relu",
            "ReLU",
            torch.relu,
            lambda z: (z > 0).to(z.dtype),
            r"\mathrm{ReLU}(z) = \max(0, z)",
            r"\mathrm{ReLU}'(z) = [z > 0]",
            "[0, ∞)",
        ),
        Activation(
            "leaky_relu",
            "Leaky ReLU",
            lambda z: torch.where(z > 0, z, LEAK * z),
            lambda z: torch.where(z > 0, torch.ones_like(z), torch.full_like(z, LEAK)),
            rf"\mathrm{{LReLU}}(z) = \max({LEAK}z, z)",
            rf"\mathrm{{LReLU}}'(z) = 1 \text{{ if }} z > 0 \text{{ else }} {LEAK}",
            "(-∞, ∞)",
        ),
        Activation(
            "softplus",
            "Softplus",
            torch.nn.functional.softplus,
            _sigmoid,
            r"\mathrm{softplus}(z) = \log(1 + e^{z})",
            r"\mathrm{softplus}'(z) = \sigma(z)",
            "(0, ∞)",
        ),
        Activation(
            "elu",
            "ELU",
            torch.nn.functional.elu,
            lambda z: torch.where(z > 0, torch.ones_like(z), torch.exp(z)),
            r"\mathrm{ELU}(z) = z \text{ if } z > 0 \text{ else } e^{z} - 1",
            r"\mathrm{ELU}'(z) = 1 \text{ if } z > 0 \text{ else } e^{z}",
            "(-1, ∞)",
        ),
        Activation(
            "gelu",
            "GELU",
            _gelu,
            _dgelu,
            r"\mathrm{GELU}(z) = z\,\Phi(z)",
            r"\mathrm{GELU}'(z) = \Phi(z) + z\,\varphi(z)",
            "(≈-0.17, ∞)",
        ),
        Activation("identity", "Identity (linear)", lambda z: z, torch.ones_like, r"g(z) = z", r"g'(z) = 1", "(-∞, ∞)"),
        Activation(
            "step",
            "Step",
            lambda z: (z >= 0).to(z.dtype),
            torch.zeros_like,
            r"g(z) = [z \ge 0]",
            r"g'(z) = 0 \;(z \ne 0)",
            "{0, 1}",
        ),
    )
}


def get(name: str) -> Activation:
    """Look an activation up by its URL name, with a message that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.") from None
