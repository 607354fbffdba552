"""Multigrid kernels for the 7-point operator of a layered stack (arrays ``(nz, ny, nx)``).

The operator is stored as a stencil, never as a general sparse matrix: face conductances
``gx (nz, ny, nx-1)``, ``gy (nz, ny-1, nx)``, ``gz (nz-1, ny, nx)`` (W/K, see
:mod:`.assemble`) and the full diagonal ``d (nz, ny, nx)`` (sum of the face conductances plus
the boundary and capacity terms). ``(A x)[c] = d[c] x[c] − Σ_neighbours g x[neighbour]``.

The smoother relaxes whole z-columns at once (a tridiagonal solve per (j, i)): package stacks
couple z most strongly (µm films under mm layers give lateral:vertical conductance ratios of
1:1e5), and a point smoother would leave that error untouched. Columns are coloured red/black
in (i + j), so every column of one colour is independent and the rows of a colour run in
parallel over j. Coarsening is in x–y only (z is resolved exactly by the line solve), by
aggregating 2 × 2 columns; ``cx[i]`` / ``cy[j]`` map a fine index to its aggregate.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from . import coarsen as _coarsen
from . import krylov as _krylov
from . import stencil as _stencil
from .jit import (NUMPY_SETUP_MAX_CELLS, TableEntry, by_size, inline_kernel, kernel,
                  parallel_kernel, shared_entries)
from .krylov import FLUSH


def _relax_rows(gx, gy, gz, d, b, x, colour, j0, j1, e, q, r, zero_guess):
    """z-line Gauss–Seidel on the columns of rows ``j0 … j1−1`` with ``(i + j) % 2 == colour``.

    The Thomas recurrences of all these columns advance together (k outer, then j, i): they are
    independent, so the inner loops carry no dependency, and each z-plane is read as one
    contiguous run of ``(j1 − j0) × nx`` values that the prefetchers follow (a column-at-a-time
    solve would wait on a chain of divisions and on a cache miss per cell). ``e, q``: scratch of
    at least ``(nz, j1 − j0, (nx + 1) // 2)``; ``r``: at least ``(nx + 1) // 2``.
    ``zero_guess``: the other colour is taken as zero and not read (the first half-sweep of a
    V-cycle, whose guess is zero: that saves zeroing ``x`` and reading the lateral conductances).
    """
    nz, ny, nx = x.shape
    for k in range(nz):
        last = k == nz - 1
        for j in range(j0, j1):
            jj = j - j0
            i0 = (j + colour) % 2
            m = (nx - i0 + 1) // 2  # columns of this colour in the row: i = i0 + 2·c
            for c in range(m):
                r[c] = b[k, j, i0 + 2 * c]
            if zero_guess:
                pass
            elif j > 0:
                for c in range(m):
                    i = i0 + 2 * c
                    r[c] += gy[k, j - 1, i] * x[k, j - 1, i]
            if j < ny - 1 and not zero_guess:
                for c in range(m):
                    i = i0 + 2 * c
                    r[c] += gy[k, j, i] * x[k, j + 1, i]
            if not zero_guess:
                for c in range(1 - i0, m):  # west neighbours (i ≥ 1)
                    i = i0 + 2 * c
                    r[c] += gx[k, j, i - 1] * x[k, j, i - 1]
                for c in range((nx - i0) // 2):  # east neighbours (i ≤ nx − 2)
                    i = i0 + 2 * c
                    r[c] += gx[k, j, i] * x[k, j, i + 1]
            if k == 0:
                for c in range(m):
                    i = i0 + 2 * c
                    inv = 1.0 / d[0, j, i]
                    e[0, jj, c] = (gz[0, j, i] if nz > 1 else 0.0) * inv
                    v = r[c] * inv
                    q[0, jj, c] = v if abs(v) >= FLUSH else 0.0
            else:
                for c in range(m):
                    i = i0 + 2 * c
                    gl = gz[k - 1, j, i]
                    inv = 1.0 / (d[k, j, i] - gl * e[k - 1, jj, c])
                    e[k, jj, c] = 0.0 if last else gz[k, j, i] * inv
                    v = (r[c] + gl * q[k - 1, jj, c]) * inv
                    q[k, jj, c] = v if abs(v) >= FLUSH else 0.0
    for j in range(j0, j1):
        jj = j - j0
        i0 = (j + colour) % 2
        for c in range((nx - i0 + 1) // 2):
            x[nz - 1, j, i0 + 2 * c] = q[nz - 1, jj, c]
    for k in range(nz - 2, -1, -1):
        for j in range(j0, j1):
            jj = j - j0
            i0 = (j + colour) % 2
            for c in range((nx - i0 + 1) // 2):
                i = i0 + 2 * c
                v = q[k, jj, c] + e[k, jj, c] * x[k + 1, j, i]
                x[k, j, i] = v if abs(v) >= FLUSH else 0.0


_relax_rows_jit = inline_kernel(_relax_rows)


def _line_relax(gx, gy, gz, d, b, x, colour, rows, zero_guess):
    """One z-line Gauss–Seidel half-sweep over the columns with ``(i + j) % 2 == colour``,
    ``rows`` rows at a time (threads take blocks of rows); ``zero_guess``: the columns of the
    other colour are taken as zero, whatever ``x`` holds there."""
    nz, ny, nx = x.shape
    mmax = (nx + 1) // 2
    for blk in prange((ny + rows - 1) // rows):
        j0 = blk * rows
        e = np.empty((nz, rows, mmax), dtype=x.dtype)
        q = np.empty((nz, rows, mmax), dtype=x.dtype)
        r = np.empty(mmax, dtype=x.dtype)
        _relax_rows_jit(gx, gy, gz, d, b, x, colour, j0, min(j0 + rows, ny), e, q, r, zero_guess)


_relax_rows_serial = kernel(_relax_rows)


def _line_relax_serial(gx, gy, gz, d, b, x, colour, rows, zero_guess):
    """:func:`_line_relax` on one thread: the same blocks of rows in the same order, each by
    the compiled :func:`_relax_rows` (that compilation takes about 0.6 s less than one of the
    block loop around it, a first run's time; the loop here costs microseconds per call)."""
    nz, ny, nx = x.shape
    mmax = (nx + 1) // 2
    e = np.empty((nz, rows, mmax), dtype=x.dtype)
    q = np.empty((nz, rows, mmax), dtype=x.dtype)
    r = np.empty(mmax, dtype=x.dtype)
    for j0 in range(0, ny, rows):
        _relax_rows_serial(gx, gy, gz, d, b, x, colour, j0, min(j0 + rows, ny), e, q, r, zero_guess)


def _residual_restrict(gx, gy, gz, d, b, x, cx, cy, rc, colour):
    """``rc[k, cy[j], cx[i]] = Σ (b − A x)[k, j, i]`` over the cells with ``(i + j) % 2 ==
    colour``: the residual summed over each aggregate, where the other colour's residual is zero
    (it was relaxed last, so its z-line equations hold exactly) and is not computed."""
    nz, ny, nx = x.shape
    for k in prange(nz):
        for jc in range(rc.shape[1]):
            for ic in range(rc.shape[2]):
                rc[k, jc, ic] = 0.0
        for j in range(ny):
            jc = cy[j]
            for i in range((j + colour) % 2, nx, 2):
                r = b[k, j, i] - d[k, j, i] * x[k, j, i]
                if i > 0:
                    r += gx[k, j, i - 1] * x[k, j, i - 1]
                if i < nx - 1:
                    r += gx[k, j, i] * x[k, j, i + 1]
                if j > 0:
                    r += gy[k, j - 1, i] * x[k, j - 1, i]
                if j < ny - 1:
                    r += gy[k, j, i] * x[k, j + 1, i]
                if k > 0:
                    r += gz[k - 1, j, i] * x[k - 1, j, i]
                if k < nz - 1:
                    r += gz[k, j, i] * x[k + 1, j, i]
                rc[k, jc, cx[i]] += r
        for jc in range(rc.shape[1]):  # sums that cancelled to (nearly) a subnormal
            for ic in range(rc.shape[2]):
                if abs(rc[k, jc, ic]) < FLUSH:
                    rc[k, jc, ic] = 0.0


def _prolong_add(xc, cx, cy, x):
    """``x[k, j, i] += xc[k, cy[j], cx[i]]`` (piecewise-constant interpolation)."""
    nz, ny, nx = x.shape
    for k in prange(nz):
        for j in range(ny):
            jc = cy[j]
            for i in range(nx):
                v = x[k, j, i] + xc[k, jc, cx[i]]
                x[k, j, i] = v if abs(v) >= FLUSH else 0.0


def _centre_path(starts, a, side):
    """The link (face index) from aggregate ``a``'s centre towards its shared face, and the
    share of that link's resistance on the path: half the middle link for an even width, the
    whole link next to the middle cell for an odd one; ``(-1, 0)`` for a single cell (its centre
    is the cell's). ``side`` 0: the face after the aggregate, 1: the face before it."""
    m = starts[a + 1] - starts[a]
    if m < 2:
        return -1, 0.0
    if m % 2 == 0:
        return starts[a] + m // 2 - 1, 0.5
    return (starts[a] + m // 2 if side == 0 else starts[a] + (m - 1) // 2 - 1), 1.0


_centre_path_jit = inline_kernel(_centre_path)


def _coarse_stencil(gx, gy, gz, extra, cx, sx, cy, sy, gxc, gyc, gzc, extrac):
    """Coarse conductances of the aggregates (additive correction, kept a 7-point stencil).

    z faces and boundary/capacity terms add up exactly (the aggregates keep every z layer).
    Between two aggregates the lateral conductance is the series sum of the conductance summed
    over the shared face and, on each side, the path from the aggregate's centre to the cell
    next to the face — so a coefficient jump inside an aggregate is seen, and on a uniform
    grid the result is the re-discretised coarse operator (not the 2× too stiff plain sum).
    ``sx[I]`` is the first fine index of aggregate I (``sx[-1] = nx``).

    A cell with no conducting face (a resolved fluid cell, tied to its coolant node only) is
    left out of its aggregate's diagonal: the smoother solves its one-cell equation exactly and
    overwrites any correction there, so the coarse grid must not see its term either (its tie,
    ṁc_p ~ 0.3 W/K against ~0.01 W/K of the walls beside it, made the coarse walls so stiff
    that BiCGSTAB needed 128 iterations where algebraic multigrid needs 9).
    """
    nz = extra.shape[0]
    nyc, nxc = extrac.shape[1], extrac.shape[2]
    ny, nx = extra.shape[1], extra.shape[2]
    for k in prange(nz):
        # extra terms of the isolated cells, kept for aggregates of isolated cells only (which
        # stay isolated coarse cells, needing a diagonal but no correction worth the name)
        iso = np.zeros((nyc, nxc))
        conducting = np.zeros((nyc, nxc), dtype=np.bool_)
        for jc in range(nyc):
            for ic in range(nxc):
                extrac[k, jc, ic] = 0.0
                if k < nz - 1:
                    gzc[k, jc, ic] = 0.0
        for j in range(ny):
            for i in range(nx):
                if k < nz - 1:
                    gzc[k, cy[j], cx[i]] += gz[k, j, i]
                # Σ g summed afresh, not taken as d − extra: at a tiny time step a conductance
                # under extra's rounding would vanish from that difference
                g = 0.0
                if i > 0:
                    g += gx[k, j, i - 1]
                if i < nx - 1:
                    g += gx[k, j, i]
                if j > 0:
                    g += gy[k, j - 1, i]
                if j < ny - 1:
                    g += gy[k, j, i]
                if k > 0:
                    g += gz[k - 1, j, i]
                if k < nz - 1:
                    g += gz[k, j, i]
                if g > 0.0:
                    extrac[k, cy[j], cx[i]] += extra[k, j, i]
                    conducting[cy[j], cx[i]] = True
                else:
                    iso[cy[j], cx[i]] += extra[k, j, i]
        for jc in range(nyc):
            for ic in range(nxc):
                if not conducting[jc, ic]:
                    extrac[k, jc, ic] = iso[jc, ic]
        # x: between aggregate I and I + 1
        for jc in range(nyc):
            for ic in range(nxc - 1):
                i_face = sx[ic + 1] - 1  # gx index of the shared face
                g_face = 0.0
                for j in range(sy[jc], sy[jc + 1]):
                    g_face += gx[k, j, i_face]
                r = 1.0 / g_face
                for side in range(2):
                    link, share = _centre_path_jit(sx, ic + side, side)
                    if link >= 0:
                        g_link = 0.0
                        for j in range(sy[jc], sy[jc + 1]):
                            g_link += gx[k, j, link]
                        r += share / g_link
                gxc[k, jc, ic] = max(1.0 / r, 0.5 * g_face)
        # y: between aggregate J and J + 1
        for jc in range(nyc - 1):
            j_face = sy[jc + 1] - 1
            for ic in range(nxc):
                g_face = 0.0
                for i in range(sx[ic], sx[ic + 1]):
                    g_face += gy[k, j_face, i]
                r = 1.0 / g_face
                for side in range(2):
                    link, share = _centre_path_jit(sy, jc + side, side)
                    if link >= 0:
                        g_link = 0.0
                        for i in range(sx[ic], sx[ic + 1]):
                            g_link += gy[k, link, i]
                        r += share / g_link
                gyc[k, jc, ic] = max(1.0 / r, 0.5 * g_face)


_KERNELS = {f.__name__.lstrip("_"): f for f in (_line_relax, _residual_restrict, _prolong_add)}
#: run once per level: a threaded compilation (about three times a serial one's time) would
#: save less than it costs, so both tables share one entry; numpy up to
#: :data:`.jit.NUMPY_SETUP_MAX_CELLS` fine cells (:mod:`.coarsen`: 0.04 s longer at 0.5 M
#: cells, against ~2 s for compiling the loop), the compiled serial loop above
_SETUP = {"diagonal": shared_entries(_coarsen.diagonal),
          "coarse_stencil": shared_entries(by_size(3, small=_coarsen.coarse_stencil,
                                                   limit=NUMPY_SETUP_MAX_CELLS,
                                                   large=kernel)(_coarse_stencil))}

#: Serial and threaded compilations of every kernel a multigrid cycle and its CG use (the
#: operator's and the vectors' from their own modules), chosen per level by its size. numba
#: compiles an entry on its first call only.
serial = {**{name: kernel(f) for name, f in _KERNELS.items()},
          "line_relax": TableEntry(_line_relax_serial, _line_relax),
          **{name: pair[0] for name, pair in _SETUP.items()}, **_stencil.serial, **_krylov.serial}
threaded = {**{name: parallel_kernel(f) for name, f in _KERNELS.items()},
            **{name: pair[1] for name, pair in _SETUP.items()}, **_stencil.threaded,
            **_krylov.threaded}
