"""The solid + coolant operator kept as blocks: the cells' 7-point :class:`~.stencil.Stencil`
and three small sparse blocks for the coolant nodes, so that a coupled system costs the
stencil's arrays plus a few numbers per coupled cell, never a CSR matrix of the whole grid.

Unknowns are the ``n`` cells (C order of ``(k, j, i)``) then the ``m`` coolant nodes::

    [ S + D_c    A_sf ] [x_s]
    [ A_fs       A_ff ] [x_f]

``S + D_c`` is the conduction stencil with each cell's couplings to the coolant on its diagonal
(symmetric positive definite, so the conduction multigrid preconditions it); ``A_sf`` (cells
coupled to nodes, stored on those rows only) and ``A_fs`` are the couplings; ``A_ff`` is the
coolant block, triangular in the order of the flow because a node depends only on nodes
upstream of it (its upstream node, the outlets a loop feeds into its inlet).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .stencil import Stencil


@dataclass(eq=False)
class CoupledStencil:
    """A coupled solid + coolant operator (W/K) in blocks (see the module's description).

    ``solid``: the cell block ``S + D_c`` as a :class:`Stencil` on ``(nz, ny, nx)``;
    ``rows``: shape (r,), the flat indices of the cells that couple to a node; ``sf``: CSR
    ``(r, m)``, their entries towards the nodes; ``fs``: CSR ``(m, n)``; ``ff``: CSR ``(m, m)``,
    triangular in flow order. Vectors are flat, cells first.
    """

    solid: Stencil
    rows: np.ndarray
    sf: sp.csr_matrix
    fs: sp.csr_matrix
    ff: sp.csr_matrix
    _csr: sp.csr_matrix | None = field(default=None, repr=False)

    @property
    def n_solid(self) -> int:
        """Number of cells ``n``."""
        return int(self.solid.extra.size)

    @property
    def n_nodes(self) -> int:
        """Number of coolant nodes ``m``."""
        return int(self.ff.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        n = self.n_solid + self.n_nodes
        return (n, n)

    @property
    def dtype(self):
        return np.dtype(np.float64)

    def with_extra(self, add: np.ndarray) -> "CoupledStencil":
        """The same operator with ``add`` (W/K per unknown, cells then nodes) on the diagonal."""
        add = np.asarray(add, dtype=float).ravel()
        n = self.n_solid
        ff = (self.ff + sp.diags(add[n:])).tocsr() if self.n_nodes else self.ff
        return CoupledStencil(self.solid.with_extra(add[:n]), self.rows, self.sf, self.fs, ff)

    def diagonal(self) -> np.ndarray:
        """The diagonal (W/K), flat, cells then nodes."""
        return np.concatenate([self.solid.diagonal().ravel(), self.ff.diagonal()])

    def matvec(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``A x`` (W) of a flat vector of cells then nodes, into ``out`` (flat) when given."""
        x = np.asarray(x, dtype=float).ravel()
        n = self.n_solid
        x_s, x_f = x[:n], x[n:]
        y = np.empty(x.shape) if out is None else out
        self.solid.matvec(x_s, out=y[:n])
        if self.n_nodes:
            y[self.rows] += self.sf @ x_f
            y[n:] = self.fs @ x_s + self.ff @ x_f
        return y

    def __matmul__(self, x):
        return self.matvec(x)

    def tocsr(self) -> sp.csr_matrix:
        """The whole operator as one CSR matrix (W/K), for matrix-based solvers; cached."""
        if self._csr is None:
            n, m = self.n_solid, self.n_nodes
            sf = sp.csr_matrix((self.sf.data, self.sf.indices + n, self.sf.indptr),
                               shape=(self.sf.shape[0], n + m))
            lift = sp.csr_matrix((np.ones(self.rows.size), (self.rows, np.arange(self.rows.size))),
                                 shape=(n, self.rows.size))
            top = self.solid.tocsr()
            top = sp.csr_matrix((top.data, top.indices, top.indptr), shape=(n, n + m)) + lift @ sf
            A = sp.vstack([top, sp.hstack([self.fs, self.ff])], format="csr")
            A.sum_duplicates()
            A.sort_indices()
            self._csr = A
        return self._csr


def coupled_stencil(S: Stencil, n_nodes: int, rows: np.ndarray, cols: np.ndarray,
                    vals: np.ndarray) -> CoupledStencil:
    """A :class:`CoupledStencil` from the conduction stencil ``S`` of the cells and the coolant
    entries as triplets ``(rows, cols, vals)`` (W/K) over the ``n + n_nodes`` unknowns; repeated
    entries add. Entries on the cell block must be on its diagonal."""
    n = int(S.extra.size)
    m = int(n_nodes)
    rows, cols, vals = (np.asarray(a) for a in (rows, cols, vals))
    cell_row = rows < n
    on_cells = cell_row & (cols < n)
    if np.any(rows[on_cells] != cols[on_cells]):
        raise ValueError("coolant entries between two cells must lie on the diagonal")
    d = np.bincount(rows[on_cells], weights=vals[on_cells], minlength=n)
    solid = S.with_extra(d)
    to_nodes = cell_row & (cols >= n)
    coupled, local = np.unique(rows[to_nodes], return_inverse=True)
    sf = sp.csr_matrix((vals[to_nodes], (local, cols[to_nodes] - n)), shape=(coupled.size, m))
    node_row = ~cell_row
    on_solid = node_row & (cols < n)
    fs = sp.csr_matrix((vals[on_solid], (rows[on_solid] - n, cols[on_solid])), shape=(m, n))
    on_nodes = node_row & (cols >= n)
    ff = sp.csr_matrix((vals[on_nodes], (rows[on_nodes] - n, cols[on_nodes] - n)), shape=(m, m))
    for block in (sf, fs, ff):
        block.sum_duplicates()
        block.sort_indices()
    return CoupledStencil(solid, coupled.astype(np.int64), sf, fs, ff)
