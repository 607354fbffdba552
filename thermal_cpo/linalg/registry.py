"""A solver for a system from what the caller names: a registered name, ``"auto"``, a
:class:`LinearSolver` instance, or a callable ``(A, b) -> x``."""

from __future__ import annotations

from ..errors import LayoutError, did_you_mean
from .base import (DEFAULT_MAXITER, DEFAULT_TOL, DIRECT_MAX_UNKNOWNS, NONSYMMETRIC_DIRECT_MAX_UNKNOWNS,
                   LinearSolver, solver_kind, solver_names)
from .direct import CallableSolver


def _given(solver, tol, maxiter):
    if isinstance(solver, LinearSolver):
        return solver
    if callable(solver):
        return CallableSolver(solver, tol=tol, maxiter=maxiter)
    return None


def _unknown(solver, coupled: bool):
    names = solver_names(coupled)
    return LayoutError(f"unknown solver {solver!r}{did_you_mean(str(solver), names)}; expected one of "
                       f"{', '.join(names)} or a callable solver(A, b) -> x", path="solver")


def make_solver(solver, n: int, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER,
                stencil: bool = True, workspace: dict | None = None) -> LinearSolver:
    """A solver for a conduction system of ``n`` unknowns from a name in :func:`solver_names`,
    a :class:`LinearSolver`, or a callable ``(A, b) -> x``.

    ``stencil``: whether the operator will be a Stencil (then ``"auto"`` means multigrid; for a
    general sparse matrix, direct up to :data:`DIRECT_MAX_UNKNOWNS` unknowns, else AMG);
    ``workspace``: a dict in which solvers used one after another share their work vectors.
    """
    given = _given(solver, tol, maxiter)
    if given is not None:
        return given
    if solver is None or solver == "auto":
        # the multigrid factorizes small grids itself (its coarsest level), so it serves every
        # size; a general matrix has no grid, so it gets a factorization or AMG
        solver = "multigrid" if stencil else ("direct" if n <= DIRECT_MAX_UNKNOWNS else "amg")
    kind = solver_kind(solver) if isinstance(solver, str) else None
    if kind is None or kind.symmetric is None:
        raise _unknown(solver, coupled=False)
    return kind.symmetric(tol, maxiter, workspace)


def make_nonsymmetric_solver(solver, n: int, tol: float = DEFAULT_TOL, maxiter: int = DEFAULT_MAXITER,
                             n_solid: int | None = None, stencil=None) -> LinearSolver:
    """A solver for a coupled (non-symmetric) system of ``n`` unknowns, the first ``n_solid`` of
    them cells: ``"auto"`` (direct up to :data:`NONSYMMETRIC_DIRECT_MAX_UNKNOWNS` unknowns, else
    ``"multigrid"`` given the cells' conduction ``stencil``, else ``"amg"``), any registered name
    with a coupled variant (``"multigrid"``: BiCGSTAB with the geometric multigrid on the cell
    block; ``"amg"``/``"amg-rs"``/``"amg-sa"``: AMG on the cell block; ``"amg-coupled"``: AMG on
    the whole matrix; ``"direct"``), a :class:`LinearSolver` or a callable ``(A, b) -> x``."""
    given = _given(solver, tol, maxiter)
    if given is not None:
        return given
    if solver is None or solver == "auto":
        solver = ("direct" if n <= NONSYMMETRIC_DIRECT_MAX_UNKNOWNS
                  else "multigrid" if stencil is not None and n_solid is not None else "amg")
    kind = solver_kind(solver) if isinstance(solver, str) else None
    if kind is None or kind.coupled is None:
        raise _unknown(solver, coupled=True)
    return kind.coupled(tol, maxiter, n_solid, stencil)
