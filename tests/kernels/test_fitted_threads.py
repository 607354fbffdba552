"""numba's thread count follows the cores other processes leave free, from the kernel's own
counters: a core another process keeps busy is not one of ours; our own load is not another's."""

from __future__ import annotations

import numba
import pytest

import thermal_cpo.kernels.jit as jit
import thermal_cpo.threads as th
from thermal_cpo.bench import stack
from thermal_cpo.solve.steady import solve_steady


def _samples(monkeypatch, *samples):
    it = iter(samples)
    monkeypatch.setattr(th, "_cpu_sample", lambda: next(it))
    monkeypatch.setattr(th.time, "sleep", lambda s: None)
    monkeypatch.setitem(th._state, "last", None)


@pytest.mark.parametrize("others, own, expected", [(0, 0, 0.0), (100, 0, 1.0), (100, 100, 1.0),
                                                   (0, 200, 0.0), (200, 0, 2.0)])
def test_busy_elsewhere_counts_other_processes_only(monkeypatch, others, own, expected):
    # 2 cores over 1 s at 100 jiffies/s: 200 jiffies in all, of which `others` and `own` busy
    monkeypatch.setattr(th.os, "cpu_count", lambda: 2)
    idle = 200 - others - own
    _samples(monkeypatch, (0.0, 0, 0, 0), (1.0, 200, idle, own))
    assert th.busy_elsewhere() == pytest.approx(expected)


@pytest.mark.parametrize("requested, busy, expected", [(2, 0.0, 2), (2, 0.3, 2), (2, 0.98, 1),
                                                       (2, 2.0, 1), (2, None, 2), (1, 0.0, 1)])
def test_threads_follow_the_free_cores(monkeypatch, requested, busy, expected):
    monkeypatch.setattr(th.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: {0, 1})
    assert th.threads_to_use(requested, busy) == expected


def test_a_solve_beside_a_busy_core_runs_on_the_free_one_and_restores_the_count(monkeypatch):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("one core: nothing to fit")  # pragma: no cover
    before = numba.get_num_threads()
    numba.set_num_threads(2)
    monkeypatch.setattr(jit, "_PINNED", [False])
    monkeypatch.delenv(th.ADAPT_ENV, raising=False)
    monkeypatch.setattr(th, "busy_elsewhere", lambda sample_s=th.SAMPLE_S: 1.0)
    monkeypatch.setattr(th.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(th.os, "sched_getaffinity", lambda pid: {0, 1})
    seen = []
    import thermal_cpo.solve.steady as steady

    real = steady.SteadySystem

    class Watch(real):
        def solve(self, *a, **k):
            seen.append(numba.get_num_threads())
            return super().solve(*a, **k)

    monkeypatch.setattr(steady, "SteadySystem", Watch)
    try:
        solve_steady(stack(12))
        assert seen == [1] and numba.get_num_threads() == 2
        monkeypatch.setenv(th.ADAPT_ENV, "0")
        seen.clear()
        solve_steady(stack(12))
        assert seen == [2]
    finally:
        numba.set_num_threads(before)
