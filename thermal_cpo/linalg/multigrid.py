"""CG preconditioned by the geometric multigrid V-cycle of :mod:`.hierarchy` (the default)."""

from __future__ import annotations

import time

import numpy as np

from ..errors import LayoutError, SolverError
from ..operator.stencil import Stencil
from .base import DEFAULT_MAXITER, DEFAULT_TOL, LinearSolver, register_solver
from .hierarchy import COARSEST_CELLS, Hierarchy

class MultigridSolver(LinearSolver):
    """CG preconditioned by the geometric multigrid V-cycle; needs the operator as a :class:`Stencil`."""

    name = "multigrid"

    def __init__(self, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER,
                 coarsest_cells: int = COARSEST_CELLS, precision=np.float32,
                 workspace: dict | None = None):
        """``workspace``: a dict holding CG's work vectors by grid shape; solvers that never
        solve at the same time (the step sizes of one transient) can share one."""
        super().__init__(tol=tol, maxiter=maxiter)
        self.coarsest_cells = coarsest_cells
        self.precision = precision
        self.hierarchy = None
        self.workspace = {} if workspace is None else workspace

    def setup(self, A):
        if not isinstance(A, Stencil):
            raise LayoutError("the multigrid solver works on the 7-point stencil of a package grid "
                              "(Operator.stencil()), not on a general sparse matrix; use "
                              "solver='amg' for a matrix", path="solver")
        t0 = time.perf_counter()
        self.A = A
        self.hierarchy = Hierarchy(A, self.coarsest_cells, self.precision)
        self.setup_time = time.perf_counter() - t0
        return self

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        """``(x, info)`` with ``A x = b`` to the relative residual ``tol``; ``x0``: where CG
        starts; ``overwrite_x0``: ``x0`` (flat float64) may be used as ``x`` itself (saves a
        copy and a fresh array per solve when the caller has no other use for the guess)."""
        A = self.A if A is None else A
        if not isinstance(A, Stencil):
            raise LayoutError("the multigrid solver needs a Stencil operator", path="solver")
        shape = A.grid_shape
        H = self.hierarchy
        k = H.levels[0].k
        gx, gy, gz, d = A.gx, A.gy, A.gz, A.diagonal()
        b3 = np.ascontiguousarray(b, dtype=float).reshape(shape)
        nb = float(np.sqrt(k["dot"](b3, b3)))
        if nb == 0.0:
            return np.zeros(b3.size), {"iterations": 0, "residual": 0.0}
        if x0 is None:
            x = np.zeros(shape)
        elif (overwrite_x0 and isinstance(x0, np.ndarray) and x0.dtype == np.float64
              and x0.flags.c_contiguous and x0.size == b3.size):
            x = x0.reshape(shape)
        else:
            x = np.array(x0, dtype=float).reshape(shape)
        # CG's work vectors are kept between solves (implicit steps, crosstalk columns, Picard
        # iterations): fresh 8-byte-per-cell arrays would fault their pages in on every solve
        work = self.workspace.get(shape)
        if work is None:
            work = self.workspace[shape] = tuple(np.empty(shape) for _ in range(3))
        r, p, q = work
        # the residual goes to the V-cycle's input (H.b0, its precision) in the same pass that
        # forms it, and the V-cycle's answer z enters p = z + βp directly: one pass each. The
        # input is scaled to about unit size (by the last residual norm known: the new one is
        # only known after the pass), so single precision neither underflows nor overflows.
        n = b3.size
        target = (self.tol * nb) ** 2
        it = 0
        best = np.inf
        # CG's recurrence residual drifts from the true one by ~ε·‖A‖‖x‖; when it claims
        # convergence the true residual is checked, and CG restarted from it while that still
        # gains (residual replacement) — the true residual is what is reported.
        for attempt in range(5):  # at most four CG runs, the last residual always a true one
            scale = 1.0 / np.sqrt(max(rr if attempt else nb * nb, 1e-300) / n)
            rr = float(k["residual_cast"](gx, gy, gz, d, b3, x, r, H.b0, scale))
            if not np.isfinite(rr):  # a NaN or Inf anywhere in x reaches A x
                raise SolverError("multigrid: the solution contains NaN or Inf")
            if rr <= target or rr >= 0.25 * best or it >= self.maxiter or attempt == 4:
                break
            best = rr
            rz_old = 0.0
            while rr > target and it < self.maxiter:
                z = H.cycle()  # = M r · scale
                rz = float(k["dot"](r, z)) / scale
                k["axpby"](1.0 / scale, z, rz / rz_old if rz_old else 0.0, p)
                pq = float(k["apply_dot"](gx, gy, gz, d, p, q))
                if not pq > 0.0 or not np.isfinite(pq):
                    raise SolverError("multigrid-CG: the operator is not positive definite "
                                      f"(pᵀAp = {pq:.3e})")
                scale = 1.0 / np.sqrt(rr / n)
                rr = float(k["cg_update_cast"](x, r, p, q, rz / pq, H.b0, scale))
                rz_old = rz
                it += 1
                if self.monitor is not None:
                    self.monitor(it, float(np.sqrt(rr) / nb))
        res = float(np.sqrt(rr) / nb)
        if res > self.tol and it >= self.maxiter:
            raise SolverError(f"multigrid-CG did not converge in {it} iterations; relative residual "
                              f"reached {res:.3e} (asked {self.tol:.1e})")
        return x.ravel(), {"iterations": it, "residual": res}


register_solver("multigrid", symmetric=lambda tol, maxiter, workspace=None: MultigridSolver(
    tol=tol, maxiter=maxiter, workspace=workspace), description="geometric multigrid-CG (default)",
    hidden_aliases=("mg",))
