"""Progress of long steady solves and crosstalks: the events follow the solver's own counts, and
the command line shows them on stderr only where asked (a terminal, or THERMAL_CPO_PROGRESS=1)."""

from __future__ import annotations

import os
import subprocess
import sys

from thermal_cpo.analysis import crosstalk
from thermal_cpo.layout import load_layout
from thermal_cpo.solve.steady import solve_steady


def _by_solve(events, key="solve"):
    out: dict[int, list[dict]] = {}
    for e in events:
        out.setdefault(e[key], []).append(e)
    return out


def test_steady_progress_counts_every_iteration_of_every_linear_solve():
    # quickstart has k(T) materials: several linear solves, each reported with its iterations
    events = []
    r = solve_steady(load_layout("quickstart"), progress=events.append)
    solves = _by_solve(events)
    assert len(solves) == r.solver["linear_solves"] > 1
    assert sorted(solves) == list(range(1, len(solves) + 1))
    for evs in solves.values():
        assert [e["iteration"] for e in evs] == list(range(1, len(evs) + 1))
    assert sum(len(evs) for evs in solves.values()) == r.solver["iterations"]
    # the last solve ends at the requested tolerance by CG's own residual (the Picard
    # iterations before it solve only as exactly as their conductivities are known)
    assert solves[len(solves)][-1]["residual"] <= r.solver["tolerance"]
    assert all(evs[-1]["residual"] < evs[0]["residual"] for evs in solves.values() if len(evs) > 1)
    # the property / k(T) iteration a solve belongs to never goes back
    outer = [evs[0]["outer"] for _, evs in sorted(solves.items())]
    assert outer == sorted(outer)


def test_a_coupled_solve_reports_its_bicgstab_iterations():
    events = []
    r = solve_steady(load_layout("tuckerman-pease-1981"), progress=events.append)
    assert r.solver["method"] == "bicgstab-block-multigrid"
    assert len(events) == r.solver["iterations"] > 0
    solves = _by_solve(events)
    assert solves[len(solves)][-1]["residual"] <= r.solver["tolerance"]


def test_crosstalk_progress_names_each_source_in_turn():
    pkg = load_layout("quickstart")
    events = []
    xt = crosstalk(solve_steady(pkg), progress=events.append)
    per_source = _by_solve([e for e in events if e["source"]], key="source")
    assert sorted(per_source) == list(range(1, len(xt.sources) + 1))
    for j, evs in per_source.items():
        assert {e["name"] for e in evs} == {xt.sources[j - 1]} and {e["of"] for e in evs} == {len(xt.sources)}
        assert len(evs) == xt.stats["iterations"][j - 1]


def _run(args, env_value):
    env = dict(os.environ)
    env.pop("THERMAL_CPO_PROGRESS", None)
    if env_value is not None:
        env["THERMAL_CPO_PROGRESS"] = env_value
    return subprocess.run([sys.executable, "-m", "thermal_cpo", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_the_command_line_shows_progress_only_where_asked(tmp_path):
    asked = _run(["run", "quickstart", "-o", str(tmp_path / "a.h5")], "1")
    assert asked.returncode == 0, asked.stderr
    assert "steady: linear solve 1, iteration 1" in asked.stderr
    plain = _run(["run", "quickstart", "-o", str(tmp_path / "b.h5")], None)
    assert plain.returncode == 0 and "linear solve" not in plain.stderr
    as_json = _run(["run", "quickstart", "--json"], "1")
    assert as_json.returncode == 0 and "linear solve" not in as_json.stderr
