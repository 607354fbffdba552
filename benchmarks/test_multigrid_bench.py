"""Multigrid against the pyamg reference, the STREAM triad and the project's targets, measured
side by side in one run (pytest-benchmark).

Run: ``pytest benchmarks/test_multigrid_bench.py --benchmark-enable -s`` (``-s`` prints the
summary table at the end). Every kernel is compiled, or loaded from the cache, by a warm-up
solve before any timing; medians are the figures to quote on a shared machine.

Targets, on the 2-core benchmark machine:
- iterations to a 1e-8 relative residual within ±3 from 32² to 512² lateral cells;
- ≥ 10× the pyamg-CG path on the 2-million-cell stack, ≤ 1 s for that solve;
- ≤ 0.3 s for the die-tim-lid steady solve;
- a 10-million-cell stack in ≤ 10 s with a peak of ≤ 250 bytes per cell;
- an implicit step at 2 million cells in ≤ 0.3 s (the solver's step, and solve_transient's);
- the 9-source crosstalk matrix of cpo-51t2-switch in ≤ 3 steady solves.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from thermal_cpo.analysis import crosstalk
from thermal_cpo.bench import (SWEEP_BYTES_PER_CELL, implicit_step_figures, median_time, solve_figures,
                               stack, sweep_seconds, triad_bandwidth)
from thermal_cpo.mesh import voxelize
from thermal_cpo.kernels.jit import set_threads
from thermal_cpo.layout import load_layout
from thermal_cpo.operator import Operator
from thermal_cpo.solve.steady import solve_steady

THREADS = 2
_R: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def warm():
    before = set_threads(None)
    set_threads(THREADS)
    solve_steady(stack(12))
    solve_steady(stack(12), solver="amg")
    yield
    set_threads(before)


def test_stream_triad(benchmark):
    gbs = benchmark.pedantic(lambda: triad_bandwidth(repeats=7), rounds=1, iterations=1)
    _R["triad"] = dict(gbs=gbs)


@pytest.mark.parametrize("solver", ["multigrid", "amg"])
def test_two_million_cell_stack(benchmark, solver):
    mesh = voxelize(stack(128))
    f = benchmark.pedantic(lambda: solve_figures(mesh, solver, repeats=3 if solver == "multigrid" else 1),
                           rounds=1, iterations=1)
    f["sweep"] = sweep_seconds(Operator(mesh).stencil())
    f["cells"] = mesh.n_cells
    benchmark.extra_info.update(f)
    _R[f"2M {solver}"] = f


@pytest.mark.parametrize("solver", ["multigrid", "amg"])
def test_die_tim_lid(benchmark, solver):
    pkg = load_layout("die-tim-lid")
    r = solve_steady(pkg, solver=solver)  # warm
    t = benchmark.pedantic(lambda: median_time(lambda: solve_steady(pkg, solver=solver),
                                               5 if solver == "multigrid" else 1, warm=False),
                           rounds=1, iterations=1)
    _R[f"die-tim-lid {solver}"] = dict(t=t, cells=r.mesh.n_cells, shape=r.mesh.shape,
                                       iterations=r.solver["iterations"])


def test_iterations_flat_32_to_512(benchmark):
    from thermal_cpo.linalg import MultigridSolver

    rows = {}

    def run():
        for n in (32, 64, 128, 256, 512):
            mesh = voxelize(stack(n, nz=40))
            op = Operator(mesh)
            t0 = time.perf_counter()
            _, info = MultigridSolver(tol=1e-8).setup(op.stencil()).solve(op.rhs(t_ref=25.0))
            rows[n] = dict(cells=mesh.n_cells, iterations=info["iterations"], t=time.perf_counter() - t0)
            del mesh, op

    benchmark.pedantic(run, rounds=1, iterations=1)
    _R["flat"] = rows
    its = [r["iterations"] for r in rows.values()]
    assert max(its) - min(its) <= 6  # ±3


def test_ten_million_cells_time_and_memory(benchmark):
    """Wall time of solve_steady (voxelize to result) and its peak memory in a fresh process."""
    here = os.path.dirname(__file__)

    def probe():
        proc = subprocess.run([sys.executable, os.path.join(here, "memory_probe.py"), "450x40", "multigrid"],
                              capture_output=True, text=True, cwd=here, timeout=900)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout.strip().splitlines()[-1])

    data = benchmark.pedantic(probe, rounds=1, iterations=1)
    _R["10M"] = data
    benchmark.extra_info.update(data)


def test_implicit_step_two_million(benchmark):
    """Backward-Euler steps of 1 ms through the heat-up of the 2-million-cell stack, as the
    fixed-step driver takes them (:func:`thermal_cpo.bench.implicit_step_figures`: CG from the
    extrapolated field; the step size's preconditioner is set up in untimed steps)."""
    mesh = voxelize(stack(128))
    f = benchmark.pedantic(lambda: implicit_step_figures(mesh, "auto", repeats=6), rounds=1, iterations=1)
    _R["implicit"] = dict(t=f["step"], cells=mesh.n_cells, iterations=f["step_iterations"])


def test_implicit_driver_two_million(benchmark):
    """The same steps as a user runs them: ``solve_transient`` with a fixed 1 ms step, timed
    between its progress callbacks (so the driver's own work per step counts: the right-hand
    side, the energy balance, the component statistics); the median over the steps."""
    from thermal_cpo.solve.transient import solve_transient

    mesh = voxelize(stack(128))
    stamps: list[float] = []

    def run():
        stamps.clear()
        t0 = time.perf_counter()
        r = solve_transient(mesh, t_end=10e-3, dt=1e-3, adaptive=False, method="implicit",
                            progress=lambda t, t_end: stamps.append(time.perf_counter()))
        return t0, r

    run()  # compiles or loads every kernel
    t0, r = benchmark.pedantic(run, rounds=1, iterations=1)
    per_step = np.diff(stamps)  # the first step (with the preconditioner setup) is left out
    _R["implicit driver"] = dict(t=float(np.median(per_step)), first=stamps[0] - t0,
                                 steps=len(stamps), cells=mesh.n_cells)


def test_crosstalk_cpo_nine_sources(benchmark):
    """The matrix at the solved operating point (what `thermal-cpo crosstalk` does after its
    steady solve): ASIC + the 8 engines' EICs, against one steady solve (voxelize to result)."""
    pkg = load_layout("cpo-51t2-switch")
    r = solve_steady(pkg)
    single = median_time(lambda: solve_steady(pkg), 3, warm=False)
    srcs = ["asic"] + [c.name for c in r.mesh.components if c.name.endswith(".eic") and c.power > 0]
    t = benchmark.pedantic(lambda: median_time(lambda: crosstalk(r, sources=srcs), 3, warm=False), rounds=1, iterations=1)
    xt = crosstalk(r, sources=srcs)
    _R["crosstalk"] = dict(t=t, single=single, sources=len(srcs), iterations=xt.stats["iterations"],
                           steady_iterations=r.solver["iterations"])
    assert len(srcs) == 9


def test_summary():
    """Prints the figures beside each other and checks the targets that were measured."""
    if not _R:
        pytest.skip("run with the other benchmarks")
    bw = _R.get("triad", {}).get("gbs")
    lines = [f"STREAM triad {bw:.1f} GB/s" if bw else "STREAM triad not measured"]
    fails = []
    mg, amg = _R.get("2M multigrid"), _R.get("2M amg")
    if mg:
        floor = SWEEP_BYTES_PER_CELL * mg["cells"] / (bw * 1e9) if bw else float("nan")
        lines.append(f"2M stack ({mg['cells']:,} cells): multigrid {mg['total']:.3f} s ({mg['iterations']} its, "
                     f"{mg['total'] / mg['sweep']:.0f} sweeps of {mg['sweep'] * 1e3:.2f} ms; floor {floor * 1e3:.2f} ms "
                     f"= {mg['total'] / floor:.0f} floor sweeps)")
        fails += [] if mg["total"] <= 1.0 else ["2M solve > 1 s"]
    if mg and amg:
        lines.append(f"   pyamg-CG {amg['total']:.2f} s ({amg['iterations']} its): speed-up {amg['total'] / mg['total']:.1f}×")
        fails += [] if amg["total"] >= 10 * mg["total"] else ["speed-up < 10×"]
    for s in ("multigrid", "amg"):
        d = _R.get(f"die-tim-lid {s}")
        if d:
            lines.append(f"die-tim-lid {d['shape']} {s}: {d['t']:.3f} s ({d['iterations']} its)")
    d = _R.get("die-tim-lid multigrid")
    if d and d["t"] > 0.3:
        fails.append("die-tim-lid > 0.3 s")
    if "flat" in _R:
        lines.append("iterations to 1e-8: " + ", ".join(f"{n}²: {r['iterations']} ({r['cells']:,} cells, {r['t']:.2f} s)"
                                                          for n, r in _R["flat"].items()))
    if "10M" in _R:
        d = _R["10M"]
        lines.append(f"10M stack ({d['cells']:,} cells): solve_steady {d['wall_time']:.2f} s, peak "
                     f"{d['bytes_per_cell']:.0f} B/cell, {d['iterations']} its")
        fails += [] if d["wall_time"] <= 10 else ["10M > 10 s"]
        fails += [] if d["bytes_per_cell"] <= 250 else ["10M > 250 B/cell"]
    if "implicit" in _R:
        d = _R["implicit"]
        lines.append(f"implicit BE step, {d['cells']:,} cells: {d['t']:.3f} s ({d['iterations']:.0f} its)")
        fails += [] if d["t"] <= 0.3 else ["implicit step > 0.3 s"]
    if "implicit driver" in _R:
        d = _R["implicit driver"]
        lines.append(f"   solve_transient, fixed 1 ms steps: {d['t']:.3f} s per step (median of "
                     f"{d['steps'] - 1}; first step with setup {d['first']:.2f} s)")
        fails += [] if d["t"] <= 0.3 else ["solve_transient step > 0.3 s"]
    if "crosstalk" in _R:
        d = _R["crosstalk"]
        lines.append(f"crosstalk cpo-51t2-switch, {d['sources']} sources: {d['t']:.2f} s = "
                     f"{d['t'] / d['single']:.2f} steady solves ({d['single']:.2f} s, "
                     f"{d['steady_iterations']} its); iterations per source {d['iterations']}")
        fails += [] if d["t"] <= 3 * d["single"] else ["crosstalk > 3 solves"]
    print("\n" + "\n".join(lines))
    assert not fails, fails
