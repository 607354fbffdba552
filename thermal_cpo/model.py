"""The package model: footprint, layers with blocks, free boxes, materials, boundaries, contacts.

All objects are frozen and validated; stored values are SI (metres, W, W/(m·K), m²·K/W) with
temperatures in °C. Keyword arguments follow the layout file's keys one to one, so bare lengths
are micrometres unless ``length_unit`` says otherwise, and any value may be a string with units::

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
import sys
from pathlib import Path
from typing import Literal

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from . import units as u
from .errors import LayoutError
from .materials import Coolant, Material, coolants, library
from .validation import (
    Bytes,
    Frozen,
    HTCoeff,
    Length,
    Number,
    PositiveLength,
    Power,
    QuantityInput,
    Range,
    Resistance,
    Temperature,
    VolumeFlow,
    did_you_mean,
    fail,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCHEMA_VERSION = 1
SNAP = 1e-9  # geometry is snapped to 1 nm before voxelizing (DESIGN §4)
FACES = ("top", "bottom", "xmin", "xmax", "ymin", "ymax")
PowerAt = Literal["volume", "bottom", "top"]


def snap(x: float) -> float:
    """Round a coordinate in metres to the 1 nm snapping grid."""
    return round(x / SNAP) * SNAP


class Footprint(Frozen):
    """Package outline; origin at its lower-left corner, lengths in m once validated."""

    x: PositiveLength
    y: PositiveLength


class GridSpec(Frozen):
    """Grid controls: largest cell size in x/y and z (m), the largest ratio between neighbouring
    cell sizes, and an optional memory limit (bytes) for the memory guard."""

    max_cell_xy: PositiveLength = 1e-3
    max_cell_z: PositiveLength = 2.5e-4
    grading: Number = 1.3
    memory_limit: Bytes | None = None

    @model_validator(mode="after")
    def _check(self):
        if not 1.05 <= self.grading <= 4.0:
            raise ValidationError.from_exception_data(
                "GridSpec",
                [dict(type=fail("must be between 1.05 and 4, got {g}", g=self.grading),
                      loc=("grading",), input=self.grading)],
            )
        return self


class Photonics(Frozen):
    """Thermo-optic data of a photonic component (a PIC or a ring bank), for the report.

    ``dlambda_dT``: resonance shift in pm/K (Si rings 60–90, SiN 13–17; reference §5.1);
    ``T_ref`` (°C): the temperature the rings are designed/locked at; ``tuning_efficiency``
    (nm/mW, optional): heater tuning efficiency (published span 0.015–4 nm/mW, §5.2);
    ``rings``: ring positions ``[x, y]`` or ``[x, y, z]`` in layout lengths (µm by default),
    absolute package coordinates; without z a ring sits in the component's top cell layer
    (the device layer of a face-up PIC). Without rings the component's mean temperature and
    its spread stand for the bank.
    """

    dlambda_dT: Number
    T_ref: Temperature
    tuning_efficiency: Number | None = None
    rings: tuple[tuple[Length, ...], ...] = ()

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if not self.dlambda_dT > 0:
            errors.append(dict(type=fail("must be > 0 (pm/K)"), loc=("dlambda_dT",), input=self.dlambda_dT))
        if self.tuning_efficiency is not None and not self.tuning_efficiency > 0:
            errors.append(dict(type=fail("must be > 0 (nm/mW)"), loc=("tuning_efficiency",),
                               input=self.tuning_efficiency))
        for i, ring in enumerate(self.rings):
            if len(ring) not in (2, 3):
                errors.append(dict(type=fail("a ring position is [x, y] or [x, y, z]"),
                                   loc=("rings", i), input=list(ring)))
        if errors:
            raise ValidationError.from_exception_data("Photonics", errors)
        return self


def _trace(v):
    """``[[t, P], ...]`` (s, W; strings with units allowed) → tuple of (t, P), times increasing."""
    if not isinstance(v, (list, tuple)) or len(v) < 1:
        raise fail("expected [[t0, P0], [t1, P1], ...] (seconds, watts), got {v}", v=repr(v))
    out = []
    for i, pt in enumerate(v):
        if not isinstance(pt, (list, tuple)) or len(pt) != 2:
            raise fail("point {i} is {pt}; each point is [t, P]", i=i, pt=repr(pt))
        t, P = u.parse(pt[0], u.TIME), u.parse(pt[1], u.POWER)
        if t < 0:
            raise fail("point {i}: time {t} s is negative", i=i, t=t)
        if P < 0:
            raise fail("point {i}: power {p} W is negative", i=i, p=P)
        if out and not t > out[-1][0]:
            raise fail("point {i}: times must increase strictly ({a} s then {b} s)", i=i, a=out[-1][0], b=t)
        out.append((t, P))
    return tuple(out)


Trace = Annotated[tuple[tuple[float, float], ...],
                  BeforeValidator(_trace, json_schema_input_type=list[tuple[QuantityInput, QuantityInput]])]


class _Component(Frozen):
    """Fields shared by layers, blocks and boxes: power, where it goes, a temperature limit,
    photonics data, and for transients a power trace (``trace`` [[t s, P W], ...], linear or
    step; before its first point the trace holds its first power, after its last its last)."""

    name: str = Field(min_length=1)
    power: Power = 0.0
    power_at: PowerAt = "volume"
    limit: Temperature | None = None
    photonics: Photonics | None = None
    trace: Trace | None = None
    trace_kind: Literal["linear", "step"] = "linear"


class Probe(Frozen):
    """A named point (m) whose temperature a transient records at every step."""

    name: str = Field(min_length=1)
    x: Length
    y: Length
    z: Length


class Initial(Frozen):
    """Initial condition of a transient: a uniform ``T`` (°C), ``from = "steady"`` (the steady
    field at the t = 0 powers), or ``from = "<result.h5>"`` (the last field of a result file)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    T: Temperature | None = None
    from_: str | None = Field(default=None, alias="from")

    @model_validator(mode="after")
    def _check(self):
        if (self.T is None) == (self.from_ is None):
            raise ValidationError.from_exception_data("Initial", [dict(
                type=fail("give either T (°C) or from = 'steady' or a result file"), loc=("T",), input=None)])
        return self


FlowDirection = Literal["+x", "-x", "+y", "-y"]


def channel_spans(width: float, wall: float, extent: tuple[float, float] | None = None,
                  n: int | None = None) -> list[tuple[float, float]]:
    """Across-flow intervals (m) of parallel channels of ``width`` separated by walls of ``wall``
    inside ``extent`` = (lo, hi): as many channels as fit with a wall on each side, the pattern
    centred (``n`` channels when given). Snapped to the 1 nm grid."""
    lo, hi = extent
    pitch = width + wall
    if n is None:
        n = int(math.floor((hi - lo - wall) / pitch + 1e-9))
    n = max(n, 0)
    total = n * pitch + wall
    start = lo + 0.5 * (hi - lo - total) + wall
    return [(snap(start + c * pitch), snap(start + c * pitch + width)) for c in range(n)]


class Channels(Frozen):
    """Micro-channels resolved on the grid in a layer (a cavity): the layer's thickness is the
    channel height, its material the walls. Channels of ``width`` separated by walls of ``wall``
    run along ``direction`` across the whole footprint (the pattern centred across the flow);
    ``flow_rate`` (total, all channels; e.g. ``"1.5 L/min"``, ``"42 ml/min"``; bare numbers m³/s) of
    ``coolant`` enters at ``inlet_T`` (°C). Heat-transfer coefficients on the side, top and bottom
    channel walls (W/(m²·K)) default to the Shah–London H1 value (reference §3.1, S26); with
    ``developing = true`` the Baehr–Stephan entrance factor is applied (see thermal_cpo.coldplate).
    """

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

    @property
    def axis(self) -> str:
        return self.direction[1]

    @property
    def sign(self) -> int:
        return 1 if self.direction[0] == "+" else -1


class ColdPlate(Frozen):
    """A compact micro-channel cold plate on the ``top`` or ``bottom`` face, over the rectangle
    ``x`` × ``y`` (default: the whole face). Channels ``channel_width`` × ``channel_height`` with
    walls (fins) of ``wall_width`` — or ``n_channels`` across the plate, or a ``pitch`` — on a base of
    ``base_thickness`` of ``material``, run along ``flow_direction``; ``flow_rate`` (total; e.g.
    ``"1.5 L/min"``; bare numbers m³/s) of ``coolant`` enters at ``inlet_T`` (°C).

    Not meshed: the plate is an effective heat-transfer coefficient h_eff (Shah–London H1 h,
    fin efficiency of the walls, reference §3.1) in series with the base conduction, to a coolant
    that warms along the flow (one 1-D stream per row of face cells, solved with the solid).
    """

    name: str = Field(min_length=1)
    face: Literal["top", "bottom"] = "top"
    x: Range | None = None
    y: Range | None = None
    channel_width: PositiveLength
    wall_width: PositiveLength | None = None
    n_channels: int | None = Field(default=None, gt=0)
    pitch: PositiveLength | None = None
    channel_height: PositiveLength
    base_thickness: Length = 0.0
    material: str = "copper"
    flow_direction: FlowDirection = "+x"
    flow_rate: VolumeFlow
    inlet_T: Temperature
    coolant: str = "water"
    developing: bool = False

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.base_thickness < 0:
            errors.append(dict(type=fail("must be >= 0, got {v}", v=self.base_thickness),
                               loc=("base_thickness",), input=self.base_thickness))
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

    @property
    def axis(self) -> str:
        return self.flow_direction[1]

    @property
    def sign(self) -> int:
        return 1 if self.flow_direction[0] == "+" else -1

    def extent(self, footprint) -> tuple[tuple[float, float], tuple[float, float]]:
        """The plate's ``(x range, y range)`` in m."""
        return (self.x or (0.0, footprint.x), self.y or (0.0, footprint.y))

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


class Block(_Component):
    """A rectangle ``x × y`` (m) through the whole thickness of its layer."""

    x: Range
    y: Range
    material: str | None = None
    max_cell_xy: PositiveLength | None = None


class Layer(_Component):
    """One layer of the stack (bottom to top): thickness (m), fill material, blocks."""

    thickness: PositiveLength
    material: str
    max_cell_z: PositiveLength | None = None
    blocks: tuple[Block, ...] = ()
    channels: Channels | None = None


class Box(_Component):
    """A free 3-D box with absolute coordinates (m); z = 0 at the bottom of the first layer."""

    x: Range
    y: Range
    z: Range
    material: str
    max_cell_xy: PositiveLength | None = None
    max_cell_z: PositiveLength | None = None


class Boundary(Frozen):
    """Condition on one outer face: adiabatic (default), convective (h, T) or fixed (T).

    ``x``, ``y`` (or ``z`` on side faces) restrict it to a rectangle of the face; outside the
    rectangle the face stays adiabatic.
    """

    type: Literal["adiabatic", "convective", "fixed"] = "adiabatic"
    h: HTCoeff | None = None
    T: Temperature | None = None
    x: Range | None = None
    y: Range | None = None
    z: Range | None = None

    @model_validator(mode="after")
    def _check(self):
        errors = []

        def err(loc, msg):
            errors.append(dict(type=fail(msg), loc=(loc,), input=getattr(self, loc, None)))

        if self.type == "convective":
            if self.h is None:
                err("h", "a convective face needs h (W/(m^2*K))")
            if self.T is None:
                err("T", "a convective face needs T, the ambient/coolant temperature (°C)")
        elif self.type == "fixed":
            if self.T is None:
                err("T", "a fixed-temperature face needs T (°C)")
            if self.h is not None:
                err("h", "h is not used on a fixed-temperature face; use type = 'convective'")
        else:
            for key in ("h", "T"):
                if getattr(self, key) is not None:
                    err(key, f"{key} is not used on an adiabatic face; set type = 'convective' or 'fixed'")
        if errors:
            raise ValidationError.from_exception_data("Boundary", errors)
        return self

    @property
    def active(self) -> bool:
        return self.type != "adiabatic"


class Boundaries(Frozen):
    """The six outer faces of the package."""

    top: Boundary = Boundary()
    bottom: Boundary = Boundary()
    xmin: Boundary = Boundary()
    xmax: Boundary = Boundary()
    ymin: Boundary = Boundary()
    ymax: Boundary = Boundary()

    def items(self):
        return [(f, getattr(self, f)) for f in FACES]


class Contact(Frozen):
    """An interface resistance ``r`` (m²·K/W) on every face shared by two named components."""

    between: tuple[str, str]
    r: Resistance


class Package(Frozen):
    """A validated CPO package: the single input of the pipeline (DESIGN §2, §5)."""

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
    coldplates: tuple[ColdPlate, ...] = ()
    contacts: tuple[Contact, ...] = ()
    initial: Initial | None = None
    trace_file: str | None = None  # CSV: a time column (t or time, s) and one column per component (W)
    probes: tuple[Probe, ...] = ()

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
        errors = []

        def err(loc, msg, value=None):
            errors.append(dict(type=fail(msg), loc=tuple(loc), input=value))

        lib = library()
        known = set(lib) | set(self.materials)

        def check_material(loc, name):
            if name is not None and name not in known:
                err(loc, f"unknown material {name!r}{did_you_mean(name, known)} "
                         "(see `thermal-cpo materials`, or define it under [materials])", name)

        fx, fy = self.footprint.x, self.footprint.y
        height = self.height
        eps = 0.5 * SNAP

        def check_inside(loc, rng, lo, hi, what):
            if rng is not None and (rng[0] < lo - eps or rng[1] > hi + eps):
                err(loc, f"[{rng[0] * 1e6:g}, {rng[1] * 1e6:g}] µm lies outside the {what} "
                         f"[{lo * 1e6:g}, {hi * 1e6:g}] µm", list(rng))

        seen: dict[str, tuple] = {}

        def check_name(loc, name):
            if name in seen:
                err(loc, f"duplicate component name {name!r} (first used at "
                         f"{_fmt(seen[name])})", name)
            else:
                seen[name] = tuple(loc[:-1])

        for i, layer in enumerate(self.layers):
            check_name(("layers", i, "name"), layer.name)
            check_material(("layers", i, "material"), layer.material)
            for j, b in enumerate(layer.blocks):
                base = ("layers", i, "blocks", j)
                check_name(base + ("name",), b.name)
                check_material(base + ("material",), b.material)
                check_inside(base + ("x",), b.x, 0.0, fx, "footprint in x")
                check_inside(base + ("y",), b.y, 0.0, fy, "footprint in y")
        for j, b in enumerate(self.boxes):
            base = ("boxes", j)
            check_name(base + ("name",), b.name)
            check_material(base + ("material",), b.material)
            check_inside(base + ("x",), b.x, 0.0, fx, "footprint in x")
            check_inside(base + ("y",), b.y, 0.0, fy, "footprint in y")
            check_inside(base + ("z",), b.z, 0.0, height, "stack height")
        face_axes = {"top": "xy", "bottom": "xy", "xmin": "yz", "xmax": "yz", "ymin": "xz", "ymax": "xz"}
        extent = {"x": fx, "y": fy, "z": height}
        for face, bc in self.boundaries.items():
            for ax in "xyz":
                rng = getattr(bc, ax)
                if rng is None:
                    continue
                if ax not in face_axes[face]:
                    err(("boundaries", face, ax), f"the {face} face is limited by "
                        f"{' and '.join(face_axes[face])} ranges, not {ax}", list(rng))
                else:
                    check_inside(("boundaries", face, ax), rng, 0.0, extent[ax], f"package extent in {ax}")
        extents = {}
        for i, layer in enumerate(self.layers):
            z0, z1 = self.layer_bounds()[i]
            extents[("layers", i)] = (layer, (0.0, fx), (0.0, fy), (z0, z1))
            for j, b in enumerate(layer.blocks):
                extents[("layers", i, "blocks", j)] = (b, b.x, b.y, (z0, z1))
        for j, b in enumerate(self.boxes):
            extents[("boxes", j)] = (b, b.x, b.y, b.z)
        for base, (comp, xr, yr, zr) in extents.items():
            if comp.photonics is None:
                continue
            for r, ring in enumerate(comp.photonics.rings):
                for ax, (v, (lo, hi)) in zip("xyz", zip(ring, (xr, yr, zr))):
                    if not lo - eps <= v <= hi + eps:
                        err(base + ("photonics", "rings", r), f"ring {ax} = {v * 1e6:g} µm lies outside "
                            f"component {comp.name!r} ({lo * 1e6:g}–{hi * 1e6:g} µm)", list(ring))
        for j, pr in enumerate(self.probes):
            for ax, v, hi in (("x", pr.x, fx), ("y", pr.y, fy), ("z", pr.z, height)):
                if not -eps <= v <= hi + eps:
                    err(("probes", j, ax), f"{v * 1e6:g} µm lies outside the package (0–{hi * 1e6:g} µm)", v)
        for j, c in enumerate(self.contacts):
            for m, name in enumerate(c.between):
                if name not in seen:
                    err(("contacts", j, "between", m), f"no component named {name!r}"
                        f"{did_you_mean(name, seen)}", name)
            if c.between[0] == c.between[1]:
                err(("contacts", j, "between"), "a contact joins two different components", list(c.between))
        self._check_cooling(err, check_material, check_inside, check_name)
        if errors:
            raise ValidationError.from_exception_data("Package", errors)
        return self

    def _check_cooling(self, err, check_material, check_inside, check_name):
        """Cold plates and channel layers: known coolant, inlet inside its table, on the package,
        channels that fit, no two coolings on one patch of a face."""
        known = {**coolants(), **self.coolants}
        fx, fy = self.footprint.x, self.footprint.y

        def check_coolant(loc, name, inlet):
            if name not in known:
                err(loc + ("coolant",), f"unknown coolant {name!r}{did_you_mean(name, known)} "
                    "(built-in: " + ", ".join(sorted(coolants())) + "; or define it under [coolants])", name)
                return
            c = known[name]
            if not c.T[0] <= inlet <= c.T[-1]:
                err(loc + ("inlet_T",), f"{inlet:g} °C is outside the property table of {name!r} "
                    f"[{c.T[0]:g}, {c.T[-1]:g}] °C", inlet)

        for i, layer in enumerate(self.layers):
            ch = layer.channels
            if ch is None:
                continue
            loc = ("layers", i, "channels")
            check_coolant(loc, ch.coolant, ch.inlet_T)
            if layer.power > 0 or layer.trace is not None:
                err(("layers", i, "power"), "a channel layer's own fill is walls and coolant and carries "
                    "no power; put heat sources in blocks (which are solid) or in another layer", layer.power)
            span = fy if ch.axis == "x" else fx
            if ch.width + 2 * ch.wall > span + SNAP:
                err(loc + ("width",), f"a {ch.width * 1e6:g} µm channel between {ch.wall * 1e6:g} µm "
                    f"walls does not fit across the {span * 1e6:g} µm footprint", ch.width)
        spans: list = []
        for i, cp in enumerate(self.coldplates):
            loc = ("coldplates", i)
            check_name(loc + ("name",), cp.name)
            check_material(loc + ("material",), cp.material)
            check_coolant(loc, cp.coolant, cp.inlet_T)
            check_inside(loc + ("x",), cp.x, 0.0, fx, "footprint in x")
            check_inside(loc + ("y",), cp.y, 0.0, fy, "footprint in y")
            xr, yr = cp.extent(self.footprint)
            if xr[0] < -SNAP or xr[1] > fx + SNAP or yr[0] < -SNAP or yr[1] > fy + SNAP:
                continue  # already reported: the plate is off the package
            g = cp.geometry(self.footprint)
            if cp.n_channels is not None and g["wall_width"] <= 0:
                err(loc + ("n_channels",), f"{cp.n_channels} channels of {cp.channel_width * 1e6:g} µm do "
                    f"not fit across the {g['span'] * 1e6:g} µm plate", cp.n_channels)
            elif g["n_channels"] < 1:
                err(loc + ("channel_width",), f"a {cp.channel_width * 1e6:g} µm channel with "
                    f"{(cp.wall_width or 0) * 1e6:g} µm walls is wider than the {g['span'] * 1e6:g} µm "
                    "plate", cp.channel_width)
            for face_j, other, oxr, oyr in spans:
                if face_j == cp.face and _overlap(xr, oxr) and _overlap(yr, oyr):
                    err(loc + ("x",), f"overlaps cold plate {other!r} on the {cp.face} face",
                        list(xr))
            bc = getattr(self.boundaries, cp.face)
            if bc.active and _overlap(xr, bc.x or (0.0, fx)) and _overlap(yr, bc.y or (0.0, fy)):
                err(loc + ("face",), f"the {cp.face} face under the plate already has a "
                    f"{bc.type} boundary (boundaries.{cp.face}); restrict one of them with x/y", cp.face)
            spans.append((cp.face, cp.name, xr, yr))

    @property
    def has_coolant(self) -> bool:
        """Whether any cold plate or channel layer carries coolant."""
        return bool(self.coldplates) or any(layer.channels is not None for layer in self.layers)

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
        return math.fsum(c.power for c in self.components())

    def components(self) -> list[_Component]:
        """Every component in painting order: each layer then its blocks, then the boxes."""
        out: list[_Component] = []
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
        p = Path(path)
        try:
            raw = p.read_bytes()
        except FileNotFoundError:
            raise LayoutError(f"{p}: no such layout file") from None
        except IsADirectoryError:
            raise LayoutError(f"{p}: is a directory, not a layout file") from None
        except OSError as exc:
            raise LayoutError(f"{p}: cannot read the layout file ({exc.strerror})") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LayoutError(f"{p}: not UTF-8 text (byte {exc.start}); is this a layout file?") from None
        return cls.from_toml_text(text, str(p))

    @classmethod
    def from_toml_text(cls, text: str, origin: str = "<string>") -> "Package":
        """Validate layout text (TOML); ``origin`` names it in error messages."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LayoutError(f"{origin}: malformed TOML: {exc}") from None
        try:
            pkg = cls.from_dict(data)
        except LayoutError as exc:
            err = LayoutError(f"{origin}: {exc}", problems=exc.problems)  # str(exc) names the path
            err.path = exc.path
            raise err from None
        pkg._source_text = text
        pkg._source_path = origin
        return pkg

    @classmethod
    def json_schema(cls) -> dict:
        """JSON schema of the layout (for editors)."""
        return cls.model_json_schema()


def _overlap(a, b) -> bool:
    return a[0] < b[1] - SNAP and b[0] < a[1] - SNAP


def _fmt(loc) -> str:
    from .validation import format_path

    return format_path(loc)


__all__ = ["Package", "Layer", "Channels", "ColdPlate", "channel_spans", "Block", "Box", "Boundary", "Boundaries", "Contact", "Footprint",
           "GridSpec", "Photonics", "Material", "SNAP", "snap", "FACES"]
