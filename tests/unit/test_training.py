"""The stepper: counts, budgets, convergence, the cap, and rewinding after divergence."""

import math

import pytest
import torch

from core.training import Run


class Quadratic:
    """f(x) = x^2 with plain gradient descent: x <- x - lr * 2x, the lecture's exercise."""

    def __init__(self, x0: float, lr: float):
        self.x, self.lr = torch.tensor(x0, dtype=torch.float64), lr

    def step(self):
        loss, grad = float(self.x**2), 2 * self.x
        self.x = self.x - self.lr * grad
        return loss, abs(float(grad))

    def state(self):
        return {"x": self.x.clone()}

    def load(self, state):
        self.x = state["x"].clone()


def test_lecture_exercise_three_steps():
    q = Quadratic(9.0, 0.1)
    run = Run(q)
    assert run.advance(n=3) == 3 and run.steps == 3
    assert float(q.x) == pytest.approx(4.608, abs=1e-12)
    assert run.losses == pytest.approx([81.0, 7.2**2, 5.76**2])


def test_converges_and_stops():
    run = Run(Quadratic(9.0, 0.25), tol=1e-9)
    run.advance(n=10_000)
    assert run.status == "converged" and run.steps < 100
    assert run.advance(n=5) == 0  # a finished run takes no more steps


def test_cap_is_a_hard_limit():
    run = Run(Quadratic(9.0, 1e-6), max_steps=50)
    run.advance(n=1000)
    assert run.steps == 50 and run.status == "capped"


def test_divergence_rewinds_to_a_finite_state_and_can_resume():
    q = Quadratic(9.0, 1.5)  # |1 - 2 * 1.5| = 2: every step doubles x
    run = Run(q)
    run.advance(n=10_000)
    assert run.status == "diverged" and math.isfinite(float(q.x))
    assert len(run.losses) == run.steps
    q.lr = 0.1
    run.resume()
    run.advance(n=2000)
    assert run.status == "converged"


def test_time_budget_returns_early():
    run = Run(Quadratic(9.0, 1e-9), max_steps=10**9, tol=0)
    taken = run.advance(seconds=0.05)
    assert 0 < taken < 10**7 and run.status == "ready"


def test_needs_a_limit():
    with pytest.raises(ValueError):
        Run(Quadratic(1.0, 0.1)).advance()
