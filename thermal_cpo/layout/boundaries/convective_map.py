"""Convection with a film coefficient that varies over the face, from a map file.

The map is a 2-D grid of h values (W/(m²·K)) spanning the condition's rectangle (its ``x``/``y``
or ``z`` ranges, default the whole face) in equal pixels: rows along the face's second axis,
columns along its first (top and bottom: rows along y, columns along x; x faces: rows z, columns
y; y faces: rows z, columns x), both in increasing coordinate. A CSV (comma-separated numbers,
``#`` comments) or a NumPy ``.npy`` file. Each face cell takes the pixel under its centre.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ValidationError, model_validator

from ...schema import Number, Temperature, fail
from .base import Boundary, require


class ConvectiveMap(Boundary):
    """``q = h(position) (T_face − T)``: ``h_map`` a CSV/NPY file (relative paths from the
    layout's folder), scaled by ``h_scale``; ``T`` in °C."""

    kind: ClassVar[str] = "convective-map"
    type: Literal["convective-map"] = "convective-map"
    h_map: str | None = None
    h_scale: Number = 1.0
    T: Temperature | None = None

    @model_validator(mode="after")
    def _check(self):
        require(self, h_map="a convective-map face needs h_map, a CSV or NPY file of h (W/(m^2*K))",
                T="a convective-map face needs T, the ambient/coolant temperature (°C)")
        if not self.h_scale > 0:
            raise ValidationError.from_exception_data("ConvectiveMap", [dict(
                type=fail("must be > 0, got {v}", v=self.h_scale), loc=("h_scale",), input=self.h_scale)])
        return self

    def describe(self) -> str:
        return f"h from {self.h_map} × {self.h_scale:g}, T {self.T:g} °C"

    def files(self) -> dict[str, str]:
        return {"h_map": self.h_map}
