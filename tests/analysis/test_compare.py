"""``compare``: ΔT = B − A per shared component, the map of B − A where the grids are the same,
the table alone where they differ, a result against itself exactly zero, bad inputs exit 2.

Tolerance: ΔT is one float subtraction of the two files' own numbers, so it equals the
difference taken here to 1e-12 K (in fact exactly); the map is the same subtraction cell by cell
and is compared exactly.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.collections import QuadMesh

from thermal_cpo.analysis.compare import QUANTITIES, ZERO_WINDOW, compare
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import load_layout
from thermal_cpo.layout.toml import parse_toml
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady

QUICK = load_layout("quickstart")
LID = 'thickness = "1 mm"          # copper'


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A: quickstart; B: a better-cooled lid (same grid) with the TIM renamed; C: a thicker lid
    (another grid)."""
    d = tmp_path_factory.mktemp("compare")
    text = QUICK.source_text
    assert 'h = "2e4 W/(m^2*K)"' in text and 'name = "tim"' in text and LID in text
    b = text.replace('h = "2e4 W/(m^2*K)"', 'h = "3e4 W/(m^2*K)"').replace('name = "tim"', 'name = "paste"')
    c = text.replace(LID, LID.replace('"1 mm"', '"1.5 mm"'))
    for name, pkg in (("a", QUICK), ("b", parse_toml(b, "b.toml")), ("c", parse_toml(c, "c.toml"))):
        solve_steady(pkg).save(d / f"{name}.h5")
    return d


def test_delta_t_is_b_minus_a_per_shared_component(files):
    ra, rb = load_result(files / "a.h5"), load_result(files / "b.h5")
    cmp = compare(files / "a.h5", files / "b.h5")
    shared = [c.name for c in ra.components if c.name != "tim"]
    assert [r["name"] for r in cmp.rows] == shared
    assert cmp.only_in_a == ["tim"] and cmp.only_in_b == ["paste"]
    junctions = 0
    for row in cmp.rows:
        ca, cb = ra.component(row["name"]), rb.component(row["name"])
        for q in QUANTITIES:
            va, vb = getattr(ca, q), getattr(cb, q)
            if va is None or vb is None:
                assert row[f"d{q}"] is None
                continue
            junctions += q == "T_junction"
            assert abs(row[f"d{q}"] - (vb - va)) <= 1e-12
            assert row[f"{q}_a"] == va and row[f"{q}_b"] == vb
        # a higher h to the same coolant cools every component (the field is monotone in h)
        assert row["dT_max"] < 0 and row["dT_mean"] < 0
    assert junctions == 1  # the bottom-powered die has a junction temperature in both


def test_the_map_is_b_minus_a_of_the_layer_on_a_centred_diverging_scale(files):
    ra, rb = load_result(files / "a.h5"), load_result(files / "b.h5")
    cmp = compare(files / "a.h5", files / "b.h5", z="1.2 mm")
    assert cmp.same_grid and cmp.note == ""
    k = int(np.searchsorted(ra.mesh.z, 1.2e-3, side="right")) - 1
    assert cmp.k == k and "die-tier" in cmp.where
    np.testing.assert_array_equal(cmp.difference, rb.temperature[k] - ra.temperature[k])
    fig = cmp.plot()
    qm = [c for c in fig.axes[0].collections if isinstance(c, QuadMesh)][0]
    m = float(np.abs(rb.temperature[k] - ra.temperature[k]).max())
    assert qm.get_clim() == (-m, m) and qm.get_cmap().name == "RdBu_r"
    np.testing.assert_array_equal(np.asarray(qm.get_array()).ravel(), cmp.difference.ravel())
    # by default, the cell layer holding the largest |B − A| of the whole field
    full = rb.temperature - ra.temperature
    auto = compare(files / "a.h5", files / "b.h5")
    assert np.abs(auto.difference).max() == np.abs(full).max()


def test_a_result_against_itself_is_zero_exactly(files):
    cmp = compare(files / "a.h5", files / "a.h5")
    assert cmp.only_in_a == [] and cmp.only_in_b == []
    for row in cmp.rows:
        for q in QUANTITIES:
            assert row[f"d{q}"] in (0.0, None)
    assert row["dT_max"] == 0.0
    assert not np.any(cmp.difference)
    qm = [c for c in cmp.plot().axes[0].collections if isinstance(c, QuadMesh)][0]
    assert qm.get_clim() == (-ZERO_WINDOW, ZERO_WINDOW)


def test_other_grids_give_the_table_and_a_note(files, tmp_path):
    ra, rc = load_result(files / "a.h5"), load_result(files / "c.h5")
    assert ra.mesh.shape != rc.mesh.shape
    res = CliRunner().invoke(cli, ["compare", str(files / "a.h5"), str(files / "c.h5"), "--json",
                                   "-o", str(tmp_path / "d.png")])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["same_grid"] is False and data["difference"] is None and data["image"] is None
    assert "grids differ" in data["note"] and "not written" in res.stderr
    assert not (tmp_path / "d.png").exists()
    lid = next(r for r in data["components"] if r["name"] == "lid")
    assert abs(lid["dT_max"] - (rc.component("lid").T_max - ra.component("lid").T_max)) <= 1e-12


def test_the_command_prints_the_table_and_saves_the_map(files, tmp_path):
    out = tmp_path / "diff.png"
    res = CliRunner().invoke(cli, ["compare", str(files / "a.h5"), str(files / "b.h5"), "--z", "1200",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    ra, rb = load_result(files / "a.h5"), load_result(files / "b.h5")
    die = next(line for line in res.stdout.splitlines() if line.startswith("die "))
    d = rb.component("die").T_max - ra.component("die").T_max
    assert f"{d:+.3f}" in die.split()
    assert "only in A: tim" in res.stdout and "only in B: paste" in res.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args, words", [
    (["--z", "9 mm"], "error: --z: z = 9000 µm is outside the package"),
    (["-o", "diff.txt"], "error: --output: diff.txt: the image must be .png, .pdf or .svg"),
    (["--z", "1 kg"], "error: --z: expected a length"),
])
def test_bad_inputs_exit_2_naming_the_option(files, args, words):
    res = CliRunner().invoke(cli, ["compare", str(files / "a.h5"), str(files / "b.h5"), *args])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [res.output.strip()] and words in res.output


def test_a_missing_file_exits_2(files):
    res = CliRunner().invoke(cli, ["compare", str(files / "a.h5"), str(files / "nope.h5")])
    assert res.exit_code == 2 and "nope.h5: no such result file" in res.output
