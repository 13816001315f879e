"""Early stopping: train while watching the validation loss, remember the best weights, stop after `patience` epochs
without a new best; keep a thinned film of the fit so any epoch of the run can be looked at again."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import torch

from core.network import NetConfig, NetTrainer
from core.training import Run

MAX_EPOCHS = 5_000
MAX_FRAMES = 128  # snapshots of the fit kept per run; older ones are thinned to every 2nd, 4th, ... epoch


class Watched:
    """A NetTrainer that, after every epoch, checks the validation loss, keeps the best weights and films the fit."""

    def __init__(self, trainer: NetTrainer, grid: np.ndarray, max_frames: int = MAX_FRAMES):
        self.trainer, self.max_frames = trainer, max_frames
        self.grid = torch.as_tensor(grid, dtype=trainer.X.dtype)  # (G, n_features) where the fit is drawn
        self.epoch, self.every = 0, 1  # film one frame every `every` epochs
        self.frames: dict[int, np.ndarray] = {0: self.curve()}  # epoch -> fit on the grid
        self.best_epoch, self.best_loss = 0, math.inf
        self.best_weights, self.best_frame = self.weights(), self.frames[0]
        self.last = trainer.metrics()

    @property
    def lr(self) -> float:
        return self.trainer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.trainer.lr = value

    def weights(self) -> list[torch.Tensor]:
        return [p.clone() for p in self.trainer.net.params]

    def curve(self) -> np.ndarray:
        with torch.no_grad():
            return self.trainer.net.predict(self.grid)[:, 0].cpu().numpy()

    def step(self) -> tuple[float, float]:
        loss, gnorm = self.trainer.step()
        self.epoch += 1
        self.last = self.trainer.metrics()
        better = self.last["test_loss"] < self.best_loss
        if better:
            self.best_epoch, self.best_loss = self.epoch, self.last["test_loss"]
            self.best_weights, self.best_frame = self.weights(), self.curve()
        if self.epoch % self.every == 0:
            self.frames[self.epoch] = self.best_frame if better else self.curve()
        if len(self.frames) > self.max_frames:
            self.every *= 2  # thin the film: keep every 2nd frame, so memory stays capped however long the run
            self.frames = {e: f for e, f in self.frames.items() if e % self.every == 0}
        return loss, gnorm

    def film(self) -> dict[int, np.ndarray]:
        """Every kept frame, the best and the current epoch's included: epoch -> fit on the grid."""
        return {**self.frames, self.best_epoch: self.best_frame, self.epoch: self.curve()}

    def metrics(self) -> dict:
        return self.last

    def state(self) -> dict:
        return {"net": self.trainer.state(), "epoch": self.epoch}

    def load(self, state: dict) -> None:
        """Rewind (after divergence): forget frames from epochs that no longer happened, and a best among them."""
        self.trainer.load(state["net"])
        self.epoch, self.last = state["epoch"], self.trainer.metrics()
        self.frames = {e: f for e, f in self.frames.items() if e <= self.epoch}
        if self.best_epoch > self.epoch:  # the best we still know of is where we are now
            self.best_epoch, self.best_loss = self.epoch, self.last["test_loss"] if self.epoch else math.inf
            self.best_weights, self.best_frame = self.weights(), self.curve()

    def restore_best(self) -> None:
        """Put the weights of the best validation epoch back into the network."""
        with torch.no_grad():
            for p, best in zip(self.trainer.net.params, self.best_weights, strict=True):
                p.copy_(best)
        self.last = self.trainer.metrics()


@dataclass
class EarlyStopping(Run):
    """The stepper, plus one rule: stop once `patience` epochs have passed without a new best validation loss."""

    patience: int = 200

    def advance(self, n: int | None = None, seconds: float | None = None) -> int:
        deadline = math.inf if seconds is None else time.perf_counter() + seconds
        want = self.max_steps if n is None else n
        taken = 0
        while taken < want and not self.done:
            room = self.model.best_epoch + self.patience - self.steps  # epochs left before patience runs out
            left = None if seconds is None else max(deadline - time.perf_counter(), 0.0)
            got = super().advance(n=min(want - taken, room), seconds=left)
            taken += got
            if not self.done and self.steps - self.model.best_epoch >= self.patience:
                self.status = "stopped"
                self.message = (
                    f"Stopped early at epoch {self.steps}: the validation loss has not improved for {self.patience} "
                    f"epochs since its best, {self.model.best_loss:.4f} at epoch {self.model.best_epoch}."
                )
            if got == 0:
                break
        return taken


def make_run(x, y, x_val, y_val, grid, hidden: tuple[int, ...], lr: float, patience: int, seed: int) -> EarlyStopping:
    """Full-batch Adam on a 1-D regression (the network sees x as its only feature), watched for early stopping."""
    cfg = NetConfig(features=("x1",), hidden=hidden, activations=("tanh",) * len(hidden), task="regression", seed=seed)
    as_2d = lambda v: np.c_[v, np.zeros_like(v)]  # noqa: E731 — the playground's nets take (x1, x2) points
    trainer = NetTrainer(cfg, as_2d(x), y, as_2d(x_val), y_val, lr=lr, batch_size=len(y), optimizer="adam")
    return EarlyStopping(Watched(trainer, np.asarray(grid)[:, None]), max_steps=MAX_EPOCHS, tol=0.0, patience=patience)


def curves(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation loss per epoch so far."""
    return np.array([h["train_loss"] for h in run.history]), np.array([h["test_loss"] for h in run.history])
