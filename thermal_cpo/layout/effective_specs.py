"""Effective media written in a layout: a component's ``material`` may be an inline table that
homogenises named materials (the layout's own or the library's) into one, with the formulas of
:mod:`thermal_cpo.materials.effective`::

    material = { effective = "laminate", layers = [["copper", 0.3], ["polyimide", 0.7]] }
    material = { effective = "cylinder_array", fill = "copper", matrix = "silicon",
                 diameter = "10 um", pitch = "50 um" }          # or fraction = 0.0314
    material = { effective = "maxwell_eucken", matrix = "underfill", inclusion = "silica",
                 fraction = 0.1 }
    material = { effective = "voided", matrix = "indium", fraction = 0.1 }
    material = { effective = "parallel", phases = [["a", 0.5], ["b", 0.5]] }   # or "series"

* ``laminate``: sheets stacked in z, thickness fractions summing to 1 — in-plane the parallel
  mean Σ f_i k_i, through the stack the series mean 1/Σ(f_i/k_i) (the two Wiener bounds,
  [wang-effective-2006]);
* ``cylinder_array``: aligned cylinders along z of area fraction φ = πD²/(4p²) on a square
  pitch — k_z the parallel mean, k_xy the 2-D Maxwell–Garnett form [maxwell-garnett-1904]
  [hashin-shtrikman-1962];
* ``maxwell_eucken``: dispersed spheres of volume fraction φ in a continuous matrix, per
  conductivity component k_m·[2k_m + k_i − 2φ(k_m − k_i)]/[2k_m + k_i + φ(k_m − k_i)]
  [wang-effective-2006];
* ``voided``: non-conducting pores, k·2(1 − φ)/(2 + φ), ρ·(1 − φ) (the Maxwell–Eucken form with
  k_i = 0, :func:`~thermal_cpo.materials.effective.voided`); the matrix's k(T) law is kept;
* ``parallel`` / ``series``: the isotropic Wiener bounds of phases with volume fractions.

ρ is volume-mixed and c_p mass-mixed. Apart from ``voided`` the constituents' k(T) laws are not
carried over. The table is resolved when the package is validated into a material of the
package's ``materials`` under a generated name that spells out the recipe (e.g.
``laminate(copper 0.3, polyimide 0.7)``), and the component refers to it by that name, so a
dumped or stored layout reads back without recomputing it.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Union

from pydantic import Discriminator, Tag, ValidationError, model_validator

from ..errors import LayoutError
from ..materials import Material, effective as eff
from ..schema import Frozen, Number, PositiveLength, fail


def _fraction_check(model, key, v, upper_open=False):
    ok = math.isfinite(v) and 0.0 <= v and (v < 1.0 if upper_open else v <= 1.0)
    if not ok:
        raise ValidationError.from_exception_data(type(model).__name__, [dict(
            type=fail(f"must satisfy 0 <= {key} {'<' if upper_open else '<='} 1 (a volume fraction), "
                      f"got {v!r}"), loc=(key,), input=v)])


def _phases_check(model, key, phases):
    if not phases:
        raise ValidationError.from_exception_data(type(model).__name__, [dict(
            type=fail("give at least one [material, fraction] pair"), loc=(key,), input=[])])
    for i, (_, f) in enumerate(phases):
        if not (math.isfinite(f) and 0.0 <= f <= 1.0):
            raise ValidationError.from_exception_data(type(model).__name__, [dict(
                type=fail(f"fraction {f!r} must lie in [0, 1]"), loc=(key, i), input=f)])
    total = math.fsum(f for _, f in phases)
    if abs(total - 1.0) > eff.FRACTION_SUM_TOL:
        raise ValidationError.from_exception_data(type(model).__name__, [dict(
            type=fail(f"the fractions must sum to 1, got {total:.12g}"), loc=(key,), input=None)])


class Laminate(Frozen):
    """Sheets stacked in z: ``layers`` = [[material, thickness fraction], ...] summing to 1."""

    effective: Literal["laminate"]
    layers: tuple[tuple[str, Number], ...]

    @model_validator(mode="after")
    def _check(self):
        _phases_check(self, "layers", self.layers)
        return self

    def names(self):
        return [(("layers", i, 0), n) for i, (n, _) in enumerate(self.layers)]

    def build(self, mats) -> Material:
        return eff.laminate([f for _, f in self.layers], mats)

    def label(self) -> str:
        return "laminate(" + ", ".join(f"{n} {f:.12g}" for n, f in self.layers) + ")"


class Mix(Frozen):
    """Isotropic Wiener bounds of ``phases`` = [[material, volume fraction], ...]: ``parallel``
    Σ f k, ``series`` 1/Σ(f/k), each component of k separately."""

    effective: Literal["parallel", "series"]
    phases: tuple[tuple[str, Number], ...]

    @model_validator(mode="after")
    def _check(self):
        _phases_check(self, "phases", self.phases)
        return self

    def names(self):
        return [(("phases", i, 0), n) for i, (n, _) in enumerate(self.phases)]

    def build(self, mats) -> Material:
        fs = [f for _, f in self.phases]
        rule = eff.parallel if self.effective == "parallel" else eff.series
        k = tuple(rule(fs, [m.k[c] for m in mats]) for c in range(3))
        rho, cp = eff._mix_rho_cp(fs, [m.rho for m in mats], [m.cp for m in mats])
        return Material(k=k, rho=rho, cp=cp, category="effective", assumed=any(m.assumed for m in mats),
                        source=f"derived: {self.effective} mean [wang-effective-2006]")

    def label(self) -> str:
        return f"{self.effective}(" + ", ".join(f"{n} {f:.12g}" for n, f in self.phases) + ")"


class CylinderArray(Frozen):
    """Aligned cylinders of ``fill`` along z in ``matrix``: ``diameter`` and ``pitch`` (a
    square array; layout lengths) or the area ``fraction``."""

    effective: Literal["cylinder_array"]
    fill: str
    matrix: str
    diameter: PositiveLength | None = None
    pitch: PositiveLength | None = None
    fraction: Number | None = None

    @model_validator(mode="after")
    def _check(self):
        geometric = self.diameter is not None or self.pitch is not None
        if geometric == (self.fraction is not None) or (geometric and None in (self.diameter, self.pitch)):
            raise ValidationError.from_exception_data("CylinderArray", [dict(
                type=fail("give either diameter and pitch, or fraction (the metal area fraction)"),
                loc=("fraction" if self.fraction is not None else "diameter",), input=None)])
        if geometric and self.diameter > self.pitch:
            raise ValidationError.from_exception_data("CylinderArray", [dict(
                type=fail(f"the diameter {self.diameter * 1e6:g} µm exceeds the pitch "
                          f"{self.pitch * 1e6:g} µm: cylinders on a square array would overlap"),
                loc=("diameter",), input=self.diameter)])
        if self.fraction is not None:
            _fraction_check(self, "fraction", self.fraction)
        return self

    @property
    def phi(self) -> float:
        """The metal area (volume) fraction."""
        if self.fraction is not None:
            return self.fraction
        return eff.area_fraction_circles(self.diameter, self.pitch)

    def names(self):
        return [(("fill",), self.fill), (("matrix",), self.matrix)]

    def build(self, mats) -> Material:
        m, d = mats
        return eff.cylinder_array(self.phi, m.k[2], d.k[2], m.rho, d.rho, m.cp, d.cp,
                                  source="derived: cylinder array [maxwell-garnett-1904] [hashin-shtrikman-1962]")

    def label(self) -> str:
        return f"cylinder_array({self.fill} in {self.matrix}, {self.phi:.12g})"


class MaxwellEucken(Frozen):
    """Spheres of ``inclusion`` at volume ``fraction`` (0 ≤ φ < 1) in a continuous ``matrix``."""

    effective: Literal["maxwell_eucken"]
    matrix: str
    inclusion: str
    fraction: Number

    @model_validator(mode="after")
    def _check(self):
        _fraction_check(self, "fraction", self.fraction, upper_open=True)
        return self

    def names(self):
        return [(("matrix",), self.matrix), (("inclusion",), self.inclusion)]

    def build(self, mats) -> Material:
        m, i = mats
        p = self.fraction
        k = tuple(eff.maxwell_eucken(p, i.k[c], m.k[c]) for c in range(3))
        rho, cp = eff._mix_rho_cp([1.0 - p, p], [m.rho, i.rho], [m.cp, i.cp])
        return Material(k=k, rho=rho, cp=cp, category="effective", assumed=m.assumed or i.assumed,
                        source="derived: Maxwell–Eucken [wang-effective-2006]")

    def label(self) -> str:
        return f"maxwell_eucken({self.inclusion} {self.fraction:.12g} in {self.matrix})"


class Voided(Frozen):
    """Non-conducting pores at volume ``fraction`` (0 ≤ φ < 1) in ``matrix``."""

    effective: Literal["voided"]
    matrix: str
    fraction: Number

    @model_validator(mode="after")
    def _check(self):
        _fraction_check(self, "fraction", self.fraction, upper_open=True)
        return self

    def names(self):
        return [(("matrix",), self.matrix)]

    def build(self, mats) -> Material:
        return voided_material(mats[0], self.fraction)

    def label(self) -> str:
        return voided_label(self.matrix, self.fraction)


def voided_material(m: Material, phi: float) -> Material:
    """``m`` with a further volume fraction ``phi`` of non-conducting pores: its k (W/(m·K))
    and ρ (kg/m³) as the dense matrix of :attr:`Material.void_fraction`, its k(T) law kept."""
    data = m.model_dump()
    data.update(k=list(m.k), rho=m.rho, void_fraction=phi, category="effective",
                source=f"derived: voided (Maxwell–Eucken, insulating pores) [wang-effective-2006]; {m.source}")
    return Material.model_validate(data)


def voided_label(matrix: str, phi: float) -> str:
    return f"voided({matrix} {phi:.12g})"


def _tag(v):
    if isinstance(v, str):
        return "name"
    if isinstance(v, dict):
        return v.get("effective")
    return getattr(v, "effective", None)


EFFECTIVE_KINDS = ("laminate", "parallel", "series", "cylinder_array", "maxwell_eucken", "voided")

#: a component's ``material``: a material name or an inline effective-medium table
MaterialSpec = Annotated[Union[
    Annotated[str, Tag("name")],
    Annotated[Laminate, Tag("laminate")], Annotated[Mix, Tag("parallel")], Annotated[Mix, Tag("series")],
    Annotated[CylinderArray, Tag("cylinder_array")], Annotated[MaxwellEucken, Tag("maxwell_eucken")],
    Annotated[Voided, Tag("voided")],
], Discriminator(_tag, custom_error_type="layout",
                 custom_error_message="expected a material name or an inline table with effective = "
                                      + " | ".join(repr(k) for k in EFFECTIVE_KINDS))]

EffectiveSpec = (Laminate, Mix, CylinderArray, MaxwellEucken, Voided)


def build_effective(spec, lookup) -> tuple[str, Material]:
    """``(generated name, Material)`` of an inline spec; ``lookup(name)`` gives a constituent
    Material (a :class:`LayoutError` for an unknown one)."""
    mats = [lookup(n) for _, n in spec.names()]
    try:
        return spec.label(), spec.build(mats)
    except LayoutError as exc:
        raise LayoutError(f"effective = {spec.effective!r}: {exc}") from None


__all__ = ["MaterialSpec", "EffectiveSpec", "EFFECTIVE_KINDS", "build_effective", "voided_material",
           "voided_label", "Laminate", "Mix", "CylinderArray", "MaxwellEucken", "Voided"]
