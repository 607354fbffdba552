"""Flat float64 vector kernels of the time-stepping loop (one pass each, no temporaries).

At 2 M cells a numpy expression such as ``x + (x − x_old)·r`` makes three passes and two
16 MB temporaries whose fresh pages cost as much as the arithmetic; these write into an array
the caller owns. Each has a serial and a threaded compilation (see :func:`.jit.use_parallel`).
"""

from __future__ import annotations

from numba import prange

from .jit import kernel, parallel_kernel


def _scale_add(c, x, y, out):
    """``out[i] = c[i]·x[i] + y[i]``."""
    for i in prange(out.shape[0]):
        out[i] = c[i] * x[i] + y[i]


def _extrapolate(x, x_old, ratio, out):
    """``out[i] = x[i] + ratio·(x[i] − x_old[i])`` (a linear prediction one step ahead)."""
    for i in prange(out.shape[0]):
        out[i] = x[i] + ratio * (x[i] - x_old[i])


_KERNELS = {f.__name__.lstrip("_"): f for f in (_scale_add, _extrapolate)}

#: Serial and threaded compilations, chosen by the vector's length.
serial = {name: kernel(f) for name, f in _KERNELS.items()}
threaded = {name: parallel_kernel(f) for name, f in _KERNELS.items()}
