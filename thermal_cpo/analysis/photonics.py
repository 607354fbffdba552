"""Photonics figures of a solved package: ring resonance drift (pm), its spread across a ring
bank, and the heater power to hold the rings at their design temperature or to align the bank.
"""

from __future__ import annotations

import numpy as np

from ..mesh import resolution_warnings, ring_weights
from ..results import Result

PM_PER_NM = 1000.0
MW_PER_W = 1000.0


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


def _ring_temperatures(result: Result, comp) -> np.ndarray:
    """Temperatures (°C) of the rings of ``comp`` — each its mean over its own volume, or
    interpolated at its position (:func:`thermal_cpo.mesh.ring_weights`); with no ring
    positions, the component's mean temperature."""
    if comp.photonics.rings:
        flat = result.temperature.reshape(-1)
        return np.array([flat[i] @ w for i, w in ring_weights(result.mesh, comp)])
    return np.array([result.component(comp.name).T_mean])


#: held rings sit at T_ref to the outer loop's tolerance: not "above" it
HELD_TOL = 1e-6


def _heater_rows(result: Result, comp) -> list[dict]:
    """The solved closed-loop heaters of ``comp``'s bank, by ring (empty when it has none)."""
    return sorted((r for r in (result.powers or []) if r.get("kind") == "heater"
                   and r["component"] == comp.name), key=lambda r: r["ring"])


def _closed_loop(rows: list[dict], comp, entry: dict) -> None:
    """The closed-loop heater figures of a bank whose heaters the solve held at T_ref."""
    ph = comp.photonics
    closed = np.array([r["power"] for r in rows]) * MW_PER_W
    open_ = np.array([r["open_loop"] for r in rows]) * MW_PER_W
    entry.update(heater_closed_loop_mW=closed.tolist(), heater_closed_loop_total_mW=float(closed.sum()),
                 heater_open_loop_mW=open_.tolist(), heater_open_loop_total_mW=float(open_.sum()),
                 heater_max_mW=ph.heater.max_power * MW_PER_W,
                 saturated_rings=[r["ring"] for r in rows if r["saturated"] == "max"],
                 # held by the solve itself: the hold power is the closed-loop one
                 heater_hold_mW=closed.tolist(), heater_hold_total_mW=float(closed.sum()))
    # the model's own tuning efficiency: a heater's self-heating Ψ_ii (K/W) times dλ/dT (pm/K)
    model = np.array([r["psi_self"] for r in rows]) * ph.dlambda_dT / PM_PER_NM / MW_PER_W
    entry["tuning_efficiency_model"] = float(model.mean())
    entry["sub_grid_heaters"] = bool(any(r["sub_grid"] for r in rows))
    if ph.tuning_efficiency is not None and not entry["sub_grid_heaters"]:
        ratio = float(ph.tuning_efficiency / entry["tuning_efficiency_model"])
        entry["tuning_efficiency_ratio"] = ratio
        if not 0.5 <= ratio <= 2.0:
            entry["warnings"].append(
                f"{comp.name!r}: the declared tuning_efficiency {ph.tuning_efficiency:g} nm/mW is "
                f"{ratio:.3g}× the model's own heater self-heating Ψ_ii·dλ/dT = "
                f"{entry['tuning_efficiency_model']:.3g} nm/mW: the heater, its ring block or "
                "the declared efficiency is off")


def _bank(result: Result, comp) -> dict:
    """The photonics entry of one component (see :func:`photonics_report`)."""
    ph = comp.photonics
    rows = _heater_rows(result, comp)
    # held rings: the temperature the loop held, which with a sub-grid self-heating is the
    # field's value plus the heater's own local rise
    Tr = np.array([r["T"] for r in rows]) if rows else _ring_temperatures(result, comp)
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
        "rings_above_T_ref": int(np.count_nonzero(Tr > ph.T_ref + (HELD_TOL if rows else 0.0))),
        "tuning_efficiency": ph.tuning_efficiency,
        "warnings": resolution_warnings(result.mesh, comp) if ph.rings else [],
    }
    entry["spread_pm"] = entry["delta_T_bank"] * ph.dlambda_dT
    if ph.tuning_efficiency is not None:
        hold = heater_power_mW(Tr, ph.T_ref, ph.dlambda_dT, ph.tuning_efficiency)
        align = heater_power_mW(Tr, Tr.max(), ph.dlambda_dT, ph.tuning_efficiency)
        entry["heater_hold_mW"] = hold.tolist()
        entry["heater_hold_total_mW"] = float(hold.sum())
        entry["heater_align_total_mW"] = float(align.sum())
    if rows:
        _closed_loop(rows, comp, entry)
    return entry


def photonics_report(result: Result) -> list[dict]:
    """Per photonic component: ring temperatures ``T_rings`` (°C), drift ``drift_pm`` (pm), ΔT
    across the bank ``delta_T_bank`` (K) and its ``spread_pm``, and, given a tuning efficiency,
    the heater power (mW) to hold the rings at T_ref (``heater_hold_mW``) or to align the bank to
    its hottest ring (``heater_align_total_mW``).

    Rings hotter than T_ref cannot be pulled back by a heater; they are counted in
    ``rings_above_T_ref`` and their excess shows in ``drift_pm``. A bank with closed-loop heaters
    also gets ``heater_closed_loop_mW`` (the solved, self-consistent powers), their total, the
    ``heater_open_loop_mW`` estimate (each ring alone, neighbours' heaters off),
    ``saturated_rings`` and ``tuning_efficiency_model`` (nm/mW, from the heaters' self-heating).
    ``warnings``: rings resolved too coarsely, a declared tuning efficiency 2× off the model's.
    """
    return [_bank(result, comp) for comp in result.mesh.components if comp.photonics is not None]
