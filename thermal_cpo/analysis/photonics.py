"""Photonics figures of a solved package: ring resonance drift (pm), its spread across a ring
bank, and the heater power to hold the rings at their design temperature or to align the bank.
"""

from __future__ import annotations

import numpy as np

from ..mesh import Mesh
from ..results import Result

PM_PER_NM = 1000.0


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


def _ring_temperatures(result: Result, comp) -> np.ndarray:
    """Temperatures (°C) of the rings of ``comp``; with no ring positions, its mean temperature."""
    if comp.photonics.rings:
        return np.array([result.temperature[c] for c in _ring_cells(result.mesh, comp, comp.photonics.rings)])
    return np.array([result.component(comp.name).T_mean])


def _bank(result: Result, comp) -> dict:
    """The photonics entry of one component (see :func:`photonics_report`)."""
    ph = comp.photonics
    Tr = _ring_temperatures(result, comp)
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
    return entry


def photonics_report(result: Result) -> list[dict]:
    """Per photonic component: ring temperatures ``T_rings`` (°C), drift ``drift_pm`` (pm), ΔT
    across the bank ``delta_T_bank`` (K) and its ``spread_pm``, and, given a tuning efficiency,
    the heater power (mW) to hold the rings at T_ref (``heater_hold_mW``) or to align the bank to
    its hottest ring (``heater_align_total_mW``).

    Rings hotter than T_ref cannot be pulled back by a heater; they are counted in
    ``rings_above_T_ref`` and their excess shows in ``drift_pm``.
    """
    return [_bank(result, comp) for comp in result.mesh.components if comp.photonics is not None]
