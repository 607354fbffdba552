"""Linear solvers for the SPD conductance systems: geometric multigrid-CG (the default),
AMG-preconditioned CG (pyamg, the reference), direct, user callable.

A solver is set up once for an operator and can then solve several right-hand sides, or systems
with nearby operators (Picard iterations and implicit steps reuse one preconditioner). The
operator is a :class:`~.stencil.Stencil` (what :meth:`Operator.stencil` gives) or a scipy
sparse matrix; matrix-based solvers turn a stencil into CSR themselves.
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import LayoutError, SolverError
from .hierarchy import COARSEST_CELLS, Hierarchy
from ..operator.stencil import Stencil, as_csr

#: Systems up to this many unknowns are factorized directly when the solver is "auto".
DIRECT_MAX_UNKNOWNS = 20_000
DEFAULT_TOL = 1e-10
DEFAULT_MAXITER = 1000
SOLVERS = ("auto", "multigrid", "amg", "amg-rs", "amg-sa", "direct")


class LinearSolver:
    """Interface: ``setup(A)`` once, then ``solve(b, x0=None, A=None) -> (x, info)``."""

    name = "base"

    def __init__(self, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER):
        if not (0 < tol < 1):
            raise LayoutError(f"tol must be in (0, 1), got {tol}", path="tol")
        self.tol = tol
        self.maxiter = maxiter
        self.A = None
        self.setup_time = 0.0

    def setup(self, A):
        self.A = A
        return self

    def solve(self, b, x0=None, A=None, overwrite_x0=False):  # pragma: no cover - interface
        """``(x, info)`` with ``A x ≈ b`` (``A``: the set-up operator unless given); ``x0``: the
        start; ``overwrite_x0``: the solver may use ``x0``'s memory for ``x`` (a permission,
        for callers that have no further use of the guess)."""
        raise NotImplementedError


def _check(x, A, b, name):
    if not np.all(np.isfinite(x)):
        raise SolverError(f"{name}: the solution contains NaN or Inf")
    r = b - A @ x
    nb = np.linalg.norm(b)
    return float(np.linalg.norm(r) / nb) if nb > 0 else float(np.linalg.norm(r))


class AMGSolver(LinearSolver):
    """CG preconditioned by one V-cycle of a pyamg hierarchy (Ruge–Stüben or smoothed aggregation)."""

    def __init__(self, kind: str = "rs", **kw):
        super().__init__(**kw)
        self.kind = kind
        self.name = f"amg-{kind}"
        self.ml = None

    def setup(self, A):
        import pyamg

        t0 = time.perf_counter()
        A = as_csr(A)
        self.A = A
        # The hierarchy is built and applied in float32: a preconditioner needs no more, and it
        # halves the memory traffic of every V-cycle; CG itself runs in float64. Measured on
        # the stack benchmarks: strength threshold 0.1 (the z-coupling through µm films is
        # 1e3-1e5 times the lateral one) and one forward/backward Gauss-Seidel sweep per level
        # gave the fewest seconds to 1e-10 (the combination stays a symmetric preconditioner).
        A32 = A.astype(np.float32)
        if self.kind == "rs":
            self.ml = pyamg.ruge_stuben_solver(
                A32, max_coarse=500, strength=("classical", {"theta": 0.1}),
                presmoother=("gauss_seidel", {"sweep": "forward"}),
                postsmoother=("gauss_seidel", {"sweep": "backward"}))
        else:
            self.ml = pyamg.smoothed_aggregation_solver(A32, symmetry="hermitian", max_coarse=500)
        M32 = self.ml.aspreconditioner(cycle="V")
        self.M = spla.LinearOperator(
            A.shape, dtype=np.float64,
            matvec=lambda v: M32.matvec(v.astype(np.float32)).astype(np.float64))
        self.setup_time = time.perf_counter() - t0
        return self

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        A = self.A if A is None else as_csr(A)
        count = [0]

        def cb(_):
            count[0] += 1

        x, info = spla.cg(A, b, x0=x0, rtol=self.tol, atol=0.0, maxiter=self.maxiter, M=self.M,
                          callback=cb)
        res = _check(x, A, b, self.name)
        if info != 0 and res > self.tol * 10:
            raise SolverError(f"{self.name}: CG did not converge in {count[0]} iterations; relative "
                              f"residual reached {res:.3e} (asked {self.tol:.1e})")
        return x, {"iterations": count[0], "residual": res}


class DirectSolver(LinearSolver):
    """Sparse LU factorization (SuperLU): exact to round-off, for small systems."""

    name = "direct"

    def setup(self, A):
        t0 = time.perf_counter()
        self.A = A
        self._key = A
        self.lu = spla.splu(sp.csc_matrix(as_csr(A)))
        self.setup_time = time.perf_counter() - t0
        return self

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        if A is not None and A is not self._key:
            self.setup(A)
        x = self.lu.solve(np.asarray(b, dtype=float))
        return x, {"iterations": 1, "residual": _check(x, self.A, b, self.name)}


class CallableSolver(LinearSolver):
    """Wraps a user function ``solver(A, b) -> x``."""

    def __init__(self, fn: Callable, **kw):
        super().__init__(**kw)
        self.fn = fn
        self.name = getattr(fn, "__name__", "callable")

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        A = as_csr(self.A if A is None else A)
        x = np.asarray(self.fn(A, b), dtype=float).reshape(-1)
        if x.shape != b.shape:
            raise SolverError(f"{self.name}: returned {x.shape[0]} values for {b.shape[0]} unknowns")
        return x, {"iterations": None, "residual": _check(x, A, b, self.name)}


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
        res = float(np.sqrt(rr) / nb)
        if res > self.tol and it >= self.maxiter:
            raise SolverError(f"multigrid-CG did not converge in {it} iterations; relative residual "
                              f"reached {res:.3e} (asked {self.tol:.1e})")
        return x.ravel(), {"iterations": it, "residual": res}


def make_solver(solver, n: int, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER,
                stencil: bool = True, workspace: dict | None = None) -> LinearSolver:
    """A solver from a name in :data:`SOLVERS`, a :class:`LinearSolver`, or a callable ``(A, b) -> x``.

    ``n``: unknowns; ``stencil``: whether the operator will be a :class:`Stencil` (then
    ``"auto"`` means multigrid; for a general sparse matrix, direct up to
    :data:`DIRECT_MAX_UNKNOWNS` unknowns, else AMG); ``workspace``: see :class:`MultigridSolver`.
    """
    if isinstance(solver, LinearSolver):
        return solver
    if callable(solver):
        return CallableSolver(solver, tol=tol, maxiter=maxiter)
    if solver is None or solver == "auto":
        # the multigrid factorizes small grids itself (its coarsest level), so it serves every
        # size; a general matrix has no grid, so it gets a factorization or AMG
        solver = "multigrid" if stencil else ("direct" if n <= DIRECT_MAX_UNKNOWNS else "amg")
    if solver in ("multigrid", "mg"):
        return MultigridSolver(tol=tol, maxiter=maxiter, workspace=workspace)
    if solver in ("amg", "amg-rs"):
        return AMGSolver("rs", tol=tol, maxiter=maxiter)
    if solver == "amg-sa":
        return AMGSolver("sa", tol=tol, maxiter=maxiter)
    if solver == "direct":
        return DirectSolver(tol=tol, maxiter=maxiter)
    from ..errors import did_you_mean

    raise LayoutError(f"unknown solver {solver!r}{did_you_mean(str(solver), SOLVERS)}; expected one of "
                      f"{', '.join(SOLVERS)} or a callable solver(A, b) -> x", path="solver")


# ---------------------------------------------------------------------------------------------
# non-symmetric systems: solid + coolant (advection makes the coupled matrix non-symmetric)
# ---------------------------------------------------------------------------------------------
#: Coupled solid + coolant systems up to this many unknowns are factorized when the solver is "auto".
NONSYMMETRIC_DIRECT_MAX_UNKNOWNS = 30_000
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
        self._key = A
        self.A = sp.csr_matrix(A)
        if self.method == "direct":
            self.lu = spla.splu(sp.csc_matrix(A))
        elif self.kind == "block":
            n = self.n_solid
            A = self.A
            A_ss = A[:n, :n].tocsr()
            M_s = self._multigrid_block(A_ss) if self.amg_kind == "multigrid" else None
            if M_s is None:
                amg = AMGSolver(self.amg_kind if self.amg_kind != "multigrid" else "rs", tol=self.tol,
                                maxiter=self.maxiter).setup(A_ss)
                M_s = amg.M
            A_fs = A[n:, :n].tocsr()
            A_ff = sp.csr_matrix(sp.tril(A[n:, n:]))
            if (abs(A[n:, n:] - A_ff)).nnz:  # pragma: no cover - the coolant network guarantees it
                raise SolverError("internal: the coolant block is not lower triangular")
            def apply(r):
                z_s = M_s.matvec(r[:n])
                z_f = spla.spsolve_triangular(A_ff, r[n:] - A_fs @ z_s, lower=True) if A_ff.shape[0] else r[n:]
                return np.concatenate([z_s, z_f])

            self.M = spla.LinearOperator(A.shape, matvec=apply, dtype=np.float64)
        else:
            import pyamg

            if self.kind == "sa":
                ml = pyamg.smoothed_aggregation_solver(self.A, symmetry="nonsymmetric", max_coarse=500)
            else:
                ml = pyamg.ruge_stuben_solver(
                    self.A, max_coarse=500, strength=("classical", {"theta": 0.1}),
                    presmoother=("gauss_seidel", {"sweep": "forward"}),
                    postsmoother=("gauss_seidel", {"sweep": "forward"}))
            self.ml = ml
            self.M = ml.aspreconditioner(cycle="V")
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
        h = Hierarchy(block, COARSEST_CELLS, np.float32)
        shape = S.grid_shape
        z = np.empty(shape)

        def apply(r):
            h.vcycle(np.ascontiguousarray(r, dtype=float).reshape(shape), z)
            return z.ravel().copy()

        return spla.LinearOperator(A_ss.shape, matvec=apply, dtype=np.float64)

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        b = np.asarray(b, dtype=float)
        if self.method == "direct":
            if A is not None and A is not self._key:
                self.setup(A)
            x = self.lu.solve(b)
            return x, {"iterations": 1, "residual": _check(x, self.A, b, self.name)}
        A = self.A if A is None else A
        count = [0]

        def cb(*_):
            count[0] += 1

        # BiCGSTAB first (two preconditioner applications per iteration, short recurrences: on
        # the cpo-51t2-switch system 4x faster than scipy's restarted GMRES at the same
        # tolerance); restarted GMRES (monotone residual, no breakdown) if it stalls or breaks down
        x, info = spla.bicgstab(A, b, x0=x0, rtol=self.tol, atol=0.0, maxiter=self.maxiter, M=self.M,
                                callback=cb)
        res = _check(x, A, b, self.name) if np.all(np.isfinite(x)) else np.inf
        if res > self.tol * 10:
            x, info = spla.gmres(A, b, x0=x0, rtol=self.tol, atol=0.0, restart=self.restart,
                                 maxiter=max(1, self.maxiter // self.restart + 1), M=self.M,
                                 callback=cb, callback_type="pr_norm")
            res = _check(x, A, b, self.name)
        if res > self.tol * 10:
            raise SolverError(f"{self.name}: BiCGSTAB/GMRES did not converge in {count[0]} iterations; "
                              f"relative residual reached {res:.3e} (asked {self.tol:.1e})")
        return x, {"iterations": count[0], "residual": res}


def make_nonsymmetric_solver(solver, n: int, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER,
                             n_solid: int | None = None, stencil: Stencil | None = None) -> LinearSolver:
    """A solver for a coupled (non-symmetric) system of ``n`` unknowns, the first ``n_solid`` of
    them cells: ``"auto"`` (direct up to :data:`NONSYMMETRIC_DIRECT_MAX_UNKNOWNS` unknowns, else
    ``"multigrid"`` given the cells' conduction ``stencil``, else ``"amg"``), ``"multigrid"``
    (BiCGSTAB, block preconditioner with the geometric multigrid on the cells), ``"amg"`` / ``"amg-rs"`` (BiCGSTAB, block preconditioner with Ruge–Stüben AMG on
    the cells), ``"amg-sa"`` (the same with smoothed aggregation), ``"amg-coupled"`` (classical
    AMG on the whole non-symmetric matrix), ``"direct"``, a :class:`LinearSolver` or a callable
    ``(A, b) -> x``."""
    if isinstance(solver, LinearSolver):
        return solver
    if callable(solver):
        return CallableSolver(solver, tol=tol, maxiter=maxiter)
    if solver is None or solver == "auto":
        solver = ("direct" if n <= NONSYMMETRIC_DIRECT_MAX_UNKNOWNS
                  else "multigrid" if stencil is not None and n_solid is not None else "amg")
    if solver in ("multigrid", "mg"):
        if stencil is None or n_solid is None:
            raise LayoutError("the multigrid needs the conduction stencil of the cells", path="solver")
        return NonsymmetricSolver("krylov", "block", n_solid=n_solid, amg_kind="multigrid",
                                  stencil=stencil, tol=tol, maxiter=maxiter)
    if solver in ("amg", "amg-rs", "amg-sa"):
        if n_solid is None:
            return NonsymmetricSolver("krylov", "rs", tol=tol, maxiter=maxiter)
        return NonsymmetricSolver("krylov", "block", n_solid=n_solid, amg_kind=solver[-2:] if solver != "amg" else "rs",
                                  tol=tol, maxiter=maxiter)
    if solver == "amg-coupled":
        return NonsymmetricSolver("krylov", "rs", tol=tol, maxiter=maxiter)
    if solver == "direct":
        return NonsymmetricSolver("direct", tol=tol, maxiter=maxiter)
    from ..errors import did_you_mean

    names = SOLVERS + ("amg-coupled",)
    raise LayoutError(f"unknown solver {solver!r}{did_you_mean(str(solver), names)}; expected one of "
                      f"{', '.join(names)} or a callable solver(A, b) -> x", path="solver")
