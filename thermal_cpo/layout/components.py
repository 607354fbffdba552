"""The parts of a package stack: layers with blocks, free boxes, and what a component carries
(power and where it goes, a heat-source model, a temperature limit, photonics data); probes and
the initial condition of a transient. Lengths given (keyword arguments as layout keys) are layout
lengths: bare numbers µm (or the package's ``length_unit``), strings with units (``"0.5 mm"``);
the validated attributes are SI (m)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ..schema import Frozen, Length, Number, PositiveLength, Power, Range, Temperature, Time, fail
from .cooling import LayerCoolingKind
from .effective_specs import MaterialSpec
from .media import Media
from .geometry import SNAP
from .power_map import load_map, pixel_edges
from .power_models import PowerModelKind
from .sources import ConstantSource, HeatSourceSpec, SourceKind, Trace, TraceSource

PowerAt = Literal["volume", "bottom", "top"]
#: a power map: a .csv/.npy file name or inline rows, validated to rows of floats (row = y)
PowerMapRows = Annotated[tuple[tuple[float, ...], ...], BeforeValidator(
    load_map, json_schema_input_type=Union[str, list[list[float]]])]
#: W/mm² in W/m²
_PER_MM2 = 1e6


class Heater(Frozen):
    """Closed-loop ring heaters: ``control = "hold"`` makes each ring's heater power an unknown
    that holds the ring at ``T_ref`` where it would otherwise be colder, between 0 and
    ``max_power`` (W) per ring; the heat goes into the ring's own volume."""

    control: Literal["hold"] = "hold"
    max_power: Power

    @model_validator(mode="after")
    def _check(self):
        if not self.max_power > 0:
            raise ValidationError.from_exception_data("Heater", [dict(
                type=fail("must be > 0 (W per ring)"), loc=("max_power",), input=self.max_power)])
        return self


class Photonics(Frozen):
    """Thermo-optic data of a photonic component (a PIC or a ring bank), for the report.

    ``dlambda_dT``: resonance shift in pm/K (Si rings 60–90 [apl-si-sin-interferometer-2022];
    SiN 13–17, derived from [arbabi-sin-thermo-optic-2013]); ``T_ref`` (°C): the temperature the
    rings are designed/locked at; ``tuning_efficiency`` (nm/mW, optional): heater tuning
    efficiency (0.015–4 nm/mW across published devices, derived from [lee-suspended-ring-2017]
    and [dai-microring-heater-2008]);
    ``rings``: ring positions ``[x, y]`` or ``[x, y, z]`` in layout lengths (µm by default),
    absolute package coordinates; without z a ring sits in the component's top cell layer
    (the device layer of a face-up PIC). Without rings the component's mean temperature and
    its spread stand for the bank. ``heater``: closed-loop heaters (:class:`Heater`); they need
    ring positions.
    """

    dlambda_dT: Number
    T_ref: Temperature
    tuning_efficiency: Number | None = None
    rings: tuple[tuple[Length, ...], ...] = ()
    heater: Heater | None = None

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.heater is not None and not self.rings:
            errors.append(dict(type=fail("closed-loop heaters hold rings: give the ring positions "
                                         "(rings = [[x, y], ...])"), loc=("heater",), input=None))
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


class Component(Frozen):
    """Fields shared by layers, blocks and boxes: power, where it goes, a temperature limit,
    photonics data, and for transients a power trace (``trace`` [[t s, P W], ...], linear or
    step; before its first point the trace holds its first power, after its last its last), or
    a ``power_model`` making the power a function of the component's own temperature."""

    name: str = Field(min_length=1)
    power: Power = 0.0
    power_at: PowerAt = "volume"
    limit: Temperature | None = None
    photonics: Photonics | None = None
    trace: Trace | None = None
    trace_kind: Literal["linear", "step"] = "linear"
    source: SourceKind | None = None
    power_model: PowerModelKind | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if self.power_model is not None:
            # one source of truth: the model sets the power at every temperature
            for key, given in (("power", self.power != 0), ("trace", self.trace is not None),
                               ("source", self.source is not None)):
                if given:
                    raise ValidationError.from_exception_data(type(self).__name__, [dict(
                        type=fail(f"give either {key} or power_model, not both: the power model "
                                  "sets the power from the component's temperature"),
                        loc=(key,), input=None)])
        if self.source is not None and self.trace is not None:
            raise ValidationError.from_exception_data(type(self).__name__, [dict(
                type=fail("give either trace or source, not both"), loc=("source",), input=None)])
        if self.source is not None and self.power != 0:
            raise ValidationError.from_exception_data(type(self).__name__, [dict(
                type=fail("give either power or source, not both: a source model sets the power"),
                loc=("power",), input=self.power)])
        return self

    @property
    def nominal_power(self) -> float:
        """The power (W) of the tables and the first guess of a solve: its power model's value
        at the model's reference temperature, its source model's nominal power, else ``power``."""
        if self.power_model is not None:
            return self.power_model.nominal_power
        return self.source.nominal_power if self.source is not None else self.power

    @property
    def heat_source(self) -> HeatSourceSpec:
        """What dissipates in this component: its ``source``, else its ``trace``, else its
        constant ``power``."""
        if self.source is not None:
            return self.source
        if self.trace is not None:
            return TraceSource(points=self.trace, interpolation=self.trace_kind)
        return ConstantSource(power=self.power)


class Probe(Frozen):
    """A named point whose temperature a transient records at every step: ``x``, ``y``, ``z``
    given as layout lengths (bare µm), stored in m."""

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


class Mapped(Component):
    """A component with a footprint (block or box) that may carry a 2-D power map.

    ``power_map``: a ``.csv``/``.npy`` file name (relative to the layout file) or inline rows;
    ``(ny_map, nx_map)``, row index = y with the first row at the smallest y, column index = x
    (see :mod:`.power_map`). ``map_extent``: ``[[x0, x1], [y0, y1]]`` in layout lengths (bare
    µm; stored in m), within the component's own x/y footprint (the default). ``map_units``:
    ``"relative"`` (default: the map is the shape, ``power``/``trace``/``source``/``power_model``
    the total) or ``"W/mm^2"`` (each pixel's absolute power density: the component's power is
    the map's integral, and no ``power``, trace, source or power model may be given with it).
    ``map_grid_lines``: the pixel edges become fixed grid lines. ``power_maps`` with
    ``map_times`` (s): relative maps that follow one another in a transient, map k from
    ``map_times[k]`` (the first at 0) to the next; the first is the ``power_map`` of a steady
    solve.
    """

    power_map: PowerMapRows | None = None
    map_extent: tuple[Range, Range] | None = None
    map_units: Literal["relative", "W/mm^2"] = "relative"
    map_grid_lines: bool = False
    #: maps that follow one another in a transient: map k from ``map_times[k]`` (s) on
    power_maps: tuple[PowerMapRows, ...] | None = None
    map_times: tuple[Time, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _first_of_the_steps(cls, data):
        """The first of ``power_maps`` is the component's ``power_map``: a steady solve, the
        grid lines and the initial state use it."""
        if isinstance(data, dict) and data.get("power_maps") and data.get("power_map") is None:
            steps = data["power_maps"]
            if isinstance(steps, (list, tuple)) and steps:
                data = {**data, "power_map": steps[0]}
        return data

    @model_validator(mode="before")
    @classmethod
    def _floorplan_fits(cls, data):
        """A floorplan map is as large as the area it covers: stretched onto another size, a
        unit's power per area (and an absolute map's total) would silently change."""
        from .flp_map import floorplan_mismatch

        problem = floorplan_mismatch(data)
        if problem is not None:
            raise ValidationError.from_exception_data(cls.__name__, [dict(type=fail(problem), loc=("power_map",),
                                                                          input=None)])
        return data

    @model_validator(mode="after")
    def _check_map(self):
        errors = []

        def err(key, msg, value=None):
            errors.append(dict(type=fail(msg), loc=key, input=value))

        if self.power_map is None:
            for key, given in (("map_extent", self.map_extent is not None),
                               ("map_units", self.map_units != "relative"),
                               ("map_grid_lines", self.map_grid_lines)):
                if given:
                    err((key,), f"{key} describes a power map: give power_map too")
        else:
            if self.map_units == "relative" and not any(v > 0 for row in self.power_map for v in row):
                err(("power_map",), "a relative power map needs at least one positive pixel "
                    "(this one is all zero)")
            if self.map_units == "W/mm^2":
                for key, given in (("power", self.power != 0), ("trace", self.trace is not None),
                                   ("source", self.source is not None),
                                   ("power_model", self.power_model is not None)):
                    if given:
                        err((key,), f"give either {key} or a power map in W/mm^2, not both: the "
                            "map's integral is the power (use map_units = 'relative' to scale "
                            "the map's shape)")
            for a, (rng, own) in enumerate(zip(self.map_extent or (), (self.x, self.y))):
                if rng[0] < own[0] - 0.5 * SNAP or rng[1] > own[1] + 0.5 * SNAP:
                    err(("map_extent", a), f"[{rng[0] * 1e6:g}, {rng[1] * 1e6:g}] µm lies outside the "
                        f"component's {'xy'[a]} range [{own[0] * 1e6:g}, {own[1] * 1e6:g}] µm", list(rng))
        errors += self._step_map_errors()
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def _step_map_errors(self) -> list[dict]:
        """``power_maps`` with ``map_times``: as many times as maps, from 0, increasing;
        relative maps (the power, trace or source is the total); each with positive pixels."""
        out = []

        def err(key, msg, value=None):
            out.append(dict(type=fail(msg), loc=key, input=value))

        if self.power_maps is None:
            if self.map_times is not None:
                err(("map_times",), "map_times go with power_maps (the maps that follow one another)")
            return out
        times = self.map_times or ()
        if len(times) != len(self.power_maps):
            err(("map_times",), f"give one time per map: {len(self.power_maps)} maps, {len(times)} times",
                list(times))
        elif times[0] != 0.0 or any(b <= a for a, b in zip(times, times[1:])):
            err(("map_times",), "expected increasing times starting at 0 (s): map k applies from "
                "map_times[k] to the next", list(times))
        if self.map_units != "relative":
            err(("map_units",), "power_maps are relative (the power, trace or source gives the total)")
        if self.power_map != self.power_maps[0]:
            err(("power_map",), "power_map and power_maps[0] differ: give power_maps alone")
        for k, rows in enumerate(self.power_maps):
            if not any(v > 0 for row in rows for v in row):
                err(("power_maps", k), "a relative power map needs at least one positive pixel")
        return out

    def map_pixel_edges(self, rows=None) -> tuple[np.ndarray, np.ndarray]:
        """The pixel edges ``(x_edges, y_edges)`` (m, lengths nx_map+1, ny_map+1) of the map
        (``rows``, default the ``power_map``), snapped to 1 nm."""
        rows = self.power_map if rows is None else rows
        (x0, x1), (y0, y1) = self.map_extent or (self.x, self.y)
        ny, nx = len(rows), len(rows[0])
        return pixel_edges(x0, x1, nx), pixel_edges(y0, y1, ny)

    def map_pixel_powers(self, rows=None) -> np.ndarray:
        """``(ny_map, nx_map)``: each pixel's value (a power density) times its area, the edges
        snapped to 1 nm as all geometry is: W per pixel for a map in W/mm², for a relative map
        the same in arbitrary units (the shape is what counts). ``rows``: default the ``power_map``."""
        rows = self.power_map if rows is None else rows
        xe, ye = self.map_pixel_edges(rows)
        scale = 1.0 if self.map_units == "relative" else _PER_MM2
        return np.array(rows, dtype=float) * scale * np.diff(ye)[:, None] * np.diff(xe)[None, :]

    @property
    def nominal_power(self) -> float:
        """As :attr:`Component.nominal_power`; with a map in W/mm², the map's integral (W)."""
        if self.power_map is not None and self.map_units == "W/mm^2":
            return float(np.sum(self.map_pixel_powers()))
        return super().nominal_power

    @property
    def heat_source(self) -> HeatSourceSpec:
        """As :attr:`Component.heat_source`; a map in W/mm² is a constant power, its integral."""
        if self.power_map is not None and self.map_units == "W/mm^2":
            return ConstantSource(power=self.nominal_power)
        return super().heat_source


class Block(Mapped, Media):
    """A rectangle ``x × y`` through the whole thickness of its layer: ranges ``[min, max]`` of
    layout lengths (bare µm), stored in m; ``material`` a name or an inline effective medium
    (without one, its layer's), and the fields of :class:`.media.Media`."""

    x: Range
    y: Range
    material: MaterialSpec | None = None
    max_cell_xy: PositiveLength | None = None


class Layer(Component, Media):
    """One layer of the stack (bottom to top): ``thickness`` (a layout length, bare µm; stored
    in m), fill material (a name or an inline effective medium), blocks, and the fields of
    :class:`.media.Media`."""

    thickness: PositiveLength
    material: MaterialSpec
    max_cell_z: PositiveLength | None = None
    blocks: tuple[Block, ...] = ()
    channels: LayerCoolingKind | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_map(cls, data):
        if isinstance(data, dict):
            for key in ("power_map", "map_extent", "map_units", "map_grid_lines"):
                if key in data:
                    raise ValidationError.from_exception_data("Layer", [dict(
                        type=fail("a power map goes on a block or a box, not on a layer's fill: "
                                  "add a block over the part of the layer it covers"),
                        loc=(key,), input=None)])
        return data


class Box(Mapped, Media):
    """A free 3-D box with absolute coordinates (ranges of layout lengths, bare µm; stored in m);
    z = 0 at the bottom of the first layer; ``material`` and the fields of :class:`.media.Media`
    as a block's."""

    x: Range
    y: Range
    z: Range
    material: MaterialSpec
    max_cell_xy: PositiveLength | None = None
    max_cell_z: PositiveLength | None = None
