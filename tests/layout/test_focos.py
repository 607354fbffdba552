"""The fan-out CPO layout ``focos-cpo``: its ASIC hot-spot power map and its RDL copper-density map
against the same package with each map replaced by a uniform one.

Hot spots. The same total power concentrated in a few pixels must raise the ASIC's peak. Its
volume-mean temperature moves far less, and by a bounded amount (derived, reciprocity): for a
linear, symmetric operator A (constant k; convective faces only) the ASIC's mean is m = vᵀT with
v its cells' volume fractions, so m_map − m_uniform = vᵀA⁻¹Δq = ψᵀΔq with ψ = A⁻¹v, the rise of
the field that 1 W spread uniformly through the ASIC's volume produces. Δq sums to zero, so
|Δm| ≤ ½·‖Δq‖₁·(ψ_max − ψ_min) over the ASIC's cells. Silicon's k(T) makes the shipped layout
mildly nonlinear; the bound is checked on the layout with silicon at its constant reference k
(the same numbers), and the shipped layout's figures are printed beside it.

Copper density. A column of metal fraction d has k_xy(d) parallel (linear in d) and k_z(d)
via-parallel [wang-effective-2006]. The map conserves the mean density over the RDL, so the
volume-mean (parallel, Wiener upper) k_xy of the mapped cells is the uniform RDL's k_xy(d̄) to the
quantisation of the levels, and the harmonic (series, Wiener lower) mean of the cells lies below
it; k_z(d̄) lies between the harmonic and arithmetic means of the cells' k_z.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from thermal_cpo.layout import Package, load_layout
from thermal_cpo.materials import library
from thermal_cpo.materials.mixing import DENSITY_LEVELS, density_material
from thermal_cpo.mesh import voxelize
from thermal_cpo.solve import solve_steady

#: linear solves to this relative residual: their error is far below the bounds tested
TOL = 1e-11


def _edit(asic=None, others_off=False, constant_k=False) -> Package:
    d = load_layout("focos-cpo").to_dict()
    if constant_k:
        si = library()["silicon"]
        d.setdefault("materials", {})["si-constant"] = dict(k=si.k[0], rho=si.rho, cp=si.cp)

    def touch(comp):
        if constant_k and comp.get("material") == "silicon":
            comp["material"] = "si-constant"
        if others_off and comp["name"] != "asic" and comp.get("power"):
            comp["power"] = 0.0
        if comp["name"] == "asic" and asic is not None:
            comp.update(asic)
            for key in [k for k, v in asic.items() if v is None]:
                del comp[key]

    for layer in d["layers"]:
        for block in layer.get("blocks", []):
            touch(block)
    for box in d.get("boxes", []):
        touch(box)
    return Package.from_dict(d)


UNIFORM = dict(power_map=None, map_units=None, map_extent=None, map_grid_lines=None)


@lru_cache(maxsize=None)
def solved(kind: str, constant_k: bool):
    asic = {"map": None, "uniform": UNIFORM,
            "probe": {**UNIFORM, "power": 1.0, "power_at": "volume"}}[kind]
    pkg = _edit(asic, others_off=kind == "probe", constant_k=constant_k)
    return solve_steady(pkg, tol=TOL)


@pytest.mark.slow
@pytest.mark.parametrize("constant_k", [True, False], ids=["constant-k", "shipped"])
def test_hot_spots_raise_the_asic_peak_and_barely_move_its_mean(constant_k):
    r_map, r_uni = solved("map", constant_k), solved("uniform", constant_k)
    a_map, a_uni = r_map.component("asic"), r_uni.component("asic")
    assert a_map.power == pytest.approx(a_uni.power, rel=1e-12) and a_map.power == pytest.approx(300.0)
    label = "silicon at constant k" if constant_k else "shipped (silicon k(T))"
    print(f"\nfocos-cpo, {label}: ASIC T_max {a_map.T_max:.2f} °C with the hot-spot map, "
          f"{a_uni.T_max:.2f} °C uniform; T_mean {a_map.T_mean:.2f} / {a_uni.T_mean:.2f} °C")
    # the hottest pixels carry 3.9 × the mean power density: the peak must rise by more than the
    # solver's error by far; 1 K is a clear margin below any hot-spot effect at 2.9 W/mm²
    assert a_map.T_max > a_uni.T_max + 1.0
    if constant_k:
        probe = solved("probe", True).component("asic")
        dq = np.abs(r_map.mesh.power - r_uni.mesh.power).sum()
        bound = 0.5 * dq * (probe.T_max - probe.T_min)  # K: ψ's range per watt times ½‖Δq‖₁
        print(f"  |ΔT_mean| = {abs(a_map.T_mean - a_uni.T_mean):.4f} K, reciprocity bound {bound:.4f} K")
        # the bound holds exactly for the linear problem; 1e-6 K covers the residual of the solves
        assert abs(a_map.T_mean - a_uni.T_mean) <= bound + 1e-6
        # and the mean moves much less than the peak: the map redistributes, it adds no power
        assert bound < a_map.T_max - a_uni.T_max


def _rdl_cells(pkg: Package):
    mesh = voxelize(pkg)
    (info,) = [c for c in mesh.components if c.name == "rdl"]
    cells = mesh.component == info.id
    dz, dy, dx = (np.diff(a) for a in (mesh.z, mesh.y, mesh.x))
    vol = (dz[:, None, None] * dy[None, :, None] * dx[None, None, :])[cells]
    k = np.array([mesh.materials[m].k for m in mesh.material[cells]])
    return vol / vol.sum(), k


def test_rdl_density_map_brackets_the_uniform_rdl():
    pkg = load_layout("focos-cpo")
    (rdl,) = [b for layer in pkg.layers for b in layer.blocks if b.name == "rdl"]
    rows = np.array(rdl.metal_density)
    d_mean = rows.mean()  # equal pixels: the area mean
    lib = library()
    uniform = density_material(d_mean, lib["copper"], lib["polyimide"], rdl.via_fraction).k
    w, k = _rdl_cells(pkg)
    assert len({tuple(row) for row in k}) > 1  # the map is resolved: several levels
    arith = (w[:, None] * k).sum(axis=0)
    harm = 1.0 / (w[:, None] / k).sum(axis=0)
    # quantisation moves a cell's density by at most (d_max − d_min)/(2(levels − 1)) (derived in
    # thermal_cpo.materials.mixing); k_xy is linear in d with slope k_cu − k_pi
    dd = (rows.max() - rows.min()) / (2 * (DENSITY_LEVELS - 1))
    tol_xy = dd * (lib["copper"].k[0] - lib["polyimide"].k[0])
    for axis in (0, 1):  # parallel: the volume mean of the cells is the uniform value
        assert abs(arith[axis] - uniform[axis]) <= tol_xy
        assert harm[axis] < uniform[axis] < arith[axis] + tol_xy
        assert k[:, axis].min() < uniform[axis] < k[:, axis].max()
    # through the layer: the via-parallel k_z(d) and 1/k_z(d) are both convex in d over the map's
    # densities (checked on a fine grid of [d_min, d_max] below; 1/k_z is not near d = 1), so by Jensen the uniform k_z(d̄) lies between the cells' harmonic and
    # arithmetic means; both are exact here, as the cells hold fewer than DENSITY_LEVELS densities
    assert len({tuple(row) for row in k}) <= DENSITY_LEVELS
    ds = np.linspace(rows.min(), rows.max(), 201)
    kz = np.array([density_material(x, lib["copper"], lib["polyimide"], rdl.via_fraction).k[2] for x in ds])
    assert np.all(np.diff(kz, 2) >= -1e-9 * kz.max()) and np.all(np.diff(1.0 / kz, 2) >= 0.0)
    assert harm[2] <= uniform[2] <= arith[2] * (1 + 1e-12)
    assert k[:, 2].min() < uniform[2] < k[:, 2].max()
    print(f"\nRDL d̄ = {d_mean:.4f}: uniform k = ({uniform[0]:.2f}, {uniform[2]:.3f}); mapped cells "
          f"k_xy {harm[0]:.2f}–{arith[0]:.2f} (series–parallel), k_z {harm[2]:.3f}–{arith[2]:.3f}")
