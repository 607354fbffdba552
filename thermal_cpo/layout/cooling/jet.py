"""A compact jet-impingement plate on the top or bottom face: an array of round nozzles blowing
coolant onto the face (or onto a target plate on it); not meshed, an area-averaged film
coefficient from the array's geometry and flow."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import ValidationError, model_validator

from ...units import format_length as fmt_len
from ...schema import Length, Number, PositiveLength, fail
from .base import FaceCooling

#: G of Martin's array correlation, 2√f (1 − 2.2√f)/(…), vanishes at √f = 1/2.2: an array at
#: or beyond that relative nozzle area is outside anything the correlation describes (derived)
F_MEANINGLESS = (1.0 / 2.2) ** 2


class JetPlate(FaceCooling):
    """A jet-impingement plate on the ``top`` or ``bottom`` face over the rectangle ``x`` ×
    ``y`` (default: the whole face). Round nozzles of ``nozzle_diameter`` on a ``pitch`` (centre
    to centre) in an ``array`` that is ``"inline"`` (square) or ``"hexagonal"`` (staggered,
    equilateral triangles) blow ``flow_rate`` (total; e.g. ``"2 L/min"``; units required; stored in
    m³/s) of ``coolant`` at ``inlet_T`` (°C) across a gap ``nozzle_to_target`` (H) onto a target
    of ``base_thickness`` of ``material`` (0: the jets hit the face itself).
    ``discharge_coefficient`` C_d sets the nozzle pressure drop ρu²/(2 C_d²) (default: derived
    from the sudden-contraction and sudden-expansion losses, see :mod:`thermal_cpo.cooling.impingement`).

    Not meshed: Martin's area-averaged Nu of arrays of round nozzles [martin-jets-1977] as one
    film coefficient over the plate, every face cell fed with fresh coolant at ``inlet_T`` (the
    spent flow leaves without crossing the neighbouring jets); ``flow_direction`` plays no part.
    """

    kind: ClassVar[str] = "jet"
    model: Literal["jet"] = "jet"
    nozzle_diameter: PositiveLength
    pitch: PositiveLength
    array: Literal["inline", "hexagonal"] = "inline"
    nozzle_to_target: PositiveLength
    base_thickness: Length = 0.0
    material: str = "copper"
    discharge_coefficient: Number | None = None

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.base_thickness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.base_thickness),
                               loc=("base_thickness",), input=self.base_thickness))
        cd = self.discharge_coefficient
        if cd is not None and not 0.0 < cd <= 1.0:
            errors.append(dict(type=fail(f"a nozzle's discharge coefficient lies in (0, 1], got {cd!r}"),
                               loc=("discharge_coefficient",), input=cd))
        if not self.pitch > self.nozzle_diameter:
            errors.append(dict(type=fail(
                f"the pitch must exceed nozzle_diameter ({self.nozzle_diameter * 1e6:.4g} µm nozzles "
                f"{self.pitch * 1e6:.4g} µm apart overlap)"), loc=("pitch",), input=self.pitch))
        elif self.relative_nozzle_area >= F_MEANINGLESS:
            errors.append(dict(type=fail(
                f"nozzles this close ({self.relative_nozzle_area:.3g} of the plate is nozzle area) are "
                f"beyond Martin's array correlation, which needs a relative nozzle area below "
                f"{F_MEANINGLESS:.3g} (valid 0.004–0.04); widen the pitch"), loc=("pitch",), input=self.pitch))
        if errors:
            raise ValidationError.from_exception_data("JetPlate", errors)
        return self

    @property
    def cell_area(self) -> float:
        """Plate area (m²) per nozzle: S² in line, (√3/2) S² hexagonal (derived)."""
        return self.pitch**2 * (1.0 if self.array == "inline" else math.sqrt(3.0) / 2.0)

    @property
    def relative_nozzle_area(self) -> float:
        """f = A_nozzle/A_cell (dimensionless): π D²/(4 S²) in line, π D²/(2√3 S²) hexagonal
        (derived)."""
        return math.pi * self.nozzle_diameter**2 / 4.0 / self.cell_area

    def geometry(self, footprint) -> dict:
        """Plate area (m²), the nozzle count it holds (area/cell area, not rounded) and
        the relative nozzle area f."""
        xr, yr = self.extent(footprint)
        area = (xr[1] - xr[0]) * (yr[1] - yr[0])
        return {"area": area, "n_nozzles": area / self.cell_area, "f": self.relative_nozzle_area}

    def summary(self, footprint) -> str:
        g = self.geometry(footprint)
        return (f"{g['n_nozzles']:.0f} jets of {fmt_len(self.nozzle_diameter)} at {fmt_len(self.pitch)} "
                f"({self.array}), {fmt_len(self.nozzle_to_target)} to the target")

    def check(self, pkg, loc: tuple, err) -> None:
        """At least one nozzle's cell on the plate (``err(loc, message, value)`` reports it)."""
        g = self.geometry(pkg.footprint)
        if g["n_nozzles"] < 1.0 - 1e-9:
            err(loc + ("pitch",), f"a {self.pitch * 1e6:g} µm nozzle pitch leaves less than one nozzle "
                f"on the {g['area'] * 1e6:.4g} mm² plate", self.pitch)
