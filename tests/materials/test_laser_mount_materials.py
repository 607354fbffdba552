"""The laser-chip and mount materials (InP, GaAs, 6H-SiC, AlN, CVD diamond): conduction through
each against the exact 1-D answer (Kirchhoff transform where k depends on T), and their numbers
against independent published figures."""

from __future__ import annotations

import numpy as np
import pytest

import thermal_cpo as tc
from thermal_cpo.layout import Package
from thermal_cpo.materials import get

NEW = ["inp", "gaas", "sic-6h", "aln", "cvd-diamond"]
Q, T_TOP, THICK = 5.0, 40.0, 200e-6  # W through 1 mm², °C, m


def slab(material: str, n_cells: int) -> Package:
    """Power on the bottom face of a 1 × 1 mm slab, the top fixed: a uniform flux q = Q/A."""
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=1000, y=1000), grid=dict(max_cell_xy=1000, max_cell_z=THICK * 1e6 / n_cells),
        layers=[dict(name="chip", thickness=THICK * 1e6, material=material, power=Q, power_at="bottom")],
        boundaries={"top": {"type": "fixed", "T": T_TOP}}))


def kirchhoff(m, z: float) -> float:
    """Exact T (°C) at height z (m) for the flux Q/A through the slab above z: ∫ k(T) dT = q (t − z);
    for k = k0 (T/T0)^−n (T in K) in closed form."""
    q = Q / 1e-6
    k0 = m.k[2]
    if not m.temperature_dependent:
        return T_TOP + q * (THICK - z) / k0
    n, T0, Tt = m.n, m.T0 + 273.15, T_TOP + 273.15  # the library keeps T0 in °C
    return (Tt ** (1 - n) + q * (THICK - z) * (1 - n) / (k0 * T0 ** n)) ** (1 / (1 - n)) - 273.15


@pytest.mark.parametrize("name", NEW)
def test_conduction_through_the_slab_matches_the_exact_answer(name):
    m = get(name)
    r = tc.solve_steady(slab(name, 20))
    z = 0.5 * (r.mesh.z[:-1] + r.mesh.z[1:])
    T = r.temperature[:, 0, 0]
    exact = np.array([kirchhoff(m, zi) for zi in z])
    rise = exact[0] - T_TOP
    # constant k: a linear profile, exact at the cell centres up to the linear solve (1e-10);
    # k(T): the faces take k at their cells' temperatures, second-order accurate: with 20 cells
    # and a rise of a few K the error is far below 1e-3 of the rise
    tol = 1e-8 if not m.temperature_dependent else 1e-3
    assert np.max(np.abs(T - exact)) <= tol * rise, (name, rise)


def test_gaas_diffusivity_agrees_with_the_measured_one():
    # k, rho and cp come from three entries; their ratio must give the archive's own measured
    # thermal diffusivity, 0.31 cm²/s [ioffe-gaas-thermal-nd], within the 2 % its rounding allows
    m = get("gaas")
    assert m.k[0] / (m.rho * m.cp) == pytest.approx(0.31e-4, rel=0.02)


def test_sic_is_anisotropic_and_falls_with_temperature_as_published():
    m = get("sic-6h")
    assert m.k[2] / m.k[0] == pytest.approx(0.70, abs=0.01)  # ~30 % lower along c
    # T^-1.49 from 300 to 400 K: (4/3)^-1.49 = 0.651
    assert float(m.k_factor(np.array([126.85]))[0]) == pytest.approx((400 / 300) ** -1.49, rel=1e-9)


def test_mount_materials_rank_as_heat_spreaders():
    # diffusivity k/(rho cp): diamond ≫ SiC > AlN > the III-V laser chips
    alpha = {n: get(n).k[0] / (get(n).rho * get(n).cp) for n in NEW}
    assert alpha["cvd-diamond"] > 5 * alpha["sic-6h"] > 5 * alpha["aln"] / 2
    assert alpha["aln"] > alpha["inp"] > alpha["gaas"]


def test_an_aln_submount_runs_a_laser_cooler_than_a_silicon_one():
    def laser_T(submount: str) -> float:
        pkg = Package.from_dict(dict(
            name="mount", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=250, max_cell_z=50),
            layers=[dict(name="sub", thickness=250, material=submount),
                    dict(name="laser", thickness=120, material="inp", power=1.0, power_at="top")],
            boundaries={"bottom": {"type": "convective", "h": 2e4, "T": 25}}))
        return tc.solve_steady(pkg).component("laser").T_max

    # AlN 170 vs Si ≈ 148 falling with T: the better conductor gives the lower laser temperature
    assert laser_T("aln") < laser_T("silicon") < laser_T("gaas")
