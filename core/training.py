"""The stepper: advance any trainable model by a number of steps or a time budget and record its history."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Protocol

import torch


class LearningRate:
    """The learning rate of `self.opt`, settable mid-run: a slider moved while training counts at the next step."""

    @property
    def lr(self) -> float:
        return self.opt.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        for group in self.opt.param_groups:
            group["lr"] = float(value)


class Trainable(Protocol):
    lr: float

    def step(self) -> tuple[float, float]:
        """Take one gradient step; return (loss before the step, gradient norm)."""

    def state(self) -> dict[str, torch.Tensor]:
        """A copy of the parameters."""

    def load(self, state: dict[str, torch.Tensor]) -> None:
        """Put parameters back (used to rewind after divergence)."""


@dataclass
class Run:
    model: Trainable
    max_steps: int = 20_000  # a resource cap: one run never trains longer than this
    tol: float = 1e-7  # gradient norm below which the run counts as converged
    blowup: float = 1e6  # loss this many times the first loss means divergence
    steps: int = 0
    losses: list[float] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # per step, from model.metrics() when the model has it
    status: str = "ready"  # ready | converged | diverged | capped
    message: str = ""
    _good: dict | None = None

    @property
    def done(self) -> bool:
        return self.status != "ready"

    def advance(self, n: int | None = None, seconds: float | None = None) -> int:
        """Take up to n steps, or as many as fit in `seconds`; stop early on convergence, divergence or the cap."""
        if n is None and seconds is None:
            raise ValueError("give n, seconds or both")
        deadline = math.inf if seconds is None else time.perf_counter() + seconds
        limit = self.max_steps - self.steps if n is None else min(n, self.max_steps - self.steps)
        taken = 0
        while taken < limit and not self.done:
            if taken and time.perf_counter() > deadline:  # checked every step: one step may be a whole epoch
                break
            if taken % 32 == 0:
                self._good = (self.steps, self.model.state())
            loss, gnorm = self.model.step()
            if (
                not math.isfinite(loss)
                or not math.isfinite(gnorm)
                or (self.losses and loss > self.blowup * max(self.losses[0], 1e-12))
            ):
                self._diverge(loss)
                break
            self.losses.append(loss)
            if hasattr(self.model, "metrics"):
                self.history.append(self.model.metrics())
            self.steps += 1
            taken += 1
            if gnorm < self.tol:
                self.status, self.message = "converged", f"Converged: the gradient norm fell below {self.tol:g}."
        if self.steps >= self.max_steps and not self.done:
            self.status, self.message = "capped", f"Stopped at the cap of {self.max_steps:,} steps."
        return taken

    def _diverge(self, loss: float) -> None:
        good_step, good = self._good
        self.model.load(good)
        del self.losses[good_step:]
        del self.history[good_step:]
        self.steps = good_step
        self.status = "diverged"
        what = "became infinite or NaN" if not math.isfinite(loss) else f"grew to {loss:.3g}"
        self.message = (
            f"Training stopped: the loss {what} with learning rate {self.model.lr:g}. "
            "Each step overshoots the minimum by more than it gains, so the steps grow. "
            f"Rewound to step {good_step}; lower the learning rate and continue."
        )

    def resume(self) -> None:
        """Clear a divergence or cap so training can go on (e.g. after lowering the learning rate)."""
        if self.status in ("diverged", "capped") and self.steps < self.max_steps:
            self.status, self.message = "ready", ""
