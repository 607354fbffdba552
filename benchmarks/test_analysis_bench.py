"""Crosstalk cost against single steady solves, measured in the same run.

Target (issue 4): the n-source matrix costs less than (1 + 0.5·n) single solves, because the
operator and the preconditioner are set up once and each source costs one CG solve.
"""

from __future__ import annotations

import time

import pytest

from thermal_cpo.analysis import crosstalk
from thermal_cpo.grid import voxelize
from thermal_cpo.layout import load_layout
from thermal_cpo.steady import solve_steady


def _median(fn, rounds):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


@pytest.mark.parametrize("name", ["die-tim-lid", "cpo-51t2-switch"])
def test_crosstalk_cost(benchmark, name):
    mesh = voxelize(load_layout(name))
    solve_steady(mesh)  # compile / warm caches outside the timings
    single = _median(lambda: solve_steady(mesh), 3)
    xt = benchmark.pedantic(lambda: crosstalk(mesh), rounds=1, iterations=1)
    n = len(xt.sources)
    cost = xt.stats["wall_time"] / single
    print(f"\n{name}: {n} sources; single solve {single:.2f} s; crosstalk {xt.stats['wall_time']:.2f} s "
          f"= {cost:.2f} single solves (limit {1 + 0.5 * n:.1f})")
    benchmark.extra_info.update(sources=n, single_solve_s=single, cost_in_single_solves=cost)
    assert cost < 1 + 0.5 * n
