"""The memory guard refuses an oversized grid before any axis is graded: a grid control typed
far too small (bare numbers are µm, so ``max_cell_xy = 0.001`` is 1 nm) is a LayoutError in
milliseconds and megabytes, not minutes and gigabytes; the lower bound it refuses on never
exceeds the real cell count, and stays close to it on the shipped layouts."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, strategies as st

from thermal_cpo import LayoutError
from thermal_cpo.layout import Package, load_layout, shipped_layouts
from thermal_cpo.mesh import build_axes, voxelize
from thermal_cpo.mesh import graded_axis
from thermal_cpo.mesh.bound import EXACT_AXIS_CELLS, axis_lower_bound, cell_count_lower_bound
from thermal_cpo.mesh.levels import level_axes

#: a 2 × 2 mm die on a 1 mm substrate; the limit is fixed so that no machine's memory decides
BASE = {
    "name": "guard",
    "footprint": {"x": 2000, "y": 2000},
    "grid": {"max_cell_xy": 500, "max_cell_z": 250, "memory_limit": "4 GB"},
    "layers": [
        {"name": "substrate", "thickness": 1000, "material": "organic-substrate"},
        {"name": "die-tier", "thickness": 200, "material": "air",
         "blocks": [{"name": "die", "x": [500, 1500], "y": [500, 1500], "material": "silicon",
                     "power": 1.0}]},
    ],
    "boundaries": {"top": {"type": "convective", "h": 1e4, "T": 25}},
}


def _with(path, value) -> dict:
    d = copy.deepcopy(BASE)
    obj = d
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value
    return d


#: (id, layout, the path the refusal names)
TINY = [
    ("max_cell_xy-1nm", _with(("grid", "max_cell_xy"), 0.001), "grid.max_cell_xy"),
    ("max_cell_xy-1e-12", _with(("grid", "max_cell_xy"), 1e-12), "grid.max_cell_xy"),
    # z alone at 1 nm gives 19 M cells of 4 × 4 columns, which fit the 4 GB limit: 0.1 nm does not
    ("max_cell_z-0.1nm", _with(("grid", "max_cell_z"), 1e-4), "grid.max_cell_z"),
    ("layer-max_cell_z-0.1nm", _with(("layers", 0, "max_cell_z"), 1e-4), "layers[0].max_cell_z"),
    ("block-max_cell_xy-1nm", _with(("layers", 1, "blocks", 0, "max_cell_xy"), 0.001),
     "layers[1].blocks[0].max_cell_xy"),
]

_REFUSE = textwrap.dedent("""
    import json, resource, sys, time
    import numpy as np
    from thermal_cpo import LayoutError
    from thermal_cpo.layout import Package
    from thermal_cpo.mesh import voxelize
    from thermal_cpo.mesh.axes import graded_axis
    import thermal_cpo.kernels.voxel  # voxelize imports it on first use: not part of the timing

    def peak():  # bytes (Linux reports kB)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def timed(call):
        before, t = peak(), time.perf_counter()
        try:
            out = call()
            err = None
        except LayoutError as exc:
            out, err = None, [exc.path, str(exc)]
        return dict(out=out, error=err, wall=time.perf_counter() - t, grew=peak() - before)

    def refusal(data):
        try:
            pkg = Package.from_dict(data)  # loading units and materials: not part of the timing
        except LayoutError as exc:  # validation may refuse a sub-nm length itself
            return dict(out=None, error=[exc.path, str(exc)], wall=0.0, grew=0)
        return timed(lambda: len(voxelize(pkg).x))

    cases = json.loads(sys.argv[1])
    base = peak()  # the interpreter, numpy, numba and the kernels (compiled on a cold cache)
    res = {name: refusal(d) for name, d in cases.items()}
    # below what validation lets through (1e-12 µm), for a Package built around it
    pkg = Package.from_dict(cases["max_cell_xy-1nm"])
    raw = pkg.model_copy(update={"grid": pkg.grid.model_copy(update={"max_cell_xy": 1e-18})})
    res["max_cell_xy-1e-18-m-unvalidated"] = timed(lambda: len(voxelize(raw).x))
    # the sampler alone, on an axis whose sizes span 1 nm to 5 cm, and on one of 5e16 cells
    res["axis-1nm-to-5cm"] = timed(lambda: len(graded_axis(np.array([0, 1e-9, 5e-2]),
                                                           np.array([1e-9, 5e-2]), 1.05)) - 1)
    res["axis-5e16-cells"] = timed(lambda: graded_axis(np.array([0, 5e-2]), np.array([1e-18]), 1.3))
    res["peak"], res["base"] = peak(), base
    print(json.dumps(res))
""")


@pytest.fixture(scope="module")
def refusals():
    """Every tiny-control layout voxelized in one fresh interpreter: path, message, wall time of
    the call and the growth of the peak RSS during it."""
    cases = {name: data for name, data, _ in TINY}
    run = subprocess.run([sys.executable, "-c", _REFUSE, json.dumps(cases)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name, path", [(n, p) for n, _, p in TINY]
                         + [("max_cell_xy-1e-18-m-unvalidated", "grid.max_cell_xy")],
                         ids=[n for n, _, _ in TINY] + ["max_cell_xy-1e-18-m-unvalidated"])
def test_a_tiny_grid_control_is_refused_at_once(refusals, name, path):
    r = refusals[name]
    assert r["error"] is not None, f"{name} was not refused"
    assert r["error"][0] == path
    assert r["wall"] < 2.0, f"{name}: the refusal took {r['wall']:.2f} s"
    assert r["grew"] < 64 * 2 ** 20, f"{name}: the peak RSS grew {r['grew'] / 2 ** 20:.0f} MB"


def test_the_refusals_stay_under_200_mb(refusals):
    # what refusing every case costs the process above its imports (which, on a cold numba
    # cache, include compiling the kernels: a cost of the first run, not of the guard)
    grew = refusals["peak"] - refusals["base"]
    assert grew < 200 * 2 ** 20, f"peak RSS grew {grew / 2 ** 20:.0f} MB over the imports"


def test_the_refusal_names_the_count_the_limit_and_the_control(refusals):
    path, msg = refusals["block-max_cell_xy-1nm"]["error"]
    assert "at least" in msg and "cells" in msg and "4 GB" in msg and "grid.memory_limit" in msg
    assert "layers[1].blocks[0].max_cell_xy = 0.001 µm" in msg


def test_the_sampler_is_bounded_on_extreme_axes(refusals):
    r = refusals["axis-1nm-to-5cm"]
    assert r["error"] is None and 100 < r["out"] < 10_000
    assert r["wall"] < 2.0 and r["grew"] < 64 * 2 ** 20
    r = refusals["axis-5e16-cells"]
    assert r["error"] is not None and r["error"][0] == "grid"
    assert r["wall"] < 1.0 and r["grew"] < 16 * 2 ** 20


@pytest.mark.parametrize("command", ["run", "validate"])
def test_the_cli_refuses_with_one_line_and_exit_2(tmp_path, command):
    layout = tmp_path / "tiny.toml"
    layout.write_text(textwrap.dedent("""
        name = "tiny-grid"
        footprint = { x = 2000, y = 2000 }
        [grid]
        max_cell_xy = 0.001
        memory_limit = "4 GB"
        [[layers]]
        name = "die"
        thickness = 500
        material = "silicon"
        power = 5.0
        [boundaries.top]
        type = "convective"
        h = 1e4
        T = 25
    """), encoding="utf-8")
    extra = ["-o", str(tmp_path / "x.h5")] if command == "run" else []
    run = subprocess.run([sys.executable, "-m", "thermal_cpo", command, str(layout), *extra],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: ") and "grid.max_cell_xy" in lines[0]
    assert "at least" in lines[0]


def test_a_grid_with_short_axes_is_refused_with_its_exact_count():
    """Over the limit but cheap to grade: the exact check refuses it, with the exact count."""
    d = _with(("grid", "memory_limit"), "1 MB")
    d["grid"]["max_cell_xy"] = 50
    pkg = Package.from_dict(d)
    n = voxelize(pkg, memory_limit_bytes="1 GB").n_cells
    assert sum(cell_count_lower_bound(pkg)) < EXACT_AXIS_CELLS
    with pytest.raises(LayoutError) as info:
        voxelize(pkg)
    assert info.value.path == "grid"
    assert f"{n:,} cells" in str(info.value) and "at least" not in str(info.value)


@pytest.mark.parametrize("name", sorted(shipped_layouts()))
def test_the_bound_is_below_the_real_count_and_close_to_it(name):
    """The refusal is sound (the bound never exceeds the grid a layout gets) and informative:
    the grading repair, which the bound leaves out, adds at most a few per cent per axis on the
    shipped layouts (13 % on the worst axis, 23 % on the worst grid)."""
    pkg = load_layout(name)
    real = [len(a) - 1 for a in build_axes(pkg)]
    low = cell_count_lower_bound(pkg)
    for axis, n_low, n in zip("xyz", low, real):
        assert n_low <= n <= 1.25 * n_low, f"{name} {axis}: bound {n_low}, real {n}"
    assert np.prod(real) <= 1.5 * np.prod(low)


@pytest.mark.parametrize("level", [2, 0.5])
def test_the_bound_follows_the_grid_level(level):
    pkg = load_layout("quickstart")
    real = [len(a) - 1 for a in level_axes(pkg, level)]
    low = cell_count_lower_bound(pkg, level)
    assert all(n_low <= n for n_low, n in zip(low, real)), (low, real)
    assert low == tuple(max(1, int(n * level)) for n in cell_count_lower_bound(pkg))


@given(st.lists(st.tuples(st.floats(1e-3, 2e3), st.floats(0.01, 1.0)), min_size=1, max_size=10),
       st.floats(0.5, 500), st.floats(1.05, 4.0))
def test_the_bound_never_exceeds_any_interval_of_a_graded_axis(intervals, h, g):
    """Soundness on arbitrary axes: films next to millimetre layers, per-interval overrides down
    to a hundredth of the base size, gradings from the tightest to the loosest allowed."""
    br = np.unique(np.round(np.concatenate([[0], np.cumsum([L for L, _ in intervals])]) * 1e3) * 1e-9)
    if len(br) < 2:
        return
    hmax = h * 1e-6 * np.array([s for _, s in intervals][: len(br) - 1])
    nodes = graded_axis(br, hmax, g)
    real = np.diff(np.searchsorted(nodes, br))
    assert np.all(axis_lower_bound(br, hmax, g) <= real)
