"""Cold start benchmark: ``thermal-cpo run`` with an empty numba cache against the same run with
the cache it filled, each in a fresh process, side by side in one session (see
:mod:`cold_start`).

Run: ``pytest benchmarks/test_cold_start_bench.py --benchmark-enable -s``.
Targets (cold / warm wall time): quickstart ≤ 2.5, cpo-51t2-switch ≤ 1.6. The ratio, not the
seconds, is asserted: a shared machine slows the cold and the warm runs alike.
"""

from __future__ import annotations

import pytest

from cold_start import TARGETS, measure


@pytest.mark.benchmark(group="cold-start")
@pytest.mark.parametrize("layout", sorted(TARGETS))
def test_cold_start_against_warm(benchmark, layout):
    runs = []
    benchmark.pedantic(lambda: runs.append(measure(layout, repeats=2)), rounds=1, iterations=1)
    r = runs[0]
    top = ", ".join(f"{row['name']} {row['seconds']:.2f} s" for row in r["compiled"][:4])
    print(f"\n{layout}: cold {r['cold_s']:.2f} s, warm {r['warm_s']:.2f} s, ratio {r['ratio']:.2f} "
          f"(target ≤ {TARGETS[layout]}); {len(r['compiled'])} compilations, "
          f"{r['compile_s']:.2f} s: {top}")
    benchmark.extra_info.update(cold_s=r["cold_s"], warm_s=r["warm_s"], ratio=r["ratio"],
                                compile_s=r["compile_s"])
    assert r["compiled_warm"] == 0  # the warm runs load every kernel from the cold run's cache
    assert r["ratio"] <= TARGETS[layout]
