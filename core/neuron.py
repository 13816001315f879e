"""One neuron z = w·x + b, a = g(z): logistic regression and three classical cousins, fitted by gradient descent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.linear_model import LinearRegression, LogisticRegression

from core.activations import ACTIVATIONS
from core.training import Run


@dataclass(frozen=True)
class NeuronModel:
    key: str
    name: str
    activation: str  # registry name of g
    loss_name: str
    loss_latex: str  # L for one example, in the lecture's notation
    signed_labels: bool  # True: y in {-1, +1}; False: y in {0, 1}


MODELS: dict[str, NeuronModel] = {
    m.key: m
    for m in (
        NeuronModel(
            "logistic",
            "Logistic regression",
            "sigmoid",
            "binary cross-entropy",
            r"L = -\left[y \log \hat y + (1 - y) \log(1 - \hat y)\right]",
            False,
        ),
        NeuronModel("linear", "Linear regression", "identity", "squared error", r"L = (y - \hat y)^2", True),
        NeuronModel("perceptron", "Perceptron", "identity", "soft perceptron loss", r"L = \max(-y\,\hat y,\ 0)", True),
        NeuronModel("svm", "Linear SVM", "identity", "hinge loss", r"L = \max(1 - y\,\hat y,\ 0)", True),
    )
}


def log_odds_curves(x: np.ndarray, w: float, b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lecture's derivation as three curves over x: log-odds b + w x, odds e^(b + w x), p = sigma(b + w x)."""
    t = b + w * x
    return t, np.exp(np.clip(t, -700, 700)), 1 / (1 + np.exp(-np.clip(t, -700, 700)))


def targets(model: NeuronModel, y01: torch.Tensor) -> torch.Tensor:
    """Labels in the convention the model's loss expects."""
    return 2 * y01 - 1 if model.signed_labels else y01


def loss_and_dz(model: NeuronModel, z: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-example loss and its hand-derived derivative dL/dz (y already in the model's label convention)."""
    if model.key == "logistic":
        # BCE of sigmoid(z), written in z so it never takes log(0): L = log(1 + e^z) - y z.
        return torch.nn.functional.softplus(z) - y * z, torch.sigmoid(z) - y
    if model.key == "linear":
        return (y - z) ** 2, 2 * (z - y)
    margin = y * z
    if model.key == "perceptron":
        return torch.clamp(-margin, min=0), torch.where(margin < 0, -y, torch.zeros_like(y))
    return torch.clamp(1 - margin, min=0), torch.where(margin < 1, -y, torch.zeros_like(y))


def cost(model: NeuronModel, X: np.ndarray, y01: np.ndarray, w, b: float) -> float:
    """J(w, b): the mean loss over the data set."""
    X, y01, w = (torch.as_tensor(np.asarray(a, dtype=float)) for a in (X, y01, w))
    loss, _ = loss_and_dz(model, X @ w + float(b), targets(model, y01))
    return float(loss.mean())


def predict(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    """Class 1 exactly when z = w·x + b >= 0, which for the sigmoid is p >= 0.5."""
    return (X @ np.asarray(w) + b >= 0).astype(int)


class NeuronFit:
    """Full-batch gradient descent on one neuron, using the chain rule dL/dw = dL/dz · x by hand."""

    def __init__(self, model: NeuronModel, X: np.ndarray, y01: np.ndarray, w0, b0: float, lr: float, device="cpu"):
        self.model, self.lr = model, float(lr)
        self.X = torch.as_tensor(X, dtype=torch.float64, device=device)  # (N, 2)
        self.y = targets(model, torch.as_tensor(y01, dtype=torch.float64, device=device))  # (N,)
        self.w = torch.as_tensor(np.asarray(w0, dtype=float), dtype=torch.float64, device=device).clone()  # (2,)
        self.b = torch.tensor(float(b0), dtype=torch.float64, device=device)

    def gradients(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Cost J, dJ/dw (2,) and dJ/db at the current weights."""
        z = self.X @ self.w + self.b  # (N,)
        loss, dz = loss_and_dz(self.model, z, self.y)
        return loss.mean(), self.X.T @ dz / len(dz), dz.mean()

    def step(self) -> tuple[float, float]:
        J, dw, db = self.gradients()
        self.w -= self.lr * dw
        self.b -= self.lr * db
        return float(J), float(torch.sqrt(dw @ dw + db * db))

    def state(self) -> dict[str, torch.Tensor]:
        return {"w": self.w.clone(), "b": self.b.clone()}

    def load(self, state: dict[str, torch.Tensor]) -> None:
        self.w, self.b = state["w"].clone(), state["b"].clone()

    def weights(self) -> tuple[np.ndarray, float]:
        return self.w.cpu().numpy().copy(), float(self.b)


def reference_fit(model: NeuronModel, X: np.ndarray, y01: np.ndarray) -> tuple[np.ndarray, float] | None:
    """scikit-learn's answer for the same model, where it has one without extra regularisation."""
    if model.key == "logistic":
        ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=100_000).fit(X, y01)
        return ref.coef_[0].copy(), float(ref.intercept_[0])
    if model.key == "linear":
        ref = LinearRegression().fit(X, 2.0 * y01 - 1)
        return ref.coef_.copy(), float(ref.intercept_)
    return None


def activation_of(model: NeuronModel):
    """The activation g (from the shared registry) that turns z into the prediction y-hat."""
    return ACTIVATIONS[model.activation]


def output_map(model: NeuronModel, G: np.ndarray, w, b: float) -> np.ndarray:
    """What to paint over the plane: p = sigma(z) for logistic regression, the predicted class (z >= 0) otherwise."""
    z = G @ np.asarray(w, dtype=float) + float(b)  # (M,)
    if model.key == "logistic":
        return 1 / (1 + np.exp(-np.clip(z, -700, 700)))
    return (z >= 0).astype(float)


def accuracy(X: np.ndarray, y01: np.ndarray, w, b: float) -> float:
    """Share of points on the correct side of the line w·x + b = 0."""
    return float((predict(X, w, b) == y01).mean())


def smooth_lr(model: NeuronModel, X: np.ndarray) -> float:
    """The step 1/L, where L bounds the cost's curvature: safe for any data scale (a kinked loss gets a tenth)."""
    Xb = np.c_[X, np.ones(len(X))]  # (N, 3): the bias is a weight on a constant input
    lam = float(np.linalg.eigvalsh(Xb.T @ Xb / len(X))[-1])
    curvature = {"logistic": 0.25, "linear": 2.0}.get(model.key)
    return 1.0 / (curvature * lam) if curvature else 0.1 / lam


def fit(model: NeuronModel, X: np.ndarray, y01: np.ndarray, w0, b0: float, lr: float, max_steps: int = 20_000):
    """Run gradient descent to convergence (or the cap); return the finished fit and its run."""
    f = NeuronFit(model, X, y01, w0, b0, lr)
    run = Run(f, max_steps=max_steps)
    run.advance(n=max_steps)
    return f, run
