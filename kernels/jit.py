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
from contextlib import contextmanager

import numba
from numba.core import event as _event

#: Below this many cells a parallel kernel's thread start-up costs more than it saves.
PARALLEL_MIN_CELLS = int(os.environ.get("THERMAL_CPO_PARALLEL_MIN_CELLS", 32768))

#: Work done once per grid (assembly, coarsening) runs in numpy, bit for bit as the compiled
#: loop, up to this many cells: measured at 0.5 M cells, numpy took 0.015–0.05 s longer than
#: the threaded loops, whose compilation takes 0.8–2 s of a first run.
NUMPY_SETUP_MAX_CELLS = 1 << 20

_FLAGS = dict(cache=True, error_model="numpy", nogil=True, fastmath=False)


#: every kernel made here, for :func:`compile_report` (numba compiles each on its first call)
DISPATCHERS: list = []


def _made(dispatcher):
    DISPATCHERS.append(dispatcher)
    return dispatcher


def kernel(fn):
    """Compile ``fn`` as a serial kernel."""
    return _made(numba.njit(**_FLAGS)(fn))


def inline_kernel(fn):
    """Compile ``fn`` as a helper that is inlined into the kernels calling it (a call into a
    separately compiled function from a threaded loop was measured to serialise the threads)."""
    return _made(numba.njit(inline="always", **_FLAGS)(fn))


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
    return _made(numba.njit(parallel=True, **_FLAGS)(_cache_twin(fn, THREADED_SUFFIX)))


def use_parallel(n_cells: int) -> bool:
    """Whether a problem of ``n_cells`` is large enough for the threaded variant."""
    return n_cells >= PARALLEL_MIN_CELLS and numba.get_num_threads() > 1


def set_threads(n: int | None) -> int:
    """Set numba's thread count (None leaves it); returns the count in force."""
    if n is not None:
        if n < 1:
            raise ValueError(f"threads must be >= 1, got {n}")
        numba.set_num_threads(min(int(n), numba.config.NUMBA_NUM_THREADS))
        _PINNED[0] = True  # set on purpose: the solves keep it whatever the load
    return numba.get_num_threads()


#: whether the thread count was set on purpose (:func:`set_threads` with a count)
_PINNED = [False]


def threads_pinned() -> bool:
    """Whether :func:`set_threads` set the count on purpose (then it is not fitted to the load)."""
    return _PINNED[0]


def fit_threads(n: int) -> None:
    """Run on ``n`` threads (1 … the pool) for now, without pinning the count."""
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))


def num_threads() -> int:
    """The threads numba's parallel kernels run on now."""
    return numba.get_num_threads()


def by_size(size_arg: int = 0, small=None, limit=None, large=None):
    """Decorator: ``fn`` compiled threaded for arrays (argument ``size_arg``) of
    :func:`use_parallel` size, and below that compiled serially, or, given ``small`` (a numpy
    function with the same arguments and bit-identical results), run by ``small`` with nothing
    to compile. ``limit``/``large``: instead, ``small`` up to ``limit`` cells and ``large(fn)``
    (e.g. :func:`kernel`) above. Only the variant a run calls is compiled (a threaded
    compilation takes about three times as long as a serial one)."""

    def wrap(fn):
        lower = small or kernel(fn)
        upper = (large or parallel_kernel)(fn)

        def use_upper(n):
            return n > limit if limit is not None else use_parallel(n)

        def call(*args):
            return (upper if use_upper(args[size_arg].size) else lower)(*args)

        call.__name__, call.__qualname__, call.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        call.__module__, call.small, call.large = fn.__module__, lower, upper
        return call

    return wrap


class TableEntry:
    """An entry of a kernel table (``serial``/``threaded`` dicts) that is no compilation of its
    own: calling it calls ``call``; ``py_func`` names it as numba's dispatchers do."""

    def __init__(self, call, py_func):
        self.call, self.py_func = call, py_func

    def __call__(self, *args):
        return self.call(*args)


def shared_entries(fn):
    """The serial and the threaded table's entries for ``fn`` (a compiled kernel or a numpy
    function) run once per grid: both call it, so that a run whose grids lie on both sides of
    :data:`PARALLEL_MIN_CELLS` compiles it at most once; the threaded entry's ``py_func``
    carries the threaded name, as every entry of a threaded table does."""
    py_func = getattr(fn, "py_func", fn)
    serial = fn if hasattr(fn, "py_func") else TableEntry(fn, py_func)
    return serial, TableEntry(fn, _cache_twin(py_func, THREADED_SUFFIX))


def compile_report() -> list[dict]:
    """Every signature of every kernel this process has called: ``name`` (module.function),
    ``signature``, ``compiled`` (True: compiled here, False: loaded from numba's cache),
    ``seconds`` (wall time of the compilation or load, as numba records it; 0 for a load)."""
    rows = []
    for d in DISPATCHERS:
        name = f"{d.py_func.__module__.rsplit('.', 1)[-1]}.{d.py_func.__qualname__}"
        misses = d.stats.cache_misses
        for sig, cres in d.overloads.items():
            timers = (cres.metadata or {}).get("timers", {})
            rows.append({"name": name, "signature": str(sig), "compiled": misses.get(sig, 0) > 0,
                         "seconds": float(timers.get("compiler_lock", 0.0))})
    return rows


class _FirstCompile(_event.Listener):
    def __init__(self, callback):
        self.callback, self.seen = callback, False

    def on_start(self, event):
        if not self.seen:
            self.seen = True
            self.callback()

    def on_end(self, event):
        pass


@contextmanager
def on_first_compile(callback):
    """Within the block, call ``callback()`` once when numba starts compiling a kernel (never
    for code loaded from its cache)."""
    with _event.install_listener("numba:compile", _FirstCompile(callback)):
        yield
