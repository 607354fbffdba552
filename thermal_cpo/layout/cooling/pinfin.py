"""A compact pin-fin cold plate on the top or bottom face: not meshed, an effective
heat-transfer coefficient from its pin geometry and flow."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ValidationError, model_validator

from ...units import format_length as fmt_len
from ...schema import Length, PositiveLength, fail
from .base import FaceCooling


def _um(length: float) -> str:
    return f"{length * 1e6:g}"


class PinFinPlate(FaceCooling):
    """A compact pin-fin cold plate on the ``top`` or ``bottom`` face, over the rectangle
    ``x`` × ``y`` (default: the whole face). Circular pins of ``pin_diameter`` and ``pin_height``
    (from the base to the cover) stand ``pitch_transverse`` apart across the flow and
    ``pitch_longitudinal`` (default: the transverse pitch) apart along it, rows ``"inline"`` or
    ``"staggered"`` (every other row shifted by half a pitch), on a base of ``base_thickness`` of
    ``material``; ``flow_rate`` (total; units required; stored in m³/s) of ``coolant`` enters at
    ``inlet_T`` (°C) along ``flow_direction``.

    Not meshed: the plate is an effective heat-transfer coefficient h_eff (Žukauskas' tube-bank
    Nu [zukauskas-tube-banks-1972] on the pins and the base, pin efficiency with an adiabatic tip:
    :mod:`thermal_cpo.cooling.pinfin_correlations`) in series with the base conduction, to a
    coolant that warms along the flow (one 1-D stream per row of face cells, solved with the solid).
    """

    kind: ClassVar[str] = "pinfin"
    model: Literal["pinfin"] = "pinfin"
    pin_diameter: PositiveLength
    pin_height: PositiveLength
    pitch_transverse: PositiveLength
    pitch_longitudinal: PositiveLength | None = None
    arrangement: Literal["inline", "staggered"] = "inline"
    base_thickness: Length = 0.0
    material: str = "copper"

    @property
    def s_l(self) -> float:
        """The pitch along the flow (m)."""
        return self.pitch_longitudinal if self.pitch_longitudinal is not None else self.pitch_transverse

    @model_validator(mode="after")
    def _check(self):
        errors = []
        d = self.pin_diameter
        if self.base_thickness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.base_thickness),
                               loc=("base_thickness",), input=self.base_thickness))
        if not self.pitch_transverse > d:
            errors.append(dict(type=fail("must exceed pin_diameter ({d} µm), got {v} µm: the pins would "
                                         "touch across the flow", d=_um(d), v=_um(self.pitch_transverse)),
                               loc=("pitch_transverse",), input=self.pitch_transverse))
        # in-line pins touch along the flow when S_L ≤ D; staggered ones when the diagonal pitch is
        diag = (self.s_l**2 + 0.25 * self.pitch_transverse**2) ** 0.5
        if self.arrangement == "inline" and not self.s_l > d:
            errors.append(dict(type=fail("must exceed pin_diameter ({d} µm), got {v} µm: in-line rows "
                                         "would touch", d=_um(d), v=_um(self.s_l)),
                               loc=("pitch_longitudinal",), input=self.pitch_longitudinal))
        elif self.arrangement == "staggered" and not diag > d:
            errors.append(dict(type=fail("gives a diagonal pitch of {s} µm, not above pin_diameter "
                                         "({d} µm): staggered rows would overlap", s=_um(diag), d=_um(d)),
                               loc=("pitch_longitudinal",), input=self.pitch_longitudinal))
        if errors:
            raise ValidationError.from_exception_data("PinFinPlate", errors)
        return self

    def geometry(self, footprint) -> dict:
        """Length along the flow and span across it (m), and the pins across and along it."""
        xr, yr = self.extent(footprint)
        along, across = (xr, yr) if self.axis == "x" else (yr, xr)
        length, span = along[1] - along[0], across[1] - across[0]
        return {"length": length, "span": span, "pins_across": int(span / self.pitch_transverse + 1e-9),
                "rows": int(length / self.s_l + 1e-9)}

    def summary(self, footprint) -> str:
        g = self.geometry(footprint)
        return (f"{g['pins_across']} × {g['rows']} {self.arrangement} pins of {fmt_len(self.pin_diameter)} × "
                f"{fmt_len(self.pin_height)} at {fmt_len(self.pitch_transverse)} / {fmt_len(self.s_l)}")

    def check(self, pkg, loc: tuple, err) -> None:
        g = self.geometry(pkg.footprint)
        if g["pins_across"] < 1:
            err(loc + ("pitch_transverse",), f"a transverse pitch of {self.pitch_transverse * 1e6:g} µm is "
                f"wider than the {g['span'] * 1e6:g} µm plate", self.pitch_transverse)
        if g["rows"] < 1:
            err(loc + ("pitch_longitudinal",), f"a longitudinal pitch of {self.s_l * 1e6:g} µm is longer "
                f"than the {g['length'] * 1e6:g} µm plate", self.pitch_longitudinal)
