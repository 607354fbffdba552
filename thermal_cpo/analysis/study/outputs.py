"""The outputs a study tabulates, named as ``WHAT.FIELD`` with shell-style wildcards in WHAT:

- a component: ``asic.T_max``, ``pe*.eic.T_mean`` — fields ``T_max``, ``T_mean``, ``T_min``,
  ``T_junction``, ``T_hot`` (°C), ``power`` (W), ``delta_T`` (K), and for photonic components
  ``drift_max`` (pm, the ring drift of largest magnitude), ``spread`` (pm across the bank),
  ``T_ring_max`` (°C);
- a cold plate or cavity: ``coolant.NAME.FIELD`` — ``T_out``, ``delta_T``, ``heat``, ``dP`` (Pa),
  ``pumping_power`` (W), ``flow_rate`` (m³/s), ``Re``, ``h``, ``h_eff``;
- a coolant loop: ``loops.NAME.FIELD`` — ``dP``, ``pumping_power``, ``T_out``, ``flow_rate``;
- ``energy_balance`` of the solve.

Each pattern expands to one column per match, named for the match (``pe0.eic.T_max``); a
pattern that matches nothing in the base layout is refused before any solve.
"""

from __future__ import annotations

import fnmatch

import numpy as np

from ...errors import LayoutError

COMPONENT_FIELDS = ("T_max", "T_mean", "T_min", "T_junction", "T_hot", "power", "delta_T")
PHOTONIC_FIELDS = ("drift_max", "spread", "T_ring_max")
COOLANT_FIELDS = ("T_out", "delta_T", "heat", "dP", "pumping_power", "flow_rate", "Re", "h", "h_eff")
LOOP_FIELDS = ("dP", "pumping_power", "T_out", "flow_rate")


def _split(pattern: str) -> tuple[str, str]:
    what, _, field = pattern.rpartition(".")
    if not what or not field:
        raise LayoutError(f"output {pattern!r}: expected WHAT.FIELD, e.g. 'asic.T_max'", path="outputs")
    return what, field


def columns(pattern: str, components: list[str], photonic: list[str], coolings: list[str],
            loops: list[str]) -> list[tuple[str, str, str, str]]:
    """``(column, family, name, field)`` per match of ``pattern`` among the names of a layout."""
    if pattern == "energy_balance":
        return [("energy_balance", "solver", "", "energy_balance")]
    what, field = _split(pattern)
    if what.startswith("coolant."):
        family, names, fields = "coolant", coolings, COOLANT_FIELDS
        what = what[len("coolant."):]
    elif what.startswith("loops."):
        family, names, fields = "loops", loops, LOOP_FIELDS
        what = what[len("loops."):]
    elif field in PHOTONIC_FIELDS:
        family, names, fields = "photonics", photonic, PHOTONIC_FIELDS
    else:
        family, names, fields = "component", components, COMPONENT_FIELDS
    if field not in fields:
        raise LayoutError(f"output {pattern!r}: unknown field {field!r} (fields: {', '.join(fields)})",
                          path="outputs")
    hits = [n for n in names if fnmatch.fnmatchcase(n, what)]
    if not hits:
        raise LayoutError(f"output {pattern!r} matches no {family} name (names: {', '.join(names) or 'none'})",
                          path="outputs")
    prefix = {"coolant": "coolant.", "loops": "loops."}.get(family, "")
    return [(f"{prefix}{n}.{field}", family, n, field) for n in hits]


def layout_names(pkg) -> tuple[list[str], list[str], list[str], list[str]]:
    """Component, photonic-component, cooling and loop names of a package."""
    comps = [c.name for c in pkg.components()]
    photonic = [c.name for c in pkg.components() if getattr(c, "photonics", None) is not None]
    from ...layout.loops import coolings_by_name

    return comps, photonic, list(coolings_by_name(pkg)), [lp.name for lp in pkg.loops]


def expand(patterns, pkg) -> list[tuple[str, str, str, str]]:
    """Every column of ``patterns`` for the package ``pkg`` (duplicates dropped, order kept)."""
    names = layout_names(pkg)
    out, seen = [], set()
    for p in patterns:
        for col in columns(p, *names):
            if col[0] not in seen:
                seen.add(col[0])
                out.append(col)
    return out


def _photonic(result, name: str, field: str) -> float:
    from ..photonics import photonics_report

    bank = next(b for b in photonics_report(result) if b["component"] == name)
    if field == "drift_max":
        return float(bank["drift_max_pm"])
    if field == "spread":
        return float(bank["spread_pm"])
    return float(np.max(bank["T_rings"])) if bank["T_rings"] else float("nan")


def extract(result, cols) -> dict[str, float]:
    """The value of every column ``cols`` (from :func:`expand`) in a solved ``result``."""
    out = {}
    for col, family, name, field in cols:
        if family == "solver":
            v = result.energy_balance
        elif family == "component":
            c = result.component(name)
            v = getattr(c, field)
        elif family == "photonics":
            v = _photonic(result, name, field)
        elif family == "coolant":
            v = next(g for g in result.coolant["groups"] if g["name"] == name).get(field)
        else:
            v = next(lp for lp in result.coolant["loops"] if lp["name"] == name).get(field)
        out[col] = float(v) if v is not None else float("nan")
    return out


__all__ = ["expand", "extract", "columns", "COMPONENT_FIELDS", "COOLANT_FIELDS"]
