"""A power trace: watts against time, piecewise linear or in steps."""

from __future__ import annotations

import numpy as np

from .base import HeatSource


class PowerTrace(HeatSource):
    """Power against time through the points ``(t, P)`` (s, W), joined linearly
    (``interpolation = "linear"``) or held until the next point (``"step"``). Before the first
    point the first power holds; after the last point, the last."""

    kind = "trace"

    def __init__(self, t, P, interpolation: str = "linear"):
        self.t = np.asarray(t, dtype=float)
        self.P = np.asarray(P, dtype=float)
        self.interpolation = interpolation

    @classmethod
    def from_spec(cls, spec) -> "PowerTrace":
        t, P = zip(*spec.points)
        return cls(t, P, spec.interpolation)

    def at(self, t: float) -> float:
        if self.interpolation == "step":
            i = int(np.searchsorted(self.t, t, side="right")) - 1
            return float(self.P[max(i, 0)])
        return float(np.interp(t, self.t, self.P))

    def integral(self, a: float, b: float) -> float:
        if b <= a:
            return 0.0
        knots = self.t[(self.t > a) & (self.t < b)]
        pts = np.concatenate([[a], knots, [b]])
        if self.interpolation == "step":
            vals = np.array([self.at(x) for x in pts[:-1]])
            return float(np.sum(vals * np.diff(pts)))
        vals = np.interp(pts, self.t, self.P)
        return float(np.sum(0.5 * (vals[1:] + vals[:-1]) * np.diff(pts)))

    def breakpoints(self, t_end: float) -> np.ndarray:
        return self.t[self.t <= t_end]

    @property
    def powered(self) -> bool:
        return bool(np.any(self.P > 0))
