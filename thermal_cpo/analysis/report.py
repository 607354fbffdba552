"""What a CPO designer reads off a solved package: the component report (margins, thermal
resistances), photonics figures (ring drift, spread across a ring bank, heater power), and the
thermal crosstalk matrix Ψ_ij = ∂T_i/∂P_j (reference §5).
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import LayoutError
from ..mesh import Mesh, voxelize
from ..layout import Package
from ..results import Crosstalk, Result
from ..threads import solve_entry

PM_PER_NM = 1000.0


# ---------------------------------------------------------------------------------------------
# photonics
# ---------------------------------------------------------------------------------------------
def ring_drift_pm(T, T_ref, dlambda_dT):
    """Resonance shift (pm) of rings at ``T`` (°C) designed at ``T_ref`` (°C), ``dlambda_dT`` pm/K."""
    return dlambda_dT * (np.asarray(T, dtype=float) - T_ref)


def heater_power_mW(T, T_target, dlambda_dT, tuning_efficiency):
    """Heater power (mW) to bring rings at ``T`` up to ``T_target`` (°C); heaters only heat, so
    rings already above the target need none (they cannot be held: see :func:`photonics_report`).

    P = max(0, T_target − T) · dλ/dT [pm/K] / 1000 / η [nm/mW].
    """
    dT = np.maximum(0.0, T_target - np.asarray(T, dtype=float))
    return dT * dlambda_dT / PM_PER_NM / tuning_efficiency


def _ring_cells(mesh: Mesh, comp, rings):
    """Flat cell index of each ring position (the cell of ``comp`` containing the point)."""
    out = []
    k0, k1 = comp.index[0], comp.index[1]
    for ring in rings:
        i = int(np.clip(np.searchsorted(mesh.x, ring[0], side="right") - 1, 0, mesh.shape[2] - 1))
        j = int(np.clip(np.searchsorted(mesh.y, ring[1], side="right") - 1, 0, mesh.shape[1] - 1))
        if len(ring) == 3:
            k = int(np.clip(np.searchsorted(mesh.z, ring[2], side="right") - 1, k0, k1 - 1))
        else:
            ks = np.nonzero(mesh.component[k0:k1, j, i] == comp.id)[0]
            k = k0 + int(ks[-1]) if len(ks) else k1 - 1  # top visible cell of the component
        out.append((k, j, i))
    return out


def photonics_report(result: Result) -> list[dict]:
    """Per photonic component: ring temperatures, drift (pm), ΔT across the bank, and the heater
    power to hold the rings at T_ref, or to align the bank to its hottest ring.

    Rings hotter than T_ref cannot be pulled back by a heater; they are counted in
    ``rings_above_T_ref`` and their excess shows in ``drift_pm``.
    """
    mesh, T = result.mesh, result.temperature
    out = []
    for comp in mesh.components:
        ph = comp.photonics
        if ph is None:
            continue
        if ph.rings:
            cells = _ring_cells(mesh, comp, ph.rings)
            Tr = np.array([T[c] for c in cells])
        else:
            row = result.component(comp.name)
            Tr = np.array([row.T_mean])
        drift = ring_drift_pm(Tr, ph.T_ref, ph.dlambda_dT)
        entry = {
            "component": comp.name,
            "dlambda_dT": ph.dlambda_dT,
            "T_ref": ph.T_ref,
            "rings": len(ph.rings),
            "T_rings": Tr.tolist(),
            "drift_pm": drift.tolist(),
            "drift_mean_pm": float(drift.mean()),
            "drift_max_pm": float(drift[np.argmax(np.abs(drift))]),
            "delta_T_bank": float(Tr.max() - Tr.min()) if ph.rings else result.component(comp.name).delta_T,
            "rings_above_T_ref": int(np.count_nonzero(Tr > ph.T_ref)),
            "tuning_efficiency": ph.tuning_efficiency,
        }
        entry["spread_pm"] = entry["delta_T_bank"] * ph.dlambda_dT
        if ph.tuning_efficiency is not None:
            hold = heater_power_mW(Tr, ph.T_ref, ph.dlambda_dT, ph.tuning_efficiency)
            align = heater_power_mW(Tr, Tr.max(), ph.dlambda_dT, ph.tuning_efficiency)
            entry["heater_hold_mW"] = hold.tolist()
            entry["heater_hold_total_mW"] = float(hold.sum())
            entry["heater_align_total_mW"] = float(align.sum())
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------------
# component report
# ---------------------------------------------------------------------------------------------
def coolant_temperature(result: Result) -> float:
    """The reference the thermal resistances are taken to: the lowest active boundary T (°C)."""
    temps = [bc.T for _, bc in result.package.boundaries.items() if bc.active]
    temps += [row["T_in"] for row in (result.coolant or {}).get("groups", [])]  # coolant inlets
    return min(temps) if temps else float("nan")


def report(result: Result) -> dict:
    """The report of a solved package: per component T_max/T_mean/T_min, ΔT across it, where T_max
    is, margin to its limit, thermal resistance (T_max − T_coolant)/P for powered components;
    photonics figures; totals and solver statistics."""
    t_c = coolant_temperature(result)
    rows = []
    for c in result.components:
        row = c.as_dict()
        row["delta_T"] = c.delta_T
        row["margin"] = (c.limit - c.T_max) if c.limit is not None else None
        row["R_th"] = (c.T_max - t_c) / c.power if c.power > 0 else None
        rows.append(row)
    return {
        "name": result.package.name,
        "coolant_T": t_c,
        "total_power": float(sum(c.power for c in result.components)),
        "components": rows,
        "photonics": photonics_report(result),
        "coolant": [dict(row) for row in (result.coolant or {}).get("groups", [])],
        "solver": dict(result.solver),
        "crosstalk": result.crosstalk.as_dict() if getattr(result, "crosstalk", None) is not None else None,
    }


# ---------------------------------------------------------------------------------------------
# crosstalk
# ---------------------------------------------------------------------------------------------
@solve_entry
def crosstalk(pkg: Package | Mesh | Result, solver="auto", tol: float = 1e-10,
              sources: list[str] | None = None) -> Crosstalk:
    """Ψ_ij by superposition: one operator, one preconditioner set-up, one solve per source.

    With temperature-dependent materials the operator is taken at the steady operating point
    (conductivities frozen at the solved field: the linear response around it). ``pkg`` may be
    a Package, a Mesh or a solved Result (whose field then sets the operating point).
    """
    from ..operator import Operator
    from ..solve.steady import _floating_check, solve_steady, system_solver

    t0 = time.perf_counter()
    coolant_T = None
    if isinstance(pkg, Result):
        mesh, T_op = pkg.mesh, pkg.temperature
        if pkg.coolant is not None:  # coolant properties at the solved operating point
            coolant_T = {g["name"]: g["T_mean_properties"] for g in pkg.coolant["groups"]}
    else:
        mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg)
        T_op = None
    op = Operator(mesh, coolant_T=coolant_T)
    _floating_check(op)
    steady_solves = 0
    if op.temperature_dependent:
        if T_op is None:
            T_op = solve_steady(mesh, solver=solver, tol=tol).temperature
            steady_solves = 1
        op = Operator(mesh, temperature=T_op, coolant_T=coolant_T)
    powered = [c for c in mesh.components if c.power > 0]
    if sources is not None:
        names = {c.name: c for c in mesh.components}
        missing = [s for s in sources if s not in names]
        if missing:
            from ..errors import did_you_mean

            raise LayoutError(f"no component {missing[0]!r}{did_you_mean(missing[0], names)}", path="sources")
        powered = [names[s] for s in sources]
    if not powered:
        raise LayoutError("no powered component: crosstalk needs at least one source")
    # with coolant: the coupled (non-symmetric) system, rises above the inlet temperatures
    lin = system_solver(op, solver, tol).setup(op.system())
    pad = op.n_unknowns - mesh.n_cells
    vol = mesh.cell_volumes()
    comp = mesh.component
    n_t = len(mesh.components)
    vol_c = np.bincount(comp.ravel(), weights=vol.ravel(), minlength=n_t)
    psi_mean = np.zeros((n_t, len(powered)))
    psi_max = np.zeros((n_t, len(powered)))
    iterations = []
    x0 = None
    for j, src in enumerate(powered):
        unit = np.where(comp == src.id, mesh.power, 0.0)
        if src.power <= 0 or unit.sum() <= 0:  # a named source with no power: spread 1 W uniformly
            unit = np.where(comp == src.id, vol, 0.0)
        unit = unit / unit.sum()
        x, info = lin.solve(np.concatenate([unit.ravel(), np.zeros(pad)]), x0=x0)
        iterations.append(info["iterations"])
        rise = x[:mesh.n_cells].reshape(mesh.shape)
        psi_mean[:, j] = np.bincount(comp.ravel(), weights=(rise * vol).ravel(), minlength=n_t) / np.where(vol_c > 0, vol_c, 1)
        mx = np.full(n_t, -np.inf)
        np.maximum.at(mx, comp.ravel(), rise.ravel())
        psi_max[:, j] = mx
    stats = {"wall_time": time.perf_counter() - t0, "setup_time": lin.setup_time, "method": lin.name,
             "iterations": iterations, "steady_solves": steady_solves,
             "linearized": bool(op.temperature_dependent)}
    return Crosstalk([c.name for c in powered], [c.name for c in mesh.components], psi_mean, psi_max, stats)
