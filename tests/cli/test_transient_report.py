"""`thermal-cpo report` of a transient result: the text says at which stored time its tables are,
among how many stored steps over which range; --json adds the stored times and the time series
of the powered components and probes, and stays strict JSON; --at chooses the stored step."""

from __future__ import annotations

import json

import numpy as np
import pytest
from catalogue import CASES
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.analysis import report
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.results import component_table, load_result
from thermal_cpo.results.steps import format_time
from thermal_cpo.solve import solve_steady
from thermal_cpo.solve.transient import solve_transient

T0 = 30.0  # °C: the uniform initial field and both ambients
#: the stored times (s): t = 0, every 2 ms, and the end
TIMES = [0.0, 0.002, 0.004, 0.006, 0.008, 0.01]
#: the same statistics kernel over the same float64 values gives the same T_max; T_mean is a
#: volume-weighted sum whose order only a parallel kernel could change, by a few ulps
REL = 1e-12


def _package() -> Package:
    """A die (a 20 W core powered on its bottom face, a 2 W side block), a TIM and a lid,
    convective top and bottom, one probe; 17 × 17 × 15 cells, initially at T0 everywhere."""
    core = dict(name="core", x=[1500, 4500], y=[1500, 4500], power=20.0, power_at="bottom")
    return Package.from_dict(dict(
        name="small", footprint=dict(x=6000, y=6000), grid=dict(max_cell_xy=500, max_cell_z=200),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=500, material="si",
                     blocks=[core, dict(name="side", x=[5000, 5800], y=[200, 1000], power=2.0)]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        probes=[dict(name="centre", x=3000, y=3000, z=100)],
        initial=dict(T=T0),
        boundaries=dict(top=dict(type="convective", h=2e4, T=T0),
                        bottom=dict(type="convective", h=200, T=T0))))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A 10 ms heat-up (fixed 1 ms implicit steps, fields every 2 ms) and a steady result, saved."""
    d = tmp_path_factory.mktemp("transient_report")
    transient, steady = d / "heat_up.h5", d / "steady.h5"
    solve_transient(_package(), t_end=0.01, method="implicit", dt=1e-3, save_every=0.002).save(transient)
    solve_steady(_package()).save(steady)
    return dict(transient=str(transient), steady=str(steady))


def invoke(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in res.output + res.stderr, res.output + res.stderr
    return res


def strict_json(text: str):
    """``text`` parsed as strict JSON: NaN and Infinity (which json.loads accepts) are refused."""
    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON")

    return json.loads(text, parse_constant=refuse)


def report_json(path, *options) -> dict:
    res = invoke("report", path, "--json", *options)
    assert res.exit_code == 0, res.output
    return strict_json(res.stdout)


def table_rows(text: str) -> dict[str, list[str]]:
    """The component table's body rows by component name (plain ASCII table)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "temperatures at t =" in line)
    start = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return rows


def one_line_error(res, *words) -> str:
    """A user error: exit 2, one line on stderr with every word in it, nothing on stdout."""
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 2, (res.exit_code, res.output, res.exception)
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert res.stdout == ""
    return lines[0]


def test_the_text_says_at_which_stored_time_the_tables_are(saved):
    r = load_result(saved["transient"])
    assert list(r.times) == pytest.approx(TIMES, abs=1e-15)
    res = invoke("report", saved["transient"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == ("transient: 6 stored steps, t = 0 s to 10 ms; the tables are at t = 10 ms "
                        "(the last stored step)")
    assert lines[1].startswith("small: temperatures at t = 10 ms [°C]")
    assert "steady temperatures" not in res.stdout
    # the run's own figures stay: the energy balance over the run, heat out against power in
    assert f"= {r.solver['energy_balance']:.2e} (E_in {r.solver['energy_in']:.6g} J" in res.stdout
    assert f"at t = 10 ms: P_in 22 W, Q_out {r.solver['heat_out']:.6g} W" in res.stdout
    assert f"{r.solver['steps']} time steps (0 rejected)" in res.stdout
    rows = table_rows(res.stdout)
    assert float(rows["core"][2]) == pytest.approx(r.component("core").T_max, abs=5e-4)  # 3 decimals


def test_json_holds_the_stored_times_and_is_strict(saved):
    r = load_result(saved["transient"])
    rep = report_json(saved["transient"])
    tr = rep["transient"]
    assert tr["times_s"] == [float(t) for t in r.times]  # exact: JSON floats round-trip
    assert tr["t"] == tr["t_end"] == r.t_stop == float(r.times[-1]) and tr["t_start"] == 0.0
    assert tr["n_steps"] == len(r.times) == 6 and tr["step"] == 5
    assert tr["complete"] is True and tr["interrupted"] is False
    assert tr["t_end_requested"] == pytest.approx(0.01, rel=1e-15)
    assert rep["complete"] is True and rep["t_stop"] == tr["t"]


def test_probe_series_end_at_the_component_table(saved):
    r = load_result(saved["transient"])
    rep = report_json(saved["transient"])
    p = rep["probes"]
    assert p["time_s"] == [float(t) for t in r.probes["time"]] and len(p["time_s"]) == 11  # every 1 ms step
    assert p["time_s"][-1] == rep["transient"]["t"]
    assert set(p["components"]) == {"core", "side"} and p["components_shown"] == "powered"
    assert p["units"]["T_max_C"] == "degC" and p["units"]["time_s"] == "s"
    rows = {c["name"]: c for c in rep["components"]}
    for name, series in p["components"].items():
        assert len(series["T_max_C"]) == len(series["T_mean_C"]) == len(p["time_s"])
        assert series["T_max_C"][-1] == pytest.approx(rows[name]["T_max"], rel=REL)
        assert series["T_mean_C"][-1] == pytest.approx(rows[name]["T_mean"], rel=REL)
        assert series["T_max_C"][0] == T0 and series["power_W"] == [rows[name]["power"]] * 11
    centre = p["points"]["centre"]
    assert centre["location_m"] == pytest.approx([3e-3, 3e-3, 1e-4], rel=1e-12)
    assert len(centre["T_C"]) == 11 and centre["T_C"][0] == pytest.approx(T0, rel=REL)
    assert centre["T_C"][-1] > T0 + 1  # the core heats the probe above it by several K in 10 ms


def test_at_the_first_stored_time_gives_the_initial_field(saved):
    res = invoke("report", saved["transient"], "--at", "0")
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].endswith("the tables are at t = 0 s (stored step 1 of 6)")
    rows = table_rows(res.stdout)
    assert set(rows) == {"die", "core", "side", "tim", "lid"}
    for cells in rows.values():
        assert [float(v) for v in (cells[2], cells[4], cells[5])] == [T0, T0, T0]  # T_max, T_mean, T_min
    rep = report_json(saved["transient"], "--at", "0 ms", "--powered")
    assert rep["transient"]["t"] == 0.0 and rep["transient"]["step"] == 0
    assert {c["name"] for c in rep["components"]} == {"core", "side"}
    for c in rep["components"]:
        assert c["T_max"] == c["T_min"] == T0 and c["T_mean"] == pytest.approx(T0, rel=REL)


def test_at_takes_the_nearest_stored_step_and_its_field(saved):
    """2.9 ms is nearer 2 ms than 4 ms: the table is that step's, equal to the per-step series
    at 2 ms (every step's T_max is recorded), not the last step's."""
    r = load_result(saved["transient"])
    rep = report_json(saved["transient"], "--at", "2.9 ms")
    assert rep["transient"]["t"] == float(r.times[1]) and rep["transient"]["at"] == pytest.approx(2.9e-3)
    expected = {c.name: c for c in component_table(r.mesh, r.steps[1])}
    i = int(np.argmin(np.abs(r.probes["time"] - r.times[1])))
    names = r.probes["components"]
    for c in rep["components"]:
        assert c["T_max"] == expected[c["name"]].T_max and c["T_min"] == expected[c["name"]].T_min
        assert c["T_max"] == pytest.approx(r.probes["T_max"][i, names.index(c["name"])], rel=REL)
        assert c["T_max"] < r.component(c["name"]).T_max  # still heating: below the end values
    text = invoke("report", saved["transient"], "--at", "2.9 ms").stdout
    assert "the tables are at t = 2 ms (stored step 2 of 6, the nearest to 2.9 ms)" in text
    assert "temperatures at t = 2 ms" in text


@pytest.mark.parametrize("at", ["11 ms", "-1 ms", "1"])
def test_at_outside_the_stored_range_is_one_line(saved, at):
    one_line_error(invoke("report", saved["transient"], "--at", at), "--at", "outside the stored times",
                   "6 stored steps, t = 0 s to 10 ms")


@pytest.mark.parametrize("at, words", [("1 m", "a length"), ("soon", "cannot read it")])
def test_at_that_is_no_time_is_one_line(saved, at, words):
    one_line_error(invoke("report", saved["transient"], "--at", at), "--at", words)


def test_at_on_a_steady_result_is_one_line(saved):
    one_line_error(invoke("report", saved["steady"], "--at", "1 ms"), "--at", "the result is steady")


def test_the_steady_report_keeps_its_keys(saved):
    rep = report_json(saved["steady"])
    assert set(rep) == {"complete", "t_stop", "note", "name", "coolant_T", "total_power", "components",
                        "photonics", "above_solidus", "powers", "coolant", "loops", "solver", "crosstalk",
                        "convergence"}
    assert rep["t_stop"] is None
    text = invoke("report", saved["steady"]).stdout
    assert "small: steady temperatures [°C]" in text and "transient" not in text


def test_an_interrupted_file_without_tables_reports_strict_json(saved, tmp_path):
    """A transient that stopped before its statistics (NaN in the file: not recorded) and its
    series were written: null in the JSON, the incomplete note first in the text."""
    from thermal_cpo.io.hdf5 import TransientWriter

    r = load_result(saved["steady"])
    cut = tmp_path / "cut.h5"
    w = TransientWriter(cut, r.mesh)
    for i in range(3):
        w.add(0.01 * i, r.temperature + i)
    assert w.stop() == str(cut)
    rep = report_json(cut)
    assert rep["complete"] is False and rep["solver"]["energy_balance"] is None
    assert rep["transient"]["interrupted"] is True and rep["transient"]["complete"] is False
    assert rep["transient"]["t"] == 0.02 and rep["transient"]["t_end_requested"] is None
    assert rep["probes"] is None
    lines = invoke("report", cut).stdout.splitlines()
    assert lines[0].startswith("incomplete: the transient was interrupted at t = 0.02 s")
    assert lines[1].startswith("transient: 3 stored steps, t = 0 s to 20 ms; the tables are at t = 20 ms")
    assert "energy balance not recorded" in "\n".join(lines)
    rep = report_json(cut, "--at", "10 ms")
    core = next(c for c in rep["components"] if c["name"] == "core")
    assert core["T_max"] == pytest.approx(r.component("core").T_max + 1, rel=REL)  # field + 1 K


def test_coolant_figures_are_left_out_before_the_last_step():
    """A cold plate's figures are stored for the last step only: an earlier step's report says it
    leaves them out rather than show the end time's as that step's."""
    r = solve_transient(CASES["compact_plate"](), t_end=0.01, method="implicit", dt=2e-3, save_every=0.005)
    last = report(r)
    assert last["transient"]["omitted"] == [] and len(last["coolant"]) == 1
    early = report(r, at=0.005)
    assert early["transient"]["omitted"] == ["coolant"] and early["coolant"] == []
    assert early["transient"]["t"] == 0.005
    with pytest.raises(LayoutError, match=r"^at: t = 20 ms is outside the stored times"):
        report(r, at=0.02)


@pytest.mark.parametrize("t, text", [(0.0, "0 s"), (3e-8, "30 ns"), (1.5e-6, "1.5 µs"), (0.002, "2 ms"),
                                     (0.0073, "7.3 ms"), (12.5, "12.5 s"), (1800.0, "30 min"),
                                     (72000.0, "20 h")])
def test_times_read_in_their_unit(t, text):
    assert format_time(t) == text


def test_run_json_of_a_transient_is_strict_and_holds_its_times(tmp_path):
    """`run --transient --json` prints the same report as `report --json`, strict JSON too."""
    from thermal_cpo.layout import dump_toml

    layout = tmp_path / "small.toml"
    layout.write_text(dump_toml(_package()), encoding="utf-8")
    res = invoke("run", layout, "--transient", "--t-end", "10 ms", "--dt", "1 ms", "--method",
                 "implicit", "--save-every", "2 ms", "--json", "-o", tmp_path / "run.h5")
    assert res.exit_code == 0, res.output
    rep = strict_json(res.stdout)
    assert rep["transient"]["times_s"] == pytest.approx(TIMES, rel=0, abs=1e-12)
    assert rep["transient"]["complete"] is True
    saved = report_json(tmp_path / "run.h5")
    # the file adds what only a read knows (complete, t_stop, a note); the rest is the same
    assert {k: v for k, v in saved.items() if k not in ("complete", "note", "t_stop", "solver")} == \
        {k: v for k, v in rep.items() if k != "solver"}


def test_at_a_step_under_a_power_trace_the_table_has_the_power_then():
    """A core ramped 0 → 20 W over 4 ms: at 2 ms its row has 10 W (the declared 20 W as nominal),
    and its R_th is taken with those 10 W."""
    d = _package().to_dict()
    core = d["layers"][0]["blocks"][0]
    core["trace"] = [[0.0, 0.0], [0.004, 20.0]]
    r = solve_transient(Package.from_dict(d), t_end=0.006, method="implicit", dt=1e-3, save_every=0.002)
    row = {c["name"]: c for c in report(r, at=0.002)["components"]}["core"]
    # a linear trace at a breakpoint-free time: the interpolation is exact to rounding
    assert row["power"] == pytest.approx(10.0, rel=1e-12) and row["nominal"] == pytest.approx(20.0)
    side = {c["name"]: c for c in report(r, at=0.002)["components"]}["side"]
    assert side["power"] == pytest.approx(2.0, rel=1e-12)  # untraced: as declared


def test_run_transient_text_gives_times_in_the_report_units(tmp_path):
    from thermal_cpo.layout import dump_toml

    layout = tmp_path / "small.toml"
    layout.write_text(dump_toml(_package()), encoding="utf-8")
    res = invoke("run", layout, "--transient", "--t-end", "10 ms", "--dt", "1 ms", "--method", "implicit")
    assert res.exit_code == 0, res.output
    assert "to t = 10 ms;" in res.stdout and "small at t = 10 ms [°C]" in res.stdout, res.stdout
