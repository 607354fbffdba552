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
from contextlib import contextmanager


@contextmanager
def one_blas_thread():
    """Within the block, BLAS libraries use one thread (restored afterwards)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def solve_entry(fn):
    """Decorate a public solve function: it runs under :func:`one_blas_thread`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapper


def blas_threads() -> list[tuple[str, int]]:
    """``(library, threads)`` of every BLAS library loaded in this process."""
    from threadpoolctl import threadpool_info

    return [(d.get("internal_api", "?"), int(d.get("num_threads", 0)))
            for d in threadpool_info() if d.get("user_api") == "blas"]
