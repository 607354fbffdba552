"""Effective materials of mixed cells: a metal/dielectric routing layer of given local metal
density, and the quantisation of per-cell densities to a bounded set of levels.

A cell holding a volume fraction ``d`` of metal (copper traces and planes of an RDL or substrate
layer) in a dielectric is given a diagonal conductivity tensor between the two classical bounds
of a two-phase medium, the arithmetic (parallel, Voigt/Wiener upper) and harmonic (series,
Reuss/Wiener lower) means [wang-effective-2006]:

* in-plane (x and y): ``k_xy = d·k_m + (1 − d)·k_d`` — the parallel (upper) bound, exact for
  sheets parallel to the layer, an overestimate for metal that does not run through the cell;
* through the layer (z): ``1/k_z = d/k_m + (1 − d)/k_d`` — the series (lower) bound, exact for
  sheets stacked in z, or with a ``via_fraction`` v (the share of the metal standing in vertical
  columns across the layer), the columns in parallel with a laminate of the rest:
  ``k_z = v·d·k_m + (1 − v·d)·k_s`` with ``k_s`` the series mean of the non-via part (metal
  fraction ``(1 − v)·d/(1 − v·d)``). v = 0 is the series bound, v = 1 the parallel one; every
  v lies between them.

ρ is volume-mixed (kg/m³) and c_p mass-mixed (J/(kg·K)), so ρ·c_p is the volume mean of the
phases' heat capacities. The constituents' k(T) laws are not carried over (the result has
constant k at their reference values).

Quantisation: a density map resampled onto cells gives one density per cell column; they are
mapped onto at most ``n_levels`` levels (:func:`quantise`), so a layer adds a bounded number of
materials to the operator and the result file. When the cells hold at most ``n_levels``
distinct densities each is kept exactly; otherwise the levels are ``n_levels`` evenly spaced
values from the smallest to the largest density (both ends exact) and each cell takes the
nearest, so ``|d_cell − d_level| ≤ (d_max − d_min)/(2(n_levels − 1))`` (derived). As k_xy is
linear in d its error is at most ``|k_m − k_d|`` times that; k_z (series) moves fastest near
d = 1, by at most ``k_m·(k_m/k_d − 1)`` per unit of d (derived: the derivative of the series
mean), so a 64-level copper/polyimide map is accurate in k_xy to 0.8 % of the copper value and
in k_z only coarsely at the densest cells.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import LayoutError
from .effective import _fraction

#: the most density levels (materials) one density map adds to a mesh
DENSITY_LEVELS = 64


def density_conductivity(d, k_metal, k_dielectric, via_fraction=0.0) -> tuple[float, float, float]:
    """``(k_x, k_y, k_z)`` (W/(m·K)) of a cell with metal volume fraction ``d`` (0–1):
    per component, parallel in x and y, series (or via-parallel with ``via_fraction`` v, 0–1)
    in z; ``k_metal``, ``k_dielectric``: 3-tuples in W/(m·K) (see the module docstring)."""
    d = _fraction(d, "metal_density")
    v = _fraction(via_fraction, "via_fraction")
    km, kd = [float(x) for x in k_metal], [float(x) for x in k_dielectric]
    kx = d * km[0] + (1.0 - d) * kd[0]
    ky = d * km[1] + (1.0 - d) * kd[1]
    rest = 1.0 - v * d  # the non-via volume
    if rest <= 0.0:  # all metal, all in vias
        return kx, ky, km[2]
    sheet = (1.0 - v) * d / rest
    k_sheets = 1.0 / (sheet / km[2] + (1.0 - sheet) / kd[2])
    return kx, ky, v * d * km[2] + rest * k_sheets


def density_material(d, metal, dielectric, via_fraction=0.0, source: str = ""):
    """The effective :class:`~thermal_cpo.materials.Material` of a cell with metal volume
    fraction ``d`` (0–1) of ``metal`` in ``dielectric`` (Materials): k from
    :func:`density_conductivity`, ρ (kg/m³) volume-mixed, c_p (J/(kg·K)) mass-mixed."""
    from . import Material

    d = _fraction(d, "metal_density")
    k = density_conductivity(d, metal.k, dielectric.k, via_fraction)
    rho = d * metal.rho + (1.0 - d) * dielectric.rho
    cp = (d * metal.rho * metal.cp + (1.0 - d) * dielectric.rho * dielectric.cp) / rho
    return Material(k=k, rho=rho, cp=cp, category="effective",
                    source=source or "derived: metal density (parallel in-plane, series or via-parallel "
                                     "through) [wang-effective-2006]",
                    notes=f"metal fraction {d:.6g}, via fraction {via_fraction:.4g}",
                    assumed=metal.assumed or dielectric.assumed)


def quantise(values, n_levels: int = DENSITY_LEVELS) -> tuple[np.ndarray, np.ndarray, float]:
    """Map ``values`` (an array of densities, any shape) onto at most ``n_levels`` (≥ 2)
    levels: ``(levels, index, bound)`` with ``levels[index]`` the quantised array (same shape)
    and ``bound`` the largest possible ``|values − levels[index]|`` (0 when every distinct
    value is its own level); see the module docstring."""
    if not (isinstance(n_levels, int) and n_levels >= 2):
        raise LayoutError(f"n_levels must be a whole number >= 2, got {n_levels!r}")
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return np.zeros(0), np.zeros(v.shape, dtype=np.int64), 0.0
    if not np.all(np.isfinite(v)):
        raise LayoutError("the densities to quantise must be finite")
    distinct, inverse = np.unique(v, return_inverse=True)
    if len(distinct) <= n_levels:
        return distinct, inverse.reshape(v.shape), 0.0
    lo, hi = float(distinct[0]), float(distinct[-1])
    t = np.arange(n_levels) / (n_levels - 1)
    levels = lo * (1.0 - t) + hi * t  # both ends exact: t = 0 gives lo, t = 1 gives hi
    index = np.clip(np.rint((v - lo) / (hi - lo) * (n_levels - 1)), 0, n_levels - 1).astype(np.int64)
    bound = (hi - lo) / (2.0 * (n_levels - 1))
    return levels, index, bound * (1.0 + 4.0 * np.finfo(float).eps) + 4.0 * np.finfo(float).eps * max(abs(lo), abs(hi))


def check_density(d: float, name: str = "metal_density") -> float:
    """A density (metal volume fraction) checked to lie in [0, 1]."""
    v = float(d)
    if not (math.isfinite(v) and 0.0 <= v <= 1.0):
        raise LayoutError(f"{name} must lie in [0, 1] (a metal volume fraction), got {d!r}")
    return v


__all__ = ["DENSITY_LEVELS", "density_conductivity", "density_material", "quantise", "check_density"]
