"""Geometric multigrid for layered package stacks, as the preconditioner of CG.

The hierarchy keeps every z layer and aggregates 2 × 2 columns in x–y per level (3 where a
count is odd, so any grid size works); coarse operators stay 7-point stencils built by
conductance summation with series paths across aggregates (:func:`kernels.multigrid._coarse_stencil`).
A z-line Gauss–Seidel in red–black column order smooths each level; the coarsest level, a few
columns of full height, is factorized directly. One symmetric V-cycle (red→black before the
coarse correction, black→red after) preconditions CG, so the preconditioner is SPD and plain CG
applies (:class:`thermal_cpo.linalg.MultigridSolver`). Everything lives in ``(nz, ny, nx)``
arrays; no sparse matrix is formed on the fine grid.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse.linalg as spla

from ..kernels.jit import num_threads
from ..kernels.krylov import FLUSH
from ..operator.stencil import Stencil

#: The coarsest level is factorized once it has at most this many cells.
COARSEST_CELLS = 4096


#: An x pair is merged only where its cells are at most this many times the smallest y cell
#: (and likewise for y): then x is nowhere the weakly coupled direction, which a coarse grid
#: built by merging across it could not correct (fine strips of a graded grid next to coarse
#: ones are the case). On a uniform x–y grid every pair is merged (2 × 2 aggregation).
SPACING_RATIO = 2.0


def _aggregates(h: np.ndarray, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Fine → aggregate map and aggregate starts along one axis of cell sizes ``h``.

    Runs of neighbouring cells no larger than ``limit`` are cut into pairs (the last aggregate of
    an odd run takes three, so no small cell is left alone to hold the next level's smallest
    size down); other cells stay single.
    """
    n = len(h)
    c = np.empty(n, dtype=np.int64)
    starts = []
    i = 0
    while i < n:
        if h[i] > limit:
            c[i] = len(starts)
            starts.append(i)
            i += 1
            continue
        end = i
        while end < n and h[end] <= limit:
            end += 1
        run = end - i
        for p in range(max(run // 2, 1)):
            lo = i + 2 * p
            hi = end if p == max(run // 2, 1) - 1 else lo + 2
            c[lo:hi] = len(starts)
            starts.append(lo)
        i = end
    starts.append(n)
    return c, np.array(starts, dtype=np.int64)


def _row_block(shape, threads: int) -> int:
    """Rows of columns a smoother task relaxes together: long contiguous runs per z-plane with
    the scratch within ~1 MiB, and a block count that is a multiple of ``threads`` (32 rows
    in blocks of 31 + 1 left one of two threads idle)."""
    nz, ny, nx = shape
    most = max(1, min(ny, 2**20 // (16 * nz * (nx // 2 + 1))))
    blocks = -(-ny // most)
    blocks = min(ny, -(-blocks // threads) * threads)
    return -(-ny // blocks)


class Level:
    """One grid of the hierarchy: its stencil arrays, diagonal and work vectors."""

    def __init__(self, gx, gy, gz, extra, hx, hy, d=None, k=None):
        from ..kernels.jit import use_parallel
        from ..kernels.multigrid import serial, threaded

        self.gx, self.gy, self.gz, self.extra = gx, gy, gz, extra
        self.shape = extra.shape
        self.hx, self.hy = hx, hy
        # coarse levels take the finest level's variant (``k``): a run then compiles one variant
        # of each kernel, not both (the kernels write cell by cell, so the answer is the same)
        self.k = k if k is not None else (threaded if use_parallel(extra.size) else serial)
        self.rows = _row_block(extra.shape, num_threads() if self.k is threaded else 1)
        if d is None:
            d = np.empty(self.shape, dtype=extra.dtype)
            self.k["diagonal"](gx, gy, gz, extra, d)
        self.d = d
        self.b = None  # right-hand side and correction of coarse levels, allocated on demand
        self.x = None
        self.lu = None

    def coarsen(self) -> "Level | None":
        """The next coarser level, or None where no pair of columns can be merged."""
        nz, ny, nx = self.shape
        # an axis of one cell has no coupling to compare with: the other then always merges
        limit_x = SPACING_RATIO * self.hy.min() if ny > 1 else np.inf
        limit_y = SPACING_RATIO * self.hx.min() if nx > 1 else np.inf
        self.cx, self.sx = _aggregates(self.hx, limit_x)
        self.cy, self.sy = _aggregates(self.hy, limit_y)
        nxc, nyc = len(self.sx) - 1, len(self.sy) - 1
        if nxc == nx and nyc == ny:
            if ny == 1 and nx == 1:
                return None
            # no pair passes the size test: merge along the axis with the smaller cells
            if (ny > 1 and self.hy.min() <= self.hx.min()) or nx == 1:
                self.cy, self.sy = _aggregates(self.hy, np.inf)
            else:
                self.cx, self.sx = _aggregates(self.hx, np.inf)
            nxc, nyc = len(self.sx) - 1, len(self.sy) - 1
        dt = self.extra.dtype
        gxc = np.empty((nz, nyc, max(nxc - 1, 0)), dtype=dt)
        gyc = np.empty((nz, max(nyc - 1, 0), nxc), dtype=dt)
        gzc = np.empty((max(nz - 1, 0), nyc, nxc), dtype=dt)
        extrac = np.empty((nz, nyc, nxc), dtype=dt)
        self.k["coarse_stencil"](self.gx, self.gy, self.gz, self.extra, self.cx, self.sx, self.cy,
                                 self.sy, gxc, gyc, gzc, extrac)
        coarse = Level(gxc, gyc, gzc, extrac, np.add.reduceat(self.hx, self.sx[:-1]),
                       np.add.reduceat(self.hy, self.sy[:-1]), k=self.k)
        coarse.b = np.empty(coarse.shape, dtype=dt)
        coarse.x = np.empty(coarse.shape, dtype=dt)
        return coarse

    def factorize(self):
        f = [np.asarray(a, dtype=float) for a in (self.gx, self.gy, self.gz, self.extra)]
        self.lu = spla.splu(Stencil(*f).tocsr().tocsc())

    def smooth(self, b, x, first):
        """Red–black z-line Gauss–Seidel, colour ``first`` first.

        (Both colours in one pipelined pass over memory was tried: exact, but 1.6× slower on
        two threads than two threaded half-sweeps, whose blocks of rows spread over the threads
        more evenly.)"""
        for colour in (first, 1 - first):
            self.k["line_relax"](self.gx, self.gy, self.gz, self.d, b, x, colour, self.rows, False)

    def presmooth_from_zero(self, b, x):
        """:meth:`smooth` from ``x = 0`` (colour 0 first), without zeroing ``x``: the first
        half-sweep reads no neighbour, the second overwrites every column the first left alone."""
        for colour in (0, 1):
            self.k["line_relax"](self.gx, self.gy, self.gz, self.d, b, x, colour, self.rows, colour == 0)


class Hierarchy:
    """The multigrid levels of a :class:`Stencil`; :meth:`vcycle` applies one symmetric V-cycle."""

    def __init__(self, A: Stencil, coarsest_cells: int = COARSEST_CELLS, dtype=np.float64):
        nz, ny, nx = A.grid_shape
        # without cell sizes the grid is taken as uniform in x–y: plain 2 × 2 aggregation
        hx = np.ones(nx) if A.hx is None else np.asarray(A.hx, dtype=float)
        hy = np.ones(ny) if A.hy is None else np.asarray(A.hy, dtype=float)
        self.dtype = np.dtype(dtype)
        if self.dtype == np.float64:
            fine = Level(A.gx, A.gy, A.gz, A.extra, hx, hy, A.diagonal())
        else:
            # a single-precision copy of the operator: a preconditioner needs no more, and it
            # halves the bytes every sweep moves (CG itself stays in double precision)
            fine = Level(*(np.asarray(a, dtype=self.dtype) for a in (A.gx, A.gy, A.gz, A.extra)),
                         hx, hy, A.diagonal().astype(self.dtype))
        #: the fine-level right-hand side and answer in the hierarchy's precision: CG writes its
        #: residual into ``b0`` in the pass that updates it, and :meth:`cycle` answers in ``x0``
        self.b0 = np.empty(A.grid_shape, dtype=self.dtype)
        self.x0 = np.empty(A.grid_shape, dtype=self.dtype)
        self.levels = [fine]
        lev = fine
        while lev.d.size > coarsest_cells and (lev.shape[1] > 1 or lev.shape[2] > 1):
            coarse = lev.coarsen()
            if coarse is None:  # a single column: nothing left to merge
                break
            lev = coarse
            self.levels.append(lev)
        lev.factorize()

    def vcycle(self, b: np.ndarray, x: np.ndarray) -> float:
        """``x ≈ A⁻¹ b`` by one V-cycle from a zero guess (``(nz, ny, nx)`` arrays, W → K);
        returns ``b · x`` (what preconditioned CG needs next, computed in the same pass)."""
        k = self.levels[0].k
        # the cycle is linear: it runs on b scaled to unit mean square, inside single
        # precision's range whatever the units and size of the problem (and where the kernels'
        # flush of negligible values, kernels.krylov.FLUSH, is relative to b's size)
        bb = float(k["dot"](b, b))
        if bb == 0.0:
            x[...] = 0.0
            return 0.0
        scale = 1.0 / np.sqrt(bb / b.size)
        k["copy_scale"](b, scale, self.b0)
        self._cycle(0, self.b0, self.x0)
        return float(k["copy_scale_dot"](self.x0, 1.0 / scale, x, b))

    def cycle(self) -> np.ndarray:
        """One V-cycle on the right-hand side already in :attr:`b0` (the caller scales it, see
        :meth:`vcycle`); the answer is :attr:`x0` (the hierarchy's precision, overwritten by the
        next cycle)."""
        self._cycle(0, self.b0, self.x0)
        return self.x0

    def _cycle(self, level, b, x):
        lev = self.levels[level]
        if lev.lu is not None:
            v = lev.lu.solve(np.asarray(b, dtype=float).ravel()).reshape(lev.shape)
            v[np.abs(v) < FLUSH] = 0.0  # no subnormals in single precision (kernels.krylov.FLUSH)
            x[...] = v
            return
        lev.presmooth_from_zero(b, x)
        coarse = self.levels[level + 1]
        # colour 1 was relaxed last: its residual is zero, only colour 0's is summed
        lev.k["residual_restrict"](lev.gx, lev.gy, lev.gz, lev.d, b, x, lev.cx, lev.cy, coarse.b, 0)
        self._cycle(level + 1, coarse.b, coarse.x)
        lev.k["prolong_add"](coarse.x, lev.cx, lev.cy, x)
        lev.smooth(b, x, 1)

    def describe(self) -> list[tuple[int, int, int]]:
        """The ``(nz, ny, nx)`` of every level, finest first."""
        return [lev.shape for lev in self.levels]

    def cycle_cost(self) -> float:
        """Cells touched by one V-cycle relative to the fine grid (a work estimate)."""
        n0 = self.levels[0].d.size
        return sum(lev.d.size for lev in self.levels) / n0
