"""Steady-state solve: Package → Mesh → Operator → linear solve → Result."""

from __future__ import annotations

import time

import numpy as np

from ..errors import LayoutError, SolverError
from ..mesh import Mesh, voxelize
from ..linalg import DEFAULT_TOL, make_nonsymmetric_solver, make_solver
from ..layout import Package
from ..operator import Operator
from ..results import Result, component_table
from ..threads import solve_entry

#: Picard iterations for k(T) stop when successive fields differ by less than this (K, max norm).
PICARD_TOL = 1e-6
PICARD_MAXITER = 50
#: outer iterations for the coolant properties (taken at each stream's mean temperature) stop
#: once the properties were taken within this many K of the solved mean coolant temperature
#: (0.05 K changes water's μ by ~0.1 %, h by less; the final field always solves its own matrix,
#: so the energy balance is exact whatever this tolerance)
COOLANT_T_TOL = 0.05
COOLANT_MAXITER = 20


def system_solver(op: Operator, solver="auto", tol: float = DEFAULT_TOL, maxiter: int = 1000,
                  workspace: dict | None = None):
    """The linear solver for :meth:`Operator.system`: a symmetric one for the conduction stencil,
    or — with coolant — a non-symmetric one for the coupled solid + coolant matrix, whose cell
    block is preconditioned by the multigrid of the stencil (or by AMG when ``solver`` asks).
    ``workspace``: a dict in which solvers used one after another share their work vectors."""
    if op.coolant is None:
        return make_solver(solver, op.mesh.n_cells, tol=tol, maxiter=maxiter, workspace=workspace)
    return make_nonsymmetric_solver(solver, op.n_unknowns, tol=tol, maxiter=maxiter,
                                    n_solid=op.mesh.n_cells, stencil=op.stencil())


def _stats(lin, tol, iterations, info, outer, t0, t_assembled, wall, op, T, heat, nodes=None) -> dict:
    """The solver statistics of a steady result (the result file's ``/solver`` group)."""
    mesh = op.mesh
    return {
        "method": lin.name,
        "tolerance": tol,
        "iterations": int(sum(i or 0 for i in iterations)),
        "residual": info["residual"],
        "picard_iterations": outer,
        "setup_time": lin.setup_time,
        "assembly_time": t_assembled - t0,
        "wall_time": wall,
        "energy_balance": op.energy_balance(T, nodes=nodes),
        "n_cells": mesh.n_cells,
        "power_in": float(mesh.power.sum()),
        "heat_out": float(sum(heat.values())),
    }


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
    check_heat_path(op)
    t_ref = op.reference_temperature()
    if op.coolant is not None:
        return _solve_with_coolant(mesh, op, t_ref, solver, tol, maxiter, picard_tol, t0)
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
    stats = _stats(lin, tol, iterations, info, picard, t0, t_assembled, wall, op, T, heat)
    return Result(mesh=mesh, temperature=T, components=component_table(mesh, T), solver=stats,
                  heat_out=heat)


def _solve_with_coolant(mesh: Mesh, op: Operator, t_ref: float, solver, tol, maxiter, picard_tol,
                        t0) -> Result:
    """Solid + coolant nodes in one non-symmetric system; the coolant properties (and k(T), if
    any) by outer iteration until the field moves less than :data:`COOLANT_TOL` (K)."""
    n = mesh.n_cells
    guess = coolant_guess(op, float(mesh.power.sum()))
    op = op.with_coolant_at(guess)
    lin, A = system_solver(op, solver, tol, maxiter), op.system()
    t_assembled = time.perf_counter()
    lin.setup(A)
    x, info = lin.solve(op.coupled_rhs(t_ref=t_ref))
    iterations = [info["iterations"]]
    outer = 0
    change = float("inf")
    used = guess
    for outer in range(1, COOLANT_MAXITER + 1):
        t_mean = op.coolant.mean_temperatures(x[n:] + t_ref)
        moved = max(abs(t_mean[k] - used[k]) for k in t_mean)
        if moved < COOLANT_T_TOL and not op.temperature_dependent:
            break  # the properties were taken within COOLANT_T_TOL of the solved mean temperatures
        T = x[:n].reshape(mesh.shape) + t_ref
        op = (Operator(mesh, temperature=T, coolant_T=t_mean) if op.temperature_dependent
              else op.with_coolant_at(t_mean))
        used = t_mean
        x_new, info = lin.solve(op.coupled_rhs(t_ref=t_ref), x0=x, A=op.coupled_matrix())
        iterations.append(info["iterations"])
        change = float(np.max(np.abs(x_new - x)))
        x = x_new
        if op.temperature_dependent and change < picard_tol:
            break
    else:
        raise SolverError(f"coolant-property / k(T) outer iteration did not converge in "
                          f"{COOLANT_MAXITER} iterations (last change {change:.3e} K)")
    T = x[:n].reshape(mesh.shape) + t_ref
    if not np.all(np.isfinite(x)):  # pragma: no cover - the linear solvers check already
        raise SolverError("the temperature field contains NaN or Inf")
    nodes = x[n:] + t_ref
    wall = time.perf_counter() - t0
    heat = op.heat_out(T, nodes)
    stats = _stats(lin, tol, iterations, info, outer, t0, t_assembled, wall, op, T, heat, nodes)
    stats["n_coolant_nodes"] = op.coolant.n_nodes
    return Result(mesh=mesh, temperature=T, components=component_table(mesh, T), solver=stats,
                  heat_out=heat, coolant=coolant_result(op, nodes))


def coolant_result(op: Operator, nodes: np.ndarray) -> dict:
    """The coolant part of a result for the node temperatures ``nodes`` (°C): per cold
    plate/cavity figures (``groups``) and the coolant temperatures of each, ``(streams, cells
    along the flow)`` inlet → outlet (``streams``, °C)."""
    net = op.coolant
    return {"groups": net.summary(nodes),
            "streams": {g.name: net.node_temperatures(g.name, nodes) for g in net.groups}}


def coolant_guess(op: Operator, power: float) -> dict[str, float]:
    """Each coolant group's mean temperature (°C) if ``power`` (W) were all carried away by the
    coolant, shared in proportion to the heat-capacity flows (exact for one cold plate and
    adiabatic faces), kept inside each coolant's property table: the properties' first guess."""
    mcp = sum(g.perf["mcp"] for g in op.coolant.groups)
    return {g.name: clamp_to_table(op, g, g.T_in + 0.5 * power / mcp) for g in op.coolant.groups}


def clamp_to_table(op: Operator, g, T: float) -> float:
    """``T`` kept inside the coolant's property table (a first guess only)."""
    c = next(r.coolant for r in op.mesh.setup.coolings if r.name == g.name)
    return min(max(T, c.T[0]), c.T[-1])

