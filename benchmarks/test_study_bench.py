"""Design-study benchmarks: a 16-variant study of die-tim-lid (TIM × lid thickness, 4 × 4 grid,
377 k cells per variant) on 1 and on 2 local dask workers in the same run, and a power sweep by
superposition against one solve per variant.

Run: ``pytest benchmarks/test_study_bench.py --benchmark-enable -s``. Each configuration runs
into a fresh folder; the study's wall time includes starting the cluster, the workers' first
(cached) kernel load and writing the table: what a user waits for. The per-variant overhead is
the time each further variant adds to a study (16 variants against one, one worker) beyond the
median variant's own solve time, over that solve time. Targets: 2 workers ≤ 0.6 × the time of 1 worker; overhead ≤ 10 %.
"""

from __future__ import annotations

import statistics
import time

import pytest

from thermal_cpo.analysis.study import run_study

GRID_STUDY = {
    "base": "die-tim-lid",
    "outputs": ["core.T_max", "lid.T_mean"],
    "vary": [{"path": "layers.tim.thickness", "values": ["25 um", "50 um", "75 um", "100 um"]},
             {"path": "layers.lid.thickness", "values": ["1 mm", "1.5 mm", "2 mm", "2.5 mm"]}],
}
POWER_STUDY = {
    "base": "die-tim-lid",
    "outputs": ["core.T_max", "core.T_junction"],
    "vary": [{"path": "layers.die.blocks.core.power", "range": ["200 W", "500 W"], "count": 4},
             {"path": "layers.die.blocks.edge-xmin.power", "range": ["0 W", "30 W"], "count": 4}],
}


def _timed(study, folder, **kw):
    t0 = time.perf_counter()
    run = run_study(study, folder, **kw)
    return time.perf_counter() - t0, run


@pytest.mark.benchmark(group="study")
def test_two_workers_against_one(benchmark, tmp_path):
    one_variant = {**GRID_STUDY, "vary": [{"path": "layers.tim.thickness", "values": ["25 um"]}]}
    run_study(one_variant, tmp_path / "warm", workers=1)  # kernels compiled and cached on disk
    runs = {}

    def all_three():
        n = len(runs)
        runs[n] = (_timed(one_variant, tmp_path / f"single-{n}", workers=1),
                   _timed(GRID_STUDY, tmp_path / f"one-{n}", workers=1),
                   _timed(GRID_STUDY, tmp_path / f"two-{n}", workers=2))

    benchmark.pedantic(all_three, rounds=1, iterations=1)
    (t_single, _), (t1, one), (t2, two) = runs[0]
    # the fixed cost (cluster, imports, the workers' first kernel load) is the one-variant study's;
    # the rest, per variant, against the median variant's own solve time
    solve = statistics.median(float(r["wall_s"]) for r in one.rows.values())
    per_variant = (t1 - t_single) / 15
    overhead = per_variant / solve - 1.0
    print(f"\n16 variants of die-tim-lid: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s (ratio {t2 / t1:.2f}); "
          f"a one-variant study {t_single:.1f} s; per further variant {per_variant:.3f} s against a median "
          f"solve of {solve:.3f} s: overhead {overhead:.1%}")
    assert one.solved == two.solved == 16
    for i in range(16):  # the same variants, whichever worker solved them
        assert float(one.rows[i]["core.T_max"]) == pytest.approx(float(two.rows[i]["core.T_max"]), abs=1e-9)
    assert t2 <= 0.6 * t1
    assert overhead <= 0.10


@pytest.mark.benchmark(group="study")
def test_power_sweep_by_superposition(benchmark, tmp_path):
    runs = {}

    def both():
        n = len(runs)
        runs[n] = (_timed(POWER_STUDY, tmp_path / f"sup-{n}"),
                   _timed(POWER_STUDY, tmp_path / f"full-{n}", superpose=False, workers=2))

    benchmark.pedantic(both, rounds=1, iterations=1)
    (ts, sup), (tf, full) = runs[0]
    worst = max(abs(float(sup.rows[i][c]) - float(full.rows[i][c])) for i in range(16)
                for c in ("core.T_max", "core.T_junction"))
    print(f"\n16-variant power sweep of die-tim-lid: superposition {ts:.1f} s ({sup.method}), "
          f"one solve per variant on 2 workers {tf:.1f} s; largest difference {worst:.2e} K")
    assert worst <= 1e-9
    assert ts < tf
