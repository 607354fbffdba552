"""The component report of a solved package: temperatures, margins to the limits, thermal
resistances to the coolant, with the photonics figures, coolant and solver statistics."""

from __future__ import annotations

from ..results import Result
from .photonics import photonics_report


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


def report(result: Result) -> dict:
    """The report of a solved package as plain data.

    ``components``: per component ``T_max``/``T_mean``/``T_min`` (°C), ``delta_T`` across it (K),
    where T_max is (``location``, m), ``T_hot`` (the hottest of T_max and the powered face),
    ``margin`` = limit − T_hot (K) and thermal resistance ``R_th`` = (T_hot − ``coolant_T``)/P (K/W) for powered components; ``coolant_T`` (°C, see
    :func:`coolant_temperature`); ``total_power`` (W); ``photonics`` (see
    :func:`~thermal_cpo.analysis.photonics_report`); ``powers`` (the operating point of every
    temperature-dependent power, :func:`power_rows`; empty when all are fixed); ``coolant`` (per cold plate or cavity:
    flow, temperatures, correlations' figures); ``solver`` statistics; ``crosstalk`` (the
    matrices, K/W, when computed).
    """
    t_c = coolant_temperature(result)
    xt = getattr(result, "crosstalk", None)
    return {
        "name": result.package.name,
        "coolant_T": t_c,
        "total_power": float(sum(c.power for c in result.components)),
        "components": [_component_row(c, t_c) for c in result.components],
        "photonics": photonics_report(result),
        "powers": power_rows(result),
        "coolant": [dict(row) for row in (result.coolant or {}).get("groups", [])],
        "solver": dict(result.solver),
        "crosstalk": xt.as_dict() if xt is not None else None,
        "convergence": getattr(result, "convergence", None),
    }
