"""Crosstalk Ψ_ij = ∂T_i/∂P_j by superposition: against finite differences of full solves,
reciprocity, one preconditioner set-up, and the matrix through the command line and the file."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.analysis import crosstalk
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package, dump_toml
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady


def test_crosstalk_equals_finite_differences(three_sources):
    """Ψ_ij from one set-up and n solves equals brute-force finite differences of full solves."""
    pkg = three_sources()
    xt = crosstalk(pkg, tol=1e-12)
    base = solve_steady(pkg, solver="amg", tol=1e-12)
    names = ["asic", "pic", "eic"]
    powers = dict(zip(names, (10.0, 4.0, 2.0)))
    for j, src in enumerate(names):
        dP = 1.0
        bumped = three_sources(tuple(powers[n] + (dP if n == src else 0.0) for n in names))
        r = solve_steady(bumped, solver="amg", tol=1e-12)
        for tgt in names + ["lid"]:
            fd = (r.component(tgt).T_mean - base.component(tgt).T_mean) / dP
            assert xt(tgt, src) == pytest.approx(fd, rel=1e-6)
    assert xt.stats["steady_solves"] == 0 and len(xt.stats["iterations"]) == 3


@pytest.mark.parametrize("solver", ["multigrid", "amg"])
def test_crosstalk_sets_the_preconditioner_up_once(monkeypatch, solver, three_sources):
    import thermal_cpo.linalg as linalg

    cls = {"multigrid": linalg.MultigridSolver, "amg": linalg.AMGSolver}[solver]
    calls = []
    original = cls.setup

    def counting(self, A):
        calls.append(A.shape)
        return original(self, A)

    monkeypatch.setattr(cls, "setup", counting)
    xt = crosstalk(three_sources(), solver=solver)
    assert len(calls) == 1 and len(xt.stats["iterations"]) == 3


def test_crosstalk_is_symmetric_for_volume_sources(three_sources):
    """Reciprocity of the symmetric conductance operator: with 1 W spread uniformly over the
    volume of j and the volume-mean over i, Ψ_ij = u_iᵀ A⁻¹ u_j with u the volume weights
    normalised to 1 — a symmetric bilinear form, so Ψ_ij = Ψ_ji."""
    pkg = three_sources()
    pkg = Package.from_dict({**pkg.to_dict(), "layers": [
        {**layer, "blocks": [{**b, "power_at": "volume"} for b in layer["blocks"]]}
        for layer in pkg.to_dict()["layers"]]})
    xt = crosstalk(pkg, tol=1e-12)
    for a in xt.sources:
        for b in xt.sources:
            # Ψ_ab (mean over a of the rise from a unit source uniform over b) is symmetric:
            # mean_a(A⁻¹ u_b) = u_aᵀ A⁻¹ u_b / 1 with u normalised to 1 W → symmetric bilinear form
            assert xt(a, b) == pytest.approx(xt(b, a), rel=1e-8)


def test_crosstalk_cli_stores_matrix_and_report_reads_it(tmp_path, three_sources):
    f = tmp_path / "three.toml"
    f.write_text(dump_toml(three_sources()))
    out = tmp_path / "x.h5"
    res = CliRunner().invoke(cli, ["crosstalk", str(f), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "from asic (10 W)" in res.stdout
    back = load_result(out)
    direct = crosstalk(three_sources())
    np.testing.assert_allclose(back.crosstalk.psi_mean, direct.psi_mean, rtol=1e-7)
    assert back.crosstalk.sources == ["asic", "pic", "eic"]
    res = CliRunner().invoke(cli, ["report", str(out)])
    assert res.exit_code == 0 and "Crosstalk" in res.stdout and "asic" in res.stdout
    res = CliRunner().invoke(cli, ["report", str(out), "--json"])
    assert json.loads(res.stdout)["crosstalk"]["sources"] == ["asic", "pic", "eic"]


def test_crosstalk_unknown_source_names_it(three_sources):
    with pytest.raises(LayoutError, match="did you mean 'asic'"):
        crosstalk(three_sources(), sources=["asik"])
