"""A transient result at one of its stored steps: which step is nearest a time, and the result as
it stood there (that step's field and component table)."""

from __future__ import annotations

import dataclasses

import numpy as np


# the time rules of `plot --at` and `report --at` are one: the viz layer below owns them
from ..viz.inputs import format_time, step_index, stored_range  # noqa: F401 (re-exported)
from .components import component_table


def _powers_at(result, t: float):
    """The components' powers (W, by component id) at the time ``t`` (s) from the run's per-step
    series, which holds every step taken; None when the run wrote none, or not at ``t``."""
    p = getattr(result, "probes", None)
    if p is None or not len(p["time"]):
        return None
    times = np.asarray(p["time"], dtype=float)
    k = int(np.argmin(np.abs(times - t)))
    if not np.isclose(times[k], t, rtol=1e-12, atol=0.0):
        return None
    names = list(p["components"])
    row = np.asarray(p["power"], dtype=float).reshape(len(times), len(names))[k]
    out = np.array([c.power for c in result.mesh.components], dtype=float)
    ids = {c.name: c.id for c in result.mesh.components}
    for name, value in zip(names, row):
        out[ids[name]] = value
    return out


def at_step(result, index: int):
    """``result`` as it stood at stored step ``index``: ``temperature`` that step's field (°C) and
    ``components`` its table (T_max, T_mean, T_min, location of T_max; the powers applied at
    that time, from the per-step series, with the declared ones as ``nominal`` where a trace
    changed them), with the figures stored for the last step only (the coolant's, the heat out
    by face) left out. The last step gives ``result`` itself."""
    last = len(result.times) - 1
    if index in (last, -1):
        return result
    T = result.steps[index]
    powers = _powers_at(result, float(result.times[index]))
    return dataclasses.replace(result, temperature=T, components=component_table(result.mesh, T, powers),
                               coolant=None, heat_out={})
