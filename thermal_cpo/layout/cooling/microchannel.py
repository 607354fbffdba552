"""A compact micro-channel cold plate on the top or bottom face: not meshed, an effective
heat-transfer coefficient from its channel geometry and flow."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import Field, ValidationError, model_validator

from ...units import format_length as fmt_len
from ...schema import Length, PositiveLength, fail
from .base import FaceCooling


class ColdPlate(FaceCooling):
    """A compact micro-channel cold plate on the ``top`` or ``bottom`` face, over the rectangle
    ``x`` × ``y`` (default: the whole face). Channels ``channel_width`` × ``channel_height`` with
    walls (fins) of ``wall_width`` — or ``n_channels`` across the plate, or a ``pitch`` — on a base of
    ``base_thickness`` of ``material``, run along ``flow_direction``; ``flow_rate`` (total; e.g.
    ``"1.5 L/min"``; units required; stored in m³/s) of ``coolant`` enters at ``inlet_T`` (°C).

    Not meshed: the plate is an effective heat-transfer coefficient h_eff (the h of the flow
    regime — Shah–London H1 [shah-london-1978] in fully developed laminar flow, the
    developing-flow, transitional or turbulent correlations otherwise — and the fin efficiency
    of the walls: :mod:`thermal_cpo.cooling.correlations`) in series with the base conduction,
    to a coolant that warms along the flow (one 1-D stream per row of face cells, solved with
    the solid). ``developing = true`` uses the developing-flow Nu and apparent friction over the
    channel length. The pressure drop adds to the channel friction the sudden contraction and
    expansion between the channels and plenums as wide as the plate and as tall as the channels,
    and ``bends`` 90° bends (a whole number >= 0, default 0; a 180° turn counts as two).
    ``roughness`` (a length >= 0, default 0: smooth) is the equivalent sand roughness of the
    channel walls, used by the turbulent friction factor.
    """

    kind: ClassVar[str] = "microchannel"
    model: Literal["microchannel"] = "microchannel"
    channel_width: PositiveLength
    wall_width: PositiveLength | None = None
    n_channels: int | None = Field(default=None, gt=0)
    pitch: PositiveLength | None = None
    channel_height: PositiveLength
    base_thickness: Length = 0.0
    material: str = "copper"
    developing: bool = False
    bends: int = Field(default=0, ge=0)
    roughness: Length = 0.0

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.base_thickness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.base_thickness),
                               loc=("base_thickness",), input=self.base_thickness))
        if self.roughness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.roughness),
                               loc=("roughness",), input=self.roughness))
        given = [k for k in ("wall_width", "n_channels", "pitch") if getattr(self, k) is not None]
        if len(given) != 1:
            errors.append(dict(type=fail("give exactly one of wall_width, n_channels or pitch"),
                               loc=(given[-1] if given else "wall_width",), input=None))
        elif self.pitch is not None and not self.pitch > self.channel_width:
            errors.append(dict(type=fail("the pitch must exceed channel_width (it is channel + wall)"),
                               loc=("pitch",), input=self.pitch))
        if errors:
            raise ValidationError.from_exception_data("ColdPlate", errors)
        return self

    def geometry(self, footprint) -> dict:
        """Length along the flow, span across it, channel count and wall width (m)."""
        xr, yr = self.extent(footprint)
        along, across = (xr, yr) if self.axis == "x" else (yr, xr)
        span = across[1] - across[0]
        if self.n_channels is not None:
            n = self.n_channels
            wall = span / n - self.channel_width
        else:
            wall = self.wall_width if self.wall_width is not None else self.pitch - self.channel_width
            n = int(math.floor(span / (self.channel_width + wall) + 1e-9))
        return {"length": along[1] - along[0], "span": span, "n_channels": n, "wall_width": wall}

    def summary(self, footprint) -> str:
        g = self.geometry(footprint)
        return (f"{g['n_channels']} channels × {fmt_len(self.channel_width)} / {fmt_len(g['wall_width'])} × "
                f"{fmt_len(self.channel_height)}")

    def check(self, pkg, loc: tuple, err) -> None:
        g = self.geometry(pkg.footprint)
        if self.n_channels is not None and g["wall_width"] <= 0:
            err(loc + ("n_channels",), f"{self.n_channels} channels of {self.channel_width * 1e6:g} µm do "
                f"not fit across the {g['span'] * 1e6:g} µm plate", self.n_channels)
        elif g["n_channels"] < 1:
            err(loc + ("channel_width",), f"a {self.channel_width * 1e6:g} µm channel with "
                f"{(self.wall_width or 0) * 1e6:g} µm walls is wider than the {g['span'] * 1e6:g} µm "
                "plate", self.channel_width)
