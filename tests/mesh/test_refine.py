"""Nested refinement: ``refine=N`` splits every cell of the default grid N times per direction,
per-component controls included, and the scheme converges at second order on it."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import thermal_cpo as tc
from thermal_cpo.cli.main import cli
from thermal_cpo.errors import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.mesh import voxelize

K, Q, L, T0 = 150.0, 2.0, 400e-6, 30.0  # W/(m·K), W, m, °C


def slab(graded: bool = False) -> Package:
    """A uniformly heated slab, adiabatic but for a fixed top: T(z) = T0 + q'''(L² − z²)/(2k)."""
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=1000, y=1000), materials={"si_c": {"k": K, "rho": 2330, "cp": 705}},
        grid=dict(max_cell_xy=500, max_cell_z=100, grading=1.3),
        layers=[dict(name="die", thickness=L * 1e6, material="si_c", power=Q, power_at="volume",
                     blocks=[dict(name="core", x=[200, 300], y=[400, 600], max_cell_xy=50)] if graded else [])],
        boundaries={"top": {"type": "fixed", "T": T0}}))


def exact(z: np.ndarray) -> np.ndarray:
    q3 = Q / (1e-3 * 1e-3 * L)  # W/m³
    return T0 + q3 * (L ** 2 - z ** 2) / (2 * K)


@pytest.mark.parametrize("n", [2, 3])
def test_refined_axes_nest_the_default_ones(n):
    pkg = slab(graded=True)
    base, fine = voxelize(pkg), voxelize(pkg, refine=n)
    for a, b in ((base.x, fine.x), (base.y, fine.y), (base.z, fine.z)):
        assert len(b) - 1 == n * (len(a) - 1)
        np.testing.assert_array_equal(b[::n], a)  # every old node kept, exactly
        # each old cell split into n equal ones: the per-component controls are refined too
        np.testing.assert_allclose(np.diff(b).reshape(-1, n), np.repeat(np.diff(a)[:, None] / n, n, axis=1),
                                   rtol=1e-12)
    assert fine.power.sum() == pytest.approx(base.power.sum(), rel=1e-12)


def test_second_order_on_nested_grids():
    errors = []
    for n in (1, 2, 4):
        r = tc.solve_steady(slab(), refine=n)
        zc = 0.5 * (r.mesh.z[1:] + r.mesh.z[:-1])
        errors.append(np.max(np.abs(r.temperature[:, 0, 0] - exact(zc))))
    order = np.polyfit(np.log([1, 0.5, 0.25]), np.log(errors), 1)[0]
    # a cell-centred scheme with the half-cell boundary conductance: second order
    assert order == pytest.approx(2.0, abs=0.1), errors


@pytest.mark.parametrize("bad", [0, -1, 0.125, 1 / 3, True, "2"])
def test_bad_refine_is_refused(bad):
    with pytest.raises(LayoutError, match="refine"):
        voxelize(slab(), refine=bad)


def test_refine_is_guarded_by_the_memory_limit():
    with pytest.raises(LayoutError, match="memory|cells"):
        tc.solve_steady(slab(graded=True), refine=40, memory_limit=50e6)


def test_cli_refine_matches_the_api(tmp_path):
    from thermal_cpo.layout.toml import dump_toml

    f = tmp_path / "slab.toml"
    f.write_text(dump_toml(slab()))
    res = CliRunner().invoke(cli, ["run", str(f), "--refine", "2", "--json"])
    assert res.exit_code == 0, res.output
    import json

    rep = json.loads(res.output)
    api = tc.solve_steady(slab(), refine=2)
    assert rep["solver"]["n_cells"] == api.mesh.n_cells
    assert rep["components"][0]["T_max"] == pytest.approx(api.component("die").T_max, rel=1e-12)
    assert CliRunner().invoke(cli, ["run", str(f), "--refine", "2", "--transient", "--t-end", "1"]).exit_code == 2
