"""What a layer, block or box is made of beyond one named material: an inline effective medium
(:mod:`.effective_specs`), a ``void_fraction`` of insulating pores, a copper-density map, and an
explicit map of voids.

* ``void_fraction`` φ (0 ≤ φ < 1): the component's material with non-conducting pores,
  Maxwell–Eucken k·2(1 − φ)/(2 + φ) [wang-effective-2006] (a voided TIM or solder layer).
* ``metal_density``: a 2-D map over the component's footprint (a ``.csv``/``.npy`` file or
  inline rows, the conventions of power maps: row = y, first row at the smallest y) of the metal
  volume fraction (0–1), with ``metal`` and ``dielectric`` material names and an optional
  ``via_fraction`` (the share of the metal in vertical vias, 0–1). Each cell column gets the
  area-weighted mean density of the pixels it overlaps and the effective material of
  :mod:`thermal_cpo.materials.mixing` (in-plane parallel bound, through-plane series bound or
  via-parallel), quantised to at most :data:`~thermal_cpo.materials.mixing.DENSITY_LEVELS`
  levels. ``material`` is then the dielectric (it may be left out).
* ``voids = { fraction = 0.1, diameter = "100 um", seed = 1 }``: circular voids (through the
  component's height) of ``material`` (air by default) placed at random, reproducibly by
  ``seed``, until they cover ``fraction`` of the footprint; on the grid the cell columns the
  circles cover most become void cells, as many as meet the fraction to within half the largest
  cell column's share of the footprint (:mod:`thermal_cpo.mesh.voids`).

A block without a material of its own takes its layer's (voids included); with a
``void_fraction`` of its own, its layer's material as declared with that fraction. Density and
void maps are refused on a layer with cooling channels (its cells are the channels' walls).

The inline material and ``void_fraction`` are resolved when the package is validated
(:func:`resolve_media`): the component then names a generated material of the package's
``materials``. The density levels are materials of the mesh named ``"<component>: metal
density <d>"``; the package resolves such names on demand (:class:`GeneratedMaterials`), so a
result file reads back.
"""

from __future__ import annotations

import math
from typing import Annotated, Union

from pydantic import BeforeValidator, ValidationError, model_validator

from ..errors import LayoutError, did_you_mean
from ..materials import Material, library
from ..materials.mixing import density_material
from ..schema import Frozen, Number, PositiveLength, fail
from .effective_specs import EffectiveSpec, build_effective, voided_label, voided_material
from .power_map import check_rows, read_map_file

#: what a level of a density map is named: ``f"{component}{DENSITY_TAG}{d!r}"``
DENSITY_TAG = ": metal density "


def _load_density(v):
    """Before-validator of ``metal_density``: rows (or a file) of metal fractions in [0, 1]."""
    if v is None:
        return None
    try:
        rows = check_rows(read_map_file(v) if isinstance(v, str) else v)
    except Exception as exc:  # the power-map reader's wording, said of a density map
        msg = getattr(exc, "message", lambda: str(exc))()
        raise fail(msg.replace("power densities", "metal densities").replace("power map", "density map")) from None
    for j, row in enumerate(rows):
        for i, d in enumerate(row):
            if d > 1.0:
                raise fail(f"row {j}, column {i}: {d:g} is above 1; a metal density is a volume "
                           "fraction in [0, 1]")
    return rows


DensityRows = Annotated[tuple[tuple[float, ...], ...], BeforeValidator(
    _load_density, json_schema_input_type=Union[str, list[list[float]]])]


class Voids(Frozen):
    """An explicit random void map: ``fraction`` of the footprint (0 < f < 1), circle
    ``diameter`` (a layout length), ``seed`` (a whole number), the void ``material``."""

    fraction: Number
    diameter: PositiveLength
    seed: int = 0
    material: str = "air"

    @model_validator(mode="after")
    def _check(self):
        if not (math.isfinite(self.fraction) and 0.0 < self.fraction < 1.0):
            raise ValidationError.from_exception_data("Voids", [dict(
                type=fail(f"must satisfy 0 < fraction < 1 (the voided share of the footprint), got "
                          f"{self.fraction!r}"), loc=("fraction",), input=self.fraction)])
        return self


class Media(Frozen):
    """The fields of :mod:`.media` shared by layers, blocks and boxes."""

    void_fraction: Number | None = None
    metal_density: DensityRows | None = None
    metal: str | None = None
    dielectric: str | None = None
    via_fraction: Number = 0.0
    voids: Voids | None = None

    @model_validator(mode="before")
    @classmethod
    def _dielectric_is_the_material(cls, data):
        if isinstance(data, dict) and data.get("metal_density") is not None:
            given = data.get("material")
            if given is None and data.get("dielectric") is None:
                raise ValidationError.from_exception_data(cls.__name__, [dict(
                    type=fail("a metal_density map needs dielectric (a material name)"),
                    loc=("dielectric",), input=None)])
            if given is None:
                data = {**data, "material": data.get("dielectric")}
            elif data.get("dielectric") is not None and given != data.get("dielectric"):
                raise ValidationError.from_exception_data(cls.__name__, [dict(
                    type=fail("with metal_density the material is the dielectric: leave material "
                              "out or make it the dielectric"), loc=("material",), input=str(given))])
        return data

    @model_validator(mode="after")
    def _check_media(self):
        errors = []

        def err(key, msg, value=None):
            errors.append(dict(type=fail(msg), loc=(key,), input=value))

        if self.void_fraction is not None and not (math.isfinite(self.void_fraction)
                                                   and 0.0 <= self.void_fraction < 1.0):
            err("void_fraction", f"must satisfy 0 <= void_fraction < 1, got {self.void_fraction!r}",
                self.void_fraction)
        if self.metal_density is None:
            for key in ("metal", "dielectric"):
                if getattr(self, key) is not None:
                    err(key, f"{key} describes a metal_density map: give metal_density too")
            if self.via_fraction != 0.0:
                err("via_fraction", "via_fraction describes a metal_density map: give metal_density too")
        else:
            for key in ("metal", "dielectric"):
                if getattr(self, key) is None:
                    err(key, f"a metal_density map needs {key} (a material name)")
            if not (math.isfinite(self.via_fraction) and 0.0 <= self.via_fraction <= 1.0):
                err("via_fraction", f"must lie in [0, 1] (the share of the metal in vias), got "
                    f"{self.via_fraction!r}", self.via_fraction)
            for key in ("void_fraction", "voids"):
                if getattr(self, key) is not None:
                    err(key, f"give either metal_density or {key}, not both")
        if self.voids is not None and _carries_power(self):
            err("voids", "a component with a void map carries no power (its heat would be made inside "
                "the voids): put the power on the layer or block beside it")
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self


def _carries_power(comp) -> bool:
    return getattr(comp, "power", 0.0) != 0.0 or any(
        getattr(comp, key, None) is not None for key in ("trace", "source", "power_model", "power_map"))


def _lookup(pkg, generated):
    def get(name):
        if name in generated:
            return generated[name]
        if name in pkg.materials:
            return pkg.materials[name]
        lib = library()
        if name in lib:
            return lib[name]
        known = set(lib) | set(pkg.materials) | set(generated)
        raise LayoutError(f"unknown material {name!r}{did_you_mean(name, known)} (see `thermal-cpo "
                          "materials`, or define it under [materials])")
    get.package = pkg
    return get


def _free(label, mat, generated, pkg, loc, errors) -> bool:
    """Whether the generated name ``label`` is free for ``mat`` (unused, or already ``mat``)."""
    existing = generated.get(label) or pkg.materials.get(label)
    if existing is not None and existing != mat:
        errors.append(dict(type=fail(f"the generated name {label!r} is already a different material "
                                     "of the layout: rename that one"), loc=loc, input=label))
        return False
    return True


def _resolve_one(comp, loc, get, generated, errors, inherit=None):
    """``(component, base)``: the component with its inline material and void fraction resolved
    into names, and its material's name before the voids. A block without a material of its
    own but with a void fraction voids its layer's material as declared (``inherit``)."""
    name = comp.material if comp.material is not None or not comp.void_fraction else inherit
    if isinstance(name, EffectiveSpec):
        for sub, n in name.names():
            try:
                get(n)
            except LayoutError as exc:
                errors.append(dict(type=fail(str(exc)), loc=loc + ("material",) + sub, input=n))
                return comp, None
        try:
            label, mat = build_effective(name, get)
        except LayoutError as exc:
            errors.append(dict(type=fail(str(exc)), loc=loc + ("material",), input=None))
            return comp, None
        if not _free(label, mat, generated, get.package, loc + ("material",), errors):
            return comp, None
        generated[label], name = mat, label
    base = name
    if comp.void_fraction and name is not None:
        try:
            dense = get(name)
        except LayoutError:
            return comp, base  # an unknown name is reported by the package's checks
        try:
            label, mat = voided_label(name, comp.void_fraction), voided_material(dense, comp.void_fraction)
        except LayoutError as exc:
            errors.append(dict(type=fail(str(exc)), loc=loc + ("void_fraction",), input=comp.void_fraction))
            return comp, base
        if not _free(label, mat, generated, get.package, loc + ("void_fraction",), errors):
            return comp, base
        generated[label], name = mat, label
    if name is comp.material and comp.void_fraction is None:
        return comp, base
    return comp.model_copy(update={"material": name, "void_fraction": None}), base


def resolve_media(pkg) -> list[dict]:
    """Resolve every inline material and void fraction of ``pkg`` (in place, while it is being
    validated): generated materials join ``pkg.materials``, components name them. Returns the
    problems as pydantic error dicts."""
    errors: list[dict] = []
    generated: dict[str, Material] = {}
    get = _lookup(pkg, generated)
    layers = []
    for i, layer in enumerate(pkg.layers):
        layer, base = _resolve_one(layer, ("layers", i), get, generated, errors)
        blocks = tuple(_resolve_one(b, ("layers", i, "blocks", j), get, generated, errors, base)[0]
                       for j, b in enumerate(layer.blocks))
        if any(a is not b for a, b in zip(blocks, layer.blocks)):
            layer = layer.model_copy(update={"blocks": blocks})
        layers.append(layer)
    boxes = tuple(_resolve_one(b, ("boxes", j), get, generated, errors)[0] for j, b in enumerate(pkg.boxes))
    object.__setattr__(pkg, "layers", tuple(layers))  # frozen: set once, while validating
    object.__setattr__(pkg, "boxes", boxes)
    materials = GeneratedMaterials({**pkg.materials, **generated})
    materials.package = pkg
    object.__setattr__(pkg, "materials", materials)
    return errors


def level_name(component: str, d: float) -> str:
    """The name of the material of density level ``d`` of ``component``'s map."""
    return f"{component}{DENSITY_TAG}{float(d)!r}"


def level_material(pkg, comp, d: float) -> Material:
    """The effective material of density ``d`` of component ``comp`` (with a density map)."""
    return density_material(d, pkg.material(comp.metal), pkg.material(comp.dielectric), comp.via_fraction)


class GeneratedMaterials(dict):
    """A package's materials (a plain dict to everything that iterates or dumps it) that also
    resolves the names of density levels (:func:`level_name`) from the package's density maps."""

    package = None

    def _level(self, name):
        if not isinstance(name, str) or DENSITY_TAG not in name or self.package is None:
            return None
        comp_name, _, d = name.rpartition(DENSITY_TAG)
        comp = next((c for c in self.package.components() if c.name == comp_name), None)
        if comp is None or getattr(comp, "metal_density", None) is None:
            return None
        try:
            return level_material(self.package, comp, float(d))
        except (ValueError, LayoutError, KeyError):
            return None

    def __contains__(self, name):
        return dict.__contains__(self, name) or self._level(name) is not None

    def __missing__(self, name):
        mat = self._level(name)
        if mat is None:
            raise KeyError(name)
        return mat

    def get(self, name, default=None):
        return self[name] if name in self else default


__all__ = ["Media", "Voids", "DensityRows", "resolve_media", "level_name", "level_material",
           "GeneratedMaterials", "DENSITY_TAG"]
