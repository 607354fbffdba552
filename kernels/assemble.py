"""Finite-volume assembly kernels for the 7-point operator on a rectilinear grid.

Arrays are ``(nz, ny, nx)``. Face conductances (W/K) are stored per direction as the conductance
between a cell and its upper neighbour: ``gx[k, j, i]`` joins ``(k, j, i)`` and ``(k, j, i+1)``,
shape ``(nz, ny, nx-1)``; likewise ``gy`` ``(nz, ny-1, nx)`` and ``gz`` ``(nz-1, ny, nx)``.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel, parallel_kernel
from numba import prange


@parallel_kernel
def face_conductances(kx, ky, kz, dx, dy, dz, component, r_pair, gx, gy, gz):
    """Series half-cell conductances plus contact resistances, into ``gx, gy, gz`` (W/K).

    ``kx, ky, kz``: per-cell conductivity components (W/(m·K)); ``dx, dy, dz``: cell sizes (m);
    ``r_pair[a, b]``: area-specific contact resistance (m²·K/W) between components a and b.
    """
    nz, ny, nx = kx.shape
    for k in prange(nz):
        for j in range(ny):
            for i in range(nx - 1):
                r = 0.5 * dx[i] / kx[k, j, i] + 0.5 * dx[i + 1] / kx[k, j, i + 1]
                a, b = component[k, j, i], component[k, j, i + 1]
                if a >= 0 and b >= 0:
                    r += r_pair[a, b]
                gx[k, j, i] = dy[j] * dz[k] / r
        for j in range(ny - 1):
            for i in range(nx):
                r = 0.5 * dy[j] / ky[k, j, i] + 0.5 * dy[j + 1] / ky[k, j + 1, i]
                a, b = component[k, j, i], component[k, j + 1, i]
                if a >= 0 and b >= 0:
                    r += r_pair[a, b]
                gy[k, j, i] = dx[i] * dz[k] / r
        if k < nz - 1:
            for j in range(ny):
                for i in range(nx):
                    r = 0.5 * dz[k] / kz[k, j, i] + 0.5 * dz[k + 1] / kz[k + 1, j, i]
                    a, b = component[k, j, i], component[k + 1, j, i]
                    if a >= 0 and b >= 0:
                        r += r_pair[a, b]
                    gz[k, j, i] = dx[i] * dy[j] / r


@parallel_kernel
def csr_7point(gx, gy, gz, diag, indptr, indices, data):
    """Fill a CSR matrix (rows in C order of (k, j, i), columns ascending) with the 7-point
    operator: off-diagonals ``-g``, diagonal ``Σg + diag`` (``diag`` holds boundary terms).

    ``indptr`` must already hold the row starts (see :func:`csr_row_starts`).
    """
    nz, ny, nx = diag.shape
    sxy = nx * ny
    for k in prange(nz):
        for j in range(ny):
            for i in range(nx):
                row = (k * ny + j) * nx + i
                p = indptr[row]
                s = diag[k, j, i]
                if k > 0:
                    g = gz[k - 1, j, i]
                    indices[p] = row - sxy
                    data[p] = -g
                    s += g
                    p += 1
                if j > 0:
                    g = gy[k, j - 1, i]
                    indices[p] = row - nx
                    data[p] = -g
                    s += g
                    p += 1
                if i > 0:
                    g = gx[k, j, i - 1]
                    indices[p] = row - 1
                    data[p] = -g
                    s += g
                    p += 1
                pd = p
                indices[p] = row
                p += 1
                if i < nx - 1:
                    g = gx[k, j, i]
                    indices[p] = row + 1
                    data[p] = -g
                    s += g
                    p += 1
                if j < ny - 1:
                    g = gy[k, j, i]
                    indices[p] = row + nx
                    data[p] = -g
                    s += g
                    p += 1
                if k < nz - 1:
                    g = gz[k, j, i]
                    indices[p] = row + sxy
                    data[p] = -g
                    s += g
                    p += 1
                data[pd] = s


@kernel
def csr_row_starts(nz, ny, nx, indptr):
    """Row starts of the 7-point CSR pattern (entries per row: 1 + existing neighbours)."""
    p = 0
    row = 0
    for k in range(nz):
        for j in range(ny):
            for i in range(nx):
                indptr[row] = p
                p += 1 + (k > 0) + (k < nz - 1) + (j > 0) + (j < ny - 1) + (i > 0) + (i < nx - 1)
                row += 1
    indptr[row] = p
