"""The course map: every lecture topic in order, with the page that teaches it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Topic:
    file: str  # path from the repository root
    title: str
    icon: str  # emoji, not :material: icons: those fetch fonts from the internet
    url: str
    promise: str  # what a student can do after the page
    minutes: int


SECTIONS: dict[str, list[Topic]] = {
    "Foundations": [
        Topic(
            "pages/neuron.py",
            "A neuron is logistic regression",
            "🧠",
            "neuron",
            "Read a neuron's weights as a straight decision line and fit them by gradient descent.",
            20,
        ),
        Topic(
            "pages/activations.py",
            "Activation functions",
            "〰️",
            "activations",
            "Tell what each non-linearity does to a network and to its gradients.",
            15,
        ),
        Topic(
            "pages/network.py",
            "Hidden layers",
            "🕸️",
            "network",
            "Build and train a network that bends its decision boundary, live.",
            25,
        ),
    ],
    "Training": [
        Topic(
            "pages/gradient_descent.py",
            "Gradient descent",
            "⛰️",
            "gradient_descent",
            "Do the lecture's descent by hand and feel what the learning rate does.",
            20,
        ),
        Topic(
            "pages/backprop.py",
            "Backpropagation",
            "🔗",
            "backprop",
            "Compute every gradient of a small network with the chain rule.",
            25,
        ),
    ],
    "Generalization": [
        Topic(
            "pages/overfitting.py",
            "Overfitting and regularization",
            "🎯",
            "overfitting",
            "See under- and over-fitting and the remedies that work.",
            20,
        ),
        Topic(
            "pages/dropout.py",
            "Dropout",
            "🎲",
            "dropout",
            "Watch thinned networks train and explain the 1/p scaling.",
            15,
        ),
    ],
    "Representation": [
        Topic(
            "pages/autoencoder.py",
            "Autoencoder latent space",
            "🗺️",
            "autoencoder",
            "Explore a latent space learned from handwritten digits.",
            20,
        ),
    ],
}


def available() -> dict[str, list[Topic]]:
    """Only the topics whose page exists: a missing page is never shown as a placeholder."""
    out = {name: [t for t in topics if (ROOT / t.file).exists()] for name, topics in SECTIONS.items()}
    return {name: topics for name, topics in out.items() if topics}
