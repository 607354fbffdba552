"""Steady-state solve: Package → Mesh → Operator → linear solve → Result."""

from __future__ import annotations

import time

import numpy as np

from .errors import LayoutError, SolverError
from .grid import Mesh, voxelize
from .linalg import DEFAULT_TOL, make_solver
from .model import Package
from .physics import Operator
from .results import Result, component_table

#: Picard iterations for k(T) stop when successive fields differ by less than this (K, max norm).
PICARD_TOL = 1e-6
PICARD_MAXITER = 50


def _floating_check(op: Operator):
    if not op.has_heat_path:
        names = ", ".join(c.name for c in op.mesh.components)
        raise LayoutError(
            "no heat path to any convective or fixed-temperature boundary, so no steady state "
            f"exists; these components float: {names}. Set boundaries.top (or another face) to "
            "type = 'convective' with h and T, or type = 'fixed' with T",
            path="boundaries",
        )


def solve_steady(pkg: Package | Mesh, solver="auto", tol: float = DEFAULT_TOL, maxiter: int = 1000,
                 memory_limit=None, picard_tol: float = PICARD_TOL) -> Result:
    """Steady temperature field of a package (°C).

    ``pkg``: a :class:`Package` (from :func:`thermal_cpo.load_layout` or built in Python) or an
    already voxelized :class:`Mesh`. ``solver``: ``"auto"`` (= ``"multigrid"``: CG preconditioned
    by the geometric multigrid of :mod:`thermal_cpo.multigrid`), ``"amg"`` (= ``"amg-rs"``, pyamg
    Ruge–Stüben), ``"amg-sa"``, ``"direct"``, or a callable ``solver(A, b) -> x`` (given CSR).
    ``tol``: relative residual of each linear solve. Temperature-dependent conductivities are
    handled by Picard iteration to ``picard_tol`` (K, max norm).
    """
    t0 = time.perf_counter()
    mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg, memory_limit_bytes=memory_limit)
    op = Operator(mesh)
    _floating_check(op)
    t_ref = op.reference_temperature()
    lin = make_solver(solver, mesh.n_cells, tol=tol, maxiter=maxiter)
    A = op.stencil()
    t_assembled = time.perf_counter()
    lin.setup(A)
    x, info = lin.solve(op.rhs(t_ref=t_ref))
    iterations = [info["iterations"]]
    picard = 0
    if op.temperature_dependent:
        rise = max(float(np.max(np.abs(x))), 1e-300)
        change = rise
        for picard in range(1, PICARD_MAXITER + 1):
            T = x.reshape(mesh.shape) + t_ref
            op = Operator(mesh, temperature=T)
            # inexact Picard: a linear solve need not be more exact than the conductivities it
            # was built from; its tolerance follows the last change (relative to the rise) and
            # reaches the requested one as the iteration converges
            lin.tol = min(max(tol, 1e-3 * change / rise), 1e-4)
            x_new, info = lin.solve(op.rhs(t_ref=t_ref), x0=x, A=op.stencil())
            iterations.append(info["iterations"])
            change = float(np.max(np.abs(x_new - x)))
            x = x_new
            if change < picard_tol and lin.tol <= tol:
                break
        else:
            raise SolverError(f"k(T) Picard iteration did not converge in {PICARD_MAXITER} "
                              f"iterations (last change {change:.3e} K)")
    T = x.reshape(mesh.shape) + t_ref
    if not np.all(np.isfinite(T)):  # pragma: no cover - the linear solvers check already
        raise SolverError("the temperature field contains NaN or Inf")
    wall = time.perf_counter() - t0
    heat = op.heat_out(T)
    stats = {
        "method": lin.name,
        "tolerance": tol,
        "iterations": int(sum(i or 0 for i in iterations)),
        "residual": info["residual"],
        "picard_iterations": picard,
        "setup_time": lin.setup_time,
        "assembly_time": t_assembled - t0,
        "wall_time": wall,
        "energy_balance": op.energy_balance(T),
        "n_cells": mesh.n_cells,
        "power_in": float(mesh.power.sum()),
        "heat_out": float(sum(heat.values())),
    }
    return Result(mesh=mesh, temperature=T, components=component_table(mesh, T), solver=stats,
                  heat_out=heat)
