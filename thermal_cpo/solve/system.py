"""One steady field for given sources: the linear solve, with the Picard iteration for k(T) and
the outer iteration for the coolant's properties, restartable from the last field so that an
outer loop over the powers (:mod:`thermal_cpo.solve.outer`) pays only for what changed."""

from __future__ import annotations

import copy
import dataclasses
import time

import numpy as np

from ..errors import SolverError
from ..cooling.feeds import loop_summary
from ..linalg import make_nonsymmetric_solver, make_solver
from ..mesh import Mesh
from ..operator import Operator
from ..results import component_table
from ..results.junction import junction_temperatures
from ..results.surface import surface_temperatures

#: Picard iterations for k(T) stop when successive fields differ by less than this (K, max norm).
PICARD_TOL = 1e-6
PICARD_MAXITER = 50
#: outer iterations for the coolant properties (taken at each stream's mean temperature) stop
#: once the properties were taken within this many K of the solved mean coolant temperature
#: (0.05 K changes water's μ by ~0.1 %, h by less; the final field always solves its own matrix,
#: so the energy balance is exact whatever this tolerance)
COOLANT_T_TOL = 0.05
COOLANT_MAXITER = 20


def system_solver(op: Operator, solver="auto", tol: float = 1e-10, maxiter: int = 1000,
                  workspace: dict | None = None):
    """The linear solver for :meth:`Operator.system`: a symmetric one for the conduction stencil,
    or — with coolant — a non-symmetric one for the coupled solid + coolant matrix, whose cell
    block is preconditioned by the multigrid of the stencil (or by AMG when ``solver`` asks).
    ``workspace``: a dict in which solvers used one after another share their work vectors."""
    if op.coolant is None:
        return make_solver(solver, op.mesh.n_cells, tol=tol, maxiter=maxiter, workspace=workspace)
    return make_nonsymmetric_solver(solver, op.n_unknowns, tol=tol, maxiter=maxiter,
                                    n_solid=op.mesh.n_cells, stencil=op.stencil())


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


def coolant_result(op: Operator, nodes: np.ndarray) -> dict:
    """The coolant part of a result for the node temperatures ``nodes`` (°C): per cold
    plate/cavity figures (``groups``) and the coolant temperatures of each, ``(streams, cells
    along the flow)`` inlet → outlet (``streams``, °C), and per coolant loop its flow, pressure
    drop and branches (``loops``, where the layout has loops)."""
    net = op.coolant
    out = {"groups": net.summary(nodes),
           "streams": {g.name: net.node_temperatures(g.name, nodes) for g in net.groups}}
    if net.plans:
        out["loops"] = loop_summary(net, nodes)
    return out


class SteadySystem:
    """The steady problem of one mesh: :meth:`solve` for its sources (or others given as a
    power field), each solve starting from the last field; :meth:`response` for the rise per
    unit source with the operator of the last solve held fixed (K per W, a linearisation).
    ``progress``: called after every iteration of the linear solver with a dict: ``solve``
    (the linear solve's number), ``outer`` (the property / k(T) iteration), ``iteration``
    and ``residual`` (relative; NaN where the solver does not report it)."""

    def __init__(self, mesh: Mesh, op: Operator, solver="auto", tol: float = 1e-10,
                 maxiter: int = 1000, picard_tol: float = PICARD_TOL, progress=None):
        self.mesh, self.op, self.tol, self.picard_tol = mesh, op, tol, picard_tol
        self.t_ref = op.reference_temperature()
        self.coupled = op.coolant is not None
        self.used = coolant_guess(op, float(mesh.power.sum())) if self.coupled else None
        if self.coupled:
            self.op = op.with_coolant_at(self.used)
        self.lin = system_solver(self.op, solver, tol, maxiter)
        t0 = time.perf_counter()
        A = self.op.system()
        self.assembly_time = time.perf_counter() - t0
        self.lin.setup(A)
        if progress is not None:
            self.lin.monitor = lambda it, res: progress(
                {"solve": len(self.iterations) + 1, "outer": self.outer, "iteration": it, "residual": res})
        self.x = None
        self._final = None  # (T, nodes) once :meth:`finish` has released the solver
        self._solver_figures = None
        self.settled = True  # whether the last solve's properties match its field
        self.iterations: list[int] = []
        self.outer = 0
        self.info: dict = {}

    # -- the sources ----------------------------------------------------------------------------
    def set_power(self, power: np.ndarray) -> None:
        """Replace the sources by ``power`` (W per cell, ``(nz, ny, nx)``) for the next solves."""
        self.mesh = dataclasses.replace(self.mesh, power=np.asarray(power, dtype=float))
        self.op = copy.copy(self.op)
        self.op.mesh, self.op.power = self.mesh, self.mesh.power

    # -- solving --------------------------------------------------------------------------------
    def _linear(self, b: np.ndarray, A=None) -> np.ndarray:
        x, self.info = self.lin.solve(b, x0=self.x, A=A)
        self.iterations.append(self.info["iterations"])
        return x

    def solve(self, updates: int = COOLANT_MAXITER, field: bool = True) -> np.ndarray | None:
        """The temperature field (°C, ``(nz, ny, nx)``) of the current sources (None with
        ``field=False``: a caller that will :meth:`finish` needs no copy beside the solver's
        arrays). With coolant, ``updates`` bounds the property updates of this call (an outer
        loop that updates other things between solves passes 0 and reads :attr:`settled`)."""
        if self.coupled:
            self._solve_coupled(updates)
        else:
            self._solve_conduction()
        if not np.all(np.isfinite(self.x)):  # pragma: no cover - the linear solvers check already
            raise SolverError("the temperature field contains NaN or Inf")
        return self.temperature if field else None

    @property
    def temperature(self) -> np.ndarray:
        if self._final is not None:
            return self._final[0]
        return self.x[:self.mesh.n_cells].reshape(self.mesh.shape) + self.t_ref

    @property
    def nodes(self) -> np.ndarray | None:
        """Coolant node temperatures (°C) of the last solve (None without coolant)."""
        if self._final is not None:
            return self._final[1]
        return self.x[self.mesh.n_cells:] + self.t_ref if self.coupled else None

    def finish(self) -> np.ndarray:
        """The last field (°C, ``(nz, ny, nx)``), with the linear solver and the rise released:
        what follows is tables, and the multigrid hierarchy and Krylov vectors (some 60 B/cell)
        would otherwise be held while the tables are built. No solve can follow."""
        self._final = (self.temperature, self.nodes)
        self._solver_figures = (self.lin.name, self.lin.setup_time)
        self.x = self.lin = None
        return self._final[0]

    def _solve_conduction(self) -> None:
        op, lin = self.op, self.lin
        lin.tol = self.tol
        self.x = self._linear(op.rhs(t_ref=self.t_ref), A=op.stencil() if self.x is not None else None)
        if not op.temperature_dependent:
            return
        rise = max(float(np.max(np.abs(self.x))), 1e-300)
        change = rise
        for self.outer in range(1, PICARD_MAXITER + 1):
            T = self.temperature
            # the replaced operator goes before its successor is built: two whole operators at
            # once would set the solve's peak memory (the solver keeps its preconditioner)
            self.op = op = lin.A = None
            self.op = op = Operator(self.mesh, temperature=T)
            del T
            # inexact Picard: a linear solve need not be more exact than the conductivities it
            # was built from; its tolerance follows the last change (relative to the rise) and
            # reaches the requested one as the iteration converges
            lin.tol = min(max(self.tol, 1e-3 * change / rise), 1e-4)
            x_old = self.x
            self.x = self._linear(op.rhs(t_ref=self.t_ref), A=op.stencil())
            np.subtract(self.x, x_old, out=x_old)  # the old field is not needed again
            change = float(np.max(np.abs(x_old, out=x_old)))
            del x_old
            if change < self.picard_tol and lin.tol <= self.tol:
                lin.tol = self.tol
                return
        raise SolverError(f"k(T) Picard iteration did not converge in {PICARD_MAXITER} "
                          f"iterations (last change {change:.3e} K)")

    def _solve_coupled(self, updates: int = COOLANT_MAXITER) -> None:
        """Linear solves with the coolant properties (and k(T)) updated between them until the
        properties were taken within :data:`COOLANT_T_TOL` of the solved means (``settled``);
        after ``updates`` updates the last one is only prepared for the next call."""
        n = self.mesh.n_cells
        self.lin.tol = self.tol
        A = None if self.x is None else self.op.system()
        change = float("inf")
        for self.outer in range(COOLANT_MAXITER + 1):
            x_old = self.x
            self.x = self._linear(self.op.coupled_rhs(t_ref=self.t_ref), A=A)
            t_mean = self.op.coolant.mean_temperatures(self.x[n:] + self.t_ref)
            moved = max(abs(t_mean[k] - self.used[k]) for k in t_mean)
            if self.op.temperature_dependent:
                change = float(np.max(np.abs(self.x - x_old))) if x_old is not None else change
                self.settled = change < self.picard_tol
            else:
                # the properties were taken within COOLANT_T_TOL of the solved means
                self.settled = moved < COOLANT_T_TOL
            if self.settled:
                return
            if self.op.temperature_dependent:
                # the replaced operator goes before its successor is built: two whole operators
                # at once would set the solve's peak memory (the solver keeps its preconditioner)
                del x_old
                A = self.lin.A = None
                self.op = Operator(self.mesh, temperature=self.temperature, coolant_T=t_mean)
            else:
                self.op = self.op.with_coolant_at(t_mean)
            self.used = t_mean
            A = self.op.system()
            if self.outer >= updates:
                return
        raise SolverError(f"coolant-property / k(T) outer iteration did not converge in "
                          f"{COOLANT_MAXITER} iterations (last change {change:.3e} K)")

    def response(self, unit: np.ndarray, tol: float) -> np.ndarray:
        """The rise (K, ``(nz, ny, nx)``) of the cells for the source ``unit`` (W per cell) with
        every boundary and inlet at 0 and the last solve's operator held fixed, to relative
        residual ``tol``."""
        b = np.asarray(unit, dtype=float).ravel()
        if self.coupled:
            b = np.concatenate([b, np.zeros(self.op.coolant.n_nodes)])
        self.lin.tol = tol
        try:
            z, info = self.lin.solve(b, A=self.op.system())
        finally:
            self.lin.tol = self.tol
        self.iterations.append(info["iterations"])
        return z[:self.mesh.n_cells].reshape(self.mesh.shape)

    # -- the result's statistics ----------------------------------------------------------------
    def heat_out(self) -> dict[str, float]:
        return self.op.heat_out(self.temperature, self.nodes)

    def components(self, T: np.ndarray, powers: np.ndarray | None = None) -> list:
        """The component table of the field ``T`` (°C): cell-centre figures with the powered
        faces' and other faces' temperatures reconstructed on this operator; ``powers`` (W, by
        component id) where the solve changed them."""
        return component_table(self.mesh, T, powers=powers, junction=junction_temperatures(self.op, T),
                               surface=surface_temperatures(self.op, T))

    def coolant_result(self) -> dict | None:
        """The coolant part of the result of the last solve (None without coolant)."""
        return coolant_result(self.op, self.nodes) if self.coupled else None

    def stats(self, t0: float) -> dict:
        """The solver statistics of the result (the result file's ``/solver`` group)."""
        T, heat = self.temperature, self.heat_out()
        name, setup = self._solver_figures or (self.lin.name, self.lin.setup_time)
        out = {
            "method": name,
            "tolerance": self.tol,
            "iterations": int(sum(i or 0 for i in self.iterations)),
            "linear_solves": len(self.iterations),
            "residual": self.info["residual"],
            "picard_iterations": self.outer,
            "setup_time": setup,
            "assembly_time": self.assembly_time,
            "wall_time": time.perf_counter() - t0,
            "energy_balance": self.op.energy_balance(T, nodes=self.nodes),
            "n_cells": self.mesh.n_cells,
            "power_in": float(self.mesh.power.sum()),
            "heat_out": float(sum(heat.values())),
        }
        if self.coupled:
            out["n_coolant_nodes"] = self.op.coolant.n_nodes
        return out
