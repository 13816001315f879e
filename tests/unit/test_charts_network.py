"""The playground's network graph draws what the weights and unit maps say: sign, width, hover numbers, pictures."""

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from core.charts import network as gcharts
from core.charts.style import CLASS_COLORS

SIZES = (2, 3, 1)
W = [np.array([[0.5, -2.0, 0.0], [1.0, 0.25, -0.75]]), np.array([[4.0], [-1.0], [0.1]])]
N = 20  # grid side of each unit's map


def maps_with_halves() -> list[np.ndarray]:
    """Every unit's map is +1 on the upper half of the plane (y large) and -k on the lower half."""
    rows = np.repeat(np.arange(N), N)  # grid rows run with the plane's y, bottom to top
    maps = []
    for size in SIZES:
        m = np.where(rows[:, None] >= N // 2, 1.0, -np.arange(1, size + 1)[None, :].astype(float))
        maps.append(m)
    return maps


@pytest.fixture(scope="module")
def fig():
    labels = [["x1", "x2"], ["h1", "h2", "h3"], ["out"]]
    return gcharts.network_figure(SIZES, W, maps_with_halves(), labels, N)


def bands(fig, color: str) -> list[np.ndarray]:
    """The filled polygons of one colour, as (5, 2) corner arrays."""
    (trace,) = [t for t in fig.data if t.fill == "toself" and t.fillcolor == color]
    xy = np.c_[trace.x, trace.y]
    pieces = (piece[~np.isnan(piece[:, 0])] for piece in np.split(xy, np.flatnonzero(np.isnan(xy[:, 0]))))
    return [piece for piece in pieces if len(piece)]


def test_one_band_per_edge_coloured_by_the_sign_of_its_weight(fig):
    weights = np.concatenate([w.ravel() for w in W])
    assert len(bands(fig, CLASS_COLORS[True])) == (weights > 0).sum() == 5
    assert len(bands(fig, CLASS_COLORS[False])) == (weights <= 0).sum() == 4


def test_band_width_in_pixels_grows_with_the_weight(fig):
    px = min(95, 450 / (len(SIZES) - 0.3))  # the pixels per unit network_figure assumes
    widths = sorted(np.linalg.norm(p[0] - p[3]) * px for p in bands(fig, CLASS_COLORS[True]))
    expected = sorted(0.5 + 5 * abs(w) / 4.0 for w in (0.5, 1.0, 0.25, 4.0, 0.1))
    np.testing.assert_allclose(widths, expected, rtol=1e-9)


def test_hover_on_each_edge_gives_its_weight(fig):
    edges = fig.data[-2]
    shown = {}
    for text in edges.hovertext:
        m = re.fullmatch(r"(\S+) → (\S+)<br>w = ([+-]\d\.\d{3})", text)
        shown[m.group(1), m.group(2)] = float(m.group(3))
    assert shown[("x1", "h2")] == -2.0 and shown[("h3", "out")] == 0.1 and len(shown) == 9


def test_the_picture_puts_each_units_map_at_its_square_the_right_way_up(fig):
    (picture,) = fig.layout.images
    png = Image.open(io.BytesIO(base64.b64decode(picture.source.split(",", 1)[1])))
    rgba = np.asarray(png)
    px = rgba.shape[1] / picture.sizex
    assert rgba.shape[0] / picture.sizey == pytest.approx(px)
    blue, orange = np.array((0, 114, 178)), np.array((230, 159, 0))
    units = fig.data[-1]
    for k, x, y in zip([0, 1, 0, 1, 2, 0], units.x, units.y, strict=True):  # k: the unit's index in its layer
        col = round((x - picture.x) * px)
        upper, lower = rgba[round((picture.y - y - 0.15) * px), col], rgba[round((picture.y - y + 0.15) * px), col]
        assert upper[3] == lower[3] == 255
        np.testing.assert_array_equal(lower[:3], orange)  # the map's most negative value, on the plane's lower half
        if k == 0:
            np.testing.assert_array_equal(upper[:3], blue)  # +1 is as large as |-1|: full blue
        else:
            assert upper[2] > upper[0] and not (upper[:3] == blue).all()  # +1 against -(k+1): a paler blue
        frame = rgba[round((picture.y - y) * px), col - round(0.23 * px) - 1]  # just left of the square
        np.testing.assert_array_equal(frame, gcharts.FRAME)
    gap_row = round((picture.y - 0.0) * px)  # between the two inputs at y = ±0.5
    assert rgba[gap_row, round((0 - picture.x) * px), 3] == 0


def test_hover_on_each_unit_gives_its_range(fig):
    units = fig.data[-1]
    assert list(units.hovertext[:2]) == ["x1<br>range -1.00 … +1.00", "x2<br>range -2.00 … +1.00"]
    assert units.hovertext[4] == "h3<br>range -3.00 … +1.00"


def plane(n: int = 5):
    u, v = np.linspace(-2, 2, n), np.linspace(-1, 3, n)
    uu, vv = np.meshgrid(u, v)  # rows follow v, as core/charts/style.grid lays the grid out
    return u, v, uu, vv


POINTS = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])


def test_binary_plane_shows_each_cells_probability_and_the_points():
    u, v, uu, vv = plane()
    p = 1 / (1 + np.exp(-(uu - vv)))
    fig = gcharts.output_figure("binary", u, v, p.reshape(-1, 1), *POINTS, *POINTS)
    heat = fig.data[0]
    np.testing.assert_array_equal(np.asarray(heat.z), p)
    assert (heat.zmin, heat.zmax, heat.x[0], heat.y[-1]) == (0, 1, -2, 3)
    assert fig.layout.xaxis.range == (-2.5, 2.5) and fig.layout.yaxis.range == (-1.5, 3.5)  # whole cells
    test0 = next(t for t in fig.data if t.name == "test class 0")
    assert test0.marker.color == gcharts.CLASS_SCALE[0] and test0.marker.symbol.endswith("-open")  # hollow, visible


def test_discretized_planes_have_two_values():
    u, v, uu, vv = plane()
    p = 1 / (1 + np.exp(-(uu - 0.1)))
    binary = gcharts.output_figure("binary", u, v, p.reshape(-1, 1), *POINTS, discretize=True)
    np.testing.assert_array_equal(np.asarray(binary.data[0].z), (uu >= 0.1).astype(float))
    reg = gcharts.output_figure("regression", u, v, (uu - 0.1).reshape(-1, 1), *POINTS, discretize=True)
    np.testing.assert_array_equal(np.asarray(reg.data[0].z), np.sign(uu - 0.1))


def test_multiclass_plane_shows_the_winning_class():
    u, v, uu, vv = plane()
    scores = np.stack([-uu, uu, np.zeros_like(uu) + 0.5], axis=-1).reshape(-1, 3)  # left: 0, right: 1, middle: 2
    fig = gcharts.output_figure("multiclass", u, v, scores, np.zeros((3, 2)), np.array([0, 1, 2]))
    np.testing.assert_array_equal(np.asarray(fig.data[0].z)[0], [0.5, 0.5, 2.5, 1.5, 1.5])
    assert (fig.data[0].zmin, fig.data[0].zmax) == (0, 3)


def test_regression_plane_scales_by_the_largest_value_or_target():
    u, v, uu, vv = plane()
    fig = gcharts.output_figure("regression", u, v, uu.reshape(-1, 1), np.zeros((1, 2)), np.array([4.0]))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-4.0, 4.0) == (fig.data[1].marker.cmin, fig.data[1].marker.cmax)
