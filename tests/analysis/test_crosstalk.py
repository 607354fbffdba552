"""Report, photonics arithmetic and crosstalk (reference §5)."""

import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.analysis.report import crosstalk, heater_power_mW, report, ring_drift_pm
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.results import load_result
from thermal_cpo.solve.steady import solve_steady


def _three_sources(powers=(10.0, 4.0, 2.0)):
    """A small linear (constant-k) package with three powered dies under one lid."""
    return Package.from_dict(dict(
        name="three", footprint=dict(x=8000, y=6000), grid=dict(max_cell_xy=250, max_cell_z=100),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=300, material="si", blocks=[
                    dict(name="asic", x=[500, 3500], y=[1000, 5000], power=powers[0], power_at="bottom", limit=95),
                    dict(name="pic", x=[4500, 6000], y=[1000, 3000], power=powers[1], power_at="top"),
                    dict(name="eic", x=[6500, 7500], y=[3500, 5500], power=powers[2])]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        boundaries=dict(top=dict(type="convective", h=2e4, T=35.0))))


def test_crosstalk_equals_finite_differences():
    """Ψ_ij from one set-up and n solves equals brute-force finite differences of full solves."""
    pkg = _three_sources()
    xt = crosstalk(pkg, tol=1e-12)
    base = solve_steady(pkg, solver="amg", tol=1e-12)
    names = ["asic", "pic", "eic"]
    powers = dict(zip(names, (10.0, 4.0, 2.0)))
    for j, src in enumerate(names):
        dP = 1.0
        bumped = _three_sources(tuple(powers[n] + (dP if n == src else 0.0) for n in names))
        r = solve_steady(bumped, solver="amg", tol=1e-12)
        for tgt in names + ["lid"]:
            fd = (r.component(tgt).T_mean - base.component(tgt).T_mean) / dP
            assert xt(tgt, src) == pytest.approx(fd, rel=1e-6)
    assert xt.stats["steady_solves"] == 0 and len(xt.stats["iterations"]) == 3


@pytest.mark.parametrize("solver", ["multigrid", "amg"])
def test_crosstalk_sets_the_preconditioner_up_once(monkeypatch, solver):
    import thermal_cpo.linalg as linalg

    cls = {"multigrid": linalg.MultigridSolver, "amg": linalg.AMGSolver}[solver]
    calls = []
    original = cls.setup

    def counting(self, A):
        calls.append(A.shape)
        return original(self, A)

    monkeypatch.setattr(cls, "setup", counting)
    xt = crosstalk(_three_sources(), solver=solver)
    assert len(calls) == 1 and len(xt.stats["iterations"]) == 3


def test_crosstalk_is_symmetric_for_volume_sources():
    """Reciprocity of the symmetric conductance operator: with 1 W spread uniformly over the
    volume of j and the volume-mean over i, Ψ_ij = u_iᵀ A⁻¹ u_j with u the volume weights
    normalised to 1 — a symmetric bilinear form, so Ψ_ij = Ψ_ji."""
    pkg = _three_sources()
    pkg = Package.from_dict({**pkg.to_dict(), "layers": [
        {**layer, "blocks": [{**b, "power_at": "volume"} for b in layer["blocks"]]}
        for layer in pkg.to_dict()["layers"]]})
    xt = crosstalk(pkg, tol=1e-12)
    for a in xt.sources:
        for b in xt.sources:
            # Ψ_ab (mean over a of the rise from a unit source uniform over b) is symmetric:
            # mean_a(A⁻¹ u_b) = u_aᵀ A⁻¹ u_b / 1 with u normalised to 1 W → symmetric bilinear form
            assert xt(a, b) == pytest.approx(xt(b, a), rel=1e-8)


def test_ring_arithmetic_by_hand():
    """Reference §5.2 example: 80 pm/K, 10 K below the lock point, 0.25 nm/mW → 3.2 mW a ring."""
    assert ring_drift_pm(45.0, 55.0, 80.0) == pytest.approx(-800.0)
    assert heater_power_mW(45.0, 55.0, 80.0, 0.25) == pytest.approx(3.2)
    assert heater_power_mW(60.0, 55.0, 80.0, 0.25) == 0.0  # heaters cannot cool


def _ring_package(T_wall, T_ref):
    """No power, every face fixed at T_wall: every cell (and ring) sits exactly at T_wall."""
    fixed = dict(type="fixed", T=T_wall)
    return Package.from_dict(dict(
        name="rings", footprint=dict(x=1000, y=1000), grid=dict(max_cell_xy=100, max_cell_z=50),
        layers=[dict(name="pic", thickness=100, material="silicon", photonics=dict(
            dlambda_dT=80, T_ref=T_ref, tuning_efficiency=0.25,
            rings=[[150, 150], [450, 450], [850, 850, 20]]))],
        boundaries={f: fixed for f in ("top", "bottom", "xmin", "xmax", "ymin", "ymax")}))


def test_photonics_report_hand_values():
    r = solve_steady(_ring_package(45.0, 55.0))
    (p,) = report(r)["photonics"]
    assert p["rings"] == 3
    np.testing.assert_allclose(p["T_rings"], 45.0, atol=1e-9)
    np.testing.assert_allclose(p["drift_pm"], -800.0, atol=1e-6)
    np.testing.assert_allclose(p["heater_hold_mW"], 3.2, atol=1e-9)
    assert p["heater_hold_total_mW"] == pytest.approx(9.6)
    assert p["heater_align_total_mW"] == pytest.approx(0.0, abs=1e-9)
    assert p["rings_above_T_ref"] == 0 and p["delta_T_bank"] == pytest.approx(0.0, abs=1e-9)
    r = solve_steady(_ring_package(60.0, 55.0))
    (p,) = report(r)["photonics"]
    assert p["rings_above_T_ref"] == 3 and p["heater_hold_total_mW"] == 0.0
    np.testing.assert_allclose(p["drift_pm"], 400.0, atol=1e-6)


def test_ring_temperature_is_the_cell_at_the_ring():
    pkg = _three_sources()
    # the ring's cell, looked up independently, carries the reported temperature
    d = pkg.to_dict()
    d["layers"][0]["blocks"][1]["photonics"] = dict(dlambda_dT=80, T_ref=50, rings=[[5000e-6, 2000e-6]])
    pkg = Package.from_dict(d)
    r = solve_steady(pkg)
    (p,) = report(r)["photonics"]
    m = r.mesh
    i = np.searchsorted(m.x, 5000e-6, side="right") - 1
    j = np.searchsorted(m.y, 2000e-6, side="right") - 1
    comp = m.components[m.component_id("pic")]
    k = comp.index[1] - 1  # no z given: the top cell layer of the PIC
    assert p["T_rings"][0] == pytest.approx(r.temperature[k, j, i], rel=1e-12)


def test_report_margin_and_thermal_resistance():
    r = solve_steady(_three_sources())
    rep = report(r)
    row = next(c for c in rep["components"] if c["name"] == "asic")
    asic = r.component("asic")
    assert rep["coolant_T"] == 35.0
    assert row["margin"] == pytest.approx(95 - asic.T_max)
    assert row["R_th"] == pytest.approx((asic.T_max - 35.0) / 10.0)
    assert next(c for c in rep["components"] if c["name"] == "lid")["R_th"] is None


def test_crosstalk_cli_stores_matrix_and_report_reads_it(tmp_path):
    f = tmp_path / "three.toml"
    from thermal_cpo.layout import dump_toml

    f.write_text(dump_toml(_three_sources()))
    out = tmp_path / "x.h5"
    res = CliRunner().invoke(cli, ["crosstalk", str(f), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "from asic (10 W)" in res.stdout
    back = load_result(out)
    direct = crosstalk(_three_sources())
    np.testing.assert_allclose(back.crosstalk.psi_mean, direct.psi_mean, rtol=1e-7)
    assert back.crosstalk.sources == ["asic", "pic", "eic"]
    res = CliRunner().invoke(cli, ["report", str(out)])
    assert res.exit_code == 0 and "Crosstalk" in res.stdout and "asic" in res.stdout
    res = CliRunner().invoke(cli, ["report", str(out), "--json"])
    import json

    assert json.loads(res.stdout)["crosstalk"]["sources"] == ["asic", "pic", "eic"]


@pytest.mark.parametrize("content", [None, b"not hdf5 at all"])
def test_report_bad_file_exit_2(tmp_path, content):
    path = tmp_path / "bad.h5"
    if content is not None:
        path.write_bytes(content)
    res = CliRunner().invoke(cli, ["report", str(path)])
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ") and "Traceback" not in res.stderr


def test_crosstalk_unknown_source_names_it():
    with pytest.raises(LayoutError, match="did you mean 'asic'"):
        crosstalk(_three_sources(), sources=["asik"])
