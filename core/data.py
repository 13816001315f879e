"""Data sets: TensorFlow Playground's 2-D toys, real sets from scikit-learn, and validated CSV uploads."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, make_moons

CLASSIFICATION = ("gauss", "xor", "circle", "spiral", "moons")
REGRESSION = ("plane", "multigauss")
REAL = ("breast_cancer",)
MULTICLASS = ("blobs", "spiral")  # K-class versions, K = 3..5

MAX_UPLOAD_BYTES = 2_000_000  # a 2-D teaching data set never needs more
MAX_ROWS = 5_000
MAX_ABS_VALUE = 1e6  # larger features overflow the heatmaps and the loss; nobody needs them here

_PG = 6.0  # TensorFlow Playground draws its data in [-6, 6]^2; we rescale to [-scale, scale]


@dataclass(frozen=True)
class Dataset:
    X: np.ndarray  # (N, 2) float64 features
    y: np.ndarray  # (N,) int labels in {0, 1} (classification) or float targets (regression)
    name: str
    feature_names: tuple[str, str] = ("x1", "x2")


@dataclass(frozen=True)
class Split:
    X_train: np.ndarray  # (N_train, 2)
    y_train: np.ndarray  # (N_train,)
    X_test: np.ndarray  # (N_test, 2)
    y_test: np.ndarray  # (N_test,)


def make_toy(name: str, n: int = 200, noise: float = 0.0, seed: int = 0, scale: float = 1.0) -> Dataset:
    """One of the Playground's data sets: n points, noise in [0, 0.5], coordinates in about [-scale, scale]."""
    if name not in CLASSIFICATION + REGRESSION:
        raise ValueError(f"Unknown data set {name!r}; choose one of {', '.join(CLASSIFICATION + REGRESSION)}.")
    if not 0.0 <= noise <= 0.5:
        raise ValueError("noise must be between 0 and 0.5")
    rng = np.random.default_rng(seed)
    X, y = _GENERATORS[name](rng, int(n), float(noise))
    return Dataset(X * (scale / _PG), y, name)


def _gauss(rng, n, noise):
    # Playground: variance grows from 0.5 to 4 with noise; centres at (2, 2) and (-2, -2).
    sd = np.sqrt(0.5 + 7.0 * noise)
    half = n // 2
    pos = rng.normal(2.0, sd, size=(half, 2))
    neg = rng.normal(-2.0, sd, size=(n - half, 2))
    return np.vstack([pos, neg]), np.r_[np.ones(half, int), np.zeros(n - half, int)]


def _xor(rng, n, noise):
    # The lecture's quadrant task: label 1 when x1 * x2 > 0; a gap of 0.3 keeps the axes clear.
    X = rng.uniform(-5, 5, size=(n, 2))
    X += np.where(X > 0, 0.3, -0.3)
    jitter = rng.uniform(-5, 5, size=(n, 2)) * noise
    y = ((X[:, 0] + jitter[:, 0]) * (X[:, 1] + jitter[:, 1]) >= 0).astype(int)
    return X, y


def _circle(rng, n, noise):
    # Inner disc (radius <= 2.5) is class 1, outer ring (3.5 to 5) class 0; noise relabels near the edge.
    half = n // 2
    r = np.r_[rng.uniform(0, 2.5, half), rng.uniform(3.5, 5.0, n - half)]
    t = rng.uniform(0, 2 * np.pi, n)
    X = np.c_[r * np.sin(t), r * np.cos(t)]
    jitter = rng.uniform(-5, 5, size=(n, 2)) * noise
    y = (np.hypot(*(X + jitter).T) < 2.5).astype(int)
    return X, y


def _spiral(rng, n, noise):
    # Two interleaved arms, 1.75 turns each, radius growing to 5.
    half = n // 2
    parts = []
    for k, (count, shift) in enumerate(((half, 0.0), (n - half, np.pi))):
        i = np.arange(count) / max(count, 1)
        r, t = 5 * i, 1.75 * 2 * np.pi * i + shift
        pts = np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, size=(count, 2)) * noise
        parts.append((pts, np.full(count, 1 - k)))
    return np.vstack([p for p, _ in parts]), np.concatenate([c for _, c in parts]).astype(int)


def _moons(rng, n, noise):
    X, y = make_moons(n, noise=noise * 0.6, random_state=int(rng.integers(2**31 - 1)))
    return (X - [0.5, 0.25]) * 3.5, y.astype(int)


def _plane(rng, n, noise):
    X = rng.uniform(-6, 6, size=(n, 2))
    jitter = rng.uniform(-6, 6, size=(n, 2)) * noise
    return X, ((X + jitter).sum(axis=1) / 10.0).clip(-1, 1)


def _multigauss(rng, n, noise):
    centres = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])
    X = rng.uniform(-6, 6, size=(n, 2))
    Xn = X + rng.uniform(-6, 6, size=(n, 2)) * noise
    d = np.linalg.norm(Xn[:, None, :] - centres[None, :, :2], axis=2)  # (N, 6)
    bump = centres[:, 2] * np.clip(1 - d / 2.5, 0, None)
    nearest = np.argmax(np.abs(bump), axis=1)
    return X, bump[np.arange(n), nearest]


_GENERATORS = {
    "gauss": _gauss,
    "xor": _xor,
    "circle": _circle,
    "spiral": _spiral,
    "moons": _moons,
    "plane": _plane,
    "multigauss": _multigauss,
}


def make_multiclass(
    name: str, n: int = 300, k: int = 3, noise: float = 0.0, seed: int = 0, scale: float = 1.0
) -> Dataset:
    """K classes: gaussian blobs on a ring, or a spiral with K arms; labels 0..K-1, coordinates in [-scale, scale]."""
    if name not in MULTICLASS:
        raise ValueError(f"Unknown multi-class data set {name!r}; choose one of {', '.join(MULTICLASS)}.")
    if not 2 <= k <= 5 or not 0.0 <= noise <= 0.5:
        raise ValueError("k must be 2..5 and noise between 0 and 0.5")
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k  # (N,) balanced classes
    if name == "blobs":
        angle = 2 * np.pi * y / k + np.pi / 2
        X = 3.5 * np.c_[np.cos(angle), np.sin(angle)] + rng.normal(0, np.sqrt(0.5 + 7.0 * noise), size=(n, 2))
    else:
        i = rng.uniform(0, 1, n)
        r, t = 5 * i, 1.75 * 2 * np.pi * i + 2 * np.pi * y / k
        X = np.c_[r * np.sin(t), r * np.cos(t)] + rng.uniform(-1, 1, size=(n, 2)) * noise * 3
    return Dataset(X * (scale / _PG), y.astype(int), name)


def breast_cancer(features: tuple[str, str] = ("mean radius", "mean texture")) -> Dataset:
    """scikit-learn's Wisconsin breast-cancer set (569 real tumours), two features standardised; 1 = malignant."""
    bunch = load_breast_cancer()
    cols = [list(bunch.feature_names).index(f) for f in features]
    X = bunch.data[:, cols]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    # scikit-learn codes malignant as 0; the lecture's positive class is the one we look for.
    return Dataset(X, 1 - bunch.target.astype(int), "breast_cancer", tuple(features))


def train_test_split(data: Dataset, train_frac: float = 0.5, seed: int = 0) -> Split:
    """Shuffle with the seed and cut: the first train_frac of the points train, the rest test."""
    if not 0.0 < train_frac < 1.0:
        raise ValueError("train_frac must be strictly between 0 and 1")
    order = np.random.default_rng(seed).permutation(len(data.y))
    cut = min(max(int(round(train_frac * len(order))), 1), len(order) - 1)
    tr, te = order[:cut], order[cut:]
    return Split(data.X[tr], data.y[tr], data.X[te], data.y[te])


def load_csv(
    raw: bytes | str, max_bytes: int = MAX_UPLOAD_BYTES, max_rows: int = MAX_ROWS
) -> tuple[Dataset, list[str]]:
    """Parse a user CSV with two numeric feature columns and a two-valued label column.

    Returns the data set and notes for the user (e.g. rows dropped); raises ValueError with a
    message meant for the user when the file cannot be used.
    """
    data = raw.encode() if isinstance(raw, str) else bytes(raw)
    if len(data) == 0 or not data.strip():
        raise ValueError("The file is empty.")
    if len(data) > max_bytes:
        raise ValueError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB.")
    try:
        df = pd.read_csv(io.BytesIO(data), nrows=max_rows + 1, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"This is not a readable CSV file ({str(err).splitlines()[0]}).") from None
    if len(df) > max_rows:
        raise ValueError(f"The file has more than {max_rows:,} rows; keep it to {max_rows:,} or fewer.")
    if len(df) == 0:
        raise ValueError("The file has a header but no data rows.")
    if df.shape[1] != 3:
        raise ValueError(
            f"Expected 3 columns (x1, x2, label); found {df.shape[1]}: {', '.join(map(str, df.columns[:6]))}."
        )
    label_col = next(
        (c for c in df.columns if str(c).strip().lower() in ("label", "y", "class", "target")), df.columns[-1]
    )
    feat_cols = [c for c in df.columns if c != label_col]
    feats = df[feat_cols].apply(pd.to_numeric, errors="coerce")
    bad = feats.isna() & df[feat_cols].notna()
    if bad.any().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise ValueError(
            f"Column {feat_cols[col]!r} must be numeric; row {row + 2} holds {df[feat_cols].iat[row, col]!r}."
        )
    X = feats.to_numpy(dtype=float)
    labels = df[label_col]
    keep = np.isfinite(X).all(axis=1) & labels.notna().to_numpy()
    notes = []
    if (~keep).sum():
        notes.append(f"Dropped {int((~keep).sum())} row(s) with missing or infinite values.")
    X, labels = X[keep], labels[keep]
    if len(X) == 0:
        raise ValueError("No complete rows are left after dropping missing values.")
    if np.abs(X).max() > MAX_ABS_VALUE:
        raise ValueError(f"Feature values must lie within ±{MAX_ABS_VALUE:g}; rescale the data first.")
    classes = sorted(labels.unique(), key=lambda v: (str(type(v)), v))
    if len(classes) < 2:
        raise ValueError(f"Only one class ({classes[0]!r}) is present; a classifier needs two.")
    if len(classes) > 2:
        shown = ", ".join(map(repr, classes[:5])) + (" …" if len(classes) > 5 else "")
        raise ValueError(f"Found {len(classes)} label values ({shown}); this page needs exactly two classes.")
    y = (labels.to_numpy() == classes[1]).astype(int)
    notes.append(f"Class 1 is {classes[1]!r}, class 0 is {classes[0]!r}.")
    return Dataset(X, y, "upload", (str(feat_cols[0]), str(feat_cols[1]))), notes
