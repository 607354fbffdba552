"""Coolant loops: plates in series and in parallel fed by one pump.

Tolerances: the linear solves run to a relative residual of 1e-10 (direct LU on these grids,
~1e-14), so energy balances are asserted to 1e-9, the figure a loop must meet. The flow split
stops at a relative spread of branch pressure drops of 1e-11 (``SPLIT_TOL``); a balance of
1e-6 is asserted, with the split's own tolerance where the test checks the algorithm.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.optimize import brentq

from catalogue import cavity_feeding_a_plate

from thermal_cpo.cli.main import cli
from thermal_cpo.cooling.correlations import channel_performance
from thermal_cpo.cooling.loops import SPLIT_TOL
from thermal_cpo.layout import Package
from thermal_cpo.results import load_result
from thermal_cpo.solve.steady import solve_steady


def _plate(name, y, width=100, **extra):
    return {"name": name, "face": "top", "y": y, "channel_width": width, "wall_width": 100,
            "channel_height": 500, "material": "copper", "flow_direction": "+x", **extra}


def _package(loop, plates, powers=(60.0, 30.0, 90.0), span=9000):
    """A silicon die under plates that split its top face across y; one heated strip under each
    plate (``powers``, W), so each plate's coolant picks up mostly its own strip's heat."""
    n = len(plates)
    pitch = span / n
    blocks = [{"name": f"s{i}", "x": [1000, 9000], "y": [i * pitch + 500, (i + 1) * pitch - 500],
               "power": p} for i, p in enumerate(powers[:n])]
    return Package(name="loop", footprint={"x": 10000, "y": span},
                   grid={"max_cell_xy": 500, "max_cell_z": 100},
                   layers=[{"name": "die", "thickness": 500, "material": "silicon", "power_at": "bottom",
                            "blocks": blocks}],
                   coldplates=plates, loops=[loop])


def _three(**widths):
    return [_plate(f"p{i}", [3000 * i, 3000 * (i + 1)], width=widths.get(f"p{i}", 100)) for i in range(3)]


def _rows(r):
    return {g["name"]: g for g in r.coolant["groups"]}


def _check_energy(r, power):
    heat = sum(r.heat_out.values())
    assert abs(heat - power) <= 1e-9 * power
    assert r.energy_balance <= 1e-9
    loop = r.coolant["loops"][0]
    assert loop["heat"] == pytest.approx(power, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# series
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def series():
    loop = {"name": "L", "inlet_T": 25, "flow_rate": "0.3 L/min", "path": ["p0", "p1", "p2"]}
    return solve_steady(_package(loop, _three()))


def test_series_loop_conserves_energy_and_feeds_each_plate_from_the_one_before(series):
    r = series
    _check_energy(r, 180.0)
    g = _rows(r)
    assert g["p0"]["T_in"] == 25.0
    assert g["p1"]["T_in"] == pytest.approx(g["p0"]["T_out"], abs=1e-12)
    assert g["p2"]["T_in"] == pytest.approx(g["p1"]["T_out"], abs=1e-12)
    loop = r.coolant["loops"][0]
    assert loop["T_out"] == pytest.approx(g["p2"]["T_out"], abs=1e-12)


def test_series_loop_conserves_mass_and_its_rise_is_the_heat_over_mcp(series):
    """The mass flow is the loop's in every plate (the volume flow grows as the water warms),
    and the bulk rise of each plate is its heat over ṁ c_p at its own coolant temperature."""
    r = series
    pkg = r.package
    water = pkg.coolant("water")
    loop = r.coolant["loops"][0]
    mdot = water.properties(25.0)["rho"] * 0.3 / 6e4
    assert loop["mass_flow"] == pytest.approx(mdot, rel=1e-12)
    rise = 0.0
    for g in _rows(r).values():
        p = water.properties(g["T_mean_properties"])
        assert p["rho"] * g["flow_rate"] == pytest.approx(mdot, rel=1e-12)
        rise += g["heat"] / (mdot * p["cp"])
    assert loop["T_out"] - 25.0 == pytest.approx(rise, rel=1e-9)
    flows = [g["flow_rate"] for g in _rows(r).values()]
    assert flows[0] < flows[1] < flows[2]  # warmer water, lower density, more volume
    assert loop["dP"] == pytest.approx(sum(g["dP"] for g in _rows(r).values()), rel=1e-12)


def test_the_last_plate_of_a_series_loop_runs_hotter_than_the_first():
    """The same strip cooled first and last: last, its coolant arrives warmed by the others, so
    the strip runs hotter, by less than that upstream rise (the other plates, now first, run
    cooler, and the die spreads some of the strip's heat to them) but by most of it (the strip's
    heat goes mainly to its own plate)."""
    first = {"name": "L", "inlet_T": 25, "flow_rate": "0.3 L/min", "path": ["p0", "p1", "p2"]}
    last = {**first, "path": ["p1", "p2", "p0"]}
    t_first = solve_steady(_package(first, _three())).component("s0").T_max
    r_last = solve_steady(_package(last, _three()))
    upstream = _rows(r_last)["p0"]["T_in"] - 25.0
    assert upstream > 5.0
    assert 0.5 * upstream < r_last.component("s0").T_max - t_first < upstream


# ---------------------------------------------------------------------------------------------
# parallel
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def parallel():
    loop = {"name": "L", "inlet_T": 25, "flow_rate": "0.3 L/min", "path": [["p0", "p1", "p2"]]}
    return solve_steady(_package(loop, _three(p1=150)))


def test_parallel_loop_balances_branch_pressure_drops_and_mass(parallel):
    r = parallel
    _check_energy(r, 180.0)
    loop = r.coolant["loops"][0]
    stage = loop["stages"][0]
    dps = [b["dP"] for b in stage["branches"]]
    assert (max(dps) - min(dps)) / max(dps) <= 1e-6
    assert loop["balance"] <= SPLIT_TOL
    water = r.package.coolant("water")
    mass = sum(water.properties(g["T_mean_properties"])["rho"] * g["flow_rate"] for g in _rows(r).values())
    assert mass == pytest.approx(loop["mass_flow"], rel=1e-12)
    g = _rows(r)
    assert g["p1"]["flow_rate"] > 1.3 * g["p0"]["flow_rate"]  # wider channels, less resistance
    assert all(row["T_in"] == 25.0 for row in g.values())


def test_parallel_split_equals_an_independent_root_solve_of_each_branch():
    """Without heat every branch is at the inlet temperature: the split must give each branch
    the flow at which its own ΔP curve (the correlation, solved here by bisection) reaches the
    common pressure drop, and the flows must add up to the loop's."""
    loop = {"name": "L", "inlet_T": 25, "flow_rate": "0.3 L/min", "path": [["p0", "p1", "p2"]]}
    r = solve_steady(_package(loop, _three(p1=150, p2=60), powers=(0.0, 0.0, 0.0)))
    water = r.package.coolant("water").properties(25.0)
    lp = r.coolant["loops"][0]
    common = lp["stages"][0]["dP"]
    for row in _rows(r).values():
        width, n = row["geometry.channel_width"], row["geometry.n_channels"]

        def excess(q, width=width, n=n):
            return channel_performance(width=width, height=500e-6, n_channels=n, flow_rate=q, length=0.01,
                                       props=water, k_wall=398.0, wall_width=100e-6)["dP"] - common

        q = brentq(excess, 1e-9, 1e-4, xtol=1e-20, rtol=1e-13)
        assert row["flow_rate"] == pytest.approx(q, rel=1e-9)
    assert sum(g["flow_rate"] for g in _rows(r).values()) == pytest.approx(0.3 / 6e4, rel=1e-12)


def test_series_then_parallel_mixes_the_first_outlet_into_every_branch():
    loop = {"name": "L", "inlet_T": 25, "flow_rate": "0.3 L/min", "path": ["p0", ["p1", "p2"]]}
    r = solve_steady(_package(loop, _three()))
    _check_energy(r, 180.0)
    g = _rows(r)
    assert g["p1"]["T_in"] == pytest.approx(g["p0"]["T_out"], abs=1e-12)
    assert g["p2"]["T_in"] == pytest.approx(g["p0"]["T_out"], abs=1e-12)
    lp = r.coolant["loops"][0]
    # the loop's outlet mixes the branches by their heat-capacity flows
    water = r.package.coolant("water")
    mcp = {k: water.properties(g[k]["T_mean_properties"])["rho"] * water.properties(g[k]["T_mean_properties"])["cp"]
           * g[k]["flow_rate"] for k in ("p1", "p2")}
    mixed = (mcp["p1"] * g["p1"]["T_out"] + mcp["p2"] * g["p2"]["T_out"]) / (mcp["p1"] + mcp["p2"])
    assert lp["T_out"] == pytest.approx(mixed, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# driven by a pressure
# ---------------------------------------------------------------------------------------------
def test_a_loop_given_its_pressure_finds_the_flow_that_drops_it():
    by_p = {"name": "L", "inlet_T": 25, "pressure": "0.5 bar", "path": ["p0", ["p1", "p2"]]}
    r = solve_steady(_package(by_p, _three()))
    lp = r.coolant["loops"][0]
    assert lp["dP"] == pytest.approx(0.5e5, rel=1e-9)
    _check_energy(r, 180.0)
    # the same loop driven by the flow found gives the same pressure drop and field
    by_q = {"name": "L", "inlet_T": 25, "flow_rate": f"{lp['flow_rate']!r} m^3/s", "path": ["p0", ["p1", "p2"]]}
    r_q = solve_steady(_package(by_q, _three()))
    assert r_q.coolant["loops"][0]["dP"] == pytest.approx(0.5e5, rel=1e-6)
    assert np.max(np.abs(r_q.temperature - r.temperature)) < 1e-6


# ---------------------------------------------------------------------------------------------
# layout files, result files, reports, bad input
# ---------------------------------------------------------------------------------------------
LOOP_TOML = """
schema_version = 1
name = "two-plates"
footprint = { x = 10000, y = 6000 }
grid = { max_cell_xy = 500, max_cell_z = 100 }

[[layers]]
name = "die"
thickness = 500
material = "silicon"
power = 40
power_at = "bottom"

[[coldplates]]
name = "p1"
y = [0, 3000]
channel_width = 100
wall_width = 100
channel_height = 500

[[coldplates]]
name = "p2"
y = [3000, 6000]
channel_width = 100
wall_width = 100
channel_height = 500

[[loops]]
name = "L"
inlet_T = 25
flow_rate = "0.2 L/min"
path = [["p1", "p2"]]
"""


def test_loop_from_toml_through_the_result_file_and_the_report(tmp_path):
    (tmp_path / "loop.toml").write_text(LOOP_TOML)
    out = tmp_path / "r.h5"
    run = CliRunner().invoke(cli, ["run", str(tmp_path / "loop.toml"), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "Coolant loops" in run.output and "L stage 1" in run.output
    r = load_result(out)
    lp = r.coolant["loops"][0]
    assert lp["name"] == "L" and [b["name"] for b in lp["stages"][0]["branches"]] == ["p1", "p2"]
    assert math.isclose(sum(b["flow_rate"] for b in lp["stages"][0]["branches"]), lp["flow_rate"], rel_tol=1e-3)
    rep = CliRunner().invoke(cli, ["report", str(out)])
    assert rep.exit_code == 0 and "L stage 1" in rep.output
    val = CliRunner().invoke(cli, ["validate", str(tmp_path / "loop.toml")])
    assert val.exit_code == 0 and "loop L: water, 0.2 L/min at 25 °C: p1 ∥ p2" in val.output


BAD = [
    ('path = [["p1", "p2"]]', 'path = [["p1", "p3"]]', "loops[0].path[0]", "no cold plate or channel layer is named 'p3'"),
    ('path = [["p1", "p2"]]', 'path = ["p1"]', "coldplates[1].flow_rate", "required: give flow_rate"),
    ('path = [["p1", "p2"]]', 'path = ["p1", "p1"]', "loops[0].path[1]", "already in loop 'L'"),
    ('flow_rate = "0.2 L/min"\npath', 'flow_rate = "0.2 L/min"\npressure = "1 bar"\npath', "loops[0].flow_rate",
     "exactly one of flow_rate"),
    ('flow_rate = "0.2 L/min"\npath', 'pressure = 1\npath', "loops[0].pressure", "no unit"),
    ('channel_height = 500\n\n[[coldplates]]', 'channel_height = 500\nflow_rate = "1 L/min"\n\n[[coldplates]]',
     "coldplates[0].flow_rate", "set by loop 'L'"),
    ('channel_height = 500\n\n[[coldplates]]', 'channel_height = 500\ncoolant = "pg25"\n\n[[coldplates]]',
     "coldplates[0].coolant", "differs from the coolant of loop 'L'"),
    ('inlet_T = 25\nflow', 'inlet_T = 25\ncoolant = "brine"\nflow', "loops[0].coolant", "unknown coolant 'brine'"),
]


@pytest.mark.parametrize("old, new, where, message", BAD)
def test_bad_loops_are_refused_naming_the_field(tmp_path, old, new, where, message):
    text = LOOP_TOML.replace(old, new, 1)
    assert text != LOOP_TOML
    (tmp_path / "bad.toml").write_text(text)
    res = CliRunner().invoke(cli, ["validate", str(tmp_path / "bad.toml")])
    assert res.exit_code == 2, res.output
    assert where in res.output and message in res.output, res.output
    assert "Traceback" not in res.output


def test_a_cavity_and_a_cold_plate_in_one_loop():
    """A resolved channel cavity in the die feeds a compact plate on the bottom face: the plate's
    inlet is the cavity's mixed outlet, and the heat of both adds up to the power."""
    pkg = cavity_feeding_a_plate()
    r = solve_steady(pkg)
    _check_energy(r, 20.0)
    g = _rows(r)
    assert g["under"]["T_in"] == pytest.approx(g["cav"]["T_out"], abs=1e-12)
    assert g["cav"]["heat"] > 0 and g["under"]["heat"] > 0


def test_every_plate_kind_shares_one_parallel_loop():
    """A micro-channel, a manifold, a pin-fin and a jet plate side by side on one pump: each
    branch's ΔP from its own kind's correlations, all equal, the mass adds up, energy conserved."""
    kinds = [
        {"model": "microchannel", "channel_width": 100, "wall_width": 100, "channel_height": 500},
        {"model": "manifold", "channel_width": 100, "wall_width": 100, "channel_height": 500, "manifold_pitch": 2000},
        {"model": "pinfin", "pin_diameter": 300, "pin_height": 500, "pitch_transverse": 600, "arrangement": "staggered"},
        {"model": "jet", "nozzle_diameter": 300, "pitch": 1500, "nozzle_to_target": 600},
    ]
    plates = [{"name": f"k{i}", "face": "top", "y": [2000 * i, 2000 * (i + 1)], "material": "copper",
               "flow_direction": "+x", **k} for i, k in enumerate(kinds)]
    loop = {"name": "L", "inlet_T": 25, "flow_rate": "0.4 L/min", "path": [[p["name"] for p in plates]]}
    r = solve_steady(_package(loop, plates, powers=(20.0, 20.0, 20.0, 20.0), span=8000))
    _check_energy(r, 80.0)
    lp = r.coolant["loops"][0]
    dps = [b["dP"] for b in lp["stages"][0]["branches"]]
    assert (max(dps) - min(dps)) / max(dps) <= 1e-6
    water = r.package.coolant("water")
    mass = sum(water.properties(g["T_mean_properties"])["rho"] * g["flow_rate"] for g in _rows(r).values())
    assert mass == pytest.approx(lp["mass_flow"], rel=1e-12)
    assert len({round(g["flow_rate"], 12) for g in _rows(r).values()}) == 4  # four different shares
