"""``thermal-cpo characterize``: its text, its files, and its refusals."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from thermal_cpo.analysis.characterize import jedec_metrics
from thermal_cpo.cli.main import cli
from thermal_cpo import load_layout


@pytest.mark.slow
def test_the_files_hold_what_the_python_call_finds(tmp_path):
    out = tmp_path / "char"
    r = CliRunner().invoke(cli, ["characterize", "quickstart", "--no-compact", "--degrade", "tim-tier", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "θJC" in r.output and "separate at R" in r.output
    data = json.loads((out / "characterization.json").read_text())
    m = jedec_metrics(load_layout("quickstart"))
    assert data["metrics"]["theta_jc"] == pytest.approx(m.theta_jc, rel=1e-9)
    assert data["metrics"]["two_resistor"] == {"R_JC": pytest.approx(m.theta_jc), "R_JB": pytest.approx(m.theta_jb)}
    rows = (out / "zth.csv").read_text().splitlines()
    assert rows[0] == "t_s,zth_K_per_W,foster_K_per_W" and len(rows) == data["zth"]["n_samples"] + 1
    for name in ("foster.cir", "cauer.cir"):
        assert (out / name).read_text().lstrip().startswith("*")
    for name in ("zth.png", "structure.png", "tim-tier-x2/characterization.json"):
        assert (out / name).stat().st_size > 0


def test_a_wrong_junction_or_case_exits_2_naming_it():
    for args, words in ((["--junction", "dye"], "no component 'dye'"), (["--case", "lidd"], "no layer 'lidd'")):
        r = CliRunner().invoke(cli, ["characterize", "quickstart", "--no-compact", "--no-transient", *args])
        assert r.exit_code == 2, r.output
        assert words in r.output and "Traceback" not in r.output
