"""Autoencoder on real handwritten digits: encoder f maps x to a code z, decoder g maps z back; L = ||x - x_hat||^2."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from core.activations import ACTIVATIONS
from core.training import LearningRate, Run

SIDE = 8  # the digits are 8 x 8 pixels
PIXELS = SIDE * SIDE
HELD_OUT = 500  # images never trained on: every "held-out" number is measured on them
MAX_WIDTH = 256  # caps keep one epoch well under a second on a shared CPU
MAX_LAYERS = 3
MAX_LATENT = 16
MAX_EPOCHS = 1_000
MAX_NOISE = 0.5
TRAINABLE = tuple(n for n in ACTIVATIONS if n != "step")  # the step's g' is 0: gradient descent cannot move it


@dataclass(frozen=True)
class Digits:
    X: np.ndarray  # (1797, 64) grey levels scaled to [0, 1]; row i is image #i
    y: np.ndarray  # (1797,) the digit 0..9: only for colouring and for the few-labels experiment
    train: np.ndarray  # (1297,) indices of the images the autoencoder learns from
    test: np.ndarray  # (500,) indices of the held-out images


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    bunch = load_digits()  # ships inside scikit-learn: no download
    X, y = (bunch.data / 16.0).astype(np.float32), bunch.target.astype(int)
    X.flags.writeable = y.flags.writeable = False  # shared by every caller
    return X, y


def digits(seed: int = 1) -> Digits:
    """scikit-learn's 1,797 real 8x8 digits, split by the seed into 1,297 training and 500 held-out images."""
    X, y = _load()
    order = np.random.default_rng(seed).permutation(len(y))
    return Digits(X, y, np.sort(order[HELD_OUT:]), np.sort(order[:HELD_OUT]))


@dataclass(frozen=True)
class AEConfig:
    hidden: tuple[int, ...] = (64, 32)  # encoder widths from the input down; the decoder mirrors them
    latent: int = 2  # k, the size of the code z
    activation: str = "tanh"  # registry name for every hidden layer; "identity" makes the autoencoder linear
    noise: float = 0.0  # denoising: std of gaussian noise added to each training input (pixels are in [0, 1])
    lr: float = 0.01  # Adam's step size
    batch: int = 128  # images per gradient step; one epoch is one pass over the training images
    seed: int = 1  # initial weights, shuffling and noise

    def __post_init__(self):
        if len(self.hidden) > MAX_LAYERS or not all(1 <= h <= MAX_WIDTH for h in self.hidden):
            raise ValueError(f"at most {MAX_LAYERS} hidden layers of 1 to {MAX_WIDTH} units")
        if not 1 <= self.latent <= MAX_LATENT:
            raise ValueError(f"the latent size must be 1 to {MAX_LATENT}")
        if self.activation not in TRAINABLE:
            raise ValueError(f"activation must be one of {', '.join(TRAINABLE)}")
        if not 0.0 <= self.noise <= MAX_NOISE or not 0.0 < self.lr <= 1.0 or not 1 <= self.batch <= 4096:
            raise ValueError(f"noise must be in [0, {MAX_NOISE}], lr in (0, 1] and batch in [1, 4096]")


class Activation(torch.nn.Module):
    """A registry activation as a layer (kept by name so a model pickles)."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return ACTIVATIONS[self.name].g(z)


def mlp(widths: tuple[int, ...], activation: str) -> torch.nn.Sequential:
    """Linear layers of the given widths with the activation between them; the last layer stays linear, like PCA."""
    layers: list[torch.nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(widths) - 2:
            layers.append(Activation(activation))
    return torch.nn.Sequential(*layers)


class Autoencoder(torch.nn.Module):
    """x (N, 64) -> z = f(x) (N, k) -> x_hat = g(z) (N, 64)."""

    def __init__(self, cfg: AEConfig):
        super().__init__()
        widths = (PIXELS, *cfg.hidden, cfg.latent)
        self.f = mlp(widths, cfg.activation)  # encoder
        self.g = mlp(widths[::-1], cfg.activation)  # decoder, the mirror image

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.g(self.f(x))


def squared_error(x, x_hat):
    """L(x, x_hat) = ||x - x_hat||^2 for each image: (N, 64), (N, 64) -> (N,); torch tensors or numpy arrays."""
    return ((x - x_hat) ** 2).sum(axis=1)


class AutoencoderFit(LearningRate):
    """Minibatch Adam on J = mean over images of ||x - g(f(x_in))||^2; one step() is one epoch.

    x_in is x itself, or x plus fresh gaussian noise for a denoising autoencoder: the target stays the clean x.
    """

    def __init__(self, cfg: AEConfig, X_train: np.ndarray, X_test: np.ndarray, device: str | torch.device = "cpu"):
        self.cfg, self.device = cfg, torch.device(device)
        with torch.random.fork_rng(devices=[]):  # seeded initial weights without touching the global generator
            torch.manual_seed(cfg.seed)
            self.net = Autoencoder(cfg).to(self.device)
        self.X = torch.tensor(X_train, dtype=torch.float32, device=self.device)  # (N, 64)
        self.X_test = torch.tensor(X_test, dtype=torch.float32, device=self.device)  # (M, 64)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=cfg.lr)
        self.gen = torch.Generator().manual_seed(cfg.seed)  # shuffling and noise on the CPU: same run on any device
        self.held_out: list[float] = []  # J on the held-out images after each epoch
        self.epoch_seconds = 0.01  # running estimate, so a live view can size its chunks of work

    def step(self) -> tuple[float, float]:
        """One epoch; returns the mean minibatch J (each taken before its update) and the last gradient's norm."""
        t0 = time.perf_counter()
        order = torch.randperm(len(self.X), generator=self.gen).to(self.device)
        total = 0.0
        for i in range(0, len(order), self.cfg.batch):
            x = self.X[order[i : i + self.cfg.batch]]  # (B, 64)
            x_in = x
            if self.cfg.noise:
                x_in = x + self.cfg.noise * torch.randn(x.shape, generator=self.gen).to(self.device)
            J = squared_error(x, self.net(x_in)).mean()
            self.opt.zero_grad()
            J.backward()
            self.opt.step()
            total += J.item() * len(x)
        gnorm = torch.sqrt(sum((p.grad**2).sum() for p in self.net.parameters()))  # Adam leaves the grads in place
        self.held_out.append(self.error(self.X_test))
        self.epoch_seconds = 0.8 * self.epoch_seconds + 0.2 * (time.perf_counter() - t0)
        return total / len(self.X), float(gnorm)

    def state(self) -> dict:
        """Everything needed to continue exactly: weights, Adam's moments, the random stream, the held-out curve."""
        return {
            "net": {k: v.clone() for k, v in self.net.state_dict().items()},
            "opt": copy.deepcopy(self.opt.state_dict()),
            "gen": self.gen.get_state(),
            "held_out": list(self.held_out),
        }

    def load(self, state: dict) -> None:
        self.net.load_state_dict(state["net"])
        self.opt.load_state_dict(copy.deepcopy(state["opt"]))
        self.gen.set_state(state["gen"])
        self.held_out = list(state["held_out"])

    @torch.no_grad()
    def encode(self, X: np.ndarray) -> np.ndarray:
        """z = f(x): (N, 64) -> (N, k)."""
        return self.net.f(torch.tensor(X, dtype=torch.float32, device=self.device)).cpu().numpy()

    @torch.no_grad()
    def decode(self, Z: np.ndarray) -> np.ndarray:
        """x_hat = g(z): (N, k) -> (N, 64)."""
        return self.net.g(torch.tensor(Z, dtype=torch.float32, device=self.device)).cpu().numpy()

    @torch.no_grad()
    def error(self, X: np.ndarray | torch.Tensor) -> float:
        """J: the mean of ||x - g(f(x))||^2 over the images X."""
        x = X if isinstance(X, torch.Tensor) else torch.tensor(X, dtype=torch.float32, device=self.device)
        return float(squared_error(x, self.net(x)).mean())


def train(cfg: AEConfig, data: Digits, epochs: int, device: str | torch.device = "cpu") -> Run:
    """A run of `epochs` epochs on the training images, finished."""
    if not 1 <= epochs <= MAX_EPOCHS:
        raise ValueError(f"epochs must be 1 to {MAX_EPOCHS}")
    run = Run(AutoencoderFit(cfg, data.X[data.train], data.X[data.test], device), max_steps=epochs)
    run.advance(n=epochs)
    return run


def noisy(X: np.ndarray, sigma: float, seed: int) -> np.ndarray:
    """The images with gaussian noise of std sigma, as a denoising autoencoder sees them."""
    return X + sigma * np.random.default_rng(seed).standard_normal(X.shape).astype(np.float32)


def pca(X_train: np.ndarray, k: int) -> PCA:
    """The best k-dimensional linear code (scikit-learn's PCA), fitted on the training images."""
    with threadpool_limits(limits=1):  # BLAS threads only fight the other sessions for two cores
        return PCA(n_components=k, svd_solver="full").fit(X_train)


def pca_reconstruct(p: PCA, X: np.ndarray) -> np.ndarray:
    """Project onto the k directions and back: (N, 64) -> (N, 64)."""
    return p.inverse_transform(p.transform(X))


@dataclass(frozen=True)
class PCAResult:
    codes: np.ndarray  # (1797, k) every image's PCA code
    J_train: float  # mean ||x - x_hat||^2 on the training images: the lowest any linear k-code can reach
    J_test: float  # the same on the held-out images
    shown: np.ndarray  # (n, 64) reconstructions of the first n held-out images


def pca_result(data: Digits, k: int, n_shown: int = 8) -> PCAResult:
    """PCA with k components on the training images, measured like the autoencoder."""
    p = pca(data.X[data.train], k)
    J = [float(squared_error(pca_reconstruct(p, data.X[i]), data.X[i]).mean()) for i in (data.train, data.test)]
    return PCAResult(p.transform(data.X), *J, pca_reconstruct(p, data.X[data.test[:n_shown]]))


def plane(Z: np.ndarray) -> tuple[np.ndarray, str]:
    """Codes to draw on a plane: z itself when k <= 2, else its two main directions (a PCA of the codes)."""
    if Z.shape[1] == 1:
        return np.c_[Z, np.zeros(len(Z))], "z"
    if Z.shape[1] == 2:
        return Z, "z"
    return PCA(n_components=2, svd_solver="full").fit_transform(Z), "code PC"


def latent_grid(Z: np.ndarray, n: int, pad: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """The latent map's tile centres: n values along z1 and n along z2 on a square covering the codes, with a margin."""
    mid = (Z.min(axis=0) + Z.max(axis=0)) / 2
    half = max(float((Z.max(axis=0) - Z.min(axis=0)).max()), 1e-6) * (0.5 + pad)
    return np.linspace(mid[0] - half, mid[0] + half, n), np.linspace(mid[1] - half, mid[1] + half, n)


def interpolate(fit: AutoencoderFit, x_a: np.ndarray, x_b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Decode n points on the straight line from f(x_a) to f(x_b); also the pixel cross-fade for comparison."""
    t = np.linspace(0.0, 1.0, n, dtype=np.float32)[:, None]  # (n, 1)
    z_a, z_b = fit.encode(x_a[None]), fit.encode(x_b[None])  # (1, k) each
    return fit.decode((1 - t) * z_a + t * z_b), (1 - t) * x_a + t * x_b


def balanced_labels(y: np.ndarray, m: int, seed: int) -> np.ndarray:
    """Indices of m images to label: about m/10 of each digit, chosen at random with the seed."""
    rng = np.random.default_rng(seed)
    classes = np.unique(y)
    per = np.full(len(classes), m // len(classes))
    per[rng.choice(len(classes), m % len(classes), replace=False)] += 1
    return np.concatenate(
        [rng.choice(np.flatnonzero(y == c), n, replace=False) for c, n in zip(classes, per, strict=True)]
    )


def few_labels(
    features: dict[str, np.ndarray], data: Digits, ms: tuple[int, ...], seed: int, draws: int = 3
) -> dict[str, np.ndarray]:
    """Held-out accuracy of logistic regression fitted on only m labelled training images, per feature set and m.

    features maps a name to every image's features (1797, d). All feature sets see the same labelled images
    (a paired comparison); accuracies are averaged over `draws` random choices of those images.
    """
    y_train, y_test = data.y[data.train], data.y[data.test]
    acc = {name: np.zeros(len(ms)) for name in features}
    with threadpool_limits(limits=1):
        for j, m in enumerate(ms):
            for d in range(draws):
                idx = data.train[balanced_labels(y_train, m, seed * 1_000 + d)]
                for name, F in features.items():
                    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1_000))
                    acc[name][j] += clf.fit(F[idx], data.y[idx]).score(F[data.test], y_test) / draws
    return acc
