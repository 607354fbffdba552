"""A prescribed heat flux through the face (a heater film, a measured board-side loss)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator

from ...schema import HeatFlux
from .base import Boundary, require


class HeatFluxBoundary(Boundary):
    """``q`` W/m² into the package over the face (negative: heat drawn out). It sets no
    temperature, so some other face or a cold plate must still carry the heat away."""

    kind: ClassVar[str] = "flux"
    type: Literal["flux"] = "flux"
    q: HeatFlux | None = None

    @model_validator(mode="after")
    def _check(self):
        return require(self, q="a heat-flux face needs q (W/m^2 into the package)")

    @property
    def reference_T(self) -> float | None:
        return None

    def describe(self) -> str:
        return f"q {self.q:g} W/m² in"
