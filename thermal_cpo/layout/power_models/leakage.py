"""Dynamic plus leakage power, the leakage growing exponentially with temperature.

CMOS subthreshold leakage grows roughly exponentially with junction temperature over the
operating range (a doubling every few tens of kelvin; see the reference packages for sources);
``P(T) = dynamic + leakage · exp(β (T − T_ref))``.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import Field, ValidationError, model_validator

from ...schema import InverseTemperature, Power, Temperature, TemperatureDifference, fail
from .base import PowerModelSpec

#: exponents beyond this are treated as overflow: e^700 ≈ 1e304 W has no physical meaning
_MAX_EXPONENT = 700.0


class LeakageModel(PowerModelSpec):
    """``dynamic`` (W, temperature-independent) plus ``leakage`` (W at ``T_ref`` °C) growing as
    ``exp(beta · (T − T_ref))``; ``beta`` (1/K) or ``doubling`` (K, the rise that doubles the
    leakage: β = ln 2 / doubling)."""

    kind: ClassVar[str] = "leakage"
    unbounded: ClassVar[bool] = True
    kind_: Literal["leakage"] = Field("leakage", alias="kind")
    dynamic: Power = 0.0
    leakage: Power
    T_ref: Temperature
    beta: InverseTemperature | None = None
    doubling: TemperatureDifference | None = None

    @model_validator(mode="after")
    def _one_rate(self):
        if (self.beta is None) == (self.doubling is None):
            raise ValidationError.from_exception_data("LeakageModel", [dict(
                type=fail("give either beta (1/K) or doubling (K), not both or neither"),
                loc=("beta",), input=self.beta)])
        return self

    @property
    def rate(self) -> float:
        """β (1/K)."""
        return self.beta if self.beta is not None else math.log(2.0) / self.doubling

    def _growth(self, T: float) -> float:
        return math.exp(min(self.rate * (T - self.T_ref), _MAX_EXPONENT))

    def power(self, T: float) -> float:
        return self.dynamic + self.leakage * self._growth(T)

    def slope(self, T: float) -> float:
        return self.leakage * self.rate * self._growth(T)

    @property
    def nominal_power(self) -> float:
        return self.dynamic + self.leakage

    def figures(self, T: float) -> dict:
        """``leakage_W`` at ``T`` and the ``dP_dT`` (W/K) a runaway check compares."""
        return {"leakage_W": self.leakage * self._growth(T), "dynamic_W": self.dynamic,
                "dP_dT": self.slope(T)}
