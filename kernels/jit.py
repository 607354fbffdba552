"""The one place that sets numba flags for every kernel.

- ``cache=True``: compiled code is reused across runs (kernels take arrays and scalars only,
  never closures over grid constants, so one compilation serves every grid);
- ``error_model="numpy"``: divisions do not raise, so loops with divisions vectorise;
- ``parallel``: only in the variants meant for large arrays (see :data:`PARALLEL_MIN_CELLS`);
- ``fastmath`` stays off: reassociation would change sums the tests compare to 1e-12.
"""

from __future__ import annotations

import os
import types

import numba

#: Below this many cells a parallel kernel's thread start-up costs more than it saves.
PARALLEL_MIN_CELLS = int(os.environ.get("THERMAL_CPO_PARALLEL_MIN_CELLS", 32768))

_FLAGS = dict(cache=True, error_model="numpy", nogil=True, fastmath=False)


def kernel(fn):
    """Compile ``fn`` as a serial kernel."""
    return numba.njit(**_FLAGS)(fn)


def inline_kernel(fn):
    """Compile ``fn`` as a helper that is inlined into the kernels calling it (a call into a
    separately compiled function from a threaded loop was measured to serialise the threads)."""
    return numba.njit(inline="always", **_FLAGS)(fn)


#: Added to the qualified name of a threaded kernel (see :func:`parallel_kernel`).
THREADED_SUFFIX = "__threaded"


def _cache_twin(fn, suffix: str):
    """``fn`` under another qualified name, so that numba's on-disk cache keeps its own entry.

    numba names a cache file after the function's qualified name and first line, and keys its
    index on the signature, the target CPU and the bytecode — not on ``parallel``. A serial and
    a threaded compilation of one function therefore share one cache entry: whichever compiled
    first is loaded for both, and threaded kernels silently ran on one thread after a run that
    had compiled the serial variant first (half the speed of a 2 M-cell solve on two cores).
    """
    twin = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__ + suffix, fn.__defaults__,
                              fn.__closure__)
    twin.__qualname__ = fn.__qualname__ + suffix
    twin.__doc__, twin.__module__, twin.__kwdefaults__ = fn.__doc__, fn.__module__, fn.__kwdefaults__
    return twin


def parallel_kernel(fn):
    """Compile ``fn`` as a threaded kernel (``numba.prange`` loops run in parallel), cached apart
    from any serial compilation of the same function."""
    return numba.njit(parallel=True, **_FLAGS)(_cache_twin(fn, THREADED_SUFFIX))


def use_parallel(n_cells: int) -> bool:
    """Whether a problem of ``n_cells`` is large enough for the threaded variant."""
    return n_cells >= PARALLEL_MIN_CELLS and numba.get_num_threads() > 1


def set_threads(n: int | None) -> int:
    """Set numba's thread count (None leaves it); returns the count in force."""
    if n is not None:
        if n < 1:
            raise ValueError(f"threads must be >= 1, got {n}")
        numba.set_num_threads(min(int(n), numba.config.NUMBA_NUM_THREADS))
    return numba.get_num_threads()


def num_threads() -> int:
    """The threads numba's parallel kernels run on now."""
    return numba.get_num_threads()
