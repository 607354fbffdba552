"""The parts of a package stack: layers with blocks, free boxes, and what a component carries
(power and where it goes, a heat-source model, a temperature limit, photonics data); probes and
the initial condition of a transient. Lengths given (keyword arguments as layout keys) are layout
lengths: bare numbers µm (or the package's ``length_unit``), strings with units (``"0.5 mm"``);
the validated attributes are SI (m)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from ..schema import Frozen, Length, Number, PositiveLength, Power, Range, Temperature, fail
from .cooling import LayerCoolingKind
from .power_models import PowerModelKind
from .sources import ConstantSource, HeatSourceSpec, SourceKind, Trace, TraceSource

PowerAt = Literal["volume", "bottom", "top"]


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


class Block(Component):
    """A rectangle ``x × y`` through the whole thickness of its layer: ranges ``[min, max]`` of
    layout lengths (bare µm), stored in m."""

    x: Range
    y: Range
    material: str | None = None
    max_cell_xy: PositiveLength | None = None


class Layer(Component):
    """One layer of the stack (bottom to top): ``thickness`` (a layout length, bare µm; stored
    in m), fill material, blocks."""

    thickness: PositiveLength
    material: str
    max_cell_z: PositiveLength | None = None
    blocks: tuple[Block, ...] = ()
    channels: LayerCoolingKind | None = None


class Box(Component):
    """A free 3-D box with absolute coordinates (ranges of layout lengths, bare µm; stored in m);
    z = 0 at the bottom of the first layer."""

    x: Range
    y: Range
    z: Range
    material: str
    max_cell_xy: PositiveLength | None = None
    max_cell_z: PositiveLength | None = None
