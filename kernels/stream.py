"""STREAM-triad kernels: the memory-bandwidth yardstick the solver figures are set against."""

from __future__ import annotations

from numba import prange

from .jit import parallel_kernel


@parallel_kernel
def triad(a, b, c, s):
    """``a[i] = b[i] + s * c[i]`` over 1-D float64 arrays, threaded."""
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


@parallel_kernel
def first_touch(x, v):
    """Initialise ``x`` with the same threads that will stream it (page placement)."""
    for i in prange(x.shape[0]):
        x[i] = v
