"""Linear solvers, registered by name: geometric multigrid-CG (the default), AMG-CG (pyamg),
direct, a user callable, and the coupled solid + coolant solvers."""

from __future__ import annotations

from .base import (DEFAULT_MAXITER, DEFAULT_TOL, DIRECT_MAX_UNKNOWNS, NONSYMMETRIC_DIRECT_MAX_UNKNOWNS,
                   SOLVERS, AMGSolver, CallableSolver, DirectSolver, LinearSolver, MultigridSolver,
                   NonsymmetricSolver, make_nonsymmetric_solver, make_solver)

__all__ = ["LinearSolver", "MultigridSolver", "AMGSolver", "DirectSolver", "CallableSolver",
           "NonsymmetricSolver", "make_solver", "make_nonsymmetric_solver", "SOLVERS", "DEFAULT_TOL",
           "DEFAULT_MAXITER", "DIRECT_MAX_UNKNOWNS", "NONSYMMETRIC_DIRECT_MAX_UNKNOWNS"]
