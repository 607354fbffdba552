"""Design studies: paths by name, designs, a real dask LocalCluster and an external scheduler,
each variant equal to a separate run, resume after SIGINT and SIGKILL, bad studies refused.

Tolerance: a variant solved on a worker and the same layout solved by ``thermal-cpo run`` run
the same code on the same grid to the same residual, so their outputs agree to 1e-9 K (the
figure asked of a study; observed: equal to the last bit).
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import tomllib

import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo.analysis.study import Study, load_study, run_study, variant_text, variants
from thermal_cpo.analysis.study.paths import get_value, set_value
from thermal_cpo.cli.main import cli
from thermal_cpo.errors import LayoutError
from thermal_cpo.layout import load_layout

QUICK = load_layout("quickstart")
DATA = tomllib.loads(QUICK.source_text)

STUDY = """
base = "quickstart"
outputs = ["die.T_max", "tim.T_mean", "energy_balance"]
[[vary]]
path = "layers.lid.thickness"
values = ["0.5 mm", 1500]
[[vary]]
path = "boundaries.top.h"
range = ["1e4 W/(m^2*K)", "3e4 W/(m^2*K)"]
count = 2
"""


# ---------------------------------------------------------------------------------------------
# paths and designs
# ---------------------------------------------------------------------------------------------
def test_paths_go_by_name_through_arrays_of_tables():
    data = json.loads(json.dumps(DATA))
    assert get_value(data, "layers.die-tier.blocks.die.power") == DATA["layers"][1]["blocks"][0]["power"]
    where = set_value(data, "layers.lid.thickness", "2 mm")
    assert where == "layers[3].thickness" and data["layers"][3]["thickness"] == "2 mm"


def test_a_dotted_component_name_is_one_step():
    data = {"layers": [{"name": "die", "blocks": [{"name": "pe0.eic", "power": 1.0}, {"name": "pe0", "power": 2.0}]}]}
    assert get_value(data, "layers.die.blocks.pe0.eic.power") == 1.0
    assert get_value(data, "layers.die.blocks.pe0.power") == 2.0


@pytest.mark.parametrize("path, message", [
    ("layers.lidd.thickness", "no layers entry named 'lidd' at layers (names: substrate, die-tier, tim-tier"),
    ("footprint.z", None),  # a key the layout lacks at the end is set: the layout checks judge it
    ("grids.max_cell_xy", "no 'grids' in the layout (keys:"),
    ("layers.lid.thickness.value", "layers[3].thickness is a value, not a table"),
])
def test_bad_paths_name_what_exists(path, message):
    data = json.loads(json.dumps(DATA))
    if message is None:
        set_value(data, path, 1.0)
        return
    with pytest.raises(LayoutError, match=message.replace("(", r"\(").replace("[", r"\[")):
        set_value(data, path, 1.0)


def test_grid_one_at_a_time_and_latin_hypercube_designs():
    s = load_study(tomllib.loads(STUDY))
    grid = variants(s)
    assert [v.params for v in grid] == [
        {"layers.lid.thickness": a, "boundaries.top.h": b}
        for a in ("0.5 mm", 1500) for b in ("10000 W/K/m**2", "30000 W/K/m**2")]
    oat = variants(s.model_copy(update={"design": "one-at-a-time"}))
    assert oat[0].params == {} and len(oat) == 1 + 2 + 2
    assert all(len(v.params) == 1 for v in oat[1:])
    lhs = s.model_copy(update={"design": "latin-hypercube", "samples": 8, "seed": 3})
    a, b = variants(lhs), variants(lhs)
    assert [v.params for v in a] == [v.params for v in b]  # seeded: reproducible
    h = np.array([float(v.params["boundaries.top.h"].split()[0]) for v in a])
    strata = np.floor((h - 1e4) / 2e4 * 8).clip(0, 7)
    assert sorted(strata) == list(range(8))  # one sample in each of the 8 strata
    other = variants(lhs.model_copy(update={"seed": 4}))
    assert [v.params for v in other] != [v.params for v in a]


def test_an_offset_moves_both_ends_of_a_range():
    s = Study(base="quickstart", vary=[{"path": "layers.die-tier.blocks.die.x", "offset": ["1 mm"]}])
    text = variant_text(QUICK.source_text, s, variants(s)[0])
    moved = tomllib.loads(text)["layers"][1]["blocks"][0]["x"]
    from thermal_cpo.layout.toml import parse_toml

    pkg = parse_toml(text, "v.toml")
    die = next(c for c in pkg.components() if c.name == "die")
    orig = next(c for c in QUICK.components() if c.name == "die")
    assert die.x[0] - orig.x[0] == pytest.approx(1e-3, abs=1e-12)
    assert die.x[1] - orig.x[1] == pytest.approx(1e-3, abs=1e-12)
    assert all(isinstance(m, str) and m.endswith(" m") for m in moved)


# ---------------------------------------------------------------------------------------------
# running: a LocalCluster, each variant equal to a separate run, resume
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def study_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    (folder / "s.toml").write_text(STUDY)
    run = run_study(folder / "s.toml", folder / "out", workers=2)
    return folder, run


def test_every_variant_equals_a_separate_run(study_run):
    folder, run = study_run
    assert run.solved == 4 and len(run.rows) == 4
    workers = {row["worker"] for row in run.rows.values()}
    assert len(workers) == 2  # a real LocalCluster of two processes shared the variants
    for i, row in run.rows.items():
        assert row["status"] == "ok"
        res = CliRunner().invoke(cli, ["run", str(folder / "out" / "variants" / f"{i:04d}.toml"), "--json"])
        assert res.exit_code == 0, res.output
        rep = json.loads(res.output[res.output.index("{"):])
        comps = {c["name"]: c for c in rep["components"]}
        assert abs(float(row["die.T_max"]) - comps["die"]["T_max"]) <= 1e-9
        assert abs(float(row["tim.T_mean"]) - comps["tim"]["T_mean"]) <= 1e-9


def test_the_table_is_in_csv_and_hdf5_and_a_rerun_solves_nothing(study_run):
    import h5py

    folder, run = study_run
    out = folder / "out"
    with open(out / "results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["variant"]) for r in rows] == [0, 1, 2, 3]
    with h5py.File(out / "results.h5") as f:
        assert np.allclose(f["table/die.T_max"][()], [float(r["die.T_max"]) for r in rows], rtol=0, atol=1e-12)
    again = run_study(folder / "s.toml", out, workers=1)
    assert again.solved == 0 and again.skipped == 4


def test_a_folder_of_another_study_is_refused(study_run):
    folder, _ = study_run
    (folder / "t.toml").write_text(STUDY.replace("1500", "2000"))
    res = CliRunner().invoke(cli, ["study", str(folder / "t.toml"), "-o", str(folder / "out")])
    assert res.exit_code == 2 and "holds another study" in res.output


def test_an_invalid_variant_is_recorded_and_the_others_run(tmp_path):
    (tmp_path / "s.toml").write_text(STUDY.replace('values = ["0.5 mm", 1500]', 'values = ["0.5 mm", -5]'))
    res = CliRunner().invoke(cli, ["study", str(tmp_path / "s.toml"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    with open(tmp_path / "o" / "results.csv", newline="") as f:
        rows = {int(r["variant"]): r for r in csv.DictReader(f)}
    assert [rows[i]["status"] for i in range(4)] == ["ok", "ok", "invalid", "invalid"]
    assert "layers[3].thickness" in rows[2]["error"]


@pytest.mark.parametrize("edit, message", [
    (('path = "layers.lid.thickness"', 'path = "layers.lidd.thickness"'), "no layers entry named 'lidd'"),
    (('outputs = ["die.T_max"', 'outputs = ["dye.T_max"'), "output 'dye.T_max' matches no component"),
    (('outputs = ["die.T_max"', 'outputs = ["die.T_maxx"'), "unknown field 'T_maxx'"),
    (("count = 2", "count = 1"), "vary[1].count: Input should be greater than or equal to 2"),
    (('values = ["0.5 mm", 1500]', 'values = ["0.5 mm", 1500]\noffset = ["1 mm"]'), "exactly one of values"),
])
def test_malformed_studies_exit_2_naming_the_field(tmp_path, edit, message):
    text = STUDY.replace(*edit)
    assert text != STUDY
    (tmp_path / "s.toml").write_text(text)
    res = CliRunner().invoke(cli, ["study", str(tmp_path / "s.toml"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output


def _rows(path):
    if not path.exists():
        return {}
    with open(path, newline="") as f:
        return {int(r["variant"]): r for r in csv.DictReader(f)}


SLOW_STUDY = """
base = "quickstart"
outputs = ["die.T_max"]
[[vary]]
path = "grid.max_cell_xy"
values = ["400 um", "380 um", "360 um", "340 um", "320 um", "300 um", "280 um", "260 um"]
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_a_killed_study_resumes_with_no_variant_lost_or_solved_twice(tmp_path, sig):
    (tmp_path / "s.toml").write_text(SLOW_STUDY)
    cmd = [sys.executable, "-m", "thermal_cpo", "study", str(tmp_path / "s.toml"), "-o", str(tmp_path / "o"),
           "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    table = tmp_path / "o" / "results.csv"
    deadline = time.time() + 120
    while time.time() < deadline and len(_rows(table)) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, sig) if sig == signal.SIGKILL else proc.send_signal(sig)
    proc.wait(timeout=60)
    before = _rows(table)
    assert 2 <= len(before) < 8, "the study was not interrupted part way"
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    after = _rows(table)
    assert sorted(after) == list(range(8))
    for i, row in before.items():  # rows finished before the kill are kept as they were
        assert after[i] == row
    assert f"solved now {8 - len(before)}, finished before {len(before)}" in done.stdout


@pytest.mark.slow
def test_a_study_runs_on_a_separately_started_scheduler(tmp_path):
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "NUMBA_NUM_THREADS": "1"}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file",
                              str(sched_file), "--port", "0", "--no-dashboard"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    worker = None
    try:
        deadline = time.time() + 60
        while not sched_file.exists() and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(0.3)
        address = json.loads(sched_file.read_text())["address"]
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "2",
                                   "--nthreads", "1", "--no-dashboard"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        (tmp_path / "s.toml").write_text(STUDY)
        run = run_study(tmp_path / "s.toml", tmp_path / "o", scheduler=address)
        assert run.solved == 4 and all(r["status"] == "ok" for r in run.rows.values())
        local = run_study(tmp_path / "s.toml", tmp_path / "local", workers=1)
        for i in range(4):
            assert abs(float(run.rows[i]["die.T_max"]) - float(local.rows[i]["die.T_max"])) <= 1e-9
    finally:
        for p in (worker, sched):
            if p is not None:
                p.terminate()
                p.wait(timeout=30)


POWER_STUDY = """
base = "die-tim-lid"
outputs = ["*.T_max", "core.T_junction", "energy_balance"]
[[vary]]
path = "layers.die.blocks.core.power"
values = [200, "400 W", 600]
[[vary]]
path = "layers.die.blocks.edge-xmin.power"
range = ["0 W", "20 W"]
count = 3
"""


@pytest.mark.slow
def test_a_power_sweep_by_superposition_equals_full_solves(tmp_path):
    """die-tim-lid is linear (constant conductivities, no coolant): 9 variants of two powers come
    from 1 + 2 solves, and equal the variants solved one by one to 1e-9 K."""
    (tmp_path / "s.toml").write_text(POWER_STUDY)
    fast = run_study(tmp_path / "s.toml", tmp_path / "sup")
    assert fast.method.startswith("superposition: 3 solves for 9 variants")
    full = run_study(tmp_path / "s.toml", tmp_path / "full", superpose=False, workers=2)
    assert full.method == "one solve per variant"
    for i in range(9):
        a, b = fast.rows[i], full.rows[i]
        for col in a:
            if col.endswith(("T_max", "T_junction")):
                assert abs(float(a[col]) - float(b[col])) <= 1e-9, (i, col)
        assert float(a["energy_balance"]) <= 1e-9


def test_a_variant_whose_solve_fails_is_recorded_and_the_study_goes_on(tmp_path):
    """A leaky die: with its leakage doubling every 30 K it settles, every 2 K it runs away (no
    steady state); the study records the runaway with its message, keeps the other row, and
    the command exits 1 (a solver failure)."""
    from thermal_cpo.layout.toml import toml_text

    data = json.loads(json.dumps(DATA))
    die = data["layers"][1]["blocks"][0]
    del die["power"]
    die["power_model"] = {"kind": "leakage", "dynamic": 60, "leakage": 10, "T_ref": 60, "doubling": "30 K"}
    (tmp_path / "leaky.toml").write_text(toml_text(data))
    (tmp_path / "s.toml").write_text('base = "leaky.toml"\noutputs = ["die.T_max", "die.power"]\n[[vary]]\n'
                                     'path = "layers.die-tier.blocks.die.power_model.doubling"\n'
                                     'values = ["30 K", "2 K"]\n')
    res = CliRunner().invoke(cli, ["study", str(tmp_path / "s.toml"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1, res.output
    with open(tmp_path / "o" / "results.csv", newline="") as f:
        rows = {int(r["variant"]): r for r in csv.DictReader(f)}
    assert rows[0]["status"] == "ok" and float(rows[0]["die.power"]) > 60.0
    assert rows[1]["status"] == "failed" and "runaway" in rows[1]["error"]
    assert "1 ok, 1 failed" in res.output
