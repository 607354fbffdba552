"""Voids in a TIM layer: a layer's ``void_fraction`` against the Maxwell–Eucken value for
insulating pores, k·2(1 − φ)/(2 + φ) [wang-effective-2006], and an explicit seeded void map:
its fraction met to the stated tolerance, reproducible by seed, independent of the grid in its
placement, and a hot spot over the voids that the effective medium smooths away.

Tolerances: the effective values are a few double operations (1e-14 relative); the void map's
realised fraction is held to the module's stated bound (half the largest cell column's share of
the footprint), the raster's to one void's area over the footprint.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import thermal_cpo as tc
from thermal_cpo.layout import Package
from thermal_cpo.materials import get
from thermal_cpo.mesh import voxelize
from thermal_cpo.mesh.voids import void_raster

INDIUM = get("indium")


def layout(tim: dict, cell: float = 25, side: float = 1000, power: float = 5.0) -> dict:
    """5 W in the bottom of a 20 µm silicon die under a 50 µm indium TIM and a 200 µm copper
    lid held at 40 °C on top; ``tim``: the TIM layer's extra keys."""
    return dict(name="voids", footprint=dict(x=side, y=side), grid=dict(max_cell_xy=cell, max_cell_z=25),
                layers=[dict(name="die", thickness=20, material="silicon", power=power, power_at="bottom"),
                        dict(name="tim", thickness=50, material="indium", **tim),
                        dict(name="lid", thickness=200, material="copper", max_cell_z=100)],
                boundaries={"top": {"type": "fixed", "T": 40.0}})


def tim_cells(mesh):
    """``(own mask, void mask)`` of the TIM's cells."""
    own = mesh.component == [c.name for c in mesh.components].index("tim")
    air = mesh.material_names.index("air") if "air" in mesh.material_names else -1
    return own, own & (mesh.material == air)


@pytest.mark.parametrize("phi", [0.0, 0.1, 0.3])
def test_a_layer_void_fraction_is_maxwell_eucken_for_insulating_pores(phi):
    pkg = Package.from_dict(layout(dict(void_fraction=phi)))
    m = pkg.material(pkg.layers[1].material)
    me = INDIUM.k[0] * 2 * (1 - phi) / (2 + phi)  # Maxwell–Eucken with k_pore = 0
    assert m.k == pytest.approx((me,) * 3, rel=1e-14)
    assert m.rho == pytest.approx(INDIUM.rho * (1 - phi), rel=1e-14)
    # the resolved layout reads back to the same material, the voids applied once
    again = Package.from_dict(pkg.to_dict())
    assert again == pkg and again.material(again.layers[1].material).k == m.k


def test_a_block_void_fraction_voids_its_layers_material_as_declared():
    tim = dict(void_fraction=0.1, blocks=[dict(name="edge", x=[0, 200], y=[0, 1000], void_fraction=0.3)])
    pkg = Package.from_dict(layout(tim))
    k = pkg.material(pkg.layers[1].blocks[0].material).k[0]
    assert k == pytest.approx(INDIUM.k[0] * 2 * 0.7 / 2.3, rel=1e-14)  # 30 % of dense indium, not 10 % + 30 %


@pytest.mark.parametrize("fraction", [0.05, 0.1, 0.3])
def test_the_void_map_meets_its_fraction_to_the_stated_tolerance(fraction):
    mesh = voxelize(Package.from_dict(layout(dict(voids=dict(fraction=fraction, diameter="100 um", seed=2)))))
    own, void = tim_cells(mesh)
    k = np.flatnonzero(own.any(axis=(1, 2)))[0]
    area = np.diff(mesh.y)[:, None] * np.diff(mesh.x)[None, :]
    realised = area[void[k]].sum() / area.sum()
    assert abs(realised - fraction) <= 0.5 * area.max() / area.sum() + 1e-12
    # every TIM cell layer holds the same voids (they go through the layer's height)
    assert all(np.array_equal(void[k], void[kk]) for kk in np.flatnonzero(own.any(axis=(1, 2))))


def test_the_void_raster_covers_the_fraction_within_one_void():
    d, side = 100e-6, 1e-3
    covered, xe, ye, n = void_raster((0.0, side, 0.0, side), d, 0.1, seed=5)
    one_void = math.pi * d * d / 4 / side ** 2
    assert 0.1 <= covered.mean() <= 0.1 + one_void
    assert n >= 0.1 / one_void  # overlapping voids: at least as many as the area needs


def test_the_void_map_is_reproducible_by_seed_and_its_placement_independent_of_the_grid():
    def voids(seed, cell=25):
        return tim_cells(voxelize(Package.from_dict(layout(dict(voids=dict(fraction=0.1, diameter="100 um",
                                                                            seed=seed)), cell=cell))))[1]

    assert np.array_equal(voids(1), voids(1))
    assert not np.array_equal(voids(1), voids(2))
    a = void_raster((0.0, 1e-3, 0.0, 1e-3), 100e-6, 0.1, seed=1)[0]
    b = void_raster((0.0, 1e-3, 0.0, 1e-3), 100e-6, 0.1, seed=1)[0]
    assert np.array_equal(a, b)
    # on a grid twice as fine the void cells lie where the coarse grid's did, to within the
    # cells at the voids' edges: most fine void cells sit in coarse void columns
    coarse, fine = voids(1, 50), voids(1, 25)
    kc = np.flatnonzero(coarse.any(axis=(1, 2)))[0]
    kf = np.flatnonzero(fine.any(axis=(1, 2)))[0]
    overlap = coarse[kc].repeat(2, axis=0).repeat(2, axis=1) & fine[kf]
    assert overlap.sum() >= 0.7 * fine[kf].sum()


def test_explicit_voids_make_a_hot_spot_the_effective_medium_misses():
    mean = tc.solve_steady(Package.from_dict(layout(dict(void_fraction=0.1))), solver="direct")
    explicit = tc.solve_steady(Package.from_dict(layout(dict(voids=dict(fraction=0.1, diameter="150 um",
                                                                        seed=1)))), solver="direct")
    rise_mean, rise_explicit = mean.temperature.max() - 40.0, explicit.temperature.max() - 40.0
    # over a 150 µm void the heat must spread sideways in 20 µm of silicon: the peak rise is
    # well above the smeared medium's, while the mean die temperature stays near it (the
    # explicit voids block 10 % of the area, the spheres of the effective medium ~14 %)
    assert rise_explicit > 1.3 * rise_mean
    die = [c.name for c in mean.mesh.components].index("die")
    t_mean = mean.temperature[mean.mesh.component == die].mean() - 40.0
    t_explicit = explicit.temperature[explicit.mesh.component == die].mean() - 40.0
    assert t_explicit == pytest.approx(t_mean, rel=0.15)
