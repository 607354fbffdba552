"""Effective-medium (homogenisation) helpers for package layers.

A layer of aligned metal cylinders (TSVs, µbumps, C4 bumps, via columns) in a matrix, or a
laminate of sheets (substrate copper planes), is replaced by one homogeneous anisotropic material
with a diagonal conductivity tensor ``(kx, ky, kz)``; z is the stacking / cylinder-axis
direction. Its properties are derived (docs/references.md) from those of the constituents: the
effective layers of the material library are these functions' results.

Units: conductivities W/(m·K), densities kg/m³, specific heats J/(kg·K), lengths m (only ratios of
lengths enter, so any consistent unit gives the same answer), fractions dimensionless.
Bad input raises :class:`thermal_cpo.errors.LayoutError` naming the offending argument.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..errors import LayoutError

#: Tolerance on ``sum(fractions) == 1``.
FRACTION_SUM_TOL = 1e-9


# ---------------------------------------------------------------------------------------------
# input checks


def _finite(x, name: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise LayoutError(f"{name} must be a number, got {x!r}") from None
    if not math.isfinite(v):
        raise LayoutError(f"{name} must be finite, got {x!r}")
    return v


def _positive(x, name: str) -> float:
    v = _finite(x, name)
    if not v > 0:
        raise LayoutError(f"{name} must be > 0, got {x!r}")
    return v


def _fraction(x, name: str) -> float:
    v = _finite(x, name)
    if not 0.0 <= v <= 1.0:
        raise LayoutError(f"{name} must lie in [0, 1], got {x!r}")
    return v


def _fractions(fractions, name: str = "fractions") -> list[float]:
    if isinstance(fractions, (str, bytes)) or not isinstance(fractions, (Sequence, _array_types())):
        raise LayoutError(f"{name} must be a sequence of numbers, got {fractions!r}")
    fs = [_fraction(f, f"{name}[{i}]") for i, f in enumerate(fractions)]
    if not fs:
        raise LayoutError(f"{name} must not be empty")
    total = math.fsum(fs)
    if abs(total - 1.0) > FRACTION_SUM_TOL:
        raise LayoutError(f"{name} must sum to 1 (within {FRACTION_SUM_TOL:g}), got sum {total!r}")
    return fs


def _array_types():
    try:
        import numpy as np

        return (np.ndarray,)
    except ImportError:  # pragma: no cover
        return ()


def _paired(fractions, values, fname: str, vname: str, check=_positive) -> tuple[list[float], list[float]]:
    fs = _fractions(fractions, fname)
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, _array_types())):
        raise LayoutError(f"{vname} must be a sequence, got {values!r}")
    if len(values) != len(fs):
        raise LayoutError(f"{vname} has {len(values)} entries but {fname} has {len(fs)}; they must pair up")
    return fs, [check(v, f"{vname}[{i}]") for i, v in enumerate(values)]


# ---------------------------------------------------------------------------------------------
# mixing rules


def parallel(fractions, ks) -> float:
    """Arithmetic (parallel, Wiener upper) mean ``Σ f_i k_i`` in W/(m·K).

    ``fractions``: volume (or thickness) fractions in [0, 1] summing to 1; ``ks``: the phases'
    conductivities in W/(m·K), > 0. Heat flow along the phases (in-plane of a laminate, along
    cylinders).
    """
    fs, ks_ = _paired(fractions, ks, "fractions", "ks")
    return math.fsum(f * k for f, k in zip(fs, ks_))


def series(fractions, ks) -> float:
    """Harmonic (series, Wiener lower) mean ``1 / Σ (f_i / k_i)`` in W/(m·K).

    ``fractions``: volume (or thickness) fractions in [0, 1] summing to 1; ``ks``: conductivities
    in W/(m·K), > 0. Heat flow across stacked sheets.
    """
    fs, ks_ = _paired(fractions, ks, "fractions", "ks")
    return 1.0 / math.fsum(f / k for f, k in zip(fs, ks_))


def maxwell_garnett(phi, k_inclusion, k_matrix) -> float:
    """In-plane conductivity (W/(m·K)) across aligned cylinders of volume fraction ``phi``.

    ``k_xy = k_d·[(k_m + k_d) + φ(k_m − k_d)] / [(k_m + k_d) − φ(k_m − k_d)]`` with k_m the
    inclusion (cylinder) and k_d the matrix conductivity, both W/(m·K), and φ in [0, 1]
    (the 2-D Maxwell–Garnett [maxwell-garnett-1904] / Hashin–Shtrikman [hashin-shtrikman-1962]
    form, which lies between the series and parallel means and equals k_d at φ = 0 and k_m at
    φ = 1).
    """
    p = _fraction(phi, "phi")
    km = _positive(k_inclusion, "k_inclusion")
    kd = _positive(k_matrix, "k_matrix")
    # (k_m + k_d) ∓ φ(k_m − k_d) regrouped as sums of positive terms: the difference form loses
    # ~ε·k_m/k_d to cancellation near φ = 1 (seen at k_m/k_d = 1.7e4: 1.2e-12 relative error)
    return kd * ((1.0 + p) * km + (1.0 - p) * kd) / ((1.0 - p) * km + (1.0 + p) * kd)


def maxwell_eucken(phi, k_inclusion, k_matrix) -> float:
    """Conductivity (W/(m·K)) of a matrix holding dispersed spheres of volume fraction ``phi``.

    ``k = k_m·[2k_m + k_i − 2φ(k_m − k_i)] / [2k_m + k_i + φ(k_m − k_i)]`` with k_m the
    (continuous) matrix and k_i the inclusion conductivity, both W/(m·K), φ in [0, 1): the 3-D
    Maxwell–Eucken form [wang-effective-2006], equal to the Hashin–Shtrikman bound with the
    matrix as the continuous phase [hashin-shtrikman-1962]. It is not :func:`maxwell_garnett`,
    the 2-D form for aligned cylinders (k_i → 0 gives (1 − φ)/(1 + φ) there, 2(1 − φ)/(2 + φ)
    here).
    """
    p = _fraction(phi, "phi")
    if p >= 1.0:
        raise LayoutError(f"phi must be < 1 (the matrix must remain), got {phi!r}")
    ki = _finite(k_inclusion, "k_inclusion")
    if ki < 0:
        raise LayoutError(f"k_inclusion must be >= 0, got {k_inclusion!r}")
    km = _positive(k_matrix, "k_matrix")
    # written with positive terms only: (2k_m + k_i) − 2φ(k_m − k_i) = 2(1−φ)k_m + (1+2φ)k_i
    return km * (2.0 * (1.0 - p) * km + (1.0 + 2.0 * p) * ki) / ((2.0 + p) * km + (1.0 - p) * ki)


def voided(phi, k, rho) -> tuple[tuple[float, float, float], float]:
    """A dense material's ``k`` ((kx, ky, kz) in W/(m·K)) and ``rho`` (kg/m³) with a volume
    fraction ``phi`` (0 ≤ φ < 1) of non-conducting voids (air, k_void ≪ k): each component is
    scaled by the :func:`maxwell_eucken` factor with k_i = 0, ``2(1 − φ)/(2 + φ)``, and the
    density by ``1 − φ``; c_p per unit mass is unchanged (the voids hold no heat). The same
    factor on every component keeps an anisotropic ratio and a k(T) law as they are. Flat or
    irregular pores block more than spheres: sintered silver conducts 40–60 % less than this
    predicts at its measured porosity [mtcomm-sintered-ag-2021] (the library's entries)."""
    p = _fraction(phi, "phi")
    if p >= 1.0:
        raise LayoutError(f"phi must be < 1 (the matrix must remain), got {phi!r}")
    factor = 2.0 * (1.0 - p) / (2.0 + p)
    ks = tuple(_positive(x, f"k[{i}]") * factor for i, x in enumerate(k))
    return ks, _positive(rho, "rho") * (1.0 - p)


def area_fraction_circles(diameter, pitch) -> float:
    """Area (= volume) fraction of circles of ``diameter`` on a square array of ``pitch``.

    ``φ = π D² / (4 p²)``, dimensionless; ``diameter`` and ``pitch`` in metres (any consistent
    length unit), both > 0, with ``diameter <= pitch`` (touching circles, φ = π/4, at most).
    """
    d = _positive(diameter, "diameter")
    p = _positive(pitch, "pitch")
    if d > p:
        raise LayoutError(
            f"diameter ({diameter!r}) must not exceed pitch ({pitch!r}): circles on a square array would overlap"
        )
    return math.pi * d * d / (4.0 * p * p)


# ---------------------------------------------------------------------------------------------
# effective materials


def _mix_rho_cp(fs, rhos, cps) -> tuple[float, float]:
    """Volume-weighted density (kg/m³) and mass-weighted specific heat (J/(kg·K))."""
    rho = math.fsum(f * r for f, r in zip(fs, rhos))
    cp = math.fsum(f * r * c for f, r, c in zip(fs, rhos, cps)) / rho
    return rho, cp


def cylinder_array(
    phi,
    k_metal,
    k_matrix,
    rho_metal,
    rho_matrix,
    cp_metal,
    cp_matrix,
    source: str = "",
):
    """Homogenised layer of aligned metal cylinders (TSVs, bumps, vias) along z in a matrix.

    Returns a :class:`thermal_cpo.materials.Material` with ``k = (k_xy, k_xy, k_z)`` where
    ``k_z = φ k_metal + (1 − φ) k_matrix`` (parallel, along the cylinders) and ``k_xy`` is
    :func:`maxwell_garnett` (across them); ρ is volume-weighted (kg/m³) and c_p mass-weighted
    (J/(kg·K)) so that ρ·c_p is the volume-weighted heat capacity. ``phi`` is the metal volume
    fraction in [0, 1] (see :func:`area_fraction_circles`); conductivities W/(m·K).
    """
    from . import Material

    p = _fraction(phi, "phi")
    km = _positive(k_metal, "k_metal")
    kd = _positive(k_matrix, "k_matrix")
    rm = _positive(rho_metal, "rho_metal")
    rd = _positive(rho_matrix, "rho_matrix")
    cm = _positive(cp_metal, "cp_metal")
    cd = _positive(cp_matrix, "cp_matrix")
    k_z = parallel([p, 1.0 - p], [km, kd])
    k_xy = maxwell_garnett(p, km, kd)
    rho, cp = _mix_rho_cp([p, 1.0 - p], [rm, rd], [cm, cd])
    return Material(
        k=(k_xy, k_xy, k_z),
        rho=rho,
        cp=cp,
        category="effective",
        source=source or "derived: effective medium (cylinder array), thermal_cpo.materials.effective",
        notes=f"cylinder array, metal fraction phi = {p:.4g}, k_metal = {km:g}, k_matrix = {kd:g} W/(m*K)",
    )


def laminate(fractions, materials):
    """Homogenised stack of sheets (normal along z) with thickness ``fractions`` summing to 1.

    In-plane (x and y separately) the sheets conduct in parallel, ``Σ f_i k_i``; through the
    stack (z) in series, ``1 / Σ (f_i / k_i)``; ρ (kg/m³) volume-weighted, c_p (J/(kg·K))
    mass-weighted. ``materials`` are :class:`thermal_cpo.materials.Material` objects; their
    k(T) models are not carried over (the result has constant k at the reference values).
    Returns a Material with category ``"effective"``.
    """
    from . import Material

    fs = _fractions(fractions, "fractions")
    if isinstance(materials, (str, bytes)) or not isinstance(materials, Sequence):
        raise LayoutError(f"materials must be a sequence of Material, got {materials!r}")
    if len(materials) != len(fs):
        raise LayoutError(
            f"materials has {len(materials)} entries but fractions has {len(fs)}; they must pair up"
        )
    for i, m in enumerate(materials):
        if not isinstance(m, Material):
            raise LayoutError(f"materials[{i}] must be a Material, got {type(m).__name__}")
    kx = parallel(fs, [m.k[0] for m in materials])
    ky = parallel(fs, [m.k[1] for m in materials])
    kz = series(fs, [m.k[2] for m in materials])
    rho, cp = _mix_rho_cp(fs, [m.rho for m in materials], [m.cp for m in materials])
    return Material(
        k=(kx, ky, kz),
        rho=rho,
        cp=cp,
        category="effective",
        source="derived: laminate (parallel in-plane, series through), thermal_cpo.materials.effective",
        notes="thickness fractions " + ", ".join(f"{f:.4g}" for f in fs),
        assumed=any(m.assumed for m in materials),
    )


__all__ = [
    "parallel",
    "series",
    "maxwell_garnett",
    "maxwell_eucken",
    "voided",
    "area_fraction_circles",
    "cylinder_array",
    "laminate",
]
