"""Crosstalk cost against single steady solves, measured in the same run.

Target: the n-source matrix costs less than (1 + 0.5·n) single solves, because the
operator and the preconditioner are set up once and each source costs one CG solve.
"""

from __future__ import annotations


import pytest

from thermal_cpo.analysis import crosstalk
from thermal_cpo.bench import median_time
from thermal_cpo.mesh import voxelize
from thermal_cpo.layout import load_layout
from thermal_cpo.solve.steady import solve_steady


@pytest.mark.parametrize("name", ["die-tim-lid", "cpo-51t2-switch"])
def test_crosstalk_cost(benchmark, name):
    mesh = voxelize(load_layout(name))
    solve_steady(mesh)  # compile / warm caches outside the timings
    single = median_time(lambda: solve_steady(mesh), 3, warm=False)
    xt = benchmark.pedantic(lambda: crosstalk(mesh), rounds=1, iterations=1)
    n = len(xt.sources)
    cost = xt.stats["wall_time"] / single
    print(f"\n{name}: {n} sources; single solve {single:.2f} s; crosstalk {xt.stats['wall_time']:.2f} s "
          f"= {cost:.2f} single solves (limit {1 + 0.5 * n:.1f})")
    benchmark.extra_info.update(sources=n, single_solve_s=single, cost_in_single_solves=cost)
    assert cost < 1 + 0.5 * n
