"""Thermal crosstalk between components: Ψ_ij = ∂T_i/∂P_j (K/W), by superposition on one
operator (the steady conduction system is linear in the powers)."""

from __future__ import annotations

import time

import numpy as np

from ..errors import LayoutError, did_you_mean
from ..layout import Package
from ..mesh import Mesh, voxelize
from ..results import Crosstalk, Result
from ..threads import solve_entry


def _operator(pkg: Package | Mesh | Result, solver, tol: float, progress=None):
    """``(mesh, operator, steady solves spent)``: the operator of ``pkg``, taken at its steady
    operating point when a conductivity depends on temperature (a Result's own field, else one
    steady solve)."""
    from ..operator import Operator
    from ..solve.steady import check_heat_path, solve_steady

    coolant_T = None
    if isinstance(pkg, Result):
        mesh, T_op = pkg.mesh, pkg.temperature
        if pkg.coolant is not None:  # coolant properties at the solved operating point
            coolant_T = {g["name"]: g["T_mean_properties"] for g in pkg.coolant["groups"]}
    else:
        mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg)
        T_op = None
    op = Operator(mesh, coolant_T=coolant_T)
    check_heat_path(op)
    if not op.temperature_dependent:
        return mesh, op, 0
    steady_solves = 0
    if T_op is None:
        steady = None if progress is None else (lambda e: progress({"source": 0, **e}))
        T_op = solve_steady(mesh, solver=solver, tol=tol, progress=steady).temperature
        steady_solves = 1
    return mesh, Operator(mesh, temperature=T_op, coolant_T=coolant_T), steady_solves


def _sources(mesh: Mesh, sources: list[str] | None) -> list:
    """The source components: those named in ``sources``, else every powered one."""
    if sources is None:
        powered = [c for c in mesh.components if c.power > 0]
    else:
        names = {c.name: c for c in mesh.components}
        missing = [s for s in sources if s not in names]
        if missing:
            raise LayoutError(f"no component {missing[0]!r}{did_you_mean(missing[0], names)}", path="sources")
        powered = [names[s] for s in sources]
    if not powered:
        raise LayoutError("no powered component: crosstalk needs at least one source")
    return powered


def _unit_source(mesh: Mesh, src) -> np.ndarray:
    """1 W in ``src``, spread as its own power map (or uniformly over its volume when unpowered)."""
    unit = np.where(mesh.component == src.id, mesh.power, 0.0)
    if src.power <= 0 or unit.sum() <= 0:
        unit = np.where(mesh.component == src.id, mesh.cell_volumes(), 0.0)
    return unit / unit.sum()


@solve_entry
def crosstalk(pkg: Package | Mesh | Result, solver="auto", tol: float = 1e-10,
              sources: list[str] | None = None, progress=None) -> Crosstalk:
    """Ψ_ij (K/W) by superposition: one operator, one preconditioner set-up, one solve per source.

    ``psi_mean[i, j]``: rise of the volume-mean temperature of component i per watt in source j;
    ``psi_max[i, j]``: the largest rise in i per watt in j. ``sources``: the names of the
    source components (default: every powered one); ``solver`` and ``tol`` (relative residual)
    as in :func:`~thermal_cpo.solve_steady`. With temperature-dependent materials the operator
    is taken at the steady operating point (conductivities frozen at the solved field: the
    linear response around it). ``pkg`` may be a Package, a Mesh or a solved Result (whose
    field then sets the operating point). ``progress``: called after every linear-solver
    iteration with a dict: ``source`` (1 … ``of``; 0 for the steady solve of the operating
    point), ``of``, ``name``, ``iteration`` and ``residual`` (relative).
    """
    from ..solve.system import system_solver

    t0 = time.perf_counter()
    mesh, op, steady_solves = _operator(pkg, solver, tol, progress)
    powered = _sources(mesh, sources)
    # with coolant: the coupled (non-symmetric) system, rises above the inlet temperatures
    lin = system_solver(op, solver, tol).setup(op.system())
    at = {"source": 0}
    if progress is not None:
        lin.monitor = lambda it, res: progress({**at, "of": len(powered), "iteration": it, "residual": res})
    pad = np.zeros(op.n_unknowns - mesh.n_cells)
    comp, vol = mesh.component.ravel(), mesh.cell_volumes().ravel()
    n_t = len(mesh.components)
    vol_c = np.bincount(comp, weights=vol, minlength=n_t)
    psi_mean, psi_max = np.zeros((n_t, len(powered))), np.zeros((n_t, len(powered)))
    iterations = []
    for j, src in enumerate(powered):
        at.update(source=j + 1, name=src.name)
        x, info = lin.solve(np.concatenate([_unit_source(mesh, src).ravel(), pad]), x0=None)
        iterations.append(info["iterations"])
        rise = x[:mesh.n_cells]
        psi_mean[:, j] = np.bincount(comp, weights=rise * vol, minlength=n_t) / np.where(vol_c > 0, vol_c, 1)
        mx = np.full(n_t, -np.inf)
        np.maximum.at(mx, comp, rise)
        psi_max[:, j] = mx
    stats = {"wall_time": time.perf_counter() - t0, "setup_time": lin.setup_time, "method": lin.name,
             "iterations": iterations, "steady_solves": steady_solves,
             "linearized": bool(op.temperature_dependent)}
    return Crosstalk([c.name for c in powered], [c.name for c in mesh.components], psi_mean, psi_max, stats)
