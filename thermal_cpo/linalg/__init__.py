"""Linear solvers, registered by name: geometric multigrid-CG (the default), AMG-CG (pyamg),
direct, a user callable, and the coupled solid + coolant solvers. A new solver is one module
calling :func:`register_solver`."""

from __future__ import annotations

import importlib
import pkgutil

from . import multigrid, amg, direct, coupled  # noqa: F401,I001 - the built-ins register first, in this order

for _m in pkgutil.iter_modules(__path__):  # then any other module of the package registers itself
    importlib.import_module(f"{__name__}.{_m.name}")
from .amg import AMGSolver
from .base import (DEFAULT_MAXITER, DEFAULT_TOL, DIRECT_MAX_UNKNOWNS, NONSYMMETRIC_DIRECT_MAX_UNKNOWNS,
                   LinearSolver, SolverKind, check_solution, register_solver, solver_kind, solver_names,
                   unregister_solver)
from .coupled import GMRES_RESTART, NonsymmetricSolver
from .direct import CallableSolver, DirectSolver
from .multigrid import MultigridSolver
from .registry import make_nonsymmetric_solver, make_solver

#: the names of the built-in solvers, ``"auto"`` first (see :func:`solver_names` for all)
SOLVERS = solver_names(coupled=False)

__all__ = ["LinearSolver", "SolverKind", "MultigridSolver", "AMGSolver", "DirectSolver", "CallableSolver",
           "NonsymmetricSolver", "make_solver", "make_nonsymmetric_solver", "register_solver",
           "unregister_solver", "solver_kind", "solver_names", "check_solution", "SOLVERS", "DEFAULT_TOL",
           "DEFAULT_MAXITER", "DIRECT_MAX_UNKNOWNS", "NONSYMMETRIC_DIRECT_MAX_UNKNOWNS", "GMRES_RESTART"]
