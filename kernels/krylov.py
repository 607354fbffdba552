"""Krylov vector kernels on ``(nz, ny, nx)`` float arrays: dot products, CG's fused update, and
the casts into the preconditioner's precision. Each has a serial and a threaded compilation
(see :func:`.jit.use_parallel`)."""

from __future__ import annotations

from numba import prange

from .jit import kernel, parallel_kernel

#: Values of the V-cycle's scaled input (unit mean square, see ``scale``), its Thomas
#: recurrences, residuals and corrections below this size are set to zero where written. Early
#: in a transient the field far from the sources falls by orders of magnitude per cell and
#: reaches single precision's subnormal range (< 1.2e-38), where every operation takes ~100
#: cycles: a 2 M-cell V-cycle at a 1 µs step ran 3-4x slower. 1e-20 rather than 1.2e-38 keeps
#: products with conductances down to 1e-18 W/K normal too; what is dropped is 1e-20 of the
#: input's size, under single precision's rounding (6e-8) by twelve orders.
FLUSH = 1e-20



def _dot(a, b):
    """``Σ a·b`` over two equally shaped ``(nz, ny, nx)`` arrays."""
    nz = a.shape[0]
    total = 0.0
    for k in prange(nz):
        part = 0.0
        for j in range(a.shape[1]):
            for i in range(a.shape[2]):
                part += a[k, j, i] * b[k, j, i]
        total += part
    return total


def _cg_update_cast(x, r, p, q, alpha, r_low, scale):
    """``x += α p``, ``r −= α q``, ``r_low = scale·r`` in the preconditioner's precision (the
    next V-cycle's input, written in the same pass; values below :data:`FLUSH` set to zero);
    returns ``r · r``."""
    nz = x.shape[0]
    total = 0.0
    for k in prange(nz):
        part = 0.0
        for j in range(x.shape[1]):
            for i in range(x.shape[2]):
                x[k, j, i] += alpha * p[k, j, i]
                rv = r[k, j, i] - alpha * q[k, j, i]
                r[k, j, i] = rv
                v = rv * scale
                r_low[k, j, i] = v if abs(v) >= FLUSH else 0.0
                part += rv * rv
        total += part
    return total


def _axpby(a, z, beta, p):
    """``p = a·z + β p`` (``p = a·z`` for β = 0, whatever ``p`` held)."""
    nz = p.shape[0]
    for k in prange(nz):
        for j in range(p.shape[1]):
            for i in range(p.shape[2]):
                if beta == 0.0:
                    p[k, j, i] = a * z[k, j, i]
                else:
                    p[k, j, i] = a * z[k, j, i] + beta * p[k, j, i]


def _copy_scale(src, scale, dst):
    """``dst = scale·src`` in ``dst``'s precision, values below :data:`FLUSH` set to zero
    (threaded: numpy's cast runs on one core)."""
    for k in prange(src.shape[0]):
        for j in range(src.shape[1]):
            for i in range(src.shape[2]):
                v = src[k, j, i] * scale
                dst[k, j, i] = v if abs(v) >= FLUSH else 0.0


def _copy_scale_dot(src, scale, dst, r):
    """``dst = scale·src`` in ``dst``'s precision; returns ``r · dst``."""
    nz = src.shape[0]
    total = 0.0
    for k in prange(nz):
        part = 0.0
        for j in range(src.shape[1]):
            for i in range(src.shape[2]):
                v = src[k, j, i] * scale
                dst[k, j, i] = v
                part += r[k, j, i] * v
        total += part
    return total



_KERNELS = {f.__name__.lstrip("_"): f for f in (_dot, _axpby, _copy_scale, _copy_scale_dot, _cg_update_cast)}

#: Serial and threaded compilations, chosen by the array's size.
serial = {name: kernel(f) for name, f in _KERNELS.items()}
threaded = {name: parallel_kernel(f) for name, f in _KERNELS.items()}
