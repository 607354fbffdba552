"""Solvers for the coupled solid + coolant systems (non-symmetric: upwind advection)."""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import LayoutError, SolverError
from ..operator.coupled import CoupledStencil
from ..operator.stencil import Stencil, as_csr
from .amg import AMGSolver
from .bicgstab import bicgstab
from .base import LinearSolver, check_solution, register_solver
from .hierarchy import COARSEST_CELLS, Hierarchy

#: GMRES restart length for the coupled systems.
GMRES_RESTART = 50

class NonsymmetricSolver(LinearSolver):
    """Solver for the coupled solid + coolant systems (non-symmetric: upwind advection).

    The unknowns are ``n_solid`` cells then the coolant nodes. ``method="krylov"``: BiCGSTAB,
    falling back to restarted GMRES if it breaks down (relative residual ``tol``), with one of
    two preconditioners:

    - ``kind="block"`` (default): block lower-triangular — one V-cycle of a symmetric multigrid
      on the cell block, which is symmetric positive definite (conduction plus the h·A couplings
      on its diagonal): the geometric multigrid of the conduction ``stencil`` with the block's
      diagonal (``amg_kind="multigrid"``), or the AMG of :class:`AMGSolver` (float32 hierarchy,
      Ruge–Stüben or smoothed aggregation with ``amg_kind`` ``"rs"`` / ``"sa"``); then an exact solve of the coolant block, which is lower
      bidiagonal (each node depends on its upstream one) — forward substitution along the flow;
    - ``kind="rs"`` / ``"sa"``: one V-cycle of a classical (or non-symmetric smoothed-aggregation)
      AMG hierarchy built on the whole non-symmetric matrix, an M-matrix (off-diagonals ≤ 0,
      weakly diagonally dominant).

    ``method="direct"``: SuperLU, for small systems.
    """

    def __init__(self, method: str = "krylov", kind: str = "block", n_solid: int | None = None,
                 amg_kind: str = "rs", restart: int = GMRES_RESTART, stencil: Stencil | None = None,
                 **kw):
        super().__init__(**kw)
        if method not in ("krylov", "direct"):
            raise LayoutError(f"unknown non-symmetric method {method!r}; expected krylov or direct",
                              path="solver")
        if method == "krylov" and kind == "block" and n_solid is None:
            raise LayoutError("the block preconditioner needs n_solid (the number of cells)", path="solver")
        if amg_kind == "multigrid" and stencil is None:
            raise LayoutError("the multigrid block preconditioner needs the conduction stencil",
                              path="solver")
        self.method, self.kind, self.n_solid, self.amg_kind = method, kind, n_solid, amg_kind
        self.stencil = stencil
        self.restart = restart
        if method == "direct":
            self.name = "direct-lu"
        elif kind == "block":
            self.name = ("bicgstab-block-multigrid" if amg_kind == "multigrid"
                         else f"bicgstab-block-amg-{amg_kind}")
        else:
            self.name = f"bicgstab-amg-{kind}"
        self.M = None
        self.lu = None

    def setup(self, A):
        t0 = time.perf_counter()
        # only a factorization needs to know which operator it holds; kept otherwise it would
        # pin the first operator's arrays for the solver's lifetime
        self._key = A if self.method == "direct" else None
        blocks = A if isinstance(A, CoupledStencil) else None
        if self.method == "direct":
            self.A = as_csr(A)
            self.lu = spla.splu(sp.csc_matrix(self.A))
        elif self.kind == "block":
            n = self.n_solid
            M_s = None
            if self.amg_kind == "multigrid":
                M_s = (_vcycle(blocks.solid) if blocks is not None
                       else self._multigrid_block(as_csr(A)[:n, :n].tocsr()))
            if M_s is None:
                A_ss = as_csr(A)[:n, :n].tocsr()
                amg = AMGSolver(self.amg_kind if self.amg_kind != "multigrid" else "rs", tol=self.tol,
                                maxiter=self.maxiter).setup(A_ss)
                M_s = _writing(amg.M)
            if blocks is not None:
                # the operator carries its own stencil; the one given for a CSR operator would
                # pin a replaced operator's conductances
                self.stencil = None
                A_fs, A_ff = blocks.fs, blocks.ff
            else:
                A_csr = as_csr(A)
                A_fs, A_ff = A_csr[n:, :n].tocsr(), A_csr[n:, n:].tocsr()
            self.A = A
            self._psolve = _block_preconditioner(M_s, A_fs, A_ff, n)
            self.M = spla.LinearOperator(A.shape, matvec=_returning(self._psolve), dtype=np.float64)
        else:
            import pyamg

            self.A = as_csr(A)
            if self.kind == "sa":
                ml = pyamg.smoothed_aggregation_solver(self.A, symmetry="nonsymmetric", max_coarse=500)
            else:
                ml = pyamg.ruge_stuben_solver(
                    self.A, max_coarse=500, strength=("classical", {"theta": 0.1}),
                    presmoother=("gauss_seidel", {"sweep": "forward"}),
                    postsmoother=("gauss_seidel", {"sweep": "forward"}))
            self.ml = ml
            self.M = ml.aspreconditioner(cycle="V")
            self._psolve = _writing(self.M)
        self.setup_time = time.perf_counter() - t0
        return self

    def _multigrid_block(self, A_ss):
        """One V-cycle of the geometric multigrid on the cell block (a LinearOperator), or None
        where the block is not the stencil's conduction plus a diagonal (then AMG is used)."""
        S = self.stencil
        if S is None or A_ss.shape != S.shape:
            return None
        d_sum = S.diagonal() - S.extra  # Σ g of every cell
        block = Stencil(S.gx, S.gy, S.gz, A_ss.diagonal().reshape(S.grid_shape) - d_sum, S.hx, S.hy)
        v = np.random.default_rng(0).uniform(0.5, 1.5, A_ss.shape[0])
        Av = A_ss @ v
        if not np.allclose(block @ v, Av, rtol=0, atol=1e-12 * float(np.max(np.abs(Av)))):
            return None
        return _vcycle(block)

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        b = np.asarray(b, dtype=float)
        if self.method == "direct":
            if A is not None and A is not self._key:
                self.setup(A)
            x = self.lu.solve(b)
            return x, {"iterations": 1, "residual": check_solution(x, self.A, b, self.name)}
        if A is not None:
            # the latest operator is the one a later solve without A means, and holding the
            # first would keep a replaced operator's arrays alive beside the current one
            self.A = A if self.kind == "block" else as_csr(A)
        A = self.A
        count = [0]

        def cb(rel: float):  # BiCGSTAB's relative residual, GMRES's preconditioned one
            count[0] += 1
            if self.monitor is not None:
                self.monitor(count[0], float(rel))

        # BiCGSTAB first (two preconditioner applications per iteration, short recurrences: on
        # the cpo-51t2-switch system 4x faster than scipy's restarted GMRES at the same
        # tolerance); restarted GMRES (monotone residual, no breakdown) if it stalls or breaks down
        x, _ = bicgstab(_into(A), self._psolve, b, x0, self.tol, self.maxiter, callback=cb)
        res = check_solution(x, A, b, self.name) if np.all(np.isfinite(x)) else np.inf
        if res > self.tol * 10:
            x, info = spla.gmres(A, b, x0=x0, rtol=self.tol, atol=0.0, restart=self.restart,
                                 maxiter=max(1, self.maxiter // self.restart + 1), M=self.M,
                                 callback=cb, callback_type="pr_norm")
            res = check_solution(x, A, b, self.name)
        if res > self.tol * 10:
            raise SolverError(f"{self.name}: BiCGSTAB/GMRES did not converge in {count[0]} iterations; "
                              f"relative residual reached {res:.3e} (asked {self.tol:.1e})")
        return x, {"iterations": count[0], "residual": res}


def _vcycle(block: Stencil):
    """One V-cycle of a single-precision geometric multigrid of ``block`` (symmetric positive
    definite): ``(r, out)`` → ``out ≈ block⁻¹ r`` on flat vectors."""
    h = Hierarchy(block, COARSEST_CELLS, np.float32)
    shape = block.grid_shape

    def apply(r, out):
        h.vcycle(np.ascontiguousarray(r, dtype=float).reshape(shape), out.reshape(shape))

    return apply


def _block_preconditioner(M_s, A_fs, A_ff, n: int):
    """Block lower-triangular preconditioner, ``(r, out)`` → ``out``: ``M_s`` on the cells,
    then the coolant block ``A_ff`` solved exactly for the cells' answer. ``A_ff`` is
    triangular in the order of the flow (a node depends on its upstream node and on the
    outlets feeding its inlet), though not always in the nodes' numbering (a loop may feed an
    earlier-numbered plate from a later one); its sparse LU has next to no fill either way."""
    m = A_ff.shape[0]
    lu = spla.splu(sp.csc_matrix(A_ff)) if m else None

    def apply(r, out):
        M_s(r[:n], out[:n])
        if m:
            out[n:] = lu.solve(r[n:] - A_fs @ out[:n])

    return apply


def _into(A):
    """``(x, out)`` → ``out = A x`` for a coupled operator (written in place) or a matrix."""
    if isinstance(A, CoupledStencil):
        return lambda x, out: A.matvec(x, out=out)

    def apply(x, out):
        out[:] = A @ x

    return apply


def _writing(M):
    """A LinearOperator as ``(r, out)`` → ``out = M r``."""
    def apply(r, out):
        out[:] = M.matvec(r)

    return apply


def _returning(apply):
    """``(r, out)`` as a function returning a fresh answer (what scipy's Krylov methods call)."""
    def matvec(r):
        out = np.empty(np.shape(r)[0])
        apply(np.ascontiguousarray(np.ravel(r), dtype=float), out)
        return out

    return matvec

def _block(amg_kind):
    def make(tol, maxiter, n_solid, stencil):
        if n_solid is None:
            return NonsymmetricSolver("krylov", "rs", tol=tol, maxiter=maxiter)
        return NonsymmetricSolver("krylov", "block", n_solid=n_solid, amg_kind=amg_kind, tol=tol, maxiter=maxiter)
    return make


def _multigrid_block(tol, maxiter, n_solid, stencil):
    if stencil is None or n_solid is None:
        raise LayoutError("the multigrid needs the conduction stencil of the cells", path="solver")
    return NonsymmetricSolver("krylov", "block", n_solid=n_solid, amg_kind="multigrid", stencil=stencil,
                              tol=tol, maxiter=maxiter)


register_solver("multigrid", coupled=_multigrid_block)
register_solver("amg", coupled=_block("rs"))
register_solver("amg-sa", coupled=_block("sa"))
register_solver("direct", coupled=lambda tol, maxiter, n_solid, stencil: NonsymmetricSolver(
    "direct", tol=tol, maxiter=maxiter))
register_solver("amg-coupled", coupled=lambda tol, maxiter, n_solid, stencil: NonsymmetricSolver(
    "krylov", "rs", tol=tol, maxiter=maxiter), description="BiCGSTAB with AMG on the whole coupled matrix")
