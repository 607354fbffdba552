"""A constant dissipation."""

from __future__ import annotations

from .base import HeatSource


class ConstantPower(HeatSource):
    """``power`` watts at every time."""

    kind = "constant"

    def __init__(self, power: float):
        self.power = float(power)

    @classmethod
    def from_spec(cls, spec) -> "ConstantPower":
        return cls(spec.power)

    def at(self, t: float) -> float:
        return self.power

    def integral(self, a: float, b: float) -> float:
        return self.power * (b - a) if b > a else 0.0

    @property
    def powered(self) -> bool:
        return self.power > 0
