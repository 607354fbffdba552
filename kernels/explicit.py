"""Explicit (forward Euler) transient step of ``C dT/dt = b − A T`` on the 7-point operator.

``A`` is the operator of :mod:`.stencil` and :func:`.assemble.csr_7point`: face
conductances ``gx (nz, ny, nx-1)``, ``gy (nz, ny-1, nx)``, ``gz (nz-1, ny, nx)`` (W/K, the face
between a cell and its upper neighbour) and ``diag (nz, ny, nx)`` (W/K, boundary terms). ``b``
(W per cell) holds the sources and the boundary ambient terms ``Σ G_b (T_b − T_ref)``. One step:

    out = T + dt_over_C · (b − diag·T − Σ_faces g·(T − T_neighbour))

with ``dt_over_C = dt / C`` per cell (s·K/J). Forward Euler keeps the update a convex combination
of the old temperatures and the ambient ones (positivity, maximum principle) while
``dt ≤ C / ΣG`` in every cell, ``ΣG`` = ``diag`` + the cell's face conductances:
:func:`stable_dt` returns that bound.

Inner loops are branch-free and vectorise: the x ends (i = 0, nx-1) are done outside the loop
over x, and a missing y/z neighbour is replaced by the cell itself (with any finite conductance
as its weight), whose term ``g·(T − T) = 0`` is exactly zero — so every row of every plane runs
the same loop. Conductances must therefore be finite (they are: W/K of real faces).

The arrays must be C-contiguous float64 and ``out`` must not overlap ``T``; :func:`step`
checks this, the compiled variants do not. Nothing is allocated per step.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from .jit import kernel, parallel_kernel, use_parallel


#: bytes of one array in a y block (rows × nx × 8 B): the block's rows of T in three planes and
#: of gz in two stay in the per-core L2 while the block sweeps up in z. Measured (2 threads):
#: 2^15–2^16 best; unblocked planes are 15 % slower at 256 × 256 planes, equal at 128 × 128.
BLOCK_ROW_BYTES = 1 << 16


@kernel
def _block(t, out, gx, gyy, gzz, diag, b, r, k0, k1, j0, j1):
    """Rows ``j0 ≤ j < j1`` of planes ``k0 ≤ k < k1``, k outermost (the block's neighbour rows
    in z are still in cache when the next plane reuses them).

    A missing y/z neighbour is the cell itself (its index ``km/kp/jm/jp``), weighted by any
    valid conductance (``gkm/gkp/gjm/gjp`` index valid planes/rows of ``gzz``/``gyy``, which are
    ``diag`` where the grid has a single plane/row): its term ``g·(T − T)`` is exactly zero.
    """
    nz, ny, nx = t.shape
    for k in range(k0, k1):
        km = k - (k > 0)
        kp = k + (k < nz - 1)
        gkm = km                          # face below: k-1, or a valid plane at k = 0
        gkp = k - (k == nz - 1) * (k > 0)  # face above: k, or a valid plane at the top
        for j in range(j0, j1):
            jm = j - (j > 0)
            jp = j + (j < ny - 1)
            gjm = jm
            gjp = j - (j == ny - 1) * (j > 0)
            if nx == 1:  # no x faces at all
                tc = t[k, j, 0]
                s = (diag[k, j, 0] * tc
                     + gzz[gkm, j, 0] * (tc - t[km, j, 0]) + gzz[gkp, j, 0] * (tc - t[kp, j, 0])
                     + gyy[k, gjm, 0] * (tc - t[k, jm, 0]) + gyy[k, gjp, 0] * (tc - t[k, jp, 0]))
                out[k, j, 0] = tc + r[k, j, 0] * (b[k, j, 0] - s)
                continue
            # i = 0: no lower x face
            tc = t[k, j, 0]
            s = (diag[k, j, 0] * tc
                 + gzz[gkm, j, 0] * (tc - t[km, j, 0]) + gzz[gkp, j, 0] * (tc - t[kp, j, 0])
                 + gyy[k, gjm, 0] * (tc - t[k, jm, 0]) + gyy[k, gjp, 0] * (tc - t[k, jp, 0])
                 + gx[k, j, 0] * (tc - t[k, j, 1]))
            out[k, j, 0] = tc + r[k, j, 0] * (b[k, j, 0] - s)
            # interior: branch-free, vectorised
            for i in range(1, nx - 1):
                tc = t[k, j, i]
                s = (diag[k, j, i] * tc
                     + gzz[gkm, j, i] * (tc - t[km, j, i]) + gzz[gkp, j, i] * (tc - t[kp, j, i])
                     + gyy[k, gjm, i] * (tc - t[k, jm, i]) + gyy[k, gjp, i] * (tc - t[k, jp, i])
                     + gx[k, j, i - 1] * (tc - t[k, j, i - 1]) + gx[k, j, i] * (tc - t[k, j, i + 1]))
                out[k, j, i] = tc + r[k, j, i] * (b[k, j, i] - s)
            # i = nx - 1: no upper x face
            i = nx - 1
            tc = t[k, j, i]
            s = (diag[k, j, i] * tc
                 + gzz[gkm, j, i] * (tc - t[km, j, i]) + gzz[gkp, j, i] * (tc - t[kp, j, i])
                 + gyy[k, gjm, i] * (tc - t[k, jm, i]) + gyy[k, gjp, i] * (tc - t[k, jp, i])
                 + gx[k, j, i - 1] * (tc - t[k, j, i - 1]))
            out[k, j, i] = tc + r[k, j, i] * (b[k, j, i] - s)


@kernel
def _block_rows(ny, nx, block_row_bytes):
    """Rows per y block: ``block_row_bytes`` of one array's rows, at least 1, at most ny."""
    return max(1, min(ny, block_row_bytes // (8 * max(nx, 1))))


#: the threaded step cuts the grid into at least this many work items (when z allows chunks
#: of >= 4 planes): numba hands each thread one contiguous range of them, so 24 balances
#: 2, 3, 4, 6, 8, 12 and 24 threads
MIN_WORK_ITEMS = 24


@parallel_kernel
def explicit_step_parallel(T, out, gx, gy, gz, diag, b, dt_over_C):
    """``out = T + dt_over_C·(b − A T)``, threaded (see the module docstring).

    Work items are (y block, z chunk) pairs, z chunk fastest: a thread's contiguous range of
    items sweeps each of its y blocks upward in z, reusing the planes below from cache.
    """
    nz, ny, nx = T.shape
    gzz = gz if nz > 1 else diag
    gyy = gy if ny > 1 else diag
    jb = _block_rows(ny, nx, BLOCK_ROW_BYTES)
    nyb = (ny + jb - 1) // jb
    nzc = max(1, min(nz // 4, (MIN_WORK_ITEMS + nyb - 1) // nyb))
    for q in prange(nyb * nzc):
        yb = q // nzc
        c = q - yb * nzc
        k0 = (nz * c) // nzc
        k1 = (nz * (c + 1)) // nzc
        j0 = yb * jb
        j1 = min(j0 + jb, ny)
        _block(T, out, gx, gyy, gzz, diag, b, dt_over_C, k0, k1, j0, j1)


@kernel
def explicit_step_serial(T, out, gx, gy, gz, diag, b, dt_over_C):
    """``out = T + dt_over_C·(b − A T)`` on one thread (see the module docstring)."""
    nz, ny, nx = T.shape
    gzz = gz if nz > 1 else diag
    gyy = gy if ny > 1 else diag
    jb = _block_rows(ny, nx, BLOCK_ROW_BYTES)
    for j0 in range(0, ny, jb):
        _block(T, out, gx, gyy, gzz, diag, b, dt_over_C, 0, nz, j0, min(j0 + jb, ny))


def _check(T, out, gx, gy, gz, diag, b, dt_over_C):
    shape = T.shape
    if len(shape) != 3:
        raise ValueError(f"T must be (nz, ny, nx), got shape {shape}")
    nz, ny, nx = shape
    want = {"T": shape, "out": shape, "diag": shape, "b": shape, "dt_over_C": shape,
            "gx": (nz, ny, max(nx - 1, 0)), "gy": (nz, max(ny - 1, 0), nx),
            "gz": (max(nz - 1, 0), ny, nx)}
    arrays = {"T": T, "out": out, "gx": gx, "gy": gy, "gz": gz, "diag": diag, "b": b,
              "dt_over_C": dt_over_C}
    for name, a in arrays.items():
        if not isinstance(a, np.ndarray) or a.dtype != np.float64 or not a.flags.c_contiguous:
            raise ValueError(f"{name} must be a C-contiguous float64 array")
        if a.shape != want[name]:
            raise ValueError(f"{name} must have shape {want[name]}, got {a.shape}")
    if not out.flags.writeable:
        raise ValueError("out must be writeable")
    if np.may_share_memory(T, out):
        raise ValueError("out must not overlap T")


def step(T, out, gx, gy, gz, diag, b, dt_over_C, parallel=None, check=True):
    """One forward-Euler step ``out = T + dt_over_C·(b − A T)`` (all ``(nz, ny, nx)`` but the
    face conductances; C-contiguous float64; ``out`` distinct from ``T``).

    ``parallel``: None chooses by size (:func:`.jit.use_parallel`), True/False forces the
    threaded/serial variant. ``check=False`` skips the (microsecond) argument checks.
    """
    if check:
        _check(T, out, gx, gy, gz, diag, b, dt_over_C)
    if parallel is None:
        parallel = use_parallel(T.size)
    if parallel:
        explicit_step_parallel(T, out, gx, gy, gz, diag, b, dt_over_C)
    else:
        explicit_step_serial(T, out, gx, gy, gz, diag, b, dt_over_C)
    return out


#: the same dispatcher under its descriptive name
explicit_step = step


@kernel
def _stable_dt_serial(gx, gy, gz, diag, C):
    nz, ny, nx = diag.shape
    best = np.inf
    for k in range(nz):
        best = min(best, _stable_dt_plane(gx, gy, gz, diag, C, k))
    return best


@parallel_kernel
def _stable_dt_parallel(gx, gy, gz, diag, C):
    nz, ny, nx = diag.shape
    best = np.inf
    for k in prange(nz):
        best = min(best, _stable_dt_plane(gx, gy, gz, diag, C, k))
    return best


@kernel
def _stable_dt_plane(gx, gy, gz, diag, C, k):
    """min over plane ``k`` of C/ΣG (cells with ΣG = 0 give inf: no bound)."""
    nz, ny, nx = diag.shape
    best = np.inf
    for j in range(ny):
        for i in range(nx):
            s = diag[k, j, i]
            if k > 0:
                s += gz[k - 1, j, i]
            if k < nz - 1:
                s += gz[k, j, i]
            if j > 0:
                s += gy[k, j - 1, i]
            if j < ny - 1:
                s += gy[k, j, i]
            if i > 0:
                s += gx[k, j, i - 1]
            if i < nx - 1:
                s += gx[k, j, i]
            if s > 0.0:
                v = C[k, j, i] / s
                if v < best:
                    best = v
    return best


def stable_dt(gx, gy, gz, diag, C) -> float:
    """The forward-Euler positivity bound ``min over cells of C / ΣG`` (s), ``ΣG`` = ``diag``
    + the cell's face conductances (W/K), ``C`` (J/K) per cell; ``inf`` when no cell has any
    conductance. At ``dt ≤ stable_dt`` a step is a convex combination of the old field and the
    ambient temperatures (positivity, maximum principle). The real stability limit
    ``2/λ_max(C⁻¹A)`` lies in ``[stable_dt, 2·stable_dt]`` (Gershgorin below, the largest
    diagonal entry of ``C^-½ A C^-½`` above): beyond ``2·stable_dt`` stepping always diverges."""
    C = np.ascontiguousarray(C, dtype=np.float64)
    diag = np.ascontiguousarray(diag, dtype=np.float64)
    gx, gy, gz = (np.ascontiguousarray(g, dtype=np.float64) for g in (gx, gy, gz))
    if C.shape != diag.shape:
        raise ValueError(f"C must have shape {diag.shape}, got {C.shape}")
    if use_parallel(diag.size):
        return float(_stable_dt_parallel(gx, gy, gz, diag, C))
    return float(_stable_dt_serial(gx, gy, gz, diag, C))
