"""Heat leaves through a film coefficient ``h`` to an ambient or coolant at ``T``."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator

from ...schema import HTCoeff, Temperature
from .base import Boundary, require


class Convective(Boundary):
    """``q = h (T_face − T)``, ``h`` in W/(m²·K), ``T`` in °C."""

    kind: ClassVar[str] = "convective"
    type: Literal["convective"] = "convective"
    h: HTCoeff | None = None
    T: Temperature | None = None

    @model_validator(mode="after")
    def _check(self):
        return require(self, h="a convective face needs h (W/(m^2*K))",
                       T="a convective face needs T, the ambient/coolant temperature (°C)")

    def describe(self) -> str:
        return f"h {self.h:g} W/(m²K), T {self.T:g} °C"
