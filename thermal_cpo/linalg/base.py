"""The linear-solver interface and the registry of solvers by name.

A solver is set up once for an operator and can then solve several right-hand sides, or systems
with nearby operators (Picard iterations and implicit steps reuse one preconditioner). The
operator is a :class:`~thermal_cpo.operator.stencil.Stencil` (what ``Operator.stencil()`` gives)
or a scipy sparse matrix; matrix-based solvers turn a stencil into CSR themselves.

A solver kind is one module that calls :func:`register_solver` with a factory for the symmetric
conduction systems and/or one for the coupled solid + coolant systems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import LayoutError, SolverError

#: Systems up to this many unknowns are factorized directly when the solver is "auto".
DIRECT_MAX_UNKNOWNS = 20_000
#: Coupled solid + coolant systems up to this many unknowns are factorized when the solver is "auto".
NONSYMMETRIC_DIRECT_MAX_UNKNOWNS = 30_000
DEFAULT_TOL = 1e-10
DEFAULT_MAXITER = 1000


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
        #: called as ``monitor(iteration, relative_residual)`` after each iteration by the
        #: iterative solvers (progress on long solves); None: not called
        self.monitor = None

    def setup(self, A):
        self.A = A
        return self

    def solve(self, b, x0=None, A=None, overwrite_x0=False):  # pragma: no cover - interface
        """``(x, info)`` with ``A x ≈ b`` (``A``: the set-up operator unless given); ``x0``: the
        start; ``overwrite_x0``: the solver may use ``x0``'s memory for ``x`` (a permission,
        for callers that have no further use of the guess)."""
        raise NotImplementedError


def check_solution(x, A, b, name: str) -> float:
    """The relative residual ‖b − A x‖/‖b‖ of an answer, after checking it is finite."""
    if not np.all(np.isfinite(x)):
        raise SolverError(f"{name}: the solution contains NaN or Inf")
    r = b - A @ x
    nb = np.linalg.norm(b)
    return float(np.linalg.norm(r) / nb) if nb > 0 else float(np.linalg.norm(r))


@dataclass
class SolverKind:
    """A registered solver name: ``symmetric(tol, maxiter, workspace)`` builds it for a
    conduction system (a Stencil or SPD matrix), ``coupled(tol, maxiter, n_solid, stencil)``
    for a solid + coolant system (None where the kind does not apply); ``description`` for help."""

    name: str
    symmetric: Callable | None = None
    coupled: Callable | None = None
    description: str = ""


_REGISTRY: dict[str, SolverKind] = {}


_HIDDEN: set[str] = set()


def register_solver(name: str, *, symmetric: Callable | None = None, coupled: Callable | None = None,
                    description: str = "", aliases: tuple[str, ...] = (),
                    hidden_aliases: tuple[str, ...] = ()) -> SolverKind:
    """Register (or complete) the solver ``name``: a module may give the symmetric factory and
    another the coupled one. ``aliases`` are other names for the same kind, listed in help;
    ``hidden_aliases`` are accepted but not listed."""
    kind = _REGISTRY.get(name) or SolverKind(name)
    kind.symmetric = symmetric or kind.symmetric
    kind.coupled = coupled or kind.coupled
    kind.description = description or kind.description
    for n in (name, *aliases, *hidden_aliases):
        _REGISTRY[n] = kind
    _HIDDEN.update(hidden_aliases)
    return kind


def unregister_solver(name: str) -> None:
    """Remove a registered name (and any alias pointing to the same kind)."""
    kind = _REGISTRY.pop(name)
    for n in [n for n, k in _REGISTRY.items() if k is kind]:
        del _REGISTRY[n]


def solver_kind(name: str) -> SolverKind | None:
    """The registered kind of ``name`` (None if unknown)."""
    return _REGISTRY.get(name)


def solver_names(coupled: bool | None = None) -> tuple[str, ...]:
    """Every name a user may give (``"auto"`` first): all of them, or those for the symmetric
    (``coupled=False``) or coupled (``True``) systems."""
    names = [n for n, k in _REGISTRY.items() if n not in _HIDDEN
             and (coupled is None or (k.coupled if coupled else k.symmetric) is not None)]
    return ("auto", *names)
