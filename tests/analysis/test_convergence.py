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
    # outside the asymptotic range: no extrapolation, but the conservative band (Fs 3, p 1 here)
    assert first["extrapolated"] is None and "outside the asymptotic range" in first["status"]
    assert first["gci"] == pytest.approx(3.0 * 0.1 / (2.0 - 1.0)) and first["gci"] >= 0.1
    assert first["bands"][1] == pytest.approx(3.0 * 0.2)  # the medium value's band, ≥ its error
    fast = gci(*[80.0 + 3 * h ** 4 for h in (0.1, 0.2, 0.4)], 2.0, 2.0)  # order 4: limited to 2
    assert fast["gci"] == pytest.approx(3.0 * 3 * (0.2 ** 4 - 0.1 ** 4) / 3.0)
    assert gci(50.0, 50.0, 50.0, 2.0, 2.0)["status"] == "grid-independent"
    # a first-order scheme (coolant streams): the same first-order law is asymptotic
    g = gci(*[80.0 + h for h in (0.1, 0.2, 0.4)], 2.0, 2.0, formal=1.0)
    assert g["status"] == "asymptotic" and g["extrapolated"] == pytest.approx(80.0)


def test_a_package_with_coolant_streams_is_studied_at_first_order():
    from catalogue import CASES

    _, study = convergence_study(CASES["compact_plate"]())
    assert study["formal_order"] == 1.0
    _, study = convergence_study(slab())
    assert study["formal_order"] == 2.0


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
    assert study["levels"] == [0.5, 1.0, 2.0]  # the default grid's half, itself and its double
    assert result.mesh.n_cells == 8 * tc.solve_steady(kt_slab()).mesh.n_cells
    rows = {r["name"]: r for r in study["rows"]}
    r = rows["die.T_mean"]
    assert r["status"] == "asymptotic" and r["order"] == pytest.approx(2.0, abs=0.2), r
    assert abs(r["extrapolated"] - mean) < 0.1 * abs(r["fine"] - mean), r
    assert abs(r["fine"] - mean) <= r["gci"], r
    # the hottest point, the heated face reconstructed from the field and the face flux: second
    # order too; the hottest cell centre, half a cell above it, is not a study value
    r = rows["die.T_hot"]
    assert r["status"] == "asymptotic" and r["order"] == pytest.approx(2.0, abs=0.2), r
    assert abs(r["extrapolated"] - T[0]) < 0.1 * abs(r["fine"] - T[0]), r
    assert abs(r["fine"] - T[0]) <= r["gci"], r
    assert "die.T_max" not in rows


def test_cli_convergence_is_stored_and_reported(tmp_path):
    f = tmp_path / "slab.toml"
    f.write_text(dump_toml(slab()))
    out = tmp_path / "slab.h5"
    res = CliRunner().invoke(cli, ["run", str(f), "--convergence", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Grid convergence" in res.output
    back = tc.load_result(out)
    assert {r["name"] for r in back.convergence["rows"]} == {"die.T_hot", "die.T_mean"}
    rep = CliRunner().invoke(cli, ["report", str(out), "--json"])
    assert json.loads(rep.output)["convergence"]["levels"] == [0.5, 1, 2]
    assert CliRunner().invoke(cli, ["run", str(f), "--convergence", "--transient", "--t-end", "1"]).exit_code == 2


def spreading(refine: int = 2, **grid) -> Package:
    """Quarter model of a 5 × 10 mm source under a 20 × 20 × 1 mm plate, k 150, h 2e4 to 0 °C,
    heated on the plate's bottom face; its grid declared as a base grid split ``refine`` ways."""
    a, b = 2.5e-3, 5e-3
    return Package.from_dict(dict(
        name="spreading", footprint=dict(x=10_000, y=10_000),
        grid=dict(max_cell_xy=1000, max_cell_z=400, grading=1.2, refine=refine, **grid),
        materials={"plate": dict(k=150.0, rho=1000, cp=1000)},
        layers=[dict(name="plate", thickness=1000, material="plate",
                     blocks=[dict(name="src", x=[0, a * 1e6], y=[0, b * 1e6], power=0.25, power_at="bottom")])],
        boundaries=dict(top=dict(type="convective", h=2e4, T=0.0))))


@pytest.mark.slow
def test_study_with_a_half_grid_on_the_spreading_series():
    # an even grid.refine gives the study a nested grid coarser than the default: ×½, ×1, ×2
    from analytic import rect_spreading

    r1d, s_avg, s_c = rect_spreading(2.5e-3, 5e-3, 10e-3, 10e-3, 1e-3, 150.0, 2e4)
    exact = {"src.T_hot": r1d + s_c}  # the source centre is the quarter's corner
    result, study = convergence_study(spreading(), tol=1e-12)
    assert study["levels"] == [0.5, 1.0, 2.0]
    n1 = tc.solve_steady(spreading(), tol=1e-12).mesh.n_cells
    assert study["cells"] == [n1 // 8, n1, 8 * n1]
    rows = {r["name"]: r for r in study["rows"]}
    for name, T in exact.items():
        r = rows[name]
        assert r["status"] == "asymptotic" and r["order"] == pytest.approx(2.0, abs=0.2), r
        assert abs(r["extrapolated"] - T) < 0.2 * abs(r["fine"] - T), r
        assert abs(r["fine"] - T) <= r["gci"], r
        assert abs(r["medium"] - T) <= r["gci_default"], r  # the band of the layout's own grid
        assert r["spread"] == pytest.approx(max(r["coarse"], r["medium"], r["fine"])
                                            - min(r["coarse"], r["medium"], r["fine"]))


def test_half_grid_refinement_is_nested_and_needs_an_even_grid_refine():
    from thermal_cpo.mesh import voxelize

    fine, half = voxelize(spreading()), voxelize(spreading(), refine=0.5)
    for a, b in ((fine.x, half.x), (fine.y, half.y), (fine.z, half.z)):
        assert np.array_equal(a[::2], b)  # every second node of the default is the half grid
    assert voxelize(spreading(1)).n_cells == half.n_cells  # grid.refine = 2 at ×½ is the base grid
    assert voxelize(spreading(), refine=1.5).n_cells == 27 * half.n_cells
    # an odd grid.refine: the half grid merges pairs inside each interval between fixed lines,
    # an odd interval keeping its last cell whole; every node is a node of the default grid
    from thermal_cpo.mesh.axes import axis_specs

    odd, odd_half = voxelize(spreading(1)), voxelize(spreading(1), refine=0.5)
    for a, b, (breaks, _) in zip((odd.x, odd.y, odd.z), (odd_half.x, odd_half.y, odd_half.z),
                                 axis_specs(spreading(1))):
        assert np.all(np.isin(b, a)) and np.all(np.isin(breaks, b))
        n_def = np.diff(np.searchsorted(a, breaks))
        assert np.array_equal(np.diff(np.searchsorted(b, breaks)), (n_def + 1) // 2)
    quarter = voxelize(spreading(1), refine=0.25)  # pairs merged twice: nested in the half grid
    assert all(np.all(np.isin(q, h)) for q, h in zip((quarter.x, quarter.y, quarter.z),
                                                      (odd_half.x, odd_half.y, odd_half.z)))
    with pytest.raises(tc.LayoutError, match="quarter") as err:
        voxelize(spreading(1), refine=0.125)
    assert err.value.path == "refine"
    for bad in (0, -1, float("nan"), "2", True):
        with pytest.raises(tc.LayoutError, match="refine"):
            voxelize(spreading(), refine=bad)
    for bad in (0, 17, True, "2"):
        with pytest.raises(tc.LayoutError, match="grid.refine"):
            spreading(bad)


def test_target_error_refines_the_component_that_misses_it(tmp_path):
    from analytic import rect_spreading

    from thermal_cpo.analysis import refine_to_target
    from thermal_cpo.mesh.axes import build_axes

    r1d, _, s_c = rect_spreading(2.5e-3, 5e-3, 10e-3, 10e-3, 1e-3, 150.0, 2e4)
    loose, study = refine_to_target(spreading(), target=0.05, tol=1e-12)
    assert study["met"] and study["rounds"] == 0 and study["levels"] == [0.5, 1.0, 2.0]
    # a tighter target refines the source (the only value reported) and not the whole plate
    tight, study = refine_to_target(spreading(), target=0.5 * study["worst"], tol=1e-12)
    assert study["met"] and study["rounds"] >= 1 and set(study["refined"]) == {"src"}, study
    row = next(r for r in study["rows"] if r["name"] == "src.T_hot")
    assert abs(tight.component("src").T_hot - (r1d + s_c)) <= row["gci"] <= study["target"]
    before, after = build_axes(spreading()), build_axes(tight.package)

    def over_source(axes):  # the largest lateral cell over the source (one control for x and y)
        return max(np.diff(a)[(a[:-1] + a[1:]) / 2 < hi].max() for a, hi in zip(axes, (2.5e-3, 5e-3)))

    assert over_source(after) <= 0.5 * over_source(before) * (1 + 1e-9)
    # the rest of the plate keeps coarser cells, graded out from the source: fewer cells than the
    # same halving everywhere (the layout's grid split twice) by a quarter at least
    assert study["cells"][1] < 0.75 * loose.convergence["cells"][2]
    # a target beyond the memory guard says so, keeping the finest answer it could get
    r, study = refine_to_target(spreading(), target=1e-9, tol=1e-12, memory_limit=60e6)
    assert not study["met"] and "stopped" in study and r.mesh.n_cells == study["cells"][-1]
    # the layout's own target, from the command line, with the controls it set
    pkg = spreading(target_error=f"{0.5 * loose.convergence['worst']:.3g} K")
    f = tmp_path / "spreading.toml"
    f.write_text(dump_toml(pkg))
    res = CliRunner().invoke(cli, ["run", str(f)])
    assert res.exit_code == 0, res.output
    assert "K: met" in res.output and "refined src: max_cell_xy = 500 µm" in res.output
    assert CliRunner().invoke(cli, ["run", str(f), "--refine", "2"]).exit_code == 2
