"""Pin-fin bank correlations: pure functions of geometry, flow and coolant properties.

Everything is SI. Circular pins of diameter ``D`` and height ``H`` stand on the base in rows across
the flow, ``S_T`` apart across it and ``S_L`` apart along it, either ``"inline"`` (rows aligned) or
``"staggered"`` (every other row shifted by S_T/2). One pin per footprint cell S_T × S_L.

Sources (keys of docs/references.md):

- heat transfer: Žukauskas' tube-bank correlation Nu_D = C Re_D^m Pr^0.36 (Pr/Pr_w)^0.25 with the
  constants per Reynolds band of [zukauskas-tube-banks-1972] as fitted in [bejan-convection-2013]
  and listed in [bell-ht-tube-bank-nd] (example: Nu = 175.92 at Re 1e4, Pr 7, 10 in-line rows of
  the pitch ratio 1); Re_D on the maximum velocity in the minimum cross-section, the wall
  correction (Pr/Pr_w)^0.25 taken as 1 (no wall-temperature property table here); banks of
  fewer than 20 rows take Žukauskas' row factor (:func:`row_factor`);
- friction: Gaddis & Gnielinski's drag coefficient per row [gaddis-gnielinski-1985], a laminar
  and a turbulent term blended over Re, for any pitch ratios (Žukauskas' own friction factors are
  charts for a few pitch ratios only);
- pin efficiency with an adiabatic tip at the cover and the effective footprint h: derived (1-D
  conduction along a pin, m = √(4h/(k D))).

Tube-bank data are for long tubes in cross-flow, without end walls. Micro pin fins (H/D ≈ 1–2)
were found to follow neither tube-bank friction [kosar-micro-pin-fins-2005] nor the published
Nu data [kharangate-micro-pin-fins-2018]; for 3D-ICE's cavity of 50 µm pins the h here is 2–3.6
times 3D-ICE's fitted one [sridhar-3dice-pinfin-2010] (see the tests). :func:`validity_warnings`
flags such pins.
"""

from __future__ import annotations

import math

import numpy as np

ARRANGEMENTS = ("inline", "staggered")

#: Žukauskas bands (upper Re bound, C, m) [zukauskas-tube-banks-1972] [bejan-convection-2013];
#: staggered C above Re 1000 is multiplied by (S_T/S_L)^0.2
_ZUKAUSKAS = {
    "inline": ((1e2, 0.9, 0.4), (1e3, 0.52, 0.5), (2e5, 0.27, 0.63), (math.inf, 0.033, 0.8)),
    "staggered": ((5e2, 1.04, 0.4), (1e3, 0.71, 0.5), (2e5, 0.35, 0.6), (math.inf, 0.031, 0.8)),
}

#: where the correlations were fitted: Žukauskas 1 < Re < 2e6 (the bands of
#: [bell-ht-tube-bank-nd]), 0.7 < Pr < 500, 20 rows or more without the row factor
#: [incropera-heat-transfer-2011] (unverified: as usually quoted); Gaddis–Gnielinski Re up to 3e5 and pitch ratios 1.25–3
#: (assumption: the range of the data as usually quoted for [gaddis-gnielinski-1985])
RE_RANGE = (1.0, 2e6)
PR_RANGE = (0.7, 500.0)
MIN_ROWS = 20
FRICTION_RE_MAX = 3e5
PITCH_RATIO_RANGE = (1.25, 3.0)
#: below this H/D the pins are "short" and the end walls matter (assumption; the micro pin fins of
#: [kosar-micro-pin-fins-2005] and [kharangate-micro-pin-fins-2018], H/D ≈ 1–2.4, lie well below)
SHORT_PIN_H_OVER_D = 4.0


def _arrangement(arrangement: str) -> str:
    if arrangement not in ARRANGEMENTS:
        raise ValueError(f"arrangement must be one of {ARRANGEMENTS}, got {arrangement!r}")
    return arrangement


def porosity(d: float, s_t: float, s_l: float) -> float:
    """Fluid fraction of the pin layer, 1 − πD²/(4 S_T S_L) (dimensionless); with S_T = S_L = p
    the porosity 3D-ICE uses for its pin-fin cavities [sridhar-3dice-2010]."""
    return 1.0 - math.pi * d * d / (4.0 * s_t * s_l)


def diagonal_pitch(s_t: float, s_l: float) -> float:
    """S_D = √(S_L² + (S_T/2)²) (m): centre distance to the nearest pin of the next staggered row."""
    return math.hypot(s_l, 0.5 * s_t)


def max_velocity(u_approach: float, d: float, s_t: float, s_l: float, arrangement: str) -> float:
    """Velocity in the minimum cross-section (m/s) from the approach (Darcy) velocity: S_T/(S_T − D)
    times it, or for a staggered bank whose diagonal gap is the narrower one
    (2(S_D − D) < S_T − D) S_T/(2(S_D − D)) times it [zukauskas-tube-banks-1972]
    [gaddis-gnielinski-1985]."""
    gap = s_t - d
    if _arrangement(arrangement) == "staggered":
        gap = min(gap, 2.0 * (diagonal_pitch(s_t, s_l) - d))
    return u_approach * s_t / gap


def nu_zukauskas(re: float, pr: float, arrangement: str, s_t: float, s_l: float) -> float:
    """Mean Nusselt number (on D) of a bank of 20 rows or more, Žukauskas:
    Nu = C Re^m Pr^0.36 [× (S_T/S_L)^0.2, staggered, Re > 1000], C and m by band
    [zukauskas-tube-banks-1972] [bejan-convection-2013] [bell-ht-tube-bank-nd]. The bands meet with
    steps (up to ≈ 27 % at Re = 1000 in-line, derived from the constants), as published."""
    bands = _ZUKAUSKAS[_arrangement(arrangement)]
    for upper, c, m in bands:
        if re < upper:
            break
    nu = c * re**m * pr**0.36
    if arrangement == "staggered" and re >= 1e3:
        nu *= (s_t / s_l) ** 0.2
    return nu


#: Žukauskas' row factor C_N for banks of N_L < 20 rows, Re_D,max > 1000, read from his graph
#: [zukauskas-tube-banks-1972] as tabulated to two digits in [incropera-heat-transfer-2011]
#: (unverified: that table was not consulted here; the values agree within 0.02 with the
#: digitisation of the same graph in [bell-ht-tube-bank-nd], e.g. 0.8942 for 4 staggered rows)
_ROWS = (1, 2, 3, 4, 5, 7, 10, 13, 16, 20)
_ROW_FACTOR = {"inline": (0.70, 0.80, 0.86, 0.90, 0.92, 0.95, 0.97, 0.98, 0.99, 1.0),
               "staggered": (0.64, 0.76, 0.84, 0.89, 0.92, 0.95, 0.97, 0.98, 0.99, 1.0)}


def row_factor(n_rows: int, arrangement: str) -> float:
    """Žukauskas' correction C_N ≤ 1 of the mean Nu of a bank of ``n_rows`` rows (dimensionless;
    1 from 20 rows on), linear between the tabulated row counts [zukauskas-tube-banks-1972]
    [incropera-heat-transfer-2011]. The table is for Re_D,max > 1000; below, where the graph's
    staggered curve lies higher [bell-ht-tube-bank-nd], it is used as well (assumption: Nu is then
    underestimated, by up to ≈ 25 % for a single staggered row, less as rows are added)."""
    if n_rows < 1:
        raise ValueError(f"a bank needs at least one row, got {n_rows}")
    return float(np.interp(min(n_rows, 20), _ROWS, _ROW_FACTOR[_arrangement(arrangement)]))


def drag_coefficient(re: float, a: float, b: float, arrangement: str) -> float:
    """Gaddis–Gnielinski pressure-drop coefficient per row ξ (ΔP = ξ N_rows ρ u_max²/2) at
    ``re`` on D and u_max, transverse and longitudinal pitch ratios ``a`` = S_T/D, ``b`` = S_L/D
    [gaddis-gnielinski-1985]; bank of 10 rows or more, wall-viscosity factors taken as 1.

    In-line: ξ_lam = f_lam/Re with f_lam = 280π[(√b − 0.6)² + 0.75]/((4ab − π) a^1.6),
    ξ_turb = f_t/Re^(0.1 b/a), f_t = [0.22 + 1.2(1 − 0.94/b)^0.6/(a − 0.85)^1.3] 10^(0.47(b/a − 1.5))
    + 0.03(a − 1)(b − 1), ξ = ξ_lam + ξ_turb (1 − e^(−(Re + 1000)/2000)).
    Staggered: the same f_lam with c = √((a/2)² + b²) for a^1.6 where the diagonal gap is the
    narrower one, ξ_turb = f_t/Re^0.25 with f_t = 2.5 + 1.2/(a − 0.85)^1.08 + 0.4(b/a − 1)³
    − 0.01(a/b − 1)³, ξ = ξ_lam + ξ_turb (1 − e^(−(Re + 200)/1000)).
    """
    shape = (math.sqrt(b) - 0.6) ** 2 + 0.75
    if _arrangement(arrangement) == "inline":
        f_lam = 280.0 * math.pi * shape / ((4.0 * a * b - math.pi) * a**1.6)
        f_t = ((0.22 + 1.2 * (1.0 - 0.94 / b) ** 0.6 / (a - 0.85) ** 1.3) * 10.0 ** (0.47 * (b / a - 1.5))
               + 0.03 * (a - 1.0) * (b - 1.0))
        return f_lam / re + f_t / re ** (0.1 * b / a) * (1.0 - math.exp(-(re + 1000.0) / 2000.0))
    c = math.hypot(0.5 * a, b) if b < 0.5 * math.sqrt(2.0 * a + 1.0) else a
    f_lam = 280.0 * math.pi * shape / ((4.0 * a * b - math.pi) * c**1.6)
    f_t = 2.5 + 1.2 / (a - 0.85) ** 1.08 + 0.4 * (b / a - 1.0) ** 3 - 0.01 * (a / b - 1.0) ** 3
    return f_lam / re + f_t / re**0.25 * (1.0 - math.exp(-(re + 200.0) / 1000.0))


def pin_efficiency(h: float, k_pin: float, d: float, height: float) -> float:
    """Efficiency of a circular pin with an adiabatic tip (the cover): m = √(4h/(k D)),
    η = tanh(mH)/(mH) (derived: 1-D conduction along the pin, its side wetted)."""
    mh = math.sqrt(4.0 * h / (k_pin * d)) * height
    return math.tanh(mh) / mh if mh > 0 else 1.0


def footprint_areas(d: float, height: float, s_t: float, s_l: float) -> tuple[float, float, float]:
    """Per pin (m²): the footprint S_T S_L, the wetted base S_T S_L − πD²/4 and the pin side πDH."""
    cell = s_t * s_l
    return cell, cell - 0.25 * math.pi * d * d, math.pi * d * height


def h_effective(h: float, eta: float, d: float, height: float, s_t: float, s_l: float) -> float:
    """Effective h per footprint area (W/(m²·K)): h (A_base + η A_pin)/A_footprint (derived)."""
    cell, base, side = footprint_areas(d, height, s_t, s_l)
    return h * (base + eta * side) / cell


def flow_regime(re: float) -> str:
    """Žukauskas' regimes of a tube bank on Re_D,max, the band edges of the correlation:
    ``"laminar"`` (predominantly laminar, Re < 1000), ``"mixed"`` (up to 2e5), ``"turbulent"``
    above [zukauskas-tube-banks-1972] [bell-ht-tube-bank-nd]."""
    return "laminar" if re < 1e3 else ("mixed" if re < 2e5 else "turbulent")


def validity_warnings(*, re: float, pr: float, n_rows: int, d: float, height: float,
                      s_t: float, s_l: float) -> list[str]:
    """Plain-language warnings for inputs outside the fitted ranges of the correlations (Re on D
    and u_max, Pr, rows along the flow; lengths in m)."""
    out = []
    if not RE_RANGE[0] <= re <= RE_RANGE[1]:
        out.append(f"Re_D,max = {re:.3g} is outside the Žukauskas range {RE_RANGE[0]:g}–{RE_RANGE[1]:g}")
    if re > FRICTION_RE_MAX:
        out.append(f"Re_D,max = {re:.3g} is above the Gaddis–Gnielinski friction range "
                   f"({FRICTION_RE_MAX:g})")
    if not PR_RANGE[0] <= pr <= PR_RANGE[1]:
        out.append(f"Pr = {pr:.3g} is outside the Žukauskas range {PR_RANGE[0]:g}–{PR_RANGE[1]:g}")
    if n_rows < MIN_ROWS and re < 1e3:
        out.append(f"{n_rows} pin rows along the flow at Re_D,max = {re:.3g}: the row factor is "
                   "Žukauskas' one for Re > 1000")
    for name, ratio in (("S_T/D", s_t / d), ("S_L/D", s_l / d)):
        if not PITCH_RATIO_RANGE[0] <= ratio <= PITCH_RATIO_RANGE[1]:
            out.append(f"{name} = {ratio:.3g} is outside the pitch ratios "
                       f"{PITCH_RATIO_RANGE[0]:g}–{PITCH_RATIO_RANGE[1]:g} of the friction data")
    if height / d < SHORT_PIN_H_OVER_D:
        out.append(f"short pins (H/D = {height / d:.3g}): the tube-bank correlations have no end walls; "
                   "micro pin fins do not follow them (h up to ≈ 3.6× a fit to measured 50 µm pins)")
    return out


def pinfin_performance(*, d: float, height: float, s_t: float, s_l: float, arrangement: str,
                       flow_rate: float, span: float, length: float, props: dict,
                       k_pin: float) -> dict:
    """Hydraulic and thermal figures of a pin-fin bank ``span`` (m) wide across the flow and
    ``length`` (m) along it, pins ``d`` × ``height`` (m) at pitches ``s_t``, ``s_l`` (m), carrying
    ``flow_rate`` (m³/s) of a coolant with properties ``props`` (ρ, cp, k, mu, Pr).

    Returns a dict: ``u_darcy`` (m/s, the flow over the bank's open cross-section span × height),
    ``u`` (m/s, the maximum velocity), ``Re, Pr, regime, Nu`` (with the row factor), ``h``
    (W/(m²·K), on the pins and base), ``eta_fin, h_eff`` (per footprint area), ``porosity``, ``D_h`` (m, 4 × fluid volume / wetted
    area, base and cover included: for comparison only, Re is on D), ``n_rows``, ``row_factor``
    (C_N), ``xi`` (drag
    coefficient per row), ``dP`` (Pa), ``pumping_power`` (W), ``mcp`` (W/K), ``R_cal`` (K/W),
    ``warnings`` (list of str).
    """
    u_d = flow_rate / (span * height)
    u = max_velocity(u_d, d, s_t, s_l, arrangement)
    re = props["rho"] * u * d / props["mu"]
    n_rows = max(1, int(math.floor(length / s_l + 1e-9)))
    c_n = row_factor(n_rows, arrangement)
    nu = c_n * nu_zukauskas(re, props["Pr"], arrangement, s_t, s_l)
    h = nu * props["k"] / d
    eta = pin_efficiency(h, k_pin, d, height)
    xi = drag_coefficient(re, s_t / d, s_l / d, arrangement)
    dp = xi * n_rows * 0.5 * props["rho"] * u * u
    cell, base, side = footprint_areas(d, height, s_t, s_l)
    eps = porosity(d, s_t, s_l)
    mcp = props["rho"] * props["cp"] * flow_rate
    return {"u_darcy": u_d, "u": u, "Re": re, "Pr": props["Pr"], "regime": flow_regime(re), "Nu": nu,
            "h": h, "eta_fin": eta, "h_eff": h_effective(h, eta, d, height, s_t, s_l), "porosity": eps,
            "D_h": 4.0 * eps * cell * height / (2.0 * base + side), "n_rows": n_rows, "row_factor": c_n,
            "xi": xi,
            "dP": dp, "pumping_power": dp * flow_rate, "mcp": mcp, "R_cal": 1.0 / mcp,
            "warnings": validity_warnings(re=re, pr=props["Pr"], n_rows=n_rows, d=d, height=height,
                                          s_t=s_t, s_l=s_l)}
