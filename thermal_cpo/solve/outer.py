"""The outer loop over temperature-dependent powers: a chord method on the reduced system.

Around the field ``T_k`` solved for the powers ``p_k``, the driving temperatures follow
``τ(p) ≈ τ_k + S (p − p_k)`` with ``S`` (K/W) from one unit response per unknown; the powers
that satisfy every law in that model (:meth:`PowerSet.solve_reduced`, exact Newton on a few
unknowns) give the next field. For a linear package ``S`` is exact and one correction ends the
loop up to the linear solves' error; k(T) and coolant properties, which make ``S`` depend on the
field, only slow the contraction (``S`` is recomputed when a step contracts by less than
:data:`RECOMPUTE_RATIO`). The loop ends when the field's own ``τ`` equals the predicted one to
``power_tol`` (K): the laws then hold for the field itself, and the field, its power map and the
energy balance are those of the final powers.
"""

from __future__ import annotations

import numpy as np

from ..errors import SolverError
from ..results import Result
from .powers import PowerSet
from .system import SteadySystem

#: relative residual of the unit responses: S sets how fast the loop contracts, not its answer
RESPONSE_TOL = 1e-3
OUTER_MAXITER = 30
#: a step that shrinks the mismatch by less than this factor rebuilds S at the current field
RECOMPUTE_RATIO = 0.5


def _sensitivities(system: SteadySystem, powers: PowerSet, T: np.ndarray) -> np.ndarray:
    # one response field at a time: a package with dozens of modelled sources would otherwise
    # hold a field per source (8 B/cell each) at the solve's peak
    responses = (system.response(powers.unit_field(j), RESPONSE_TOL) for j in range(len(powers)))
    return powers.sensitivities(responses, T)


def _noise_floor(system: SteadySystem, T: np.ndarray) -> float:
    """The mismatch (K) the linear solves themselves leave: their relative residual times the
    largest rise, so that the loop does not chase digits the field does not have."""
    return 10.0 * system.tol * float(np.max(T) - system.t_ref)


def solve_with_powers(system: SteadySystem, powers: PowerSet, power_tol: float, t0: float) -> Result:
    """The steady field and powers of a package with temperature-dependent sources (see the
    module docstring); raises :class:`~thermal_cpo.errors.RunawayError` on a thermal runaway."""
    fixed = powers.fixed_power()
    p = powers.initial()
    system.set_power(powers.field(p, fixed))
    T = system.solve(updates=0)
    S, tau_pred, misses = None, None, []
    for outer in range(OUTER_MAXITER + 1):
        tau = powers.observe(T, p)
        if tau_pred is not None:
            misses.append(float(np.max(np.abs(tau - tau_pred))))
            if misses[-1] <= max(power_tol, _noise_floor(system, T)) and system.settled:
                break
        # a slow step while the coolant properties still move is theirs, not S's
        if S is None or (system.settled and len(misses) >= 2 and misses[-1] > RECOMPUTE_RATIO * misses[-2]):
            S = _sensitivities(system, powers, T)
        p_new = powers.solve_reduced(p, tau, S, system.t_ref)
        tau_pred = tau + S @ (p_new - p)
        p = p_new
        system.set_power(powers.field(p, fixed))
        # one linear solve per step: coolant properties follow the powers in this same loop
        T = system.solve(updates=0)
    else:
        raise SolverError(f"the temperature-dependent powers ({', '.join(powers.names)}) did not "
                          f"settle in {OUTER_MAXITER} outer iterations (driving temperatures "
                          f"still {misses[-1]:.3e} K from the prediction)")
    T = system.finish()
    stats = system.stats(t0)
    stats.update(power_iterations=outer, power_mismatch=misses[-1])
    table = system.components(T, powers=powers.component_powers(p))
    return Result(mesh=system.mesh, temperature=T, components=table, solver=stats,
                  heat_out=system.heat_out(), powers=operating_points(powers, p, tau, S),
                  coolant=system.coolant_result())


def operating_points(powers: PowerSet, p: np.ndarray, tau: np.ndarray, S: np.ndarray) -> list[dict]:
    """Per unknown: ``name``, ``component``, ``kind``, driving temperature ``T`` (°C), ``power``
    and ``nominal`` (W, before the solve), and its model's figures; a heater also gets
    ``T_ref``, ``max_power``, ``saturated`` ("max", "off" or None), its self-heating ``psi_self``
    (K/W; with ``sub_grid``, ``psi_sub_grid`` of it from the declared tuning efficiency) and ``open_loop`` (W): the power it alone would need, its neighbours' heaters counted
    as they were before this loop's answer (see :func:`open_loop_heaters`)."""
    out = []
    open_loop = open_loop_heaters(powers, p, tau, S)
    mesh = powers.mesh
    for i, u in enumerate(powers.unknowns):
        row = {"name": u.name, "component": mesh.components[u.component].name, "T": float(tau[i]),
               "power": float(p[i]), "nominal": float(u.declared)}
        if u.model is not None:
            row.update(kind=u.model.kind, driven_by=u.model.at, nominal=float(u.model.nominal_power),
                       **{k: (float(v) if isinstance(v, (int, float, np.floating)) and not isinstance(v, bool)
                              else v) for k, v in u.model.figures(float(tau[i])).items()})
        else:
            sat = "max" if p[i] >= u.max_power else ("off" if p[i] <= 0.0 else None)
            row.update(kind="heater", ring=u.ring, T_ref=u.T_ref, max_power=u.max_power,
                       saturated=sat, psi_self=float(S[i, i]), open_loop=float(open_loop[i]),
                       sub_grid=u.self_heating > 0, psi_sub_grid=u.self_heating)
        out.append(row)
    return out


def open_loop_heaters(powers: PowerSet, p: np.ndarray, tau: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Per unknown (W; 0 for models): the heater power each ring would be given by an open-loop
    estimate — from the ring temperature with every heater off, ``(T_ref − T_off) / Ψ_ii`` with
    its own self-heating ``Ψ_ii`` only, between 0 and its maximum. The closed-loop answer is
    lower by the warming its neighbours' heaters give it, ``Σ_{j≠i} Ψ_ij p_j / Ψ_ii``."""
    heaters = [i for i, u in enumerate(powers.unknowns) if u.is_heater]
    out = np.zeros(len(powers))
    if not heaters:
        return out
    off = np.array(p, dtype=float, copy=True)
    off[heaters] = 0.0
    t_off = tau + S @ (off - p)
    for i in heaters:
        u = powers.unknowns[i]
        out[i] = min(max((u.T_ref - t_off[i]) / S[i, i], 0.0), u.max_power)
    return out

