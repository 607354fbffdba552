"""The component report of a solved package: temperatures, margins to the limits, thermal
resistances to the coolant, with the photonics figures, coolant and solver statistics."""

from __future__ import annotations

import numpy as np

from ..results import Result
from .photonics import photonics_report
from .solidus import above_solidus


def coolant_temperature(result: Result) -> float:
    """The temperature (°C) the thermal resistances are taken to: the lowest reference
    temperature of the active boundaries and of the coolant inlets; NaN when there is none.

    A boundary that sets no temperature (a prescribed flux) has no reference and is skipped.
    """
    temps = [bc.reference_T for _, bc in result.package.boundaries.items() if bc.active]
    temps = [T for T in temps if T is not None]
    temps += [row["T_in"] for row in (result.coolant or {}).get("groups", [])]
    return min(temps) if temps else float("nan")


def _component_row(c, t_c: float) -> dict:
    """One component's figures: its metrics (°C, W), ΔT across it (K), ``margin`` to its limit
    (K, None without a limit) and ``R_th`` = (T_hot − t_c)/P (K/W, None when unpowered), both
    from ``T_hot`` (the hottest of T_max and the powered face, see ComponentResult.T_hot)."""
    row = c.as_dict()
    row["delta_T"] = c.delta_T
    row["T_hot"] = c.T_hot
    row["margin"] = (c.limit - c.T_hot) if c.limit is not None else None
    row["R_th"] = (c.T_hot - t_c) / c.power if c.power > 0 else None
    row["growth"] = (c.power - c.nominal) if c.nominal is not None else None
    return row


def power_rows(result: Result) -> list[dict]:
    """Per temperature-dependent power (see :attr:`Result.powers`): its operating point with
    ``growth`` (W) and ``growth_percent`` over its nominal power."""
    rows = []
    for r in result.powers or []:
        row = dict(r)
        row["growth"] = r["power"] - r["nominal"]
        row["growth_percent"] = 100.0 * row["growth"] / r["nominal"] if r["nominal"] else None
        rows.append(row)
    return rows


def report(result: Result, at: float | None = None) -> dict:
    """The report of a solved package as plain data.

    ``components``: per component ``T_max``/``T_mean``/``T_min`` (°C), ``delta_T`` across it (K),
    where T_max is (``location``, m), ``T_hot`` (the hottest of T_max and the powered face),
    ``margin`` = limit − T_hot (K) and thermal resistance ``R_th`` = (T_hot − ``coolant_T``)/P (K/W) for powered components; ``coolant_T`` (°C, see
    :func:`coolant_temperature`); ``total_power`` (W); ``photonics`` (see
    :func:`~thermal_cpo.analysis.photonics_report`); ``above_solidus`` (the components hotter than
    their material's solidus, :func:`~thermal_cpo.analysis.solidus.above_solidus`; empty when
    none is); ``powers`` (the operating point of every
    temperature-dependent power, :func:`power_rows`; empty when all are fixed); ``coolant`` (per cold plate or cavity:
    flow, temperatures, correlations' figures); ``solver`` statistics; ``crosstalk`` (the
    matrices, K/W, when computed).

    A transient result adds ``transient`` (:func:`transient_summary`) and ``probes``
    (:func:`probe_series`); its components and photonics are those of the last stored step, or
    with ``at`` (s) of the stored step nearest that time (a time outside the stored range, or
    ``at`` for a steady result, is a :class:`~thermal_cpo.errors.LayoutError`).
    """
    step = None  # steady: the one field; a transient: the stored step the tables describe
    if at is not None or getattr(result, "times", None) is not None:
        from ..results.steps import at_step, step_index

        step = step_index(result, at, "at") if at is not None else len(result.times) - 1
        shown = at_step(result, step)
    else:
        shown = result
    t_c = coolant_temperature(shown)
    xt = getattr(shown, "crosstalk", None)
    rep = {
        "name": shown.package.name,
        "coolant_T": t_c,
        "total_power": float(sum(c.power for c in shown.components)),
        "components": [_component_row(c, t_c) for c in shown.components],
        "photonics": photonics_report(shown),
        "above_solidus": above_solidus(shown),
        "powers": power_rows(shown),
        "coolant": [dict(row) for row in (shown.coolant or {}).get("groups", [])],
        "loops": [dict(row) for row in (shown.coolant or {}).get("loops", [])],
        "solver": dict(shown.solver),
        "crosstalk": xt.as_dict() if xt is not None else None,
        "convergence": getattr(shown, "convergence", None),
    }
    if step is not None:
        rep["transient"] = transient_summary(result, step, at)
        rep["probes"] = probe_series(result)
    return rep


def transient_summary(result: Result, step: int, at: float | None = None) -> dict:
    """Where a transient's report stands in its stored steps: ``t`` (s) the time of the stored
    step ``step`` the tables describe, ``step`` its index, ``at`` (s) the time asked for (None:
    the last step); ``t_start``, ``t_end`` (s) the stored range and ``times_s`` every stored time;
    ``n_steps`` the number of stored steps (fields, not the solver's time steps:
    ``solver.steps``); ``t_end_requested`` (s) the end time the run was asked for (None when not
    recorded); ``complete`` and ``interrupted``; ``omitted``: the sections stored for the last
    step only, so left out at an earlier one."""
    times = [float(t) for t in result.times]
    t_req = result.solver.get("t_end")
    interrupted = result.solver.get("interrupted", not result.complete)
    omitted = []
    if step != len(times) - 1 and (result.coolant or {}).get("groups"):
        omitted.append("coolant")
    known = isinstance(t_req, (int, float)) and np.isfinite(t_req)  # NaN: a file that lacks it
    return {"t": times[step], "step": step, "at": at, "t_start": times[0], "t_end": times[-1],
            "n_steps": len(times), "times_s": times, "t_end_requested": float(t_req) if known else None,
            "complete": bool(result.complete), "interrupted": bool(interrupted), "omitted": omitted}


def probe_series(result: Result) -> dict | None:
    """A transient's time series, one value per time step (not only the stored ones): ``time_s``
    (s); per component (the powered ones, those with P > 0 W at some time; every one when none
    is) ``power_W`` (W), ``T_max_C`` and ``T_mean_C`` (°C); per named probe point its
    ``location_m`` (x, y, z in m) and ``T_C`` (°C, interpolated between cell centres). ``units``
    says the same per key. None when the run stopped before its series were written."""
    p = getattr(result, "probes", None)
    if p is None:
        return None
    names = list(p["components"])
    power = np.asarray(p["power"], dtype=float).reshape(len(p["time"]), len(names))
    shown = [i for i in range(len(names)) if np.any(power[:, i] > 0)] or list(range(len(names)))
    T_max, T_mean = (np.asarray(p[k], dtype=float) for k in ("T_max", "T_mean"))
    where = {q.name: [float(q.x), float(q.y), float(q.z)] for q in result.package.probes}
    points = np.asarray(p["points"], dtype=float)
    return {
        "time_s": [float(t) for t in p["time"]],
        "components": {names[i]: {"power_W": power[:, i].tolist(), "T_max_C": T_max[:, i].tolist(),
                                  "T_mean_C": T_mean[:, i].tolist()} for i in shown},
        "components_shown": "powered" if np.any(power[:, shown] > 0) else "all (none is powered)",
        "points": {n: {"location_m": where.get(n), "T_C": points[:, j].tolist()}
                   for j, n in enumerate(p["point_names"])},
        "units": {"time_s": "s", "power_W": "W", "T_max_C": "degC", "T_mean_C": "degC", "T_C": "degC",
                  "location_m": "m"},
    }
