"""The package: footprint, grid controls, layers with blocks, free boxes, materials, coolants,
boundaries, cold plates, contacts, transient inputs. The single input of the pipeline.

All objects are frozen and validated; stored values are SI (metres, W, W/(m·K), m²·K/W, m³/s)
with temperatures in °C. Keyword arguments follow the layout file's keys one to one, so bare
lengths are micrometres unless ``length_unit`` says otherwise (``Footprint(x=20_000, y="20 mm")``
is 20 mm square; ``x=0.02`` would be 20 nm, and is refused), flow rates need units
(``"1.5 L/min"``), and any value may be a string with units::

    pkg = Package(
        name="demo",
        footprint={"x": 20_000, "y": 20_000},
        grid={"max_cell_xy": 500, "max_cell_z": 100},
        layers=[
            Layer(name="die", thickness=500, material="silicon",
                  blocks=[Block(name="hot", x=[5000, 15000], y=[5000, 15000], power=100,
                                power_at="bottom")]),
            Layer(name="lid", thickness="2 mm", material="copper"),
        ],
        boundaries={"top": {"type": "convective", "h": 2e4, "T": 25}},
    )

Component names are unique across layers, blocks and boxes. A layer's fill is a component named
after the layer; blocks and boxes are painted over it in order (later ones win).
"""

from __future__ import annotations

import json
import math
from typing import Literal

from pydantic import Field, PrivateAttr, StrictInt, ValidationError, field_validator, model_validator

from .. import units as u
from ..errors import LayoutError
from ..materials import Coolant, Material, coolants, library
from ..schema import Bytes, Frozen, Number, PositiveLength, Resistance, TemperatureDifference, fail
from .boundaries import Boundaries
from .checks import PackageChecks
from .components import Box, Component, Initial, Layer, Probe
from .cooling import FaceCoolingKind
from .geometry import snap
from .loops import Loop

SCHEMA_VERSION = 1


#: the smallest package side (m). A side typed in metres where µm are meant (x = 0.02 for 20 mm)
#: lands below 1 µm for every package up to the 1 m length limit, so 1 µm catches that slip for
#: every package; the smallest real packages and unit cells (a ring resonator's, a TSV's) are
#: tens of µm across, and a few-µm cell is still a model someone may mean.
MIN_FOOTPRINT = 1e-6


class Footprint(Frozen):
    """Package outline, origin at its lower-left corner. ``x``, ``y``: layout lengths (bare
    numbers µm, or the package's ``length_unit``; strings with units), at least 1 µm; stored
    in m."""

    x: PositiveLength
    y: PositiveLength

    @model_validator(mode="after")
    def _plausible(self):
        errors = [dict(type=fail(f"{v * 1e6:.3g} µm is smaller than any package (a side is at least "
                                 f"{MIN_FOOTPRINT * 1e6:g} µm); bare lengths are "
                                 f"{u.bare_length_unit()}: write a 20 mm side as '20 mm'"),
                       loc=(ax,), input=v)
                  for ax, v in (("x", self.x), ("y", self.y)) if v < MIN_FOOTPRINT * (1 - 1e-9)]
        if errors:
            raise ValidationError.from_exception_data("Footprint", errors)
        return self


class GridSpec(Frozen):
    """Grid controls: largest cell size in x/y and z (m), the largest ratio between neighbouring
    cell sizes, an optional memory limit (bytes) for the memory guard, and ``refine``: every
    cell of the grid the other controls describe split into ``refine`` equal cells per
    direction. With an even ``refine`` a grid-convergence study's half grid is the base grid
    itself, every ratio exactly 2 (any other grid merges cells in pairs, see
    thermal_cpo.mesh.levels), and a ×1½ level is available when ×2 is beyond memory.
    ``target_error`` (K): a steady run refines the grid of the components whose reported
    temperatures' error bands miss it, and of the blocks and boxes touching them, until every
    band is within it (thermal_cpo.analysis.refine_to_target)."""

    max_cell_xy: PositiveLength = 1e-3
    max_cell_z: PositiveLength = 2.5e-4
    grading: Number = 1.3
    memory_limit: Bytes | None = None
    refine: StrictInt = 1  # a bool or a string is no count of splits
    target_error: TemperatureDifference | None = None

    @model_validator(mode="after")
    def _check(self):
        if isinstance(self.refine, bool) or not 1 <= self.refine <= 16:
            raise ValidationError.from_exception_data(
                "GridSpec",
                [dict(type=fail("must be a whole number of splits per cell from 1 to 16, got {r}",
                                r=self.refine), loc=("refine",), input=self.refine)],
            )
        if not 1.05 <= self.grading <= 4.0:
            raise ValidationError.from_exception_data(
                "GridSpec",
                [dict(type=fail("must be between 1.05 and 4, got {g}", g=self.grading),
                      loc=("grading",), input=self.grading)],
            )
        return self


class Contact(Frozen):
    """An interface resistance ``r`` (m²·K/W) on every face shared by two named components."""

    between: tuple[str, str]
    r: Resistance


class Package(Frozen):
    """A validated CPO package: the single input of the pipeline. Keyword arguments are the
    layout file's keys: bare lengths are micrometres (or ``length_unit``), other bare numbers
    are SI (°C for temperatures), flow rates need units, any value may be a string with units;
    the attributes are SI (lengths in m)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: str = "package"
    description: str = ""
    length_unit: Literal["nm", "um", "mm", "cm", "m"] = "um"
    footprint: Footprint
    grid: GridSpec = GridSpec()
    materials: dict[str, Material] = {}
    coolants: dict[str, Coolant] = {}
    layers: tuple[Layer, ...] = Field(min_length=1)
    boxes: tuple[Box, ...] = ()
    boundaries: Boundaries = Boundaries()
    coldplates: tuple[FaceCoolingKind, ...] = ()
    loops: tuple[Loop, ...] = ()
    contacts: tuple[Contact, ...] = ()
    initial: Initial | None = None
    trace_file: str | None = None  # CSV: a time column (t or time, s) and one column per component (W)
    probes: tuple[Probe, ...] = ()

    @field_validator("schema_version", mode="before")
    @classmethod
    def _whole_version(cls, v):
        # a bool or a float compares equal to 1 but is no version number: refuse it by type
        if type(v) is not int:
            raise fail(f"got {v!r}; expected the whole number {SCHEMA_VERSION}")
        return v

    _source_text: str | None = PrivateAttr(default=None)  # the layout file as given, if any
    _source_path: str | None = PrivateAttr(default=None)

    @property
    def source_text(self) -> str | None:
        """The layout text this package was read from (None when built in Python)."""
        return self._source_text

    @property
    def source_path(self) -> str | None:
        """Where the layout was read from (a file path or ``shipped:NAME``)."""
        return self._source_path

    # -- validation ---------------------------------------------------------------------------
    @model_validator(mode="wrap")
    @classmethod
    def _bare_length_unit(cls, data, handler):
        """Bare lengths anywhere inside are read in the package's ``length_unit``."""
        unit = data.get("length_unit", "um") if isinstance(data, dict) else "um"
        token = u.LENGTH_UNIT.set(unit if unit in u.LENGTH_UNITS else "um")
        try:
            return handler(data)
        finally:
            u.LENGTH_UNIT.reset(token)

    @model_validator(mode="after")
    def _cross_check(self):
        errors = PackageChecks(self).run()
        if errors:
            raise ValidationError.from_exception_data("Package", errors)
        return self

    @property
    def has_coolant(self) -> bool:
        """Whether any cold plate or channel layer carries coolant."""
        return bool(self.coldplates) or any(layer.channels is not None for layer in self.layers)

    def loop_of(self, name: str) -> Loop | None:
        """The loop that feeds the cooling ``name`` (None when it has its own inlet)."""
        return next((loop for loop in self.loops if name in loop.members), None)

    def coolant(self, name: str) -> Coolant:
        """A coolant by name: the layout's own definitions first, then the built-in ones."""
        if name in self.coolants:
            return self.coolants[name]
        return coolants()[name]

    def __eq__(self, other):
        """Packages are equal when their resolved content (SI, defaults filled) is equal."""
        if not isinstance(other, Package):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # mutable-free but compared by content; not meant as dict keys

    # -- derived ------------------------------------------------------------------------------
    @property
    def height(self) -> float:
        """Total stack height (m)."""
        return math.fsum(layer.thickness for layer in self.layers)

    def layer_bounds(self) -> list[tuple[float, float]]:
        """``(z_bottom, z_top)`` of every layer, in m, snapped."""
        out, z = [], 0.0
        for layer in self.layers:
            out.append((snap(z), snap(z + layer.thickness)))
            z += layer.thickness
        return out

    def material(self, name: str) -> Material:
        """Resolve a material name: the layout's own definitions first, then the library."""
        if name in self.materials:
            return self.materials[name]
        return library()[name]

    @property
    def total_power(self) -> float:
        """Sum of every component's declared power (W)."""
        return math.fsum(c.nominal_power for c in self.components())

    def components(self) -> list[Component]:
        """Every component in painting order: each layer then its blocks, then the boxes."""
        out: list[Component] = []
        for layer in self.layers:
            out.append(layer)
            out.extend(layer.blocks)
        out.extend(self.boxes)
        return out

    # -- building and serialising -------------------------------------------------------------
    def add_layer(self, layer: Layer | dict) -> "Package":
        """A new package with ``layer`` added on top of the stack."""
        return self._replace(layers=[*self.layers, layer])

    def add_box(self, box: Box | dict) -> "Package":
        """A new package with a free box added (painted after everything before it)."""
        return self._replace(boxes=[*self.boxes, box])

    def _replace(self, **changes) -> "Package":
        kinds = {"layers": Layer, "boxes": Box}
        data = self.to_dict()  # SI, lengths in metres
        token = u.LENGTH_UNIT.set(self.length_unit)  # dicts given here use this package's unit
        try:
            for key, items in changes.items():
                objs = [x if isinstance(x, Frozen) else kinds[key].model_validate(x) for x in items]
                data[key] = [x.model_dump(mode="json") for x in objs]
        finally:
            u.LENGTH_UNIT.reset(token)
        # data are in metres; the new package keeps this one's unit for bare lengths given later
        return Package.model_validate(data).model_copy(update={"length_unit": self.length_unit})

    def to_dict(self) -> dict:
        """The resolved package as plain data: SI values (lengths in m), defaults filled in."""
        data = self.model_dump(mode="json", by_alias=True)
        data["length_unit"] = "m"
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: dict) -> "Package":
        """Validate a layout given as nested dicts (the TOML structure)."""
        if not isinstance(data, dict):
            raise LayoutError(f"a layout is a table of keys, got {type(data).__name__}")
        return cls.model_validate(data)

    @classmethod
    def from_toml(cls, path) -> "Package":
        """Read and validate a TOML layout file; errors name the file and the field path."""
        from .toml import read_toml

        return read_toml(path)

    @classmethod
    def from_toml_text(cls, text: str, origin: str = "<string>") -> "Package":
        """Validate layout text (TOML); ``origin`` names it in error messages."""
        from .toml import parse_toml

        return parse_toml(text, origin)

    @classmethod
    def json_schema(cls) -> dict:
        """JSON schema of the layout (for editors)."""
        return cls.model_json_schema()
