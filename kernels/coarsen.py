"""The once-per-level work of the multigrid setup in numpy: the diagonal, and the coarse stencil
of :func:`.multigrid._coarse_stencil` (see its docstring for the method). A grid coarsens once
per solve, where a compilation would cost more than the numpy passes. Every value is formed by
the operations of the compiled loops, in their order and in their precision (sums over an
aggregate in the order of a loop over its cells: j, then i, one cell at a time), so the results
are the kernel's to the last bit.
"""

from __future__ import annotations

import numpy as np


def diagonal(gx, gy, gz, extra, d):
    """``d = extra + Σ g`` over each cell's faces (W/K), terms added in the order
    west, east, south, north, below, above, in the precision of ``extra`` and the ``g`` (as
    the compiled loop this replaces formed it)."""
    dtype = np.result_type(extra, gx, gy, gz)
    s = d if d.dtype == dtype else np.empty(d.shape, dtype)
    s[...] = extra
    s[:, :, 1:] += gx
    s[:, :, :-1] += gx
    s[:, 1:, :] += gy
    s[:, :-1, :] += gy
    s[1:] += gz
    s[:-1] += gz
    if s is not d:
        d[...] = s


def _segments(starts, n):
    """First fine index, width and the widest width of each aggregate (``starts[-1] = n``)."""
    first = np.asarray(starts[:-1], dtype=np.int64)
    width = np.diff(np.asarray(starts, dtype=np.int64))
    return first, width, int(width.max()) if width.size else 0, n


def _segment_sum(a, axis, seg, dtype):
    """``Σ a`` over each aggregate along ``axis`` (1 or 2), one term at a time from 0 in
    ``dtype``; missing terms add +0, which changes no partial sum (none is −0)."""
    first, width, widest, n = seg
    shape = list(a.shape)
    shape[axis] = first.size
    acc = np.zeros(shape, dtype=dtype)
    for m in range(widest):
        idx = np.minimum(first + m, n - 1)
        term = np.take(a, idx, axis=axis).astype(dtype)
        valid = (m < width).reshape([-1 if ax == axis else 1 for ax in range(3)])
        acc += np.where(valid, term, dtype(0))
    return acc


def _centre_paths(first, width, side):
    """:func:`.multigrid._centre_path` for every aggregate: link index (-1: none) and share."""
    odd_link = first + width // 2 if side == 0 else first + (width - 1) // 2 - 1
    link = np.where(width % 2 == 0, first + width // 2 - 1, odd_link)
    share = np.where(width % 2 == 0, 0.5, 1.0)
    return np.where(width < 2, -1, link), np.where(width < 2, 0.0, share)


def _lateral(g, axis, along, across, out):
    """Coarse conductances between neighbouring aggregates along ``axis`` (2: x, 1: y): the
    shared face's conductance and the two centre paths in series, at least half the face's."""
    first, width = along[0], along[1]
    if first.size < 2:
        return
    g_face = _segment_sum(np.take(g, first[1:] - 1, axis=axis), 3 - axis, across, np.float64)
    r = 1.0 / g_face
    for side in (0, 1):
        a = slice(side, first.size - 1 + side)
        link, share = _centre_paths(first[a], width[a], side)
        g_link = _segment_sum(np.take(g, np.maximum(link, 0), axis=axis), 3 - axis, across,
                              np.float64)
        has = (link >= 0).reshape([-1 if ax == axis else 1 for ax in range(3)])
        r = np.where(has, r + share.reshape(has.shape) / g_link, r)
    out[...] = np.maximum(1.0 / r, 0.5 * g_face)


def _cell_sums(a, ax, ay, dtype):
    """``Σ a`` over each aggregate's cells in loop order (j outer, i inner), in ``dtype``."""
    fy, wy, my, ny = ay
    fx, wx, mx, nx = ax
    acc = np.zeros((a.shape[0], fy.size, fx.size), dtype=dtype)
    for dj in range(my):
        jj = np.minimum(fy + dj, ny - 1)
        for di in range(mx):
            ii = np.minimum(fx + di, nx - 1)
            valid = (dj < wy)[:, None] & (di < wx)[None, :]
            acc += np.where(valid, a[:, jj][:, :, ii].astype(dtype), dtype(0))
    return acc


def coarse_stencil(gx, gy, gz, extra, cx, sx, cy, sy, gxc, gyc, gzc, extrac):
    """:func:`.multigrid._coarse_stencil` (same arguments, same results): coarse face
    conductances ``gxc, gyc, gzc`` and boundary/capacity terms ``extrac`` (W/K) of the
    aggregates ``sx``/``sy`` (first fine index of each, ``sx[-1] = nx``)."""
    nz, ny, nx = extra.shape
    ax, ay = _segments(sx, nx), _segments(sy, ny)
    dt = extrac.dtype.type
    if nz > 1:
        gzc[...] = _cell_sums(gz, ax, ay, gzc.dtype.type)
    # Σ g of each cell's faces, afresh and in double precision as the kernel sums it
    g = np.zeros(extra.shape)
    g[:, :, 1:] += gx
    g[:, :, :-1] += gx
    g[:, 1:, :] += gy
    g[:, :-1, :] += gy
    g[1:] += gz
    g[:-1] += gz
    conducting = g > 0.0
    zero = extra.dtype.type(0)
    extrac[...] = _cell_sums(np.where(conducting, extra, zero), ax, ay, dt)
    iso = _cell_sums(np.where(conducting, zero, extra), ax, ay, np.float64)
    any_conducting = _cell_sums(conducting.astype(np.int64), ax, ay, np.int64) > 0
    extrac[...] = np.where(any_conducting, extrac, iso)
    with np.errstate(divide="ignore", invalid="ignore"):  # as the kernel: 1/0 = inf
        _lateral(gx, 2, ax, ay, gxc)
        _lateral(gy, 1, ay, ax, gyc)
