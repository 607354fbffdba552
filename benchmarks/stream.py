"""STREAM triad ``a = b + s·c`` compiled with the project's numba flags: the memory-bandwidth
yardstick the stencil benchmarks are compared with.

Bytes counted per element: read b, read c, write a = 3 × 8 B (the STREAM convention: the
write-allocate read of ``a`` is not counted). Arrays must be much larger than the last-level
cache for the figure to be a DRAM figure (STREAM's rule: each array ≥ 4 × LLC); see
:func:`llc_bytes`.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np
from numba import prange

from thermal_cpo.kernels.jit import parallel_kernel

#: default elements per array (2^25 × 8 B = 256 MiB per array, 768 MiB for the three)
DEFAULT_N = 1 << 25
#: bytes moved per element of the triad (read b, read c, write a)
TRIAD_BYTES_PER_ELEMENT = 3 * 8


@parallel_kernel
def triad(a, b, c, s):
    """``a[i] = b[i] + s * c[i]`` over 1-D float64 arrays, threaded."""
    for i in prange(a.shape[0]):
        a[i] = b[i] + s * c[i]


@parallel_kernel
def _first_touch(x, v):
    """Initialise ``x`` with the same threads that will stream it (page placement)."""
    for i in prange(x.shape[0]):
        x[i] = v


def llc_bytes() -> int | None:
    """Size of the largest CPU cache the OS reports (bytes), or None where it cannot be read.

    In a VM this is the host's shared cache, of which a guest usually gets only part."""
    best = None
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for entry in os.listdir(base):
            path = os.path.join(base, entry, "size")
            if not os.path.exists(path):
                continue
            with open(path) as fh:
                txt = fh.read().strip()
            mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(txt[-1].upper(), 1)
            size = int(txt.rstrip("KkMmGg")) * mult
            best = size if best is None else max(best, size)
    except (OSError, ValueError):
        return None
    return best


def triad_samples(n: int = DEFAULT_N, repeats: int = 10, scalar: float = 3.0) -> list[float]:
    """Seconds per triad over ``n``-element arrays, ``repeats`` timings after a warm-up call."""
    a = np.empty(n)
    b = np.empty(n)
    c = np.empty(n)
    _first_touch(a, 0.0)
    _first_touch(b, 1.0)
    _first_touch(c, 2.0)
    triad(a, b, c, scalar)  # compile / load from cache, fault the pages in
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        triad(a, b, c, scalar)
        out.append(time.perf_counter() - t0)
    if a[0] != 1.0 + scalar * 2.0 or a[-1] != a[0]:
        raise AssertionError("triad produced a wrong value")
    return out


def triad_bandwidth(n: int = DEFAULT_N, repeats: int = 10) -> float:
    """Median STREAM-triad bandwidth (GB/s, 10^9 B/s) over ``repeats`` timed calls on ``n``
    elements per array, counting 3 × 8 B per element; compilation stays outside the timing."""
    t = statistics.median(triad_samples(n, repeats))
    return TRIAD_BYTES_PER_ELEMENT * n / t / 1e9


if __name__ == "__main__":  # python benchmarks/stream.py [threads]
    import sys

    from thermal_cpo.kernels.jit import set_threads

    threads = set_threads(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    llc = llc_bytes()
    print(f"threads {threads}, reported LLC {llc / 2**20 if llc else float('nan'):.0f} MiB")
    for p in range(20, 29):
        n = 1 << p
        print(f"n = 2^{p} ({3 * 8 * n / 2**20:8.0f} MiB in all): {triad_bandwidth(n, 7):7.1f} GB/s")
