"""Exact and user-given solvers: sparse LU (for small systems) and a callable ``(A, b) -> x``."""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ..errors import SolverError
from ..operator.stencil import as_csr
from .base import LinearSolver, check_solution, register_solver

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
        return x, {"iterations": 1, "residual": check_solution(x, self.A, b, self.name)}


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
        return x, {"iterations": None, "residual": check_solution(x, A, b, self.name)}


register_solver("direct", symmetric=lambda tol, maxiter, workspace=None: DirectSolver(tol=tol, maxiter=maxiter),
                description="sparse LU (SuperLU), small systems")
