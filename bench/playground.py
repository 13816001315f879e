"""Epochs per second on TensorFlow Playground's default task: our training core versus a naive torch loop.

The task: circle data, 250 training points, a 2-4-2-1 tanh network, batch size 10, learning rate 0.03.
The naive loop is what a tutorial writes: nn.Sequential, a loss module, optimizer.zero_grad/backward/step.
"""

from __future__ import annotations

import time

import torch

from core import data, network


def _task(seed: int = 0):
    return data.train_test_split(data.make_toy("circle", 500, 0.0, seed, scale=6.0), 0.5, seed)


def ours(epochs: int) -> float:
    """Epochs per second of core.network.NetTrainer (hand-written backprop, torch.optim update, metrics each epoch)."""
    s = _task()
    cfg = network.NetConfig(hidden=(4, 2), activations=("tanh", "tanh"))
    tr = network.NetTrainer(cfg, s.X_train, s.y_train, s.X_test, s.y_test, lr=0.03, batch_size=10)
    tr.step()
    t0 = time.perf_counter()
    for _ in range(epochs):
        tr.step()
        tr.metrics()  # the page records train/test loss every epoch, so the benchmark pays for it too
    return epochs / (time.perf_counter() - t0)


def naive(epochs: int) -> float:
    """Epochs per second of the textbook torch loop on the same task (squared loss on a tanh output)."""
    s = _task()
    X = torch.as_tensor(s.X_train, dtype=torch.float32)
    y = torch.as_tensor(2.0 * s.y_train - 1, dtype=torch.float32).reshape(-1, 1)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 4),
        torch.nn.Tanh(),
        torch.nn.Linear(4, 2),
        torch.nn.Tanh(),
        torch.nn.Linear(2, 1),
        torch.nn.Tanh(),
    )
    opt = torch.optim.SGD(model.parameters(), lr=0.03)
    loss_fn = torch.nn.MSELoss(reduction="sum")

    def epoch():
        for start in range(0, len(X), 10):
            opt.zero_grad()
            loss_fn(model(X[start : start + 10]), y[start : start + 10]).backward()
            opt.step()

    epoch()
    t0 = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return epochs / (time.perf_counter() - t0)


def measure(epochs: int = 200) -> dict:
    """Both loops in the same process, one after the other, and their ratio."""
    a, b = ours(epochs), naive(epochs)
    return {"epochs": epochs, "ours_epochs_per_s": a, "naive_epochs_per_s": b, "ratio": a / b}


if __name__ == "__main__":
    print(measure())
