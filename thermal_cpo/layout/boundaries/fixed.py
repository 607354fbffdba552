"""The face is held at a temperature ``T`` (°C)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import model_validator

from ...schema import Temperature
from .base import Boundary, require


class Fixed(Boundary):
    """A face at ``T`` °C (an ideal heat sink or a thermostatted chuck)."""

    kind: ClassVar[str] = "fixed"
    type: Literal["fixed"] = "fixed"
    T: Temperature | None = None

    @model_validator(mode="after")
    def _check(self):
        return require(self, T="a fixed-temperature face needs T (°C)")

    def describe(self) -> str:
        return f"T {self.T:g} °C"
