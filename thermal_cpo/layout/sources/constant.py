"""A constant dissipation (W)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ...schema import Power
from .base import HeatSourceSpec


class ConstantSource(HeatSourceSpec):
    """``power`` watts at every time."""

    kind: ClassVar[str] = "constant"
    model: Literal["constant"] = "constant"
    power: Power = 0.0

    @property
    def nominal_power(self) -> float:
        return self.power
