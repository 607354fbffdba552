"""A transient result at one of its stored steps: which step is nearest a time, and the result as
it stood there (that step's field and component table)."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import LayoutError
from .components import component_table

#: how far (relative to the stored span, s/s) a time may lie outside the stored range and still
#: count as its end: a time typed with units ('10 ms') can come back a few ulps off the stored
#: value, while stored steps are never closer than a step control allows (far above 1e-9 of a run)
_EDGE = 1e-9


def format_time(t: float) -> str:
    """``t`` (s) in the unit that reads best: ns, µs, ms, s, min or h (six significant digits,
    enough to tell stored steps apart)."""
    a = abs(t)
    for unit, scale, below in (("ns", 1e-9, 1e-6), ("µs", 1e-6, 1e-3), ("ms", 1e-3, 1.0),
                               ("s", 1.0, 1e3), ("min", 60.0, 3.6e4)):
        if a < below:
            return "0 s" if t == 0 else f"{t / scale:.6g} {unit}"
    return f"{t / 3600.0:.6g} h"


def stored_range(times) -> str:
    """The stored times (s) as text: 'N stored steps, t = a to b' (or 'at t = a' for one)."""
    n = len(times)
    if n == 1:
        return f"1 stored step, at t = {format_time(float(times[0]))}"
    return f"{n} stored steps, t = {format_time(float(times[0]))} to {format_time(float(times[-1]))}"


def step_index(result, t: float, path: str = "at") -> int:
    """The index of ``result``'s stored step nearest the time ``t`` (s; ties go to the earlier
    step). A steady result, a non-finite ``t`` or one outside the stored range is an input error
    (:class:`~thermal_cpo.errors.LayoutError` naming ``path``)."""
    times = getattr(result, "times", None)
    if times is None or len(times) == 0:
        raise LayoutError("the result is steady (it holds no stored times); a time is for "
                          "transient results (run --transient)", path=path)
    times = np.asarray(times, dtype=float)
    t0, t1 = float(times[0]), float(times[-1])
    edge = _EDGE * max(t1 - t0, abs(t0), abs(t1))
    if not (np.isfinite(t) and t0 - edge <= t <= t1 + edge):
        raise LayoutError(f"t = {format_time(float(t))} is outside the stored times ({stored_range(times)})",
                          path=path)
    return int(np.argmin(np.abs(times - t)))


def at_step(result, index: int):
    """``result`` as it stood at stored step ``index``: ``temperature`` that step's field (°C) and
    ``components`` its table (T_max, T_mean, T_min, location of T_max; declared powers, as a
    transient's own table has), with the figures stored for the last step only (the coolant's,
    the heat out by face) left out. The last step gives ``result`` itself."""
    last = len(result.times) - 1
    if index in (last, -1):
        return result
    T = result.steps[index]
    return dataclasses.replace(result, temperature=T, components=component_table(result.mesh, T),
                               coolant=None, heat_out={})
