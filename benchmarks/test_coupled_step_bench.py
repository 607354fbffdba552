"""A coolant-coupled implicit step against the coupled steady solve of the same package.

Run: ``pytest benchmarks/test_coupled_step_bench.py --benchmark-enable -s``. Both run in the
same process, kernels compiled before any timing; the step is the median over fixed BDF2 steps
of 10 ms (what the adaptive runs of these packages take after their first few steps), set-up
taken off by differencing a 1-step and an 11-step run. Target: a step ≤ 0.5 × the steady solve,
on a compact cold plate (cpo-51t2-switch) and on resolved channels (tuckerman-pease-1981).
"""

from __future__ import annotations

import statistics
import time

import pytest

from thermal_cpo.layout import load_layout
from thermal_cpo.mesh import voxelize
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

TARGET_STEP_OVER_STEADY = 0.5
DT = 0.01  # s
STEPS = 10
ROUNDS = 3


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@pytest.mark.parametrize("layout", ["cpo-51t2-switch", "tuckerman-pease-1981"])
def test_coupled_implicit_step_against_the_steady_solve(benchmark, layout):
    mesh = voxelize(load_layout(layout))
    assert mesh.setup.has_coolant
    solve_steady(mesh)
    solve_transient(mesh, t_end=2 * DT, dt=DT, method="implicit", adaptive=False)

    def measure():
        steady = statistics.median(_timed(lambda: solve_steady(mesh)) for _ in range(ROUNDS))
        one = [_timed(lambda: solve_transient(mesh, t_end=DT, dt=DT, method="implicit", adaptive=False))
               for _ in range(ROUNDS)]
        many = [_timed(lambda: solve_transient(mesh, t_end=(STEPS + 1) * DT, dt=DT, method="implicit",
                                               adaptive=False)) for _ in range(ROUNDS)]
        return steady, (statistics.median(many) - statistics.median(one)) / STEPS

    steady, step = benchmark.pedantic(measure, rounds=1, iterations=1)
    ratio = step / steady
    benchmark.extra_info.update(cells=mesh.n_cells, steady_s=steady, step_s=step, ratio=ratio)
    print(f"\n{layout}: {mesh.n_cells:,} cells, coupled steady {steady:.3f} s, implicit step "
          f"{step:.3f} s = {ratio:.2f} x steady (target {TARGET_STEP_OVER_STEADY})")
    if not benchmark.disabled:
        assert ratio <= TARGET_STEP_OVER_STEADY
