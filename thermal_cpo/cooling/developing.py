"""Simultaneously developing laminar flow in rectangular ducts: apparent friction f_app·Re and
mean Nusselt number over a channel of length L, after the asymptotic models of Muzychka and
Yovanovich, which blend the short-duct (boundary-layer) and long-duct (fully developed) limits
[muzychka-friction-2009] [muzychka-heat-2004].

The models are written on the square root of the flow area, √A, as length scale. With their
exponents, every term scales alike, so that written on the hydraulic diameter of
:mod:`.correlations` (Re = ρuD_h/μ, x⁺ = L/(D_h Re), x* = L/(D_h Re Pr), Nu = hD_h/k,
Fanning f) they keep their form (derived: Re_√A = Re √A/D_h, L⁺ = x⁺ D_h²/A, z* = x* D_h²/A,
Nu_√A = Nu √A/D_h, f Re_√A = f Re √A/D_h; the factors √A/D_h cancel term by term).

The fully developed asymptote of each model is taken from the Shah–London polynomials
[shah-london-1978] (f·Re, Nu_H1, Nu_T of :mod:`.correlations`) instead of the models' own
closed forms, so that a long channel tends exactly to the fully developed values used
elsewhere in this package (derived; the models' closed forms differ from Shah–London by up to
about 10 % in Nu, within their stated accuracy).
"""

from __future__ import annotations

import math

from .correlations import f_re, nu_h1, nu_t


def _check(alpha: float, value: float, name: str) -> tuple[float, float]:
    a = float(alpha)
    if not 0.0 < a <= 1.0:
        raise ValueError(f"aspect ratio must lie in (0, 1], got {alpha}")
    v = float(value)
    if not v > 0.0 or not math.isfinite(v):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return a, v


def fre_series(alpha: float) -> float:
    """Fanning f·Re (on D_h) of fully developed laminar flow in a rectangular duct from the first
    term of the series solution, 24/((1 + α)² [1 − (192α/π⁵) tanh(π/(2α))]), the closed form of
    [muzychka-friction-2009] written on D_h (derived). Within 0.7 % of the Shah–London values
    (14.13 vs 14.23 for the square)."""
    a = float(alpha)
    if not 0.0 < a <= 1.0:
        raise ValueError(f"aspect ratio must lie in (0, 1], got {alpha}")
    return 24.0 / ((1.0 + a) ** 2 * (1.0 - 192.0 * a / math.pi ** 5 * math.tanh(math.pi / (2.0 * a))))


def fapp_re(alpha: float, x_plus: float, fre_fd: float | None = None) -> float:
    """Apparent Fanning friction factor times Re (on D_h) of laminar flow developing from a
    uniform inlet profile over a duct of dimensionless length x⁺ = L/(D_h Re):

        f_app Re = √[(3.44/√x⁺)² + (f Re)²]

    — the Muzychka–Yovanovich blend of Shah's short-duct limit 3.44/√x⁺ and the fully developed
    f·Re [muzychka-friction-2009] (the short-duct term is the same on both length scales). The
    fully developed ``fre_fd`` defaults to Shah–London's (:func:`.correlations.f_re`). The mean
    over the length, so ΔP = 4 f_app (L/D_h) ρu²/2 includes the entrance excess (dimensionless).
    """
    a, xp = _check(alpha, x_plus, "x+")
    fd = f_re(a) if fre_fd is None else float(fre_fd)
    return math.sqrt((3.44 / math.sqrt(xp)) ** 2 + fd * fd)


def nu_developing(alpha: float, x_star: float, pr: float, boundary: str = "H",
                  nu_fd: float | None = None, fre_fd: float | None = None) -> float:
    """Mean Nusselt number (on D_h) of simultaneously developing laminar flow over a rectangular
    duct of dimensionless length x* = L/(D_h Re Pr), the Muzychka–Yovanovich combined-entry
    model [muzychka-heat-2004] (written on D_h, see the module note):

        Nu = { [2 f(Pr)/√x*]^m + ( [1.5 C₃ (f Re / x*)^(1/3)]⁵ + Nu_fd⁵ )^(m/5) }^(1/m),
        f(Pr) = a / [1 + (b Pr^(1/6))^(9/2)]^(2/9),   m = 2.27 + 1.65 Pr^(1/3),

    for ``boundary`` "T" (uniform wall temperature) C₃ = 0.409, a = 0.564, b = 1.664, for "H"
    (axially uniform flux) C₃ = 0.501, a = 0.886, b = 1.909 (f(Pr) is the local flat-plate
    Nusselt number of Churchill and Ozoe, written on D_h and x*). The first term is the
    developing-velocity (boundary-layer) limit, the second the thermal-entry (Lévêque) limit,
    the last the fully developed value: by default
    Shah–London's Nu_H1 or Nu_T and f·Re (:mod:`.correlations`), or ``nu_fd`` and ``fre_fd``
    (on D_h, Fanning) for another duct. Dimensionless.
    """
    a, xs = _check(alpha, x_star, "x*")
    _, pr = _check(a, pr, "Pr")
    if boundary not in ("H", "T"):
        raise ValueError(f"boundary must be 'H' or 'T', got {boundary!r}")
    c3, fa, fb = (0.501, 0.886, 1.909) if boundary == "H" else (0.409, 0.564, 1.664)
    nu_inf = (nu_h1(a) if boundary == "H" else nu_t(a)) if nu_fd is None else float(nu_fd)
    fre = f_re(a) if fre_fd is None else float(fre_fd)
    f_pr = fa / (1.0 + (fb * pr ** (1.0 / 6.0)) ** 4.5) ** (2.0 / 9.0)
    m = 2.27 + 1.65 * pr ** (1.0 / 3.0)
    boundary_layer = 2.0 * f_pr / math.sqrt(xs)
    leveque = 1.5 * c3 * (fre / xs) ** (1.0 / 3.0)
    return (boundary_layer ** m + (leveque ** 5 + nu_inf ** 5) ** (m / 5.0)) ** (1.0 / m)


def developing_warnings(alpha: float, re: float, pr: float) -> list[str]:
    """Inputs outside the range of :func:`fapp_re` and :func:`nu_developing`: laminar flow
    (Re < 2300), and the Prandtl numbers 0.1–1000 over which [muzychka-heat-2004] compared the
    model (assumption: outside it the blend is an extrapolation)."""
    _check(alpha, re, "Re")
    _check(alpha, pr, "Pr")
    out = []
    if re >= 2300.0:
        out.append(f"developing laminar flow: Re = {re:.4g} is not laminar (>= 2300)")
    if not 0.1 <= pr <= 1000.0:
        out.append(f"developing laminar flow: Pr = {pr:.4g} outside 0.1–1000 [muzychka-heat-2004]")
    return out


__all__ = ["fre_series", "fapp_re", "nu_developing", "developing_warnings"]
