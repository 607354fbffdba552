"""The families of cooling kinds: plates on an outer face (``[[coldplates]]``) and coolant
resolved in a layer (``layers.channels``), each kind chosen by ``model``.

A kind is one module here (its schema, the grid lines it needs and its own checks) and one
module under :mod:`thermal_cpo.cooling` (its coolant nodes and couplings).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from ...schema import Range, Registered, Temperature, VolumeFlow

FlowDirection = Literal["+x", "-x", "+y", "-y"]


class CoolingSpec(Registered):
    """What every cooling kind has: a coolant (by name), a total ``flow_rate`` (m³/s) entering at
    ``inlet_T`` (°C) and a flow direction; and what it asks of the grid and the checks."""

    tag: ClassVar[str] = "model"
    registry: ClassVar[dict[str, type]] = {}

    @property
    def axis(self) -> str:
        """The axis the coolant flows along (``"x"`` or ``"y"``)."""
        return self.direction[1]

    @property
    def sign(self) -> int:
        """+1 when the coolant flows towards larger coordinates, else −1."""
        return 1 if self.direction[0] == "+" else -1

    def grid_lines(self, footprint, z_range) -> dict[str, list[float]]:
        """Coordinates (m) per axis that must be grid lines for this cooling to be resolved."""
        return {}

    def check(self, pkg, loc: tuple, err) -> None:
        """Kind-specific checks against the package; ``err(loc, message, value)`` reports one."""


class FaceCooling(CoolingSpec):
    """Family root of the cold plates on the top or bottom face (default model
    ``microchannel``): a named plate over the rectangle ``x`` × ``y`` of its ``face`` (default
    the whole face), ``flow_rate`` (total; e.g. ``"1.5 L/min"``; units required; stored in m³/s) of
    ``coolant`` entering at ``inlet_T`` (°C) and flowing along ``flow_direction``."""

    default: ClassVar[str] = "microchannel"
    registry: ClassVar[dict[str, type]] = {}

    name: str = Field(min_length=1)
    face: Literal["top", "bottom"] = "top"
    x: Range | None = None
    y: Range | None = None
    flow_direction: FlowDirection = "+x"
    flow_rate: VolumeFlow | None = None  # None: set by the [[loops]] entry that feeds it
    inlet_T: Temperature | None = None
    coolant: str = "water"

    @property
    def direction(self) -> str:
        return self.flow_direction

    def extent(self, footprint) -> tuple[tuple[float, float], tuple[float, float]]:
        """The plate's ``(x range, y range)`` in m (its ``x``, ``y``, default the whole face)."""
        return (self.x or (0.0, footprint.x), self.y or (0.0, footprint.y))

    def summary(self, footprint) -> str:
        """The plate's geometry in one line, for ``validate`` (each kind says its own)."""
        return self.kind or ""

    def grid_lines(self, footprint, z_range) -> dict[str, list[float]]:
        xr, yr = self.extent(footprint)
        return {"x": list(xr), "y": list(yr)}


class LayerCooling(CoolingSpec):
    """Family root of the coolings resolved inside a layer (default model ``straight``)."""

    default: ClassVar[str] = "straight"
    registry: ClassVar[dict[str, type]] = {}
