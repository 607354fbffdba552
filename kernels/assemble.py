"""Finite-volume assembly kernels for the 7-point operator on a rectilinear grid.

Arrays are ``(nz, ny, nx)``. Face conductances (W/K) are stored per direction as the conductance
between a cell and its upper neighbour: ``gx[k, j, i]`` joins ``(k, j, i)`` and ``(k, j, i+1)``,
shape ``(nz, ny, nx-1)``; likewise ``gy`` ``(nz, ny-1, nx)`` and ``gz`` ``(nz-1, ny, nx)``.
"""

from __future__ import annotations

import numpy as np

from numba import prange

from .jit import NUMPY_SETUP_MAX_CELLS, by_size


def _with_contacts(r, ca, cb, r_pair):
    """``r`` plus the contact resistance of every face between two components (ids ≥ 0)."""
    both = (ca >= 0) & (cb >= 0)
    r[both] += r_pair[ca[both], cb[both]]
    return r


def _face_conductances_numpy(kx, ky, kz, dx, dy, dz, component, r_pair, gx, gy, gz):
    """:func:`face_conductances` in numpy, plane by plane (temporaries of one plane), each
    value formed by the kernel's operations in the kernel's order: its results to the last
    bit, and nothing to compile for grids up to :data:`.jit.NUMPY_SETUP_MAX_CELLS`."""
    nz = kx.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(nz):
            c, q = component[k], kx[k]
            r = 0.5 * dx[:-1] / q[:, :-1] + 0.5 * dx[1:] / q[:, 1:]
            gx[k] = (dy[:, None] * dz[k]) / _with_contacts(r, c[:, :-1], c[:, 1:], r_pair)
            q = ky[k]
            r = 0.5 * dy[:-1, None] / q[:-1] + 0.5 * dy[1:, None] / q[1:]
            gy[k] = (dx[None, :] * dz[k]) / _with_contacts(r, c[:-1], c[1:], r_pair)
            if k < nz - 1:
                r = 0.5 * dz[k] / kz[k] + 0.5 * dz[k + 1] / kz[k + 1]
                gz[k] = (dx[None, :] * dy[:, None]) / _with_contacts(r, c, component[k + 1], r_pair)


@by_size(0, small=_face_conductances_numpy, limit=NUMPY_SETUP_MAX_CELLS)
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


def _csr_7point_numpy(gx, gy, gz, diag, indptr, indices, data):
    """:func:`csr_7point` in numpy: each row's entries written neighbour by neighbour in the
    kernel's order, and the diagonal summed in it, so its results to the last bit (nothing to
    compile for grids up to :data:`.jit.NUMPY_SETUP_MAX_CELLS`)."""
    nz, ny, nx = diag.shape
    sxy = nx * ny
    row = np.arange(nz * ny * nx, dtype=indices.dtype).reshape(diag.shape)
    p = indptr[:-1].reshape(diag.shape).astype(np.int64)  # next free slot of each row
    s = diag.copy()
    # per axis: the cells with a lower neighbour, those with an upper one, the faces, the stride
    axes = ((np.s_[1:], np.s_[:-1], gz, sxy), (np.s_[:, 1:], np.s_[:, :-1], gy, nx),
            (np.s_[:, :, 1:], np.s_[:, :, :-1], gx, 1))
    for here, _, g, step in axes:  # the entries before the diagonal: k-1, j-1, i-1
        indices[p[here]] = row[here] - step
        data[p[here]] = -g
        s[here] += g
        p[here] += 1
    pd = p.copy()
    indices[p] = row
    p += 1
    for _, here, g, step in axes[::-1]:  # after it: i+1, j+1, k+1
        indices[p[here]] = row[here] + step
        data[p[here]] = -g
        s[here] += g
        p[here] += 1
    data[pd] = s


@by_size(3, small=_csr_7point_numpy, limit=NUMPY_SETUP_MAX_CELLS)
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


def csr_row_starts(nz, ny, nx, indptr):
    """Row starts of the 7-point CSR pattern (entries per row: 1 + existing neighbours), into
    ``indptr`` (``nz·ny·nx + 1`` integers). numpy: integer counts, nothing to compile."""

    def inner(n):  # neighbours (0, 1 or 2) of each cell along an axis of n cells
        has = np.zeros(n, dtype=np.int64)
        has[1:] += 1
        has[:-1] += 1
        return has

    per_row = (1 + inner(nz)[:, None, None] + inner(ny)[None, :, None] + inner(nx)[None, None, :])
    indptr[0] = 0
    np.cumsum(per_row.ravel(), out=indptr[1:])
