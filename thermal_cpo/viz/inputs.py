"""What a user types into a plot: positions, a time, colour-scale limits; converted once, here.

The rule of the layouts holds for every plot keyword: a bare length is in µm, a bare time in s,
a bare temperature in °C, and a string carries its unit (``"2.5 mm"``, ``"2.5 ms"``,
``"358 K"``). Every function returns SI (temperatures °C) and raises
:class:`~thermal_cpo.errors.LayoutError` whose ``path`` is the keyword the value came from, so
that the command line can name its option instead.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import units as u
from ..errors import LayoutError

#: Slack on the package's extent (m): geometry is snapped to 1 nm, so 1 pm is only rounding.
EDGE_TOL = 1e-12
#: Slack on the stored time range, relative to its end: stored times are hit to round-off
#: (1e-12 of the end time) and a parsed time keeps 12 significant digits.
TIME_TOL = 1e-9


def _quantity(value, kind: u.Kind, name: str) -> float | None:
    """``value`` of ``kind`` in SI, or None for None; a numeric string counts as a bare number."""
    if value is None:
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = float(value)  # numpy scalars too
    elif isinstance(value, str):
        try:
            value = float(value)  # a bare number typed as text: no unit parser needed
        except ValueError:
            pass
    token = u.LENGTH_UNIT.set("um")  # a plot's bare lengths are µm, whatever a layout chose
    try:
        return u.parse_plain(value, kind, name)
    finally:
        u.LENGTH_UNIT.reset(token)


def length(value, name: str) -> float | None:
    """A position or length typed by a user (bare µm, or a string with units) in m."""
    return _quantity(value, u.LENGTH, name)


def seconds(value, name: str) -> float | None:
    """A time typed by a user (bare s, or a string with units) in s."""
    return _quantity(value, u.TIME, name)


def colour_range(vmin=None, vmax=None) -> tuple[float | None, float | None]:
    """The colour scale's limits in °C (bare °C, or strings such as ``"358 K"``); either may be
    None (chosen from the data). Both given and not increasing is an error naming ``vmin``."""
    lo, hi = _quantity(vmin, u.TEMPERATURE, "vmin"), _quantity(vmax, u.TEMPERATURE, "vmax")
    if lo is not None and hi is not None and not lo < hi:
        raise LayoutError(f"{lo:g} °C must be below the upper limit of the colour scale "
                          f"(vmax = {hi:g} °C)", path="vmin")
    return lo, hi


def within(nodes, v: float, axis: str, name: str) -> float:
    """``v`` (m) checked to lie within the node range ``nodes`` (m) of ``axis``; the error names
    ``name`` and the package's extent in µm."""
    lo, hi = float(nodes[0]), float(nodes[-1])
    if not np.isfinite(v) or v < lo - EDGE_TOL or v > hi + EDGE_TOL:
        where = "whose footprint spans" if axis in ("x", "y") else "which spans"
        raise LayoutError(f"{axis} = {v * 1e6:.6g} µm is outside the package, {where} {axis} = "
                          f"{lo * 1e6:.6g} – {hi * 1e6:.6g} µm", path=name)
    return v


def format_time(t: float) -> str:
    """``t`` (s) in the unit that reads best: ns, µs, ms, s, min or h (six significant digits,
    enough to tell stored steps apart); the same text ``thermal-cpo report --at`` shows."""
    a = abs(t)
    for unit, scale, below in (("ns", 1e-9, 1e-6), ("µs", 1e-6, 1e-3), ("ms", 1e-3, 1.0),
                               ("s", 1.0, 1e3), ("min", 60.0, 3.6e4)):
        if a < below:
            return "0 s" if t == 0 else f"{t / scale:.6g} {unit}"
    return f"{t / 3600.0:.6g} h"


def stored_range(times) -> str:
    """'N stored steps, t = a to b' (or 'at t = a' for one), as the report says it."""
    if len(times) == 1:
        return f"1 stored step, at t = {format_time(float(times[0]))}"
    return (f"{len(times)} stored steps, t = {format_time(float(times[0]))} to "
            f"{format_time(float(times[-1]))}")


def step_index(result, t: float | None, name: str = "at") -> int | None:
    """The stored step of a transient result nearest the time ``t`` (s, converted by
    :func:`seconds`; ties go to the earlier step); None when ``t`` is None. A steady result, or
    a time outside the stored range, is an error naming ``name`` (and the range)."""
    if t is None:
        return None
    times = getattr(result, "times", None)
    if times is None or not len(times) or not getattr(result, "steps", None):
        raise LayoutError("the result is steady (it holds no stored times); a time is for "
                          "transient results (run --transient)", path=name)
    times = np.asarray(times, dtype=float)
    t0, t1 = float(times[0]), float(times[-1])
    slack = TIME_TOL * max(t1 - t0, abs(t0), abs(t1))
    if not t0 - slack <= t <= t1 + slack:
        raise LayoutError(f"t = {format_time(t)} is outside the stored times "
                          f"({stored_range(times)})", path=name)
    return int(np.argmin(np.abs(times - t)))


def renamed(exc: LayoutError, names: dict[str, str]) -> LayoutError:
    """``exc`` with its ``path`` (a keyword) replaced by ``names[path]``; itself when not listed."""
    if exc.path not in names or not exc.problems:
        return exc
    return LayoutError(exc.problems[0][1], path=names[exc.path])
