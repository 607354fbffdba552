"""Micro-channels resolved on the grid inside a layer (a cavity)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, StrictInt

from ...schema import HTCoeff, Length, PositiveLength, Temperature, VolumeFlow
from ..geometry import SNAP, channel_spans
from .base import FlowDirection, LayerCooling


class Channels(LayerCooling):
    """Micro-channels resolved on the grid in a layer (a cavity): the layer's thickness is the
    channel height, its material the walls. Channels of ``width`` separated by walls of ``wall``
    run along ``direction`` across the whole footprint (the pattern centred across the flow);
    ``flow_rate`` (total, all channels; e.g. ``"1.5 L/min"``, ``"42 ml/min"``; units required; stored in m³/s) of
    ``coolant`` enters at ``inlet_T`` (°C). ``count`` (channels) and ``edge_wall`` (the width of
    the first and the last wall) lay the cavity out as built: given both, they must fill the
    footprint exactly; given one, the other follows (``count`` alone: the pattern centred,
    its edge walls what is left; ``edge_wall`` alone: as many channels as fit, which must then
    fill the footprint); given neither, as many channels as fit with walls of ``wall`` on each
    side, centred. Heat-transfer coefficients on the side, top and bottom
    channel walls (W/(m²·K)) default to the h of the flow regime, the Shah–London H1 value
    [shah-london-1978] [bell-ht-nd] in fully developed laminar flow; with ``developing = true``
    the developing-flow Nu and apparent friction over the channel length are used
    (:mod:`thermal_cpo.cooling.correlations`). The pressure drop adds to the friction the sudden
    contraction and expansion between the channels and plenums as wide as the cavity, and
    ``bends`` 90° bends (a whole number >= 0, default 0; a 180° turn counts as two).
    ``roughness`` (a length >= 0, default 0: smooth) is the equivalent sand roughness of the
    channel walls, used by the turbulent friction factor.
    """

    kind: ClassVar[str] = "straight"
    model: Literal["straight"] = "straight"
    width: PositiveLength
    wall: PositiveLength
    direction: FlowDirection
    flow_rate: VolumeFlow | None = None  # None: set by the [[loops]] entry that feeds it
    inlet_T: Temperature | None = None
    coolant: str = "water"
    h_side: HTCoeff | None = None
    h_top: HTCoeff | None = None
    h_bottom: HTCoeff | None = None
    developing: bool = False
    count: StrictInt | None = None
    edge_wall: PositiveLength | None = None
    bends: int = Field(default=0, ge=0)
    roughness: Length = Field(default=0.0, ge=0.0)

    def edge_walls(self, footprint) -> tuple[int, float, float]:
        """``(channels, first wall, last wall)`` (m) of the cavity as laid out on ``footprint``."""
        across = footprint.y if self.axis == "x" else footprint.x
        spans = self.spans(footprint)
        if not spans:
            return 0, across, 0.0
        return len(spans), spans[0][0], across - spans[-1][1]

    def spans(self, footprint) -> list[tuple[float, float]]:
        """Across-flow intervals (m) of the channels, the pattern centred on the footprint."""
        across = footprint.y if self.axis == "x" else footprint.x
        edge = self.edge_wall
        if self.count is not None and edge is None:
            edge = 0.5 * (across - self.count * self.width - (self.count - 1) * self.wall)
        return channel_spans(self.width, self.wall, (0.0, across), n=self.count, edge=edge)

    def grid_lines(self, footprint, z_range) -> dict[str, list[float]]:
        return {"y" if self.axis == "x" else "x": [v for span in self.spans(footprint) for v in span]}

    def check(self, pkg, loc: tuple, err) -> None:
        layer_loc = loc[:-1]
        layer = pkg.layers[layer_loc[-1]]
        if layer.power > 0 or layer.trace is not None or layer.source is not None:
            err(layer_loc + ("power",), "a channel layer's own fill is walls and coolant and carries "
                "no power; put heat sources in blocks (which are solid) or in another layer", layer.power)
        span = pkg.footprint.y if self.axis == "x" else pkg.footprint.x
        if self.count is None and self.edge_wall is None:
            if self.width + 2 * self.wall > span + SNAP:
                err(loc + ("width",), f"a {self.width * 1e6:g} µm channel between {self.wall * 1e6:g} µm "
                    f"walls does not fit across the {span * 1e6:g} µm footprint", self.width)
            return
        self._check_as_built(span, loc, err)

    def _check_as_built(self, span: float, loc: tuple, err) -> None:
        """``count`` and ``edge_wall`` must lay the cavity out exactly across ``span`` (m)."""
        um = 1e6
        if self.count is not None and self.count < 1:
            err(loc + ("count",), f"expected at least one channel, got {self.count}", self.count)
            return
        if self.count is not None:
            inner = self.count * self.width + (self.count - 1) * self.wall
            edge = self.edge_wall if self.edge_wall is not None else 0.5 * (span - inner)
            total = inner + 2 * edge
            if edge < -SNAP or abs(total - span) > SNAP * (self.count + 2):
                err(loc + ("count",), f"{self.count} channels of {self.width * um:g} µm between {self.wall * um:g} µm "
                    f"walls{f' and {edge * um:g} µm edge walls' if self.edge_wall is not None else ''} take "
                    f"{total * um:g} µm; the cavity is {span * um:g} µm across", self.count)
            return
        n = int((span - 2 * self.edge_wall + self.wall) / (self.width + self.wall) + 1e-9)
        left = span - 2 * self.edge_wall - n * self.width - (n - 1) * self.wall
        if n < 1 or left > SNAP * (n + 2):
            err(loc + ("edge_wall",), f"with {self.edge_wall * um:g} µm edge walls, {max(n, 0)} channels of "
                f"{self.width * um:g} µm between {self.wall * um:g} µm walls leave {left * um:g} µm of the "
                f"{span * um:g} µm cavity; give count, or edge walls of "
                f"{(self.edge_wall + 0.5 * left) * um:g} µm", self.edge_wall)
