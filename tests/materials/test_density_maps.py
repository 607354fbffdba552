"""Copper-density maps: per-cell effective materials between the parallel (Voigt/Wiener upper)
and series (Reuss/Wiener lower) bounds [wang-effective-2006], resampled conservatively and
quantised to a bounded number of levels with a stated error bound.

The check values are the two bounds written out here from the library's copper and polyimide
(k, ρ, c_p), not taken from the code under test. Tolerances: an effective value is a handful of
products and sums of doubles, ~1e-15 relative, and the cell densities are rounded to 1e-13 (the
module's stated rounding), so 1e-12 relative is the exactness check.
"""

from __future__ import annotations

import numpy as np
import pytest

import thermal_cpo as tc
from thermal_cpo.layout import Package
from thermal_cpo.materials import get
from thermal_cpo.materials.mixing import DENSITY_LEVELS, density_conductivity, quantise
from thermal_cpo.mesh import voxelize
from thermal_cpo.mesh.media import column_densities

CU, PI = get("copper"), get("polyimide")


def voigt(d, a=CU, b=PI, c=0):
    return d * a.k[c] + (1 - d) * b.k[c]


def reuss(d, a=CU, b=PI, c=2):
    return 1.0 / (d / a.k[c] + (1 - d) / b.k[c])


def layout(density, via=0.0, cell=100, side=1000):
    """A 1 mm square, 20 µm RDL (the density map) on 100 µm of silicon with 1 W in its bottom,
    under a 1 mm copper lid held at 40 °C on top."""
    rdl = dict(name="rdl", thickness=20, metal_density=density, metal="copper", dielectric="polyimide")
    if via:
        rdl["via_fraction"] = via
    return dict(name="density", footprint=dict(x=side, y=side), grid=dict(max_cell_xy=cell, max_cell_z=10),
                layers=[dict(name="die", thickness=100, material="silicon", power=1.0, power_at="bottom"),
                        rdl, dict(name="lid", thickness=1000, material="copper")],
                boundaries={"top": {"type": "fixed", "T": 40.0}})


def rdl_materials(mesh):
    """The materials of the RDL's cells, ``(nz, ny, nx)`` of Material objects."""
    own = mesh.component == [c.name for c in mesh.components].index("rdl")
    ids = mesh.material[own]
    return [mesh.materials[i] for i in np.unique(ids)], ids


def test_a_uniform_density_is_the_analytic_laminate():
    mesh = voxelize(Package.from_dict(layout([[0.3] * 4] * 3)))
    mats, _ = rdl_materials(mesh)
    assert len(mats) == 1
    (m,) = mats
    assert m.k[0] == pytest.approx(voigt(0.3), rel=1e-12)
    assert m.k[1] == pytest.approx(voigt(0.3, c=1), rel=1e-12)
    assert m.k[2] == pytest.approx(reuss(0.3), rel=1e-12)
    rho_cp = 0.3 * CU.rho * CU.cp + 0.7 * PI.rho * PI.cp  # volume mixing of ρ·c_p
    assert m.rho * m.cp == pytest.approx(rho_cp, rel=1e-12)
    assert m.rho == pytest.approx(0.3 * CU.rho + 0.7 * PI.rho, rel=1e-12)


def test_stripes_finer_than_a_cell_give_the_parallel_and_series_bounds():
    # 40 stripes of 25 µm, copper and polyimide alternating in x, under 100 µm cells: every
    # cell column holds half of each, in-plane the parallel bound, through-plane the series
    stripes = [[1.0, 0.0] * 20]
    for via, kz in ((0.0, reuss(0.5)), (1.0, voigt(0.5, c=2))):
        mats, _ = rdl_materials(voxelize(Package.from_dict(layout(stripes, via=via))))
        assert len(mats) == 1
        assert mats[0].k[0] == pytest.approx(voigt(0.5), rel=1e-12)
        assert mats[0].k[2] == pytest.approx(kz, rel=1e-12)
    # a share of the metal in vias lands between the bounds
    kz_half = density_conductivity(0.5, CU.k, PI.k, 0.5)[2]
    assert reuss(0.5) < kz_half < voigt(0.5, c=2)


def test_stripes_as_wide_as_the_cells_keep_pure_phases():
    # 10 stripes of 100 µm on 100 µm cells: the columns are copper or polyimide, d = 1 or 0
    mats, ids = rdl_materials(voxelize(Package.from_dict(layout([[1.0, 0.0] * 5]))))
    ks = sorted(m.k for m in mats)
    assert ks[0] == pytest.approx(PI.k, rel=1e-12) and ks[1] == pytest.approx(CU.k, rel=1e-12)


def test_the_resampling_conserves_the_metal_volume():
    # a 7 × 13 map on a 100 µm grid: pixels cut across cells in both directions
    rng = np.random.default_rng(4)
    density = rng.uniform(0, 1, size=(7, 13))
    pkg = Package.from_dict(layout(density.tolist()))
    mesh = voxelize(pkg)
    c = next(c for c in mesh.components if c.name == "rdl")
    _, _, j0, j1, i0, i1 = c.index
    d = column_densities(pkg.layers[1], mesh.x[i0:i1 + 1], mesh.y[j0:j1 + 1])
    area = np.diff(mesh.y[j0:j1 + 1])[:, None] * np.diff(mesh.x[i0:i1 + 1])[None, :]
    # the map's metal area: each pixel's density times its (equal) area
    assert np.sum(d * area) == pytest.approx(density.mean() * 1e-6, rel=1e-12)


def test_the_quantisation_error_bound_holds_and_is_tight():
    rng = np.random.default_rng(7)
    values = rng.uniform(0.1, 0.9, size=5000)
    levels, index, bound = quantise(values, 64)
    assert len(levels) == 64
    # the stated bound: half the level spacing, (max − min)/(2(n − 1))
    spacing_half = (values.max() - values.min()) / 126
    assert bound == pytest.approx(spacing_half, rel=1e-12)
    err = np.abs(levels[index] - values)
    assert err.max() <= bound
    assert err.max() > 0.95 * bound  # 5000 uniform values fill every gap: the bound is reached
    # few distinct values are kept exactly
    few = np.array([0.25, 0.5, 0.25, 0.75])
    lv, ix, b = quantise(few, 64)
    assert b == 0.0 and np.array_equal(lv[ix], few)


def test_a_fine_random_map_is_quantised_within_the_bound_in_the_mesh():
    # 50 × 50 pixels on 10 × 10 cells: each cell the mean of a 5 × 5 block of pixels
    rng = np.random.default_rng(11)
    density = rng.uniform(0, 1, size=(50, 50))
    exact = density.reshape(10, 5, 10, 5).mean(axis=(1, 3))
    mesh = voxelize(Package.from_dict(layout(density.tolist())))
    mats, ids = rdl_materials(mesh)
    assert 2 < len(mats) <= DENSITY_LEVELS
    bound = (exact.max() - exact.min()) / (2 * (DENSITY_LEVELS - 1))
    c = next(c for c in mesh.components if c.name == "rdl")
    k0, k1, j0, j1, i0, i1 = c.index
    kx = np.array([[mesh.materials[mesh.material[k0, j, i]].k[0] for i in range(i0, i1)] for j in range(j0, j1)])
    # k_xy is linear in d: its error is (k_cu − k_pi) times the density error (plus rounding)
    assert np.max(np.abs(kx - voigt(exact))) <= (CU.k[0] - PI.k[0]) * bound * (1 + 1e-9)


def test_a_density_map_solves_and_its_result_file_reads_back(tmp_path):
    from thermal_cpo.results.result import load_result

    pkg = Package.from_dict(layout([[0.2, 0.8], [0.5, 0.5]]))
    r = tc.solve_steady(pkg, solver="direct")
    r.save(tmp_path / "r.h5")
    back = load_result(tmp_path / "r.h5")
    assert back.mesh.material_names == r.mesh.material_names
    assert [m.k for m in back.mesh.materials] == [m.k for m in r.mesh.materials]
    # four quadrants of densities 0.2, 0.8, 0.5, 0.5: three levels
    assert sum("metal density" in n for n in r.mesh.material_names) == 3
