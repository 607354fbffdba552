"""The material library: solids (with sources) and coolants (temperature tables).

Data live in ``data/*.toml`` beside this file, one table per material; every entry carries a
``source`` naming the keys of ``docs/references.md`` its numbers come from, and says which
numbers are derived, assumptions or unverified (``assumed = true`` when any is). Inline
materials in a layout use the same schema.

A solder or metallic TIM carries ``T_solidus`` (°C), where it starts to melt (a liquid metal,
``liquid_by_design = true``, its melting point: it is not flagged); a steady report lists the
components hotter than it. ``void_fraction`` φ (0 ≤ φ < 1) declares air voids in the material:
``k`` and ``rho`` are then read as those of the dense matrix and replaced by the voided
medium's (:func:`.effective.voided`); a dump writes the dense values back, so a dumped material
validates to the same one.

Mixed media are built from these materials by :mod:`.effective` (laminates, cylinder arrays,
Maxwell–Eucken inclusions, voids) and :mod:`.mixing` (cells of a copper-density map, quantised);
a layout reaches them through inline ``material`` tables, ``void_fraction``, ``metal_density``
and ``voids`` (see :mod:`thermal_cpo.layout.media`).
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import numpy as np
from pydantic import BeforeValidator, PrivateAttr, ValidationError, field_validator, model_serializer, model_validator

from .. import units as u
from ..errors import LayoutError, did_you_mean
from ..schema import K_MAX, K_MIN, Density, Frozen, Number, QuantityInput, SpecificHeat, Temperature, fail

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _k_tensor(v):
    """``k`` as a number (isotropic) or ``[kx, ky, kz]`` → a 3-tuple in W/(m·K)."""
    if isinstance(v, (list, tuple)):
        if len(v) != 3:
            raise fail("expected a number or [kx, ky, kz], got {v}", v=u.shown(v))
        vals = tuple(u.parse(x, u.CONDUCTIVITY) for x in v)
    else:
        x = u.parse(v, u.CONDUCTIVITY)
        vals = (x, x, x)
    if not all(x > 0 for x in vals):
        raise fail("conductivity must be > 0, got {v}", v=repr(v))
    if not all(K_MIN <= x <= K_MAX for x in vals):
        raise fail(f"conductivity {v!r} is outside the physical range [{K_MIN:g}, {K_MAX:g}] W/(m·K)")
    return vals


KTensor = Annotated[tuple[float, float, float],
                    BeforeValidator(_k_tensor, json_schema_input_type=QuantityInput | list[QuantityInput])]


class Material(Frozen):
    """A solid: conductivity (isotropic or diagonal kx, ky, kz) in W/(m·K), density kg/m³,
    specific heat J/(kg·K), optional power-law k(T) = k·(T/T0)^-n with T in kelvin; optional
    ``T_solidus`` (°C), ``liquid_by_design`` and ``void_fraction`` (see the module docstring).
    With voids, ``k`` and ``rho`` are the voided medium's; :attr:`k_matrix` and
    :attr:`rho_matrix` the dense matrix's."""

    k: KTensor
    rho: Density
    cp: SpecificHeat
    k_model: Literal["constant", "power"] = "constant"
    T0: Temperature | None = None
    n: Number | None = None
    category: str = "user"
    source: str = ""
    notes: str = ""
    assumed: bool = False
    T_solidus: Temperature | None = None
    liquid_by_design: bool = False
    void_fraction: Number = 0.0

    _k_matrix: tuple[float, float, float] | None = PrivateAttr(default=None)
    _rho_matrix: float | None = PrivateAttr(default=None)

    @field_validator("void_fraction")
    @classmethod
    def _check_void_fraction(cls, v):
        if not (math.isfinite(v) and 0.0 <= v < 1.0):
            raise fail("void_fraction must satisfy 0 <= phi < 1 (a volume fraction of voids), got {v}", v=repr(v))
        return v

    @model_validator(mode="after")
    def _apply_voids(self):
        """Dense ``k``, ``rho`` → the voided medium's (c_p per unit mass is unchanged)."""
        if self.void_fraction > 0.0:
            from .effective import voided

            k_dense, rho_dense = self.k, self.rho
            k_eff, rho_eff = voided(self.void_fraction, k_dense, rho_dense)
            if not all(K_MIN <= x for x in k_eff):
                raise fail(f"void_fraction {self.void_fraction!r} leaves k = {k_eff!r} below {K_MIN:g} W/(m·K)")
            object.__setattr__(self, "k", k_eff)  # frozen model: set once, while validating
            object.__setattr__(self, "rho", rho_eff)
            self._k_matrix, self._rho_matrix = k_dense, rho_dense
        return self

    @model_serializer(mode="wrap")
    def _dense_dump(self, handler):
        """A dump gives the dense ``k`` and ``rho`` with the void fraction: it validates back to
        the same material instead of applying the voids twice."""
        data = handler(self)
        if self._k_matrix is not None and isinstance(data, dict):
            k = self._k_matrix
            data["k"] = k[0] if k[0] == k[1] == k[2] else list(k)
            data["rho"] = self._rho_matrix
        return data

    @property
    def k_matrix(self) -> tuple[float, float, float]:
        """The dense matrix's conductivity (W/(m·K)): ``k`` itself without voids."""
        return self._k_matrix if self._k_matrix is not None else self.k

    @property
    def rho_matrix(self) -> float:
        """The dense matrix's density (kg/m³): ``rho`` itself without voids."""
        return self._rho_matrix if self._rho_matrix is not None else self.rho

    @model_validator(mode="after")
    def _check_model(self):
        if self.k_model == "power":
            if self.T0 is None or self.n is None:
                raise fail("k_model = 'power' needs T0 (reference temperature) and n (exponent)")
            if self.T0 <= -273.15:
                raise fail("T0 must be above absolute zero")
        else:  # a parameter no model reads would be silently ignored: k would stay constant
            stray = [key for key in ("T0", "n") if getattr(self, key) is not None]
            if stray:
                raise ValidationError.from_exception_data("Material", [dict(
                    type=fail(f"{key} is a parameter of k_model = 'power' (k(T) = k·(T/T0)^-n), but "
                              f"k_model is {self.k_model!r}: set k_model = 'power' or remove {key}"),
                    loc=(key,), input=getattr(self, key)) for key in stray])
        return self

    @property
    def isotropic(self) -> bool:
        return self.k[0] == self.k[1] == self.k[2]

    @property
    def temperature_dependent(self) -> bool:
        return self.k_model != "constant"

    @property
    def volumetric_heat_capacity(self) -> float:
        """ρ·c_p in J/(m³·K)."""
        return self.rho * self.cp

    def k_factor(self, T_celsius):
        """Multiplier on ``k`` at temperature(s) ``T_celsius`` (°C); 1 for constant k. The
        layout's checks keep ``k`` times it inside [K_MIN, K_MAX] over the temperatures a
        package can reach (:meth:`k_outside`)."""
        if self.k_model == "constant":
            return np.ones_like(np.asarray(T_celsius, dtype=float))
        T = np.asarray(T_celsius, dtype=float) + 273.15
        return (T / (self.T0 + 273.15)) ** (-self.n)

    def k_outside(self, T_lo: float, T_hi: float) -> tuple[float, float] | None:
        """A temperature (°C) in ``[T_lo, T_hi]`` and the conductivity there (W/(m·K)) where a
        component of k(T) leaves [K_MIN, K_MAX]: the first where it is not a positive finite
        number, else the first outside; None when k(T) stays inside. Sampled (the endpoints
        included, exact for the monotone power law)."""
        if not self.temperature_dependent:
            return None
        T = np.linspace(T_lo, T_hi, 33)
        with np.errstate(all="ignore"):  # 0 K to a negative power is inf: reported, not warned
            k = np.asarray(self.k_factor(T))[:, None] * np.asarray(self.k)[None, :]
        broken = ~(np.isfinite(k) & (k > 0))
        bad = broken if broken.any() else ~((k >= K_MIN) & (k <= K_MAX))
        if not bad.any():
            return None
        i, c = np.argwhere(bad)[0]
        return float(T[i]), float(k[i, c])


class Coolant(Frozen):
    """A liquid with property tables against temperature (°C): ρ kg/m³, c_p J/(kg·K),
    k W/(m·K), μ Pa·s. Values between table points are interpolated linearly; outside the
    table an error is raised rather than extrapolating."""

    T: tuple[float, ...]
    rho: tuple[float, ...]
    cp: tuple[float, ...]
    k: tuple[float, ...]
    mu: tuple[float, ...]
    category: str = "coolant"
    source: str = ""
    notes: str = ""
    assumed: bool = False

    @model_validator(mode="after")
    def _check_tables(self):
        n = len(self.T)
        if n < 1:
            raise fail("the table needs at least one temperature")
        errors = []
        for key in ("T", "rho", "cp", "k", "mu"):
            vals = getattr(self, key)
            if len(vals) != n:
                raise fail(f"{key} has {len(vals)} values, T has {n}")
            # NaN fails every comparison and inf passes "> 0": both would reach the solve
            bad = [i for i, v in enumerate(vals) if not math.isfinite(v) or (key != "T" and not v > 0)]
            if bad:
                errors.append(dict(type=fail(f"{key}[{bad[0]}] is {vals[bad[0]]!r}; every value must be "
                                             "a finite number" + (" > 0" if key != "T" else "")),
                                   loc=(key,), input=list(vals)))
        if errors:
            raise ValidationError.from_exception_data("Coolant", errors)
        if any(b <= a for a, b in zip(self.T, self.T[1:])):
            raise fail("T must increase strictly")
        return self

    def properties(self, T_celsius: float) -> dict[str, float]:
        """ρ, c_p, k, μ and Pr at ``T_celsius`` (°C)."""
        T = float(T_celsius)
        if not (self.T[0] - 1e-9 <= T <= self.T[-1] + 1e-9):
            raise LayoutError(
                f"coolant temperature {T:.2f} °C is outside its property table "
                f"[{self.T[0]:g}, {self.T[-1]:g}] °C"
            )
        out = {key: float(np.interp(T, self.T, getattr(self, key))) for key in ("rho", "cp", "k", "mu")}
        out["Pr"] = out["cp"] * out["mu"] / out["k"]
        return out


def _read_data(filename: str) -> dict:
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def library() -> dict[str, Material]:
    """Every solid material of the built-in library, by name."""
    out: dict[str, Material] = {}
    for entry in sorted(resources.files(__package__).joinpath("data").iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".toml") or entry.name == "coolants.toml":
            continue
        for name, spec in _read_data(entry.name).items():
            if name in out:
                raise LayoutError(f"material {name!r} defined twice in the library ({entry.name})")
            try:
                out[name] = Material.model_validate(spec)
            except LayoutError as exc:
                raise LayoutError(f"library file {entry.name}: {exc}") from None
    return out


@lru_cache(maxsize=1)
def coolants() -> dict[str, Coolant]:
    """The built-in coolants (water, PG25, EG25, ...) by name."""
    return {name: Coolant.model_validate(spec) for name, spec in _read_data("coolants.toml").items()}


def get(name: str) -> Material:
    """A library material by name; a :class:`LayoutError` with the nearest names otherwise."""
    lib = library()
    try:
        return lib[name]
    except KeyError:
        raise LayoutError(f"unknown material {name!r}{did_you_mean(name, lib)}") from None


__all__ = ["Material", "Coolant", "library", "coolants", "get"]
