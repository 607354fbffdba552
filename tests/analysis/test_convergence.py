"""Grid convergence: the GCI procedure on values with a known error law, and a study of a package
with an exact solution (order, extrapolation, error band)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import thermal_cpo as tc
from thermal_cpo.analysis import convergence_study, gci
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.layout.toml import dump_toml

K, Q, L, T0 = 150.0, 2.0, 400e-6, 30.0  # W/(m·K), W through 1 mm², m, °C


@pytest.mark.parametrize("r21, r32", [(2.0, 2.0), (1.5, 2.0), (4 / 3, 1.5)])
def test_gci_recovers_a_second_order_error_law(r21, r32):
    # f(h) = 80 + 3 h²: exact order 2 and an exact extrapolation, for unequal ratios too
    h1 = 0.1
    f = [80.0 + 3.0 * h ** 2 for h in (h1, h1 * r21, h1 * r21 * r32)]
    g = gci(*f, r21, r32)
    assert g["status"] == "asymptotic"
    assert g["order"] == pytest.approx(2.0, abs=1e-9)
    assert g["extrapolated"] == pytest.approx(80.0, abs=1e-9)
    assert abs(g["fine"] - 80.0) <= g["gci"]  # the band holds the exact value (Fs = 1.25 > 1)


def test_gci_marks_what_it_cannot_bound():
    assert "oscillating" in gci(80.0, 80.5, 79.0, 2.0, 2.0)["status"]
    first = gci(*[80.0 + h for h in (0.1, 0.2, 0.4)], 2.0, 2.0)  # order 1: not the scheme's
    assert first["gci"] is None and "outside the asymptotic range" in first["status"]
    assert gci(50.0, 50.0, 50.0, 2.0, 2.0)["status"] == "grid-independent"


def slab() -> Package:
    """A uniformly heated slab, adiabatic but for a fixed top: T(z) = T0 + q'''(L² − z²)/(2k)."""
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=1000, y=1000), materials={"si_c": {"k": K, "rho": 2330, "cp": 705}},
        grid=dict(max_cell_xy=1000, max_cell_z=100),
        layers=[dict(name="die", thickness=L * 1e6, material="si_c", power=Q, power_at="volume")],
        boundaries={"top": {"type": "fixed", "T": T0}}))


def kt_slab() -> Package:
    """A k(T) slab heated on its bottom face, the top fixed: the exact profile by the Kirchhoff
    transform, curved, so that the scheme's error is a genuine second-order one."""
    return Package.from_dict(dict(
        name="kt", footprint=dict(x=1000, y=1000),
        materials={"si_kt": {"k": K, "rho": 2330, "cp": 705, "k_model": "power", "T0": "300 K", "n": 1.3}},
        grid=dict(max_cell_xy=1000, max_cell_z=100),
        layers=[dict(name="die", thickness=L * 1e6, material="si_kt", power=20 * Q, power_at="bottom")],
        boundaries={"top": {"type": "fixed", "T": T0}}))


def test_study_of_an_exact_case():
    from analytic import kirchhoff_slab

    z = np.linspace(0.0, L, 200_001)
    T = kirchhoff_slab(z, L, 20 * Q / 1e-6, T0 + 273.15, K, 300.0, 1.3) - 273.15
    mean = np.trapezoid(T, z) / L  # quadrature error ~1e-10 K at this spacing
    result, study = convergence_study(kt_slab(), picard_tol=1e-10)
    assert result.mesh.n_cells == 27 * tc.solve_steady(kt_slab()).mesh.n_cells  # the finest is ×3
    rows = {r["name"]: r for r in study["rows"]}
    r = rows["die.T_mean"]
    assert r["status"] == "asymptotic" and r["order"] == pytest.approx(2.0, abs=0.2), r
    assert abs(r["extrapolated"] - mean) < 0.1 * abs(r["fine"] - mean), r
    assert abs(r["fine"] - mean) <= r["gci"], r
    # the hottest cell centre sits half a cell above the heated face: first order, and marked so
    r = rows["die.T_max"]
    assert r["gci"] is None and r["order"] == pytest.approx(1.0, abs=0.2), r
    assert r["fine"] < T[0]


def test_cli_convergence_is_stored_and_reported(tmp_path):
    f = tmp_path / "slab.toml"
    f.write_text(dump_toml(slab()))
    out = tmp_path / "slab.h5"
    res = CliRunner().invoke(cli, ["run", str(f), "--convergence", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Grid convergence" in res.output
    back = tc.load_result(out)
    assert {r["name"] for r in back.convergence["rows"]} == {"die.T_max", "die.T_mean"}
    rep = CliRunner().invoke(cli, ["report", str(out), "--json"])
    assert json.loads(rep.output)["convergence"]["levels"] == [1, 2, 3]
    assert CliRunner().invoke(cli, ["run", str(f), "--convergence", "--transient", "--t-end", "1"]).exit_code == 2
