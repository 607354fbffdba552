"""A steady solve beside a deliberately busy core: numba's threads fitted to the free cores
against the full thread count, in the same run (and both on a quiet machine).

Run: ``pytest benchmarks/test_busy_core_bench.py --benchmark-enable -s``. A busy-loop process
takes one core of this 2-core machine; the solve (a 2 M-cell stack) runs with the thread count
``fitted_threads`` chooses and with ``THERMAL_CPO_ADAPT_THREADS=0`` (two threads whatever the
load). Medians of three. Target: beside the busy core the fitted solve is faster; quiet, the
two are the same (the fitted count is then the full one).
"""

from __future__ import annotations

import subprocess
import sys
import time

import numba
import pytest

import thermal_cpo.kernels.jit as jit
import thermal_cpo.threads as th
from thermal_cpo.bench import median_time, stack
from thermal_cpo.mesh import voxelize
from thermal_cpo.solve.steady import solve_steady


def test_a_solve_beside_a_busy_core(benchmark, monkeypatch):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("one core: nothing to fit")  # pragma: no cover
    numba.set_num_threads(2)
    monkeypatch.setattr(jit, "_PINNED", [False])
    mesh = voxelize(stack(128))
    for env in ("0", "1"):  # both variants compiled before any timing
        monkeypatch.setenv(th.ADAPT_ENV, env)
        numba.set_num_threads(1)
        solve_steady(mesh)
        numba.set_num_threads(2)
        solve_steady(mesh)

    def timings():
        out = {}
        for load in ("quiet", "busy"):
            busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if load == "busy" else None
            time.sleep(0.5)
            try:
                for env, name in (("0", "two threads"), ("1", "fitted")):
                    monkeypatch.setenv(th.ADAPT_ENV, env)
                    out[(load, name)] = median_time(lambda: solve_steady(mesh), 3, warm=False)
            finally:
                if busy is not None:
                    busy.kill()
                    busy.wait()
        return out

    t = benchmark.pedantic(timings, rounds=1, iterations=1)
    for (load, name), s in t.items():
        print(f"\n{load:5s} {name:11s}: {s:.2f} s ({mesh.n_cells:,} cells)", end="")
    print()
    benchmark.extra_info.update({f"{k[0]} {k[1]}": v for k, v in t.items()})
    if not benchmark.disabled:
        assert t[("busy", "fitted")] < t[("busy", "two threads")]
