"""Micro-channel correlations: pure functions of geometry, flow and coolant properties.

Everything is SI (m, m³/s, kg/m³, J/(kg·K), W/(m·K), Pa·s, W/(m²·K), Pa, W). Rectangular ducts of
width ``w`` and height ``H``: aspect ratio α = short/long side ≤ 1, hydraulic diameter
D_h = 2wH/(w + H), Re = ρ u D_h/μ, Pr = c_p μ/k.

Sources (keys of docs/references.md):

- fully developed laminar flow, Shah & London: Nu_H1, Nu_T, f·Re polynomials [shah-london-1978],
  as given by [bell-ht-nd] and checked against the tabulated values of
  [boardflare-shah-london-nd];
- simultaneously developing flow in a circular duct, Baehr–Stephan [bell-ht-nd], and its ratio to
  the fully developed 3.657 (:func:`developing_factor`, kept for circular ducts; rectangular
  channels use the models of :mod:`.developing`; see also [lee-garimella-2006]);
- fin (channel wall) efficiency with an adiabatic tip at the cover, effective base h, caloric
  resistance and pressure drop: derived (1-D fin conduction, an energy balance on the coolant,
  the Fanning friction law).

Turbulent and transitional flow are in :mod:`.turbulent`, developing laminar flow in rectangular
ducts in :mod:`.developing`, minor losses in :mod:`.losses`; :func:`channel_performance` and
:func:`flow_regime` (of :mod:`.performance`, re-exported here) put them together per regime.
"""

from __future__ import annotations

import math

#: Reynolds number above which the flow is not laminar (rectangular ducts, the usual critical
#: value 2300 [bell-ht-nd]); the laminar correlations here do not hold there.
RE_TURBULENT = 2300.0


def aspect_ratio(width: float, height: float) -> float:
    """α = min(w, H)/max(w, H) of a rectangular duct (dimensionless, 0 < α ≤ 1)."""
    return min(width, height) / max(width, height)


def hydraulic_diameter(width: float, height: float) -> float:
    """D_h = 4A/P = 2wH/(w + H) of a rectangular duct (m)."""
    return 2.0 * width * height / (width + height)


def nu_h1(alpha: float) -> float:
    """Fully developed laminar Nusselt number, H1 condition (axially uniform flux, peripherally
    uniform wall temperature), rectangular duct of aspect ratio ``alpha`` ∈ [0, 1].

    Shah & London: 8.235 (1 − 2.0421α + 3.0853α² − 2.4765α³ + 1.0578α⁴ − 0.1861α⁵);
    α = 1 → 3.61, 0.5 → 4.13, 0.2 → 5.74 [shah-london-1978] [boardflare-shah-london-nd].
    """
    a = _alpha(alpha)
    return 8.235 * (1 - 2.0421 * a + 3.0853 * a**2 - 2.4765 * a**3 + 1.0578 * a**4 - 0.1861 * a**5)


def nu_t(alpha: float) -> float:
    """Fully developed laminar Nusselt number, uniform wall temperature (T condition):
    7.541 (1 − 2.610α + 4.970α² − 5.119α³ + 2.702α⁴ − 0.548α⁵) [shah-london-1978]; α = 1 → 2.98."""
    a = _alpha(alpha)
    return 7.541 * (1 - 2.610 * a + 4.970 * a**2 - 5.119 * a**3 + 2.702 * a**4 - 0.548 * a**5)


def f_re(alpha: float) -> float:
    """Fanning friction factor times Re, fully developed laminar flow:
    24 (1 − 1.3553α + 1.9467α² − 1.7012α³ + 0.9564α⁴ − 0.2537α⁵) [shah-london-1978];
    α = 1 → 14.23, α → 0 → 24 (parallel plates)."""
    a = _alpha(alpha)
    return 24.0 * (1 - 1.3553 * a + 1.9467 * a**2 - 1.7012 * a**3 + 0.9564 * a**4 - 0.2537 * a**5)


def _alpha(alpha: float) -> float:
    a = float(alpha)
    if not 0.0 <= a <= 1.0:
        raise ValueError(f"aspect ratio must lie in [0, 1], got {alpha}")
    return a


def graetz(re: float, pr: float, d_h: float, length: float) -> float:
    """Graetz number Gz = Re·Pr·D_h/L (dimensionless)."""
    return re * pr * d_h / length


def nu_baehr_stephan(gz: float, pr: float) -> float:
    """Mean Nusselt number of simultaneously developing laminar flow in a circular duct,
    Baehr–Stephan [bell-ht-nd]: {3.657/tanh[2.264 Gz^(-1/3) + 1.7 Gz^(-2/3)] + 0.0499 Gz tanh(1/Gz)}
    / tanh(2.432 Pr^(1/6) Gz^(-1/6)). Tends to 3.657 as Gz → 0 (fully developed)."""
    a = 3.657 / math.tanh(2.264 * gz ** (-1 / 3) + 1.7 * gz ** (-2 / 3)) + 0.0499 * gz * math.tanh(1 / gz)
    return a / math.tanh(2.432 * pr ** (1 / 6) * gz ** (-1 / 6))


def developing_factor(re: float, pr: float, d_h: float, length: float) -> float:
    """Multiplier (≥ 1) on the fully developed Nu for the entrance region over ``length`` (m):
    Nu_Baehr–Stephan(Gz, Pr)/3.657 (derived: the circular-duct ratio applied to rectangular ducts)."""
    return max(1.0, nu_baehr_stephan(graetz(re, pr, d_h, length), pr) / 3.657)


def fin_efficiency(h: float, k_wall: float, wall_width: float, fin_height: float) -> float:
    """Efficiency of a channel wall as a straight fin with an adiabatic tip (the cover):
    m = √(2h/(k w_w)), η = tanh(mH)/(mH) (derived: 1-D conduction along the wall, both faces wetted)."""
    mh = math.sqrt(2.0 * h / (k_wall * wall_width)) * fin_height
    return math.tanh(mh) / mh if mh > 0 else 1.0


def h_effective(h: float, eta: float, channel_width: float, wall_width: float, height: float) -> float:
    """Effective heat-transfer coefficient per unit base (footprint) area (W/(m²·K)):
    h (w_c + 2 η H)/(w_c + w_w) (derived: the wetted base and both fin faces per pitch)."""
    return h * (channel_width + 2.0 * eta * height) / (channel_width + wall_width)


def pressure_drop(alpha_fre: float, re: float, length: float, d_h: float, rho: float, u: float) -> float:
    """Friction pressure drop (Pa), Fanning f = (f·Re)/Re (fully developed or apparent):
    ΔP = 2 f (L/D_h) ρ u² [bell-ht-nd] (minor losses: :mod:`.losses`)."""
    return 2.0 * (alpha_fre / re) * (length / d_h) * rho * u * u


#: beyond these no liquid cold plate runs (typical plates: 0.5–3 m/s, 0.1–1 bar); a flow that
#: reaches them is a mistyped flow rate or geometry, refused rather than solved
MAX_VELOCITY = 30.0  # m/s
MAX_PRESSURE_DROP = 5e6  # Pa (50 bar)


def check_plausible(name: str, path: str, flow_rate: float, perf: dict) -> None:
    """Refuse a cold plate or cavity whose channel velocity or pressure drop no plate reaches
    (:data:`MAX_VELOCITY`, :data:`MAX_PRESSURE_DROP`), naming it and the numbers."""
    from ..errors import LayoutError

    if perf["u"] > MAX_VELOCITY or perf["dP"] > MAX_PRESSURE_DROP:
        raise LayoutError(
            f"{name}: {flow_rate * 6e4:.4g} L/min gives {perf['u']:.3g} m/s in the channels and a pressure drop of "
            f"{perf['dP'] / 1e5:.3g} bar, beyond any cold plate (at most {MAX_VELOCITY:g} m/s, "
            f"{MAX_PRESSURE_DROP / 1e5:g} bar); check the flow rate and the channel geometry", path=f"{path}.flow_rate")


# at the end: performance builds on the functions above
from .performance import channel_performance, flow_regime  # noqa: E402


__all__ = ["RE_TURBULENT", "MAX_VELOCITY", "MAX_PRESSURE_DROP", "check_plausible", "aspect_ratio",
           "hydraulic_diameter", "nu_h1", "nu_t", "f_re", "graetz",
           "nu_baehr_stephan", "developing_factor", "fin_efficiency", "h_effective", "pressure_drop",
           "flow_regime", "channel_performance"]
