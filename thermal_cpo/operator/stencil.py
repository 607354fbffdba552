"""The 7-point conductance operator held as a stencil (face conductances + diagonal extra).

A :class:`Stencil` is what the solvers receive instead of a sparse matrix: it multiplies a
vector without forming one (``A @ x``), turns into CSR only when a matrix-based solver asks
(:meth:`Stencil.tocsr`), and shares its conductance arrays with the :class:`~.physics.Operator`
it came from, so a transient system ``A + C/(θ·Δt)`` costs one extra array, not a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass(eq=False)
class Stencil:
    """``(A x)[c] = (extra[c] + Σ g) x[c] − Σ_neighbours g·x[neighbour]`` on an ``(nz, ny, nx)`` grid.

    ``gx (nz, ny, nx-1)``, ``gy (nz, ny-1, nx)``, ``gz (nz-1, ny, nx)``: face conductances (W/K)
    between a cell and its upper neighbour; ``extra (nz, ny, nx)``: boundary (and capacity)
    conductances to a fixed reference (W/K). Vectors are flat in C order of ``(k, j, i)`` or
    shaped ``(nz, ny, nx)``.
    """

    gx: np.ndarray
    gy: np.ndarray
    gz: np.ndarray
    extra: np.ndarray
    #: cell sizes along x and y (m), when known: the multigrid coarsens by them
    hx: np.ndarray | None = None
    hy: np.ndarray | None = None
    _diag: np.ndarray | None = field(default=None, repr=False)
    _csr: sp.csr_matrix | None = field(default=None, repr=False)

    @property
    def grid_shape(self) -> tuple[int, int, int]:
        return self.extra.shape

    @property
    def shape(self) -> tuple[int, int]:
        n = self.extra.size
        return (n, n)

    @property
    def dtype(self):
        return np.dtype(np.float64)

    def with_extra(self, add: np.ndarray) -> "Stencil":
        """The same conductances with ``add`` (W/K per cell) added to the diagonal."""
        return Stencil(self.gx, self.gy, self.gz, self.extra + add.reshape(self.grid_shape),
                       self.hx, self.hy)

    def diagonal(self) -> np.ndarray:
        """The full diagonal ``extra + Σ g`` (W/K), ``(nz, ny, nx)``."""
        if self._diag is None:
            from ..kernels.jit import use_parallel
            from ..kernels.multigrid import serial, threaded

            d = np.empty(self.grid_shape)
            ks = threaded if use_parallel(d.size) else serial
            ks["diagonal"](self.gx, self.gy, self.gz, self.extra, d)
            self._diag = d
        return self._diag

    def matvec(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``A x`` (W), same shape as ``x``."""
        from ..kernels.jit import use_parallel
        from ..kernels.stencil import serial, threaded

        x3 = np.ascontiguousarray(x, dtype=float).reshape(self.grid_shape)
        o = np.empty(self.grid_shape) if out is None else out.reshape(self.grid_shape)
        ks = threaded if use_parallel(x3.size) else serial
        ks["apply"](self.gx, self.gy, self.gz, self.diagonal(), x3, o)
        return o.reshape(np.shape(x)) if out is None else out

    def __matmul__(self, x):
        return self.matvec(x)

    def tocsr(self) -> sp.csr_matrix:
        """The same operator as a CSR matrix (W/K), rows in C order of ``(k, j, i)``; cached."""
        if self._csr is None:
            from ..kernels.assemble import csr_7point, csr_row_starts

            nz, ny, nx = self.grid_shape
            n = nz * ny * nx
            index_type = np.int32 if 7 * n < np.iinfo(np.int32).max else np.int64
            indptr = np.empty(n + 1, dtype=index_type)
            csr_row_starts(nz, ny, nx, indptr)
            indices = np.empty(int(indptr[-1]), dtype=index_type)
            data = np.empty(int(indptr[-1]))
            csr_7point(self.gx, self.gy, self.gz, self.extra, indptr, indices, data)
            A = sp.csr_matrix((data, indices, indptr), shape=(n, n))
            A.has_sorted_indices = True
            self._csr = A
        return self._csr


def as_csr(A) -> sp.spmatrix:
    """A CSR matrix from a :class:`Stencil`, a coupled operator or any scipy sparse matrix
    (returned as is)."""
    return A if sp.issparse(A) or not hasattr(A, "tocsr") else A.tocsr()
