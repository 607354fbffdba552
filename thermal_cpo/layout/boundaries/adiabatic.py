"""No heat crosses the face (the default)."""

from __future__ import annotations

from typing import ClassVar, Literal

from .base import Boundary


class Adiabatic(Boundary):
    """An insulated face."""

    kind: ClassVar[str] = "adiabatic"
    type: Literal["adiabatic"] = "adiabatic"

    @property
    def active(self) -> bool:
        return False
