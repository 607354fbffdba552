"""A compact manifold micro-channel plate on the top or bottom face: micro-channels fed by
alternating inlet and outlet manifold slots across them, so that the coolant runs only a short
segment of each channel; not meshed, an effective heat-transfer coefficient from the segment
geometry and flow."""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import ValidationError, model_validator

from ...units import format_length as fmt_len
from ...schema import Length, Number, PositiveLength, fail
from .base import FaceCooling


class ManifoldPlate(FaceCooling):
    """A manifold micro-channel plate on the ``top`` or ``bottom`` face over the rectangle ``x``
    × ``y`` (default: the whole face). Channels ``channel_width`` × ``channel_height`` between
    walls (fins) of ``wall_width`` on a base of ``base_thickness`` of ``material`` run along
    ``flow_direction``; manifold slots across them alternate inlet, outlet, inlet, … with
    ``manifold_pitch`` L_m from one inlet slot to the next, so each inlet feeds two channel
    segments of L_m/2 (slot centre to slot centre; the slots' own width is not subtracted).
    ``flow_rate`` (total; e.g. ``"1 L/min"``; units required; stored in m³/s) of ``coolant``
    enters at ``inlet_T`` (°C). ``turning_loss`` is the loss coefficient of the two turns of a
    segment, in units of the channel's dynamic head ρu²/2 (default: two sharp 90° bends,
    2 × 1.20 [rennels-pipe-2012]; the sudden contraction into and expansion out of the channels
    are counted apart, see :mod:`thermal_cpo.cooling.manifold`). ``developing`` (default true)
    takes the developing-flow Nu and apparent friction over a segment, which the short segments
    need.

    Not meshed: the segment's h (in its flow regime) with the fin efficiency of the walls,
    every face cell fed with fresh coolant at ``inlet_T`` (the manifold delivers it along the
    whole plate).
    """

    kind: ClassVar[str] = "manifold"
    model: Literal["manifold"] = "manifold"
    channel_width: PositiveLength
    wall_width: PositiveLength
    channel_height: PositiveLength
    manifold_pitch: PositiveLength
    base_thickness: Length = 0.0
    material: str = "copper"
    developing: bool = True
    turning_loss: Number | None = None

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.base_thickness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.base_thickness),
                               loc=("base_thickness",), input=self.base_thickness))
        k = self.turning_loss
        if k is not None and not 0.0 <= k <= 100.0:
            errors.append(dict(type=fail(f"expected a loss coefficient in [0, 100], got {k!r}"),
                               loc=("turning_loss",), input=k))
        if errors:
            raise ValidationError.from_exception_data("ManifoldPlate", errors)
        return self

    @property
    def segment_length(self) -> float:
        """The flow length (m) of one channel segment, inlet slot to outlet slot: L_m/2."""
        return 0.5 * self.manifold_pitch

    def geometry(self, footprint) -> dict:
        """Length along the channels and span across them (m), channel count, wall width (m),
        segment length (m) and the segments per channel (plate length / segment length, not
        rounded: the flow per unit length is what sets a segment's share)."""
        xr, yr = self.extent(footprint)
        along, across = (xr, yr) if self.axis == "x" else (yr, xr)
        length, span = along[1] - along[0], across[1] - across[0]
        n = int(math.floor(span / (self.channel_width + self.wall_width) + 1e-9))
        return {"length": length, "span": span, "n_channels": n, "wall_width": self.wall_width,
                "segment_length": self.segment_length, "n_segments": length / self.segment_length}

    def summary(self, footprint) -> str:
        g = self.geometry(footprint)
        return (f"{g['n_channels']} channels × {fmt_len(self.channel_width)} / {fmt_len(self.wall_width)} × "
                f"{fmt_len(self.channel_height)}, manifold pitch {fmt_len(self.manifold_pitch)}")

    def check(self, pkg, loc: tuple, err) -> None:
        """A channel across the plate and a segment (L_m/2) no longer than the plate along the
        channels (``err(loc, message, value)`` reports each)."""
        g = self.geometry(pkg.footprint)
        if g["n_channels"] < 1:
            err(loc + ("channel_width",), f"a {self.channel_width * 1e6:g} µm channel with "
                f"{self.wall_width * 1e6:g} µm walls is wider than the {g['span'] * 1e6:g} µm plate",
                self.channel_width)
        if self.segment_length > g["length"] * (1 + 1e-9):
            err(loc + ("manifold_pitch",), f"a {self.manifold_pitch * 1e6:g} µm manifold pitch gives "
                f"{self.segment_length * 1e6:g} µm segments, longer than the {g['length'] * 1e6:g} µm "
                "plate along the channels; at most twice the plate length", self.manifold_pitch)
