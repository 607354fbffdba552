"""Micro-channels resolved on the grid inside a layer (a cavity)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ...schema import HTCoeff, PositiveLength, Temperature, VolumeFlow
from ..geometry import SNAP, channel_spans
from .base import FlowDirection, LayerCooling


class Channels(LayerCooling):
    """Micro-channels resolved on the grid in a layer (a cavity): the layer's thickness is the
    channel height, its material the walls. Channels of ``width`` separated by walls of ``wall``
    run along ``direction`` across the whole footprint (the pattern centred across the flow);
    ``flow_rate`` (total, all channels; e.g. ``"1.5 L/min"``, ``"42 ml/min"``; units required; stored in m³/s) of
    ``coolant`` enters at ``inlet_T`` (°C). Heat-transfer coefficients on the side, top and bottom
    channel walls (W/(m²·K)) default to the Shah–London H1 value [shah-london-1978] [bell-ht-nd]; with
    ``developing = true`` the Baehr–Stephan entrance factor is applied (see thermal_cpo.coldplate).
    """

    kind: ClassVar[str] = "straight"
    model: Literal["straight"] = "straight"
    width: PositiveLength
    wall: PositiveLength
    direction: FlowDirection
    flow_rate: VolumeFlow
    inlet_T: Temperature
    coolant: str = "water"
    h_side: HTCoeff | None = None
    h_top: HTCoeff | None = None
    h_bottom: HTCoeff | None = None
    developing: bool = False

    def spans(self, footprint) -> list[tuple[float, float]]:
        """Across-flow intervals (m) of the channels, the pattern centred on the footprint."""
        across = footprint.y if self.axis == "x" else footprint.x
        return channel_spans(self.width, self.wall, (0.0, across))

    def grid_lines(self, footprint, z_range) -> dict[str, list[float]]:
        return {"y" if self.axis == "x" else "x": [v for span in self.spans(footprint) for v in span]}

    def check(self, pkg, loc: tuple, err) -> None:
        layer_loc = loc[:-1]
        layer = pkg.layers[layer_loc[-1]]
        if layer.power > 0 or layer.trace is not None or layer.source is not None:
            err(layer_loc + ("power",), "a channel layer's own fill is walls and coolant and carries "
                "no power; put heat sources in blocks (which are solid) or in another layer", layer.power)
        span = pkg.footprint.y if self.axis == "x" else pkg.footprint.x
        if self.width + 2 * self.wall > span + SNAP:
            err(loc + ("width",), f"a {self.width * 1e6:g} µm channel between {self.wall * 1e6:g} µm "
                f"walls does not fit across the {span * 1e6:g} µm footprint", self.width)
