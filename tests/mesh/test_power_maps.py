"""Power maps on blocks and boxes: conservative resampling onto the grid, the same physics as
blocks of the map's pixels, the same distribution for steady, transient and power-model solves
(bad maps and layout files naming a map: tests/layout/test_power_map_input.py).

Tolerances: powers are sums of a few hundred products of overlap fractions, so they agree to
~1e-15 relative; 1e-12 leaves room for the summation order. Temperatures of two packages with
the same grid and power field come from the direct solver, whose round-off on these few
thousand cells is far below 1e-9 K.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import thermal_cpo as tc
from thermal_cpo import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.mesh import unit_power_map, voxelize
from thermal_cpo.mesh.power_maps import overlap_fractions
from thermal_cpo.operator.sources import Sources

FOOT = 4000  # µm: a 4 × 4 mm package


def package(die: dict, extra_blocks=(), max_cell=250) -> dict:
    """A substrate under a die tier (air fill) holding block ``die`` (silicon) and any extra
    blocks; lengths in µm, cooled from the top."""
    return {
        "name": "power-map",
        "footprint": {"x": FOOT, "y": FOOT},
        "grid": {"max_cell_xy": max_cell, "max_cell_z": 200},
        "layers": [
            {"name": "substrate", "thickness": 400, "material": "organic-substrate"},
            {"name": "die-tier", "thickness": 300, "material": "air",
             "blocks": [{"name": "die", "material": "silicon", **die}, *extra_blocks]},
            {"name": "lid", "thickness": 500, "material": "copper"},
        ],
        "boundaries": {"top": {"type": "convective", "h": 2e4, "T": 25}},
    }


def die_power(mesh) -> np.ndarray:
    """The die's cell powers (W), every other cell zero, summed over z: ``(ny, nx)``."""
    own = mesh.component == mesh.component_id("die")
    return np.where(own, mesh.power, 0.0).sum(axis=0)


# -- 1. conservation -----------------------------------------------------------------------------
@st.composite
def mapped_die(draw):
    x0 = draw(st.integers(0, 2000))
    x1 = draw(st.integers(x0 + 300, FOOT))
    y0 = draw(st.integers(0, 2000))
    y1 = draw(st.integers(y0 + 300, FOOT))
    ex0 = draw(st.integers(x0, x1 - 100))
    ex1 = draw(st.integers(ex0 + 100, x1))
    ey0 = draw(st.integers(y0, y1 - 100))
    ey1 = draw(st.integers(ey0 + 100, y1))
    ny, nx = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    values = draw(st.lists(st.lists(st.floats(0, 10), min_size=nx, max_size=nx), min_size=ny, max_size=ny))
    values[draw(st.integers(0, ny - 1))][draw(st.integers(0, nx - 1))] = 1.0  # not all zero
    die = dict(x=[x0, x1], y=[y0, y1], power=draw(st.floats(0.1, 500)), power_map=values,
               power_at=draw(st.sampled_from(["volume", "bottom", "top"])),
               map_grid_lines=draw(st.booleans()))
    if draw(st.booleans()):
        die["map_extent"] = [[ex0, ex1], [ey0, ey1]]
    return die, draw(st.sampled_from([100, 250, 700, 1500]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), max_size=14), st.floats(0, 0.9), st.floats(0.01, 1),
       st.integers(1, 12))
def test_overlap_matrix_is_the_brute_force_overlap(inner, a, width, n):
    nodes = np.unique(np.r_[0.0, 1.0, inner])
    edges = np.linspace(a, min(1.0, a + width), n + 1)
    lo = np.maximum(nodes[:-1, None], edges[None, :-1])
    hi = np.minimum(nodes[1:, None], edges[None, 1:])
    brute = np.clip(hi - lo, 0.0, None) / np.diff(edges)[None, :]
    got = overlap_fractions(nodes, edges).toarray()
    np.testing.assert_allclose(got, brute, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got.sum(axis=0), 1.0, rtol=1e-12)  # every pixel lies inside


@settings(max_examples=40, deadline=None)
@example(({'x': [0, 1124], 'y': [0, 300], 'power': 1.0, 'power_map': [[0.0, 1.0, 0.0, 0.0]],
           'power_at': 'volume', 'map_grid_lines': False}, 100))  # grid lines a bit off the edges
@given(mapped_die())
def test_resampling_conserves_power_and_every_aligned_pixel_share(case):
    die, max_cell = case
    mesh = voxelize(Package.from_dict(package(die, max_cell=max_cell)))
    P = die["power"]
    cells = die_power(mesh)
    assert cells.sum() == pytest.approx(P, rel=1e-12)
    assert mesh.power.sum() == pytest.approx(P, rel=1e-12)  # nothing leaks to other components
    block = mesh.package.layers[1].blocks[0]
    xe, ye = block.map_pixel_edges()
    pixels = block.map_pixel_powers()  # value × (snapped) pixel area
    # the rectangles between consecutive pixel edges that are grid lines: any rectangle of
    # whole pixels aligned with the grid is a union of them
    ax = [p for p, e in enumerate(xe) if np.min(np.abs(mesh.x - e)) < 1e-15]
    ay = [p for p, e in enumerate(ye) if np.min(np.abs(mesh.y - e)) < 1e-15]
    if die.get("map_grid_lines"):
        assert len(ax) == len(xe) and len(ay) == len(ye)
    def node(nodes, e):  # the grid line at a pixel edge (the two may differ in the last bit)
        return int(np.argmin(np.abs(nodes - e)))

    for a, b in zip(ax, ax[1:]):
        i0, i1 = node(mesh.x, xe[a]), node(mesh.x, xe[b])
        for c, d in zip(ay, ay[1:]):
            j0, j1 = node(mesh.y, ye[c]), node(mesh.y, ye[d])
            share = pixels[c:d, a:b].sum() / pixels.sum()
            assert cells[j0:j1, i0:i1].sum() == pytest.approx(P * share, rel=1e-12, abs=1e-12 * P)


def test_painted_over_map_is_renormalised_over_what_stays_visible():
    # 2 × 2 pixels of 1 mm²; a later block covers pixel (row 0, column 1): the other three keep
    # the die's 6 W in the map's proportions 1 : 3 : 4 (of 8)
    die = dict(x=[1000, 3000], y=[1000, 3000], power=6.0, power_map=[[1, 2], [3, 4]])
    cover = dict(name="cover", material="silicon", x=[2000, 3000], y=[1000, 2000])
    mesh = voxelize(Package.from_dict(package(die, extra_blocks=[cover])))
    cells = die_power(mesh)
    assert cells.sum() == pytest.approx(6.0, rel=1e-12)
    assert cells[4:8, 8:12].sum() == 0.0  # the covered pixel: no die cell left there
    for rows, cols, share in ((slice(4, 8), slice(4, 8), 1), (slice(8, 12), slice(4, 8), 3),
                              (slice(8, 12), slice(8, 12), 4)):
        assert cells[rows, cols].sum() == pytest.approx(6.0 * share / 8, rel=1e-12)


# -- 2. and 3. the same physics as blocks ----------------------------------------------------------
def _same_grid(ma, mb):
    for a, b in ((ma.x, mb.x), (ma.y, mb.y), (ma.z, mb.z)):
        assert a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1e-15)


def test_one_hot_pixel_is_a_block_of_that_pixel():
    hot = [[0.0] * 4 for _ in range(4)]
    hot[1][2] = 7.0  # 4 × 4 pixels of 500 µm over x, y in [1000, 3000]: x 2000–2500, y 1500–2000
    die = dict(x=[1000, 3000], y=[1000, 3000], power=3.0, power_at="bottom")
    mapped = Package.from_dict(package({**die, "power_map": hot}))
    block = Package.from_dict(package({**die, "power": 0.0}, extra_blocks=[dict(
        name="hot", material="silicon", x=[2000, 2500], y=[1500, 2000], power=3.0, power_at="bottom")]))
    ma, mb = voxelize(mapped), voxelize(block)
    _same_grid(ma, mb)  # pixel edges on the 250 µm grid lines of both
    np.testing.assert_allclose(ma.power, mb.power, rtol=1e-9, atol=1e-9 * 3.0 / ma.power.size)
    ta = tc.solve_steady(ma, solver="direct").temperature
    tb = tc.solve_steady(mb, solver="direct").temperature
    np.testing.assert_allclose(ta, tb, rtol=0, atol=1e-9)
    assert ta.max() > 30.0  # a real rise, not two empty fields


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (12, 2)])
@pytest.mark.parametrize("at", ["volume", "top"])
def test_uniform_map_is_the_uniform_block(shape, at):
    die = dict(x=[700, 3100], y=[900, 2600], power=5.0, power_at=at)
    ma = voxelize(Package.from_dict(package({**die, "power_map": np.full(shape, 2.5).tolist()})))
    mb = voxelize(Package.from_dict(package(die)))
    _same_grid(ma, mb)
    np.testing.assert_allclose(ma.power, mb.power, rtol=1e-12, atol=1e-15)
    ta = tc.solve_steady(ma, solver="direct").temperature
    tb = tc.solve_steady(mb, solver="direct").temperature
    np.testing.assert_allclose(ta, tb, rtol=0, atol=1e-9)


def test_absolute_map_power_is_its_integral():
    # 2 × 2 pixels of 1 mm² each: 1 + 2 + 3 + 4 W/mm² → 10 W
    die = dict(x=[1000, 3000], y=[1000, 3000], power_map=[[1, 2], [3, 4]], map_units="W/mm^2")
    pkg = Package.from_dict(package(die))
    assert pkg.total_power == pytest.approx(10.0, rel=1e-12)
    cells = die_power(voxelize(pkg))
    assert cells.sum() == pytest.approx(10.0, rel=1e-12)
    # the quadrant x in [1000, 2000], y in [2000, 3000] is row 1, column 0: 3 W
    assert cells[8:12, 4:8].sum() == pytest.approx(3.0, rel=1e-12)


def test_box_map_and_its_errors():
    d = package(dict(x=[1000, 3000], y=[1000, 3000], power=0.0))
    d["boxes"] = [dict(name="chiplet", material="silicon", x=[500, 1500], y=[500, 1500], z=[400, 700],
                       power=2.0, power_map=[[1.0, 0.0]])]  # the lower-x half only
    mesh = voxelize(Package.from_dict(d))
    own = np.where(mesh.component == mesh.component_id("chiplet"), mesh.power, 0.0).sum(axis=0)
    assert own[2:6, 2:4].sum() == pytest.approx(2.0, rel=1e-12) and own.sum() == pytest.approx(2.0, rel=1e-12)
    d["boxes"][0]["map_extent"] = [[500, 1500], [500, 1600]]
    with pytest.raises(LayoutError) as err:
        Package.from_dict(d)
    assert err.value.path == "boxes[0].map_extent[1]"


def test_transients_and_power_models_use_the_map():
    die = dict(x=[1000, 3000], y=[1000, 3000], power=4.0, power_map=[[0, 1], [0, 3]])
    mesh = voxelize(Package.from_dict(package(die)))
    cid = mesh.component_id("die")
    unit = np.where(mesh.component == cid, unit_power_map(mesh), 0.0)  # W per cell for 1 W
    np.testing.assert_allclose(unit * 4.0, mesh.power, rtol=1e-12, atol=1e-18)
    powers = np.zeros(len(mesh.components))
    powers[cid] = 4.0
    np.testing.assert_allclose(Sources(mesh).field(powers), mesh.power, rtol=1e-12, atol=1e-18)
    # a leakage model sets the total; the map keeps the shape (left half of the die unpowered)
    leak = dict(kind="leakage", dynamic=3.0, leakage=1.0, T_ref=50, beta=0.02)
    res = tc.solve_steady(Package.from_dict(package({**{k: v for k, v in die.items() if k != "power"},
                                                     "power_model": leak})), solver="direct")
    P = res.component("die").power
    assert abs(P - 4.0) > 1e-3  # the model moved the power off its nominal 4 W at T_ref
    cells = die_power(res.mesh)
    assert cells.sum() == pytest.approx(P, rel=1e-9)
    assert cells[:, :8].sum() == pytest.approx(0.0, abs=1e-12 * P)
    assert cells[8:12, 8:12].sum() == pytest.approx(0.75 * P, rel=1e-9)
