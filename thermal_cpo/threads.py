"""The two thread pools a solve meets: numba's, which runs every kernel, and the BLAS library's,
which numpy, scipy and pyamg call for dot products, Krylov updates and dense coarse solves.

Both pools are sized to the cores. BLAS threads that have worked (a dot product of the BiCGSTAB
that solves the coolant-coupled system, pyamg's set-up) keep spinning for a while afterwards, on
the cores numba's threads need. Measured on a 2-core machine: the steady solve of
cpo-51t2-switch took 4.1 s instead of 1.5 s, and a stencil sweep right after a pyamg solve
6.5 ms instead of 0.38 ms. So a solve runs with BLAS on one thread (the heavy work is numba's);
outside a solve the caller's setting stands.
"""

from __future__ import annotations

import functools
import os
import time
from contextlib import contextmanager


@contextmanager
def one_blas_thread():
    """Within the block, BLAS libraries use one thread (restored afterwards)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def solve_entry(fn):
    """Decorate a public solve function: it runs under :func:`one_blas_thread` and
    :func:`fitted_threads`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_blas_thread(), fitted_threads():
            return fn(*args, **kwargs)

    return wrapper


# -- numba's threads and the cores other processes leave free ---------------------------------
#: "0" keeps numba's thread count whatever the load
ADAPT_ENV = "THERMAL_CPO_ADAPT_THREADS"
#: the shortest span (s) a load sample covers; a solve soon after the last sample waits this long
SAMPLE_S = 0.02

_state = {"last": None, "depth": 0}


def _cpu_sample() -> tuple[float, int, int, int]:
    """``(monotonic s, total jiffies of all cores, idle jiffies, this process's jiffies)``."""
    with open("/proc/stat") as fh:
        vals = [int(v) for v in fh.readline().split()[1:9]]
    with open("/proc/self/stat") as fh:
        text = fh.read()
    own = text[text.rindex(")") + 2:].split()
    return time.monotonic(), sum(vals), vals[3] + vals[4], int(own[11]) + int(own[12])


def busy_elsewhere(sample_s: float = SAMPLE_S) -> float | None:
    """Cores other processes kept busy (0 … cores) since the last sample, or over ``sample_s``
    when that was too recent; None where the system does not say (not Linux)."""
    try:
        now = _cpu_sample()
        prev = _state["last"]
        if prev is None or now[0] - prev[0] < sample_s:
            time.sleep(sample_s)
            prev, now = now, _cpu_sample()
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return None
    _state["last"] = now
    d_total, d_idle, d_own = now[1] - prev[1], now[2] - prev[2], now[3] - prev[3]
    if d_total <= 0:
        return None
    cores = os.cpu_count() or 1
    return min(max((d_total - d_idle - d_own) / d_total * cores, 0.0), float(cores))


def threads_to_use(requested: int, busy: float | None) -> int:
    """numba threads for a solve: ``requested``, less the cores other processes keep busy
    (rounded), at least one. Threads that share a core with another process wait for each
    other at every parallel region: beside one busy process on 2 cores a threaded 2 M-cell
    solve took 2.08 s, a serial one 1.63 s (quiet: 0.86 s and 1.28 s)."""
    if busy is None:
        return requested
    usable = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else requested,
                 os.cpu_count() or requested)
    return max(1, min(requested, int(round(usable - busy))))


@contextmanager
def fitted_threads():
    """Within the block (the outermost solve), numba runs on the cores other processes leave
    free (:func:`threads_to_use`); not where the count was pinned or :data:`ADAPT_ENV` is "0"."""
    from .kernels.jit import fit_threads, num_threads, threads_pinned

    requested = num_threads()
    fit = not (_state["depth"] or threads_pinned() or requested <= 1
               or os.environ.get(ADAPT_ENV, "").strip() == "0")
    _state["depth"] += 1
    if fit:
        fit_threads(threads_to_use(requested, busy_elsewhere()))
    try:
        yield
    finally:
        if fit:
            fit_threads(requested)
        _state["depth"] -= 1


def blas_threads() -> list[tuple[str, int]]:
    """``(library, threads)`` of every BLAS library loaded in this process."""
    from threadpoolctl import threadpool_info

    return [(d.get("internal_api", "?"), int(d.get("num_threads", 0)))
            for d in threadpool_info() if d.get("user_api") == "blas"]
