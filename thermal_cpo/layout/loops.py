"""Coolant loops: cold plates and channel cavities connected in series and in parallel by name,
fed by one pump.

A loop's ``path`` lists its stages in flow order; a stage is one cooling (a name) or several in
parallel (a list of names)::

    [[loops]]
    name = "rack"
    coolant = "water"
    inlet_T = 30
    flow_rate = "3 L/min"           # or pressure = "0.4 bar" (the loop's total pressure drop)
    path = ["asic_plate", ["pe_west", "pe_east", "pe_north"]]

The whole flow passes every stage; within a stage the branches share it so that their pressure
drops are equal, each from its own ΔP curve at its own coolant temperature; the branches' outlets
mix (mixed-cup) into the next stage's inlet. The flow rate is the volume flow at the loop's inlet
temperature: the mass flow is what is conserved along the loop. A cooling in a loop gives no
``flow_rate`` or ``inlet_T`` of its own, and its coolant is the loop's.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, ValidationError, model_validator

from ..schema import Frozen, Pressure, Temperature, VolumeFlow, fail


def _stage(v):
    """A stage as a tuple of names: a name alone is a stage of one."""
    if isinstance(v, str):
        return (v,)
    return v


Stage = Annotated[tuple[Annotated[str, Field(min_length=1)], ...], BeforeValidator(_stage)]


class Loop(Frozen):
    """One coolant loop: ``flow_rate`` (units required, the volume flow at ``inlet_T``) or
    ``pressure`` (the loop's total pressure drop, units required) of ``coolant`` entering at
    ``inlet_T`` (°C) and passing the stages of ``path`` in order."""

    name: str = Field(min_length=1)
    coolant: str = "water"
    inlet_T: Temperature
    flow_rate: VolumeFlow | None = None
    pressure: Pressure | None = None
    path: tuple[Stage, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if (self.flow_rate is None) == (self.pressure is None):
            errors.append(dict(type=fail("give exactly one of flow_rate (e.g. \"3 L/min\") or pressure "
                                         "(e.g. \"0.4 bar\")"), loc=("flow_rate",), input=None))
        for i, stage in enumerate(self.path):
            if not stage:
                errors.append(dict(type=fail("a stage names at least one cooling"), loc=("path", i), input=[]))
            elif len(set(stage)) != len(stage):
                errors.append(dict(type=fail("a cooling is named twice in one stage"), loc=("path", i),
                                   input=list(stage)))
        if errors:
            raise ValidationError.from_exception_data("Loop", errors)
        return self

    @property
    def members(self) -> list[str]:
        """Every cooling of the loop, in flow order."""
        return [name for stage in self.path for name in stage]


def coolings_by_name(pkg) -> dict[str, tuple[tuple, object]]:
    """Every cooling of ``pkg`` by name: ``(layout location, spec)``."""
    out = {cp.name: (("coldplates", i), cp) for i, cp in enumerate(pkg.coldplates)}
    for i, layer in enumerate(pkg.layers):
        if layer.channels is not None:
            out.setdefault(layer.name, (("layers", i, "channels"), layer.channels))
    return out


def check_loops(checks) -> None:
    """The loops of ``checks.pkg`` against its coolings (``checks`` a :class:`PackageChecks`):
    unique loop names, members that exist and sit in one loop once, members without a flow or
    inlet of their own and with the loop's coolant; coolings outside every loop give both."""
    pkg, err = checks.pkg, checks.err
    coolings = coolings_by_name(pkg)
    in_loop: dict[str, str] = {}
    names: set[str] = set()
    for i, loop in enumerate(pkg.loops):
        loc = ("loops", i)
        if loop.name in names:
            err(loc + ("name",), f"loop {loop.name!r} is defined twice", loop.name)
        names.add(loop.name)
        checks.coolant(loc, loop.coolant, loop.inlet_T)
        for j, stage in enumerate(loop.path):
            for name in stage:
                if name not in coolings:
                    known = ", ".join(sorted(coolings)) or "none"
                    err(loc + ("path", j), f"no cold plate or channel layer is named {name!r} "
                        f"(coolings: {known})", name)
                elif name in in_loop:
                    err(loc + ("path", j), f"{name!r} is already in loop {in_loop[name]!r}; a cooling "
                        "sits in one loop, once", name)
                else:
                    in_loop[name] = loop.name
                    _member(err, coolings[name], loop)
    for name, (where, spec) in coolings.items():
        if name in in_loop:
            continue
        for key, example in (("flow_rate", '"1.5 L/min"'), ("inlet_T", "30")):
            if getattr(spec, key) is None:
                err(where + (key,), f"required: give {key} (e.g. {example}), or name {name!r} in "
                    "the path of a [[loops]] entry", None)


def _member(err, found, loop) -> None:
    where, spec = found
    for key in ("flow_rate", "inlet_T"):
        if getattr(spec, key) is not None:
            err(where + (key,), f"set by loop {loop.name!r}, which feeds this cooling; remove it here",
                getattr(spec, key))
    if "coolant" in spec.model_fields_set and spec.coolant != loop.coolant:
        err(where + ("coolant",), f"{spec.coolant!r} differs from the coolant of loop {loop.name!r} "
            f"({loop.coolant!r}), which feeds this cooling", spec.coolant)


__all__ = ["Loop", "check_loops", "coolings_by_name"]
