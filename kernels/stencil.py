"""The 7-point operator applied matrix-free on ``(nz, ny, nx)`` arrays: ``A x``, ``A x`` with
``x · A x`` in the same pass (CG), and the residual ``b − A x`` cast for the preconditioner.

The operator is a stencil: face conductances ``gx (nz, ny, nx-1)``, ``gy (nz, ny-1, nx)``,
``gz (nz-1, ny, nx)`` (W/K, see :mod:`.assemble`) and the full diagonal ``d (nz, ny, nx)`` (sum
of the face conductances plus the boundary and capacity terms):
``(A x)[c] = d[c] x[c] − Σ_neighbours g x[neighbour]``.
"""

from __future__ import annotations

from numba import prange

from .jit import kernel, parallel_kernel
from .krylov import FLUSH


# The six-neighbour sum is written out in each stencil kernel on purpose:
# a per-cell helper (inline="always") made the 2 M-cell solve 5x slower (0.69 s -> 3.5 s).
def _apply(gx, gy, gz, d, x, out):
    """``out = A x``."""
    nz, ny, nx = x.shape
    for k in prange(nz):
        for j in range(ny):
            for i in range(nx):
                s = d[k, j, i] * x[k, j, i]
                if i > 0:
                    s -= gx[k, j, i - 1] * x[k, j, i - 1]
                if i < nx - 1:
                    s -= gx[k, j, i] * x[k, j, i + 1]
                if j > 0:
                    s -= gy[k, j - 1, i] * x[k, j - 1, i]
                if j < ny - 1:
                    s -= gy[k, j, i] * x[k, j + 1, i]
                if k > 0:
                    s -= gz[k - 1, j, i] * x[k - 1, j, i]
                if k < nz - 1:
                    s -= gz[k, j, i] * x[k + 1, j, i]
                out[k, j, i] = s


def _apply_dot(gx, gy, gz, d, x, out):
    """``out = A x``; returns ``x · A x`` (one pass for CG's matrix product and its dot)."""
    nz, ny, nx = x.shape
    total = 0.0
    for k in prange(nz):
        part = 0.0
        for j in range(ny):
            for i in range(nx):
                xc = x[k, j, i]
                s = d[k, j, i] * xc
                if i > 0:
                    s -= gx[k, j, i - 1] * x[k, j, i - 1]
                if i < nx - 1:
                    s -= gx[k, j, i] * x[k, j, i + 1]
                if j > 0:
                    s -= gy[k, j - 1, i] * x[k, j - 1, i]
                if j < ny - 1:
                    s -= gy[k, j, i] * x[k, j + 1, i]
                if k > 0:
                    s -= gz[k - 1, j, i] * x[k - 1, j, i]
                if k < nz - 1:
                    s -= gz[k, j, i] * x[k + 1, j, i]
                out[k, j, i] = s
                part += xc * s
        total += part
    return total


def _residual_cast(gx, gy, gz, d, b, x, r, r_low, scale):
    """``r = b − A x`` and ``r_low = scale·r`` in the preconditioner's precision (values below
    :data:`FLUSH` set to zero); returns ``r · r``."""
    nz, ny, nx = x.shape
    total = 0.0
    for k in prange(nz):
        part = 0.0
        for j in range(ny):
            for i in range(nx):
                s = b[k, j, i] - d[k, j, i] * x[k, j, i]
                if i > 0:
                    s += gx[k, j, i - 1] * x[k, j, i - 1]
                if i < nx - 1:
                    s += gx[k, j, i] * x[k, j, i + 1]
                if j > 0:
                    s += gy[k, j - 1, i] * x[k, j - 1, i]
                if j < ny - 1:
                    s += gy[k, j, i] * x[k, j + 1, i]
                if k > 0:
                    s += gz[k - 1, j, i] * x[k - 1, j, i]
                if k < nz - 1:
                    s += gz[k, j, i] * x[k + 1, j, i]
                r[k, j, i] = s
                v = s * scale
                r_low[k, j, i] = v if abs(v) >= FLUSH else 0.0
                part += s * s
        total += part
    return total



_KERNELS = {f.__name__.lstrip("_"): f for f in (_apply, _apply_dot, _residual_cast)}

#: Serial and threaded compilations, chosen by the array's size.
serial = {name: kernel(f) for name, f in _KERNELS.items()}
threaded = {name: parallel_kernel(f) for name, f in _KERNELS.items()}
