"""Steady-state solve: Package → Mesh → Operator → linear solve → Result."""

from __future__ import annotations

import time

from ..errors import LayoutError
from ..mesh import Mesh, voxelize
from ..linalg import DEFAULT_TOL
from ..layout import Package
from ..operator import Operator
from ..results import Result
from ..threads import solve_entry
from .system import PICARD_TOL, SteadySystem

#: the outer loop over temperature-dependent powers stops when every driving temperature the
#: field gives is within this (K) of the one the powers were solved for
POWER_TOL = 1e-8


def check_heat_path(op: Operator):
    """Refuse a package with no heat path to a fixed or convective boundary (no steady state)."""
    if not op.has_heat_path:
        names = ", ".join(c.name for c in op.mesh.components)
        raise LayoutError(
            "no heat path to any convective or fixed-temperature boundary, so no steady state "
            f"exists; these components float: {names}. Set boundaries.top (or another face) to "
            "type = 'convective' with h and T, or type = 'fixed' with T",
            path="boundaries",
        )


@solve_entry
def solve_steady(pkg: Package | Mesh, solver="auto", tol: float = DEFAULT_TOL, maxiter: int = 1000,
                 memory_limit=None, picard_tol: float = PICARD_TOL, refine: int = 1,
                 power_tol: float = POWER_TOL, progress=None) -> Result:
    """Steady temperature field of a package (°C).

    ``pkg``: a :class:`Package` (from :func:`thermal_cpo.load_layout` or built in Python) or an
    already voxelized :class:`Mesh`. ``solver``: ``"auto"`` (= ``"multigrid"``: CG preconditioned
    by the geometric multigrid of :mod:`thermal_cpo.multigrid`), ``"amg"`` (= ``"amg-rs"``, pyamg
    Ruge–Stüben), ``"amg-sa"``, ``"direct"``, or a callable ``solver(A, b) -> x`` (given CSR).
    ``tol``: relative residual of each linear solve. Temperature-dependent conductivities are
    handled by Picard iteration to ``picard_tol`` (K, max norm). ``refine``: every cell of the
    default grid split this many times per direction (nested grids).

    Powers that depend on temperature (a component's ``power_model``, closed-loop ring heaters)
    are solved together with the field (:mod:`thermal_cpo.solve.outer`) until every driving
    temperature is consistent to ``power_tol`` (K); the result's component table and power
    field carry the final powers and ``result.powers`` each one's operating point. No fixed
    point (a thermal runaway) raises :class:`~thermal_cpo.errors.RunawayError`.

    ``progress``: called after every linear-solver iteration with a dict (``solve``, ``outer``,
    ``iteration``, ``residual``; see :class:`~thermal_cpo.solve.system.SteadySystem`).
    """
    from .outer import solve_with_powers
    from .powers import PowerSet

    t0 = time.perf_counter()
    mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg, memory_limit_bytes=memory_limit, refine=refine,
                                                           solver=solver)
    op = Operator(mesh)
    check_heat_path(op)
    powers = PowerSet.of(mesh)
    system = SteadySystem(mesh, op, solver, tol, maxiter, picard_tol, progress=progress)
    del op  # the system replaces it as k(T) or the coolant's properties change
    if len(powers):
        return solve_with_powers(system, powers, power_tol, t0)
    system.solve(field=False)
    T = system.finish()
    return Result(mesh=mesh, temperature=T, components=system.components(T), solver=system.stats(t0),
                  heat_out=system.heat_out(), coolant=system.coolant_result())
