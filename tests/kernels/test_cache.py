"""numba's on-disk cache across runs: one compilation serves later runs at any thread count,
and the notice that compilation is under way shows only when something is compiled.

Each run is a fresh process with ``NUMBA_CACHE_DIR`` pointing at the test's own folder, so the
first run finds nothing cached whatever the machine's own cache holds.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

_PROBE = r"""
import hashlib, json
import numpy as np
from thermal_cpo.kernels.jit import compile_report, num_threads
from thermal_cpo.layout import load_layout
from thermal_cpo.solve.steady import solve_steady

pkg = load_layout("die-tim-lid")
pkg = pkg.model_copy(update={"grid": pkg.grid.model_copy(update={"max_cell_xy": 1000.0,
                                                                   "max_cell_z": 500.0})})
T = np.ascontiguousarray(solve_steady(pkg).temperature)
rows = compile_report()
print(json.dumps({"threads": num_threads(), "cells": int(T.size),
                  "digest": hashlib.sha256(T.tobytes()).hexdigest(), "t_max": float(T.max()),
                  "compiled": sorted(r["name"] + r["signature"] for r in rows if r["compiled"]),
                  "loaded": sorted(r["name"] + r["signature"] for r in rows if not r["compiled"])}))
"""


def _env(cache_dir, threads=None, **extra):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir), **extra)
    if threads is not None:
        env["NUMBA_NUM_THREADS"] = str(threads)
    return env


def _probe(cache_dir, threads):
    out = subprocess.run([sys.executable, "-c", _PROBE], env=_env(cache_dir, threads),
                         capture_output=True, text=True, check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_cache_filled_at_one_thread_serves_two_threads_unchanged(tmp_path):
    one = _probe(tmp_path, 1)
    two = _probe(tmp_path, 2)
    assert one["threads"] == 1 and two["threads"] == 2
    # a grid of a few hundred cells runs the serial kernels at any thread count, so the second
    # run needs nothing the first did not compile, and the same code gives the same bits
    assert one["cells"] < 32768
    assert one["compiled"] and not one["loaded"]
    assert two["compiled"] == []
    assert two["loaded"] == one["compiled"]
    assert two["digest"] == one["digest"]
    # a real solve, not an empty field: by the energy balance the lid top's mean lies
    # P/(h·A) = 420 W / (2e4 W/(m²·K) · 4e-4 m²) = 52.5 K above the 25 °C coolant (derived from
    # the layout's figures), and the hottest cell lies above that mean
    assert one["t_max"] > 25.0 + 420.0 / (2e4 * 0.02 * 0.02)


def _run_cli(cache_dir, layout, **extra):
    return subprocess.run([sys.executable, "-m", "thermal_cpo", "run", layout, "-q"],
                          env=_env(cache_dir, **extra), capture_output=True, text=True,
                          check=True, timeout=600)


def test_the_compile_notice_shows_only_when_kernels_are_compiled(tmp_path):
    from thermal_cpo.cli.progress import ENV, MESSAGE

    first = _run_cli(tmp_path, "die-tim-lid", **{ENV: "1"})
    again = _run_cli(tmp_path, "die-tim-lid", **{ENV: "1"})
    assert first.stderr.count(MESSAGE) == 1
    assert MESSAGE not in again.stderr


@pytest.mark.parametrize("quiet, stdout_tty, stderr_tty, shown", [
    (False, True, True, True),
    (True, True, True, False),    # -q prints nothing but errors
    (False, False, True, False),  # output piped or redirected: no terminal to explain to
    (False, True, False, False),
])
def test_the_compile_notice_needs_a_terminal(monkeypatch, quiet, stdout_tty, stderr_tty, shown):
    from thermal_cpo.cli import progress

    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: stdout_tty, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: stderr_tty, raising=False)
    assert progress.notice_wanted(quiet) is shown


# ---- the numpy paths that spare a run a compilation give the compiled loops' bits -------------

def _grid(rng, dtype=np.float64):
    nz, ny, nx = (int(v) for v in rng.integers(1, 7, 3))
    g = tuple(rng.random(s).astype(dtype) for s in ((nz, ny, nx - 1), (nz, ny - 1, nx),
                                                    (nz - 1, ny, nx)))
    return (nz, ny, nx), g


def _aggregates(rng, n):
    """Starts of aggregates 1–3 cells wide (the kernels take any widths)."""
    s = [0]
    while s[-1] < n:
        s.append(min(n, s[-1] + int(rng.integers(1, 4))))
    s = np.array(s, dtype=np.int64)
    return np.repeat(np.arange(len(s) - 1), np.diff(s)), s


@pytest.mark.parametrize("seed", range(6))
def test_numpy_assembly_gives_the_loops_bits(seed):
    """Exact equality: the numpy code forms every value with the loop's operations in the
    loop's order, so not even the last bit may differ (the loops run as plain Python here)."""
    from thermal_cpo.kernels import assemble, multigrid

    rng = np.random.default_rng(seed)
    shape, (gx, gy, gz) = _grid(rng)
    kx, ky, kz = (rng.random(shape) * 100 + 0.01 for _ in range(3))
    dx, dy, dz = (rng.random(n) * 1e-3 for n in shape[::-1])
    comp = rng.integers(-1, 4, shape).astype(np.int32)
    r_pair = rng.random((4, 4)) * 1e-5
    loops = [np.empty(g.shape) for g in (gx, gy, gz)]
    fast = [np.empty(g.shape) for g in (gx, gy, gz)]
    assemble.face_conductances.large.py_func(kx, ky, kz, dx, dy, dz, comp, r_pair, *loops)
    assemble.face_conductances(kx, ky, kz, dx, dy, dz, comp, r_pair, *fast)
    assert all(np.array_equal(a, b) for a, b in zip(loops, fast))

    n = int(np.prod(shape))
    indptr = np.empty(n + 1, dtype=np.int32)
    assemble.csr_row_starts(*shape, indptr)
    extra = rng.random(shape)
    out = [(np.empty(indptr[-1], np.int32), np.empty(indptr[-1])) for _ in range(2)]
    assemble.csr_7point.large.py_func(gx, gy, gz, extra, indptr, *out[0])
    assemble.csr_7point(gx, gy, gz, extra, indptr, *out[1])
    assert np.array_equal(out[0][0], out[1][0]) and np.array_equal(out[0][1], out[1][1])
    # the row starts: 1 + the existing neighbours of each row, in C order
    nz, ny, nx = shape
    k, j, i = np.meshgrid(range(nz), range(ny), range(nx), indexing="ij")
    per_row = 1 + (k > 0) + (k < nz - 1) + (j > 0) + (j < ny - 1) + (i > 0) + (i < nx - 1)
    assert np.array_equal(np.diff(indptr), per_row.ravel())

    for dtype in (np.float32, np.float64):
        g = [a.astype(dtype) for a in (gx, gy, gz)]
        e = extra.astype(dtype)
        d = np.empty(shape, dtype)
        multigrid.serial["diagonal"](*g, e, d)
        want = e.copy()
        for kk, jj, ii in np.ndindex(shape):  # the loop of the compiled diagonal, cell by cell
            s = e[kk, jj, ii]
            for ok, face in ((ii > 0, (0, kk, jj, ii - 1)), (ii < nx - 1, (0, kk, jj, ii)),
                             (jj > 0, (1, kk, jj - 1, ii)), (jj < ny - 1, (1, kk, jj, ii)),
                             (kk > 0, (2, kk - 1, jj, ii)), (kk < nz - 1, (2, kk, jj, ii))):
                if ok:
                    s += g[face[0]][face[1:]]
            want[kk, jj, ii] = s
        assert d.dtype == dtype and np.array_equal(d, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_coarsening_gives_the_compiled_kernels_bits(dtype):
    """Exact equality against the compiled kernel, on aggregates 1–3 cells wide, with cells
    that have no conducting face (their own branch in the kernel) and a grid without x faces."""
    from thermal_cpo.kernels import coarsen, multigrid

    compiled = multigrid.serial["coarse_stencil"].call.large
    rng = np.random.default_rng(7)
    for case in range(12):
        shape, g = _grid(rng, dtype)
        if case % 3 == 0:
            for a in g:
                a[a < 0.3] = 0.0
        extra = (rng.random(shape) * 10.0 ** rng.integers(-3, 4)).astype(dtype)
        (cx, sx), (cy, sy) = _aggregates(rng, shape[2]), _aggregates(rng, shape[1])
        nz, nyc, nxc = shape[0], len(sy) - 1, len(sx) - 1
        outs = [[np.full(s, 9.0, dtype) for s in ((nz, nyc, max(nxc - 1, 0)),
                                                  (nz, max(nyc - 1, 0), nxc),
                                                  (max(nz - 1, 0), nyc, nxc), (nz, nyc, nxc))]
                for _ in range(2)]
        compiled(*g, extra, cx, sx, cy, sy, *outs[0])
        coarsen.coarse_stencil(*g, extra, cx, sx, cy, sy, *outs[1])
        assert all(np.array_equal(a, b) for a, b in zip(*outs)), case


@pytest.mark.parametrize("seed", range(4))
def test_numpy_voxel_painting_gives_the_loops_bits(seed):
    """Later boxes win, and each component's power sums to its watts with the loop's sums."""
    from thermal_cpo.kernels import voxel

    rng = np.random.default_rng(seed)
    shape = tuple(int(v) for v in rng.integers(1, 8, 3))
    dz, dy, dx = (rng.random(n) * 1e-3 + 1e-5 for n in shape)
    boxes = []
    for _ in range(8):
        lo = [int(rng.integers(0, n)) for n in shape]
        boxes.append([v for a, n in zip(lo, shape) for v in (a, int(rng.integers(a + 1, n + 1)))])
    boxes = np.array(boxes, dtype=np.int64)
    mat = np.zeros(shape, np.uint16)
    comp = np.full(shape, -1, np.int32)
    voxel.paint(mat, comp, boxes, np.arange(8, dtype=np.uint16) + 1, np.arange(8, dtype=np.int32))
    want = np.full(shape, -1, np.int32)
    for b, (k0, k1, j0, j1, i0, i1) in enumerate(boxes):
        want[k0:k1, j0:j1, i0:i1] = b
    assert np.array_equal(comp, want) and np.array_equal(mat, np.where(want >= 0, want + 1, 0))

    modes, watts = rng.integers(0, 3, 8), rng.random(8) * 100.0
    power, visible = np.zeros(shape), np.empty(8)
    voxel.distribute_power(power, comp, dx, dy, dz, boxes, np.arange(8), modes, watts, visible)
    want_p, want_v = np.zeros(shape), np.empty(8)
    for b, (k0, k1, j0, j1, i0, i1) in enumerate(boxes):  # the compiled loop, cell by cell
        k0, k1 = (k0, k0 + 1) if modes[b] == 1 else (k1 - 1, k1) if modes[b] == 2 else (k0, k1)
        cells = [(k, j, i) for k in range(k0, k1) for j in range(j0, j1) for i in range(i0, i1)
                 if comp[k, j, i] == b]
        w = [(dz[k] if modes[b] == 0 else 1.0) * dy[j] * dx[i] for k, j, i in cells]
        total = 0.0
        for v in w:
            total += v
        want_v[b] = total
        if total > 0.0:
            for (k, j, i), v in zip(cells, w):
                want_p[k, j, i] += watts[b] / total * v
    assert np.array_equal(visible, want_v) and np.array_equal(power, want_p)
    volumes = voxel.component_volumes(comp, dx, dy, dz, 8)
    want_vol = np.zeros(8)
    for k, j, i in np.ndindex(shape):
        if comp[k, j, i] >= 0:
            want_vol[comp[k, j, i]] += dz[k] * dy[j] * dx[i]
    assert np.array_equal(volumes, want_vol)
