"""Pure teaching core: torch + numpy, no user interface (never imports streamlit)."""

import os

import torch

# Many student sessions share two cores, and these models are tiny: extra threads only add contention
# (a 1,600-point forward pass takes 0.1 ms on one thread and up to 90 ms when two threads fight).
torch.set_num_threads(int(os.environ.get("EXPLAINER_TORCH_THREADS", "1")))
