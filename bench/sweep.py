"""The capacity sweep's cost: all its networks trained together against one network alone.

`python -m bench.sweep` prints the time of the overfitting page's default sweep (every width x seed, one batch),
of its widest network trained alone by the same code, and of that network as a plain torch.nn model with
torch.optim.Adam, and the ratios. The issue's budget: sweep / single model <= 2.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import capacity as cap  # noqa: E402
from core import overfitting as ov  # noqa: E402


def seconds(fn, repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time of fn() over repeats (CPU time does not count waiting on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu)


def torch_nn(s: cap.Sample, width: int, epochs: int) -> None:
    """The widest network the usual way: nn.Linear layers, autograd and torch.optim.Adam, full batch."""
    net = torch.nn.Sequential(torch.nn.Linear(1, width), torch.nn.Tanh(), torch.nn.Linear(width, 1))
    opt = torch.optim.Adam(net.parameters(), lr=ov.SWEEP_LR)
    x, y = (torch.tensor(v, dtype=torch.float32)[:, None] for v in (s.x, s.y))
    for _ in range(epochs):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # as the app runs
    s = cap.make_sample(15, 0.3, 1)
    specs = [cap.Spec(w, 1 + k, ov.SWEEP_LR) for w in ov.WIDTHS for k in range(ov.N_SEEDS)]
    widest = [cap.Spec(max(ov.WIDTHS), 1, ov.SWEEP_LR)]
    marks = [e for e in ov.EPOCHS if e <= args.epochs]
    cap.train_batch(s, widest, 10, [10])  # warm up torch
    sweep = seconds(lambda: cap.train_batch(s, specs, args.epochs, marks), args.repeats)
    single = seconds(lambda: cap.train_batch(s, widest, args.epochs, marks), args.repeats)
    plain = seconds(lambda: torch_nn(s, max(ov.WIDTHS), args.epochs), args.repeats)
    units = sum(sp.width for sp in specs)
    print(f"capacity sweep: {len(specs)} networks, {units:,} hidden units, {args.epochs:,} epochs")
    print("                                    wall s    cpu s   sweep / single (wall, cpu)")
    print(f"  all together (one batch)        {sweep[0]:7.3f}  {sweep[1]:7.3f}")
    for name, t in (("widest alone, same code", single), ("widest alone, torch.nn + Adam", plain)):
        print(f"  {name:30s}  {t[0]:7.3f}  {t[1]:7.3f}   {sweep[0] / t[0]:.2f}, {sweep[1] / t[1]:.2f}")


if __name__ == "__main__":
    main()
