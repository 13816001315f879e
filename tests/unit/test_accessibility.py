"""The chart colours stay apart for colour-blind students: simulated protanopia and deuteranopia, distance in CIELAB."""

import itertools

import numpy as np
import pytest

from core.charts import style

# Machado, Oliveira & Fernandes (2009), severity 1.0: applied to linear RGB.
MACHADO = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}
MIN_DE = 20.0  # CIE76 ΔE: ~2.3 is just noticeable; 20+ reads as clearly different colours at a glance
D65 = np.array([0.95047, 1.0, 1.08883])
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-RGB colour."""
    t = SRGB_TO_XYZ @ np.clip(rgb_linear, 0, 1) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a: str, b: str, vision: str | None) -> float:
    """ΔE between two colours as seen with normal vision or a simulated deficiency."""
    m = np.eye(3) if vision is None else MACHADO[vision]
    return float(np.linalg.norm(lab(m @ _linear(a)) - lab(m @ _linear(b))))


def test_lab_matches_published_values():
    assert np.allclose(lab(_linear("#FFFFFF")), [100, 0, 0], atol=0.01)
    assert np.allclose(lab(_linear("#FF0000")), [53.24, 80.09, 67.20], atol=0.05)  # sRGB red, D65


def test_the_simulation_merges_a_red_green_pair():
    """The oracle can fail: a classic red/green pair is far apart normally and close for a deuteranope."""
    assert distance("#D62728", "#2CA02C", None) > 60
    assert distance("#D62728", "#2CA02C", "deuteranopia") < MIN_DE


PAIRS = {
    "the two classes": style.CLASS_COLORS,
    "the diverging heatmap's ends": (style.PROB_SCALE[0][1], style.PROB_SCALE[-1][1]),
    "low end against the middle": (style.PROB_SCALE[0][1], style.PROB_SCALE[1][1]),
    "high end against the middle": (style.PROB_SCALE[-1][1], style.PROB_SCALE[1][1]),
    **{f"boundary against class {i}": (style.BOUNDARY, c) for i, c in enumerate(style.CLASS_COLORS)},
}
LINES_DE = 15.0  # curves also differ by name in the legend and hover: a little closer is still readable


@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia"])
@pytest.mark.parametrize("name", list(PAIRS))
def test_colours_that_carry_meaning_stay_apart(name, vision):
    a, b = PAIRS[name]
    assert distance(a, b, vision) >= MIN_DE, f"{name} ({a}, {b}) look alike with {vision or 'normal vision'}"


@pytest.mark.parametrize("vision", [None, "protanopia", "deuteranopia"])
def test_the_first_four_line_colours_stay_apart(vision):
    """Green against reddish purple is the closest Okabe-Ito pair for a deuteranope (ΔE ~18): still apart."""
    for a, b in itertools.combinations(style.SERIES[:4], 2):
        assert distance(a, b, vision) >= LINES_DE, f"{a} and {b} look alike with {vision or 'normal vision'}"
