"""A power trace: watts against time, piecewise linear or in steps."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BeforeValidator

from ... import units as u
from ...schema import QuantityInput, fail
from .base import HeatSourceSpec


def _trace(v):
    """``[[t, P], ...]`` (s, W; strings with units allowed) → tuple of (t, P), times increasing."""
    if not isinstance(v, (list, tuple)) or len(v) < 1:
        raise fail("expected [[t0, P0], [t1, P1], ...] (seconds, watts), got {v}", v=u.shown(v))
    out = []
    for i, pt in enumerate(v):
        if not isinstance(pt, (list, tuple)) or len(pt) != 2:
            raise fail("point {i} is {pt}; each point is [t, P]", i=i, pt=u.shown(pt))
        t, P = u.parse(pt[0], u.TIME), u.parse(pt[1], u.POWER)
        if t < 0:
            raise fail("point {i}: time {t} s is negative", i=i, t=t)
        if P < 0:
            raise fail("point {i}: power {p} W is negative", i=i, p=P)
        if out and not t > out[-1][0]:
            raise fail("point {i}: times must increase strictly ({a} s then {b} s)", i=i, a=out[-1][0], b=t)
        out.append((t, P))
    return tuple(out)


Trace = Annotated[tuple[tuple[float, float], ...],
                  BeforeValidator(_trace, json_schema_input_type=list[tuple[QuantityInput, QuantityInput]])]


class TraceSource(HeatSourceSpec):
    """``points`` [[t s, P W], ...] joined by ``interpolation`` (``linear`` or ``step``); before
    the first point the first power holds, after the last the last."""

    kind: ClassVar[str] = "trace"
    model: Literal["trace"] = "trace"
    points: Trace
    interpolation: Literal["linear", "step"] = "linear"

    @property
    def nominal_power(self) -> float:
        return self.points[0][1]
