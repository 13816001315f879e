"""Weight penalties on a linear model with many features: L1 (lasso), L2 (ridge) and the elastic net between them.

The cost is scikit-learn's ElasticNet objective, term for term:
    J(w, b) = 1/(2n) ||y - b - X w||^2 + lambda * (rho ||w||_1 + (1 - rho)/2 ||w||_2^2)
solved by proximal gradient descent, whose soft threshold is what sets weights to exactly zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import ElasticNet, Lasso, Ridge

N_FEATURES = 20
TRUE_W = (3.0, -2.0, 1.5, 0.0, 0.0, 1.0)  # the first features matter, every other one is noise
LOG_LAMBDAS = np.round(np.arange(-3.0, 1.0001, 0.1), 1)  # the slider's values, log10 lambda
MAX_ITER, TOL = 50_000, 1e-13


@dataclass(frozen=True)
class Regression:
    X: np.ndarray  # (n, p) training features
    y: np.ndarray  # (n,)
    X_val: np.ndarray  # (m, p) fresh points from the same source
    y_val: np.ndarray  # (m,)
    w_true: np.ndarray  # (p,) the coefficients that made y


def make_regression(n: int = 40, p: int = N_FEATURES, noise: float = 1.5, seed: int = 0, n_val: int = 500):
    """y = X w_true + noise, features correlated 0.5 with their neighbours (as real measurements often are)."""
    rng = np.random.default_rng(seed)
    w = np.zeros(p)
    w[: len(TRUE_W)] = TRUE_W[:p]
    cov = 0.5 ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))  # (p, p)
    chol = np.linalg.cholesky(cov)
    X, X_val = rng.normal(size=(n, p)) @ chol.T, rng.normal(size=(n_val, p)) @ chol.T
    y, y_val = X @ w + noise * rng.normal(size=n), X_val @ w + noise * rng.normal(size=n_val)
    return Regression(X, y, X_val, y_val, w)


def cost(X, y, w, b, lam: float, rho: float) -> float:
    """The elastic-net cost J(w, b) above."""
    r = y - b - X @ w
    return float(r @ r / (2 * len(y)) + lam * (rho * np.abs(w).sum() + (1 - rho) / 2 * w @ w))


def soft_threshold(u: np.ndarray, tau) -> np.ndarray:
    """The proximal step of tau ||w||_1: move every weight tau towards 0 and stop at exactly 0."""
    return np.sign(u) * np.maximum(np.abs(u) - tau, 0.0)


def fit_path(X, y, lams: np.ndarray, rho: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Weights (K, p), intercepts (K,) and iterations used, for every lambda at once, by accelerated proximal gradient.

    Each step: a gradient step on the squared error, then the penalty's proximal map: soft-threshold by
    t lambda rho (L1), then divide by 1 + t lambda (1 - rho) (L2). The intercept is unpenalised, so centre first.
    """
    if not 0.0 <= rho <= 1.0 or np.any(np.asarray(lams) < 0):
        raise ValueError("rho must be in [0, 1] and every lambda >= 0")
    lams = np.asarray(lams, dtype=float)[None, :]  # (1, K)
    mx, my = X.mean(axis=0), y.mean()
    Xc, yc = X - mx, y - my
    n = len(y)
    gram, c = Xc.T @ Xc / n, Xc.T @ yc / n  # (p, p), (p,): the squared error's gradient is gram w - c
    t = 1.0 / np.linalg.eigvalsh(gram)[-1]  # step 1/L, L the gradient's Lipschitz constant
    W = np.zeros((X.shape[1], lams.shape[1]))  # (p, K)
    V, q = W.copy(), np.ones(lams.shape)
    it = 0
    while it < MAX_ITER:
        it += 1
        W_new = soft_threshold(V - t * (gram @ V - c[:, None]), t * lams * rho) / (1 + t * lams * (1 - rho))
        q = np.where(((V - W_new) * (W_new - W)).sum(axis=0) > 0, 1.0, q)  # restart momentum where it overshoots
        q_new = (1 + np.sqrt(1 + 4 * q * q)) / 2
        V = W_new + (q - 1) / q_new * (W_new - W)  # Nesterov's momentum (FISTA)
        step = np.max(np.abs(W_new - W))
        W, q = W_new, q_new
        if step < TOL:
            break
    return W.T, my - W.T @ mx, it


def reference(X, y, lam: float, rho: float) -> tuple[np.ndarray, float]:
    """scikit-learn's answer to the same cost: Lasso (rho = 1), Ridge (rho = 0, alpha = n lambda) or ElasticNet."""
    if rho == 0.0:
        model = Ridge(alpha=len(y) * lam)  # Ridge minimises ||r||^2 + alpha ||w||^2: our J times 2n
    elif rho == 1.0:
        model = Lasso(alpha=lam, tol=1e-12, max_iter=1_000_000)
    else:
        model = ElasticNet(alpha=lam, l1_ratio=rho, tol=1e-12, max_iter=1_000_000)
    model.fit(X, y)
    return model.coef_, float(model.intercept_)


def mse(X, y, w, b) -> float:
    return float(np.mean((X @ w + b - y) ** 2))
