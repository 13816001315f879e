"""Where tensors live: CUDA when present and worth it, else CPU; decided in one place only."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceChoice:
    device: torch.device
    reason: str  # one sentence a student can read in the sidebar badge


def pick_device(prefer: str | None = None, tiny: bool = False) -> DeviceChoice:
    """Choose CUDA if available and worth it (or as EXPLAINER_DEVICE / prefer says), else CPU."""
    wanted = (prefer or os.environ.get("EXPLAINER_DEVICE", "auto")).lower()
    if wanted == "cpu":
        return DeviceChoice(torch.device("cpu"), "CPU chosen explicitly.")
    if tiny and wanted != "cuda":
        # A kernel launch costs more than a whole step of a 3-weight model.
        return DeviceChoice(torch.device("cpu"), "Model too small to gain from a GPU; CPU is faster.")
    if torch.cuda.is_available():
        name = torch.cuda.get_device_name(0)
        return DeviceChoice(torch.device("cuda"), f"CUDA GPU found: {name}.")
    if wanted == "cuda":
        return DeviceChoice(torch.device("cpu"), "CUDA was asked for but no GPU is present; using CPU.")
    return DeviceChoice(torch.device("cpu"), "No GPU on this machine; these small models train fast on CPU.")
