"""Turbulent and transitional duct flow: friction factors, Gnielinski's Nusselt number and the
laminar–turbulent bridge. Pure functions, dimensionless in and out.

Friction factors are named for their convention: ``darcy_*`` return the Darcy–Weisbach factor
f_D (ΔP = f_D (L/D_h) ρu²/2), :func:`fanning` converts to the Fanning factor f_F = f_D/4 used by
the laminar f·Re of :mod:`.correlations`. Rectangular ducts enter through their hydraulic
diameter D_h, the usual practice for these correlations ("pipe and channel flow"
[gnielinski-turbulent-1976]); Re and Pr as in :mod:`.correlations`.

Each correlation has a ``*_warnings`` function listing the inputs outside its published range;
values where the formula means nothing (Re ≤ 0, Pr ≤ 0, negative roughness) raise ``ValueError``.
"""

from __future__ import annotations

import math

#: Reynolds numbers bounding the transition bridge: laminar below, turbulent above
#: [gnielinski-tubes-2013].
RE_LAMINAR_END = 2300.0
RE_TURBULENT_START = 4000.0


def _positive(name: str, value: float) -> float:
    v = float(value)
    if not v > 0.0 or not math.isfinite(v):
        raise ValueError(f"{name} must be a positive finite number, got {value}")
    return v


def _roughness(rel_roughness: float) -> float:
    e = float(rel_roughness)
    if not e >= 0.0 or not math.isfinite(e):
        raise ValueError(f"relative roughness ε/D_h must be >= 0, got {rel_roughness}")
    return e


def fanning(f_darcy: float) -> float:
    """Fanning friction factor f_F = f_D/4 from a Darcy factor (dimensionless)."""
    return f_darcy / 4.0


def darcy_petukhov(re: float) -> float:
    """Darcy friction factor of fully developed turbulent flow in a smooth duct, Petukhov:
    f_D = (0.790 ln Re − 1.64)⁻² for 3000 ≤ Re ≤ 5·10⁶ [petukhov-turbulent-1970]
    (dimensionless; the same law as Filonenko's (1.82 log₁₀ Re − 1.64)⁻² used by
    [gnielinski-turbulent-1976])."""
    re = _positive("Re", re)
    x = 0.790 * math.log(re) - 1.64
    if x <= 0.0:
        raise ValueError(f"the Petukhov friction law has no value at Re = {re:g}")
    return x ** -2


def petukhov_warnings(re: float) -> list[str]:
    """Inputs outside the range of :func:`darcy_petukhov` (3000 ≤ Re ≤ 5·10⁶)."""
    re = _positive("Re", re)
    if not 3000.0 <= re <= 5e6:
        return [f"Petukhov friction: Re = {re:.4g} outside 3000–5e6 [petukhov-turbulent-1970]"]
    return []


def darcy_colebrook(re: float, rel_roughness: float = 0.0) -> float:
    """Darcy friction factor from the implicit Colebrook equation (dimensionless)
    [colebrook-turbulent-1939]:

        1/√f_D = −2 log₁₀( (ε/D_h)/3.7 + 2.51/(Re √f_D) ),

    ``rel_roughness`` = ε/D_h ≥ 0 (0: smooth). Solved for x = 1/√f_D, where
    g(x) = x + 2 log₁₀(a + b x) is strictly increasing and concave, so its tangent lies above
    it and every Newton step lands left of the root, from where the iterates rise monotonically
    to it; steps are kept inside a bisection bracket, to a relative change below 1e-14.
    """
    re = _positive("Re", re)
    a = _roughness(rel_roughness) / 3.7
    b = 2.51 / re

    def g(x: float) -> float:
        return x + 2.0 * math.log10(a + b * x)

    lo, hi = 1e-6, 1e3  # f_D from 1e-6 to 1e12: g(lo) < 0 < g(hi) for any Re > 0, ε/D_h ≥ 0
    if g(lo) >= 0.0:  # only for Re so small that no turbulent law applies
        raise ValueError(f"the Colebrook equation has no root at Re = {re:g}, ε/D_h = {3.7 * a:g}")
    x = hi
    for _ in range(200):
        gx = g(x)
        if gx > 0.0:
            hi = x
        else:
            lo = x
        step = gx / (1.0 + 2.0 * b / ((a + b * x) * math.log(10.0)))
        x_new = x - step
        if not lo < x_new < hi:
            x_new = 0.5 * (lo + hi)
        if abs(x_new - x) <= 1e-14 * x:
            x = x_new
            break
        x = x_new
    return x ** -2


def colebrook_warnings(re: float, rel_roughness: float = 0.0) -> list[str]:
    """Inputs outside the range of :func:`darcy_colebrook`: turbulent flow (Re ≥ 4000, the
    Moody chart's turbulent zone [moody-friction-1944]) up to 1e8, and ε/D_h ≤ 0.05."""
    re = _positive("Re", re)
    e = _roughness(rel_roughness)
    out = []
    if not 4000.0 <= re <= 1e8:
        out.append(f"Colebrook friction: Re = {re:.4g} outside the turbulent range 4000–1e8 "
                   "[moody-friction-1944]")
    if e > 0.05:
        out.append(f"Colebrook friction: relative roughness {e:.3g} above 0.05 [moody-friction-1944]")
    return out


def nu_gnielinski(re: float, pr: float, f_darcy: float | None = None,
                  d_over_l: float = 0.0) -> float:
    """Mean Nusselt number of turbulent duct flow, Gnielinski [gnielinski-turbulent-1976]:

        Nu = (f_D/8)(Re − 1000) Pr / (1 + 12.7 √(f_D/8) (Pr^(2/3) − 1)) · [1 + (D_h/L)^(2/3)],

    with the Darcy factor ``f_darcy`` (default: :func:`darcy_petukhov`, the smooth-duct law of
    the correlation) and ``d_over_l`` = D_h/L for the entrance-region factor (0: fully
    developed). Dimensionless. Re ≤ 1000 gives no heat transfer at all and is refused.
    """
    re = _positive("Re", re)
    pr = _positive("Pr", pr)
    if re <= 1000.0:
        raise ValueError(f"the Gnielinski correlation has no meaning at Re = {re:g} <= 1000")
    if d_over_l < 0.0:
        raise ValueError(f"D_h/L must be >= 0, got {d_over_l}")
    f = darcy_petukhov(re) if f_darcy is None else _positive("f_D", f_darcy)
    s = f / 8.0
    nu = s * (re - 1000.0) * pr / (1.0 + 12.7 * math.sqrt(s) * (pr ** (2.0 / 3.0) - 1.0))
    return nu * (1.0 + d_over_l ** (2.0 / 3.0))


def gnielinski_warnings(re: float, pr: float, l_over_d: float | None = None) -> list[str]:
    """Inputs outside the range of :func:`nu_gnielinski`: 3000 ≤ Re ≤ 5·10⁶ and
    0.5 ≤ Pr ≤ 2000 [gnielinski-turbulent-1976]; with the entrance factor, L/D_h > 1
    (assumption: below one diameter the factor is an extrapolation)."""
    re = _positive("Re", re)
    pr = _positive("Pr", pr)
    out = []
    if not 3000.0 <= re <= 5e6:
        out.append(f"Gnielinski Nu: Re = {re:.4g} outside 3000–5e6 [gnielinski-turbulent-1976]")
    if not 0.5 <= pr <= 2000.0:
        out.append(f"Gnielinski Nu: Pr = {pr:.4g} outside 0.5–2000 [gnielinski-turbulent-1976]")
    if l_over_d is not None and l_over_d <= 1.0:
        out.append(f"Gnielinski Nu: L/D_h = {l_over_d:.3g} <= 1, entrance factor extrapolated")
    return out


def transition_weight(re: float) -> float:
    """γ = (Re − 2300)/(4000 − 2300) clipped to [0, 1]: the weight of the turbulent value in the
    transition bridge [gnielinski-tubes-2013] (dimensionless)."""
    re = _positive("Re", re)
    return min(1.0, max(0.0, (re - RE_LAMINAR_END) / (RE_TURBULENT_START - RE_LAMINAR_END)))


def bridge(re: float, laminar_at_2300: float, turbulent_at_4000: float) -> float:
    """Linear interpolation in Re between the laminar value at Re = 2300 and the turbulent value
    at Re = 4000, (1 − γ) X_lam(2300) + γ X_turb(4000), for 2300 ≤ Re ≤ 4000: Gnielinski's
    transition rule for Nu [gnielinski-tubes-2013]; applied to the friction factor too
    (assumption: the same bridge, so that f is continuous). Continuous in Re by construction:
    it takes the two branch values at its ends."""
    g = transition_weight(re)
    return (1.0 - g) * laminar_at_2300 + g * turbulent_at_4000


__all__ = ["RE_LAMINAR_END", "RE_TURBULENT_START", "fanning", "darcy_petukhov", "petukhov_warnings",
           "darcy_colebrook", "colebrook_warnings", "nu_gnielinski", "gnielinski_warnings",
           "transition_weight", "bridge"]
