"""Jet-impingement correlations: pure functions of an array of round nozzles, its flow and the
coolant's properties (SI: m, m³/s, kg/m³, J/(kg·K), W/(m·K), Pa·s, W/(m²·K), Pa, W).

Heat transfer: Martin's correlation for arrays of round nozzles [martin-jets-1977], the mean
Nusselt number over the array, Nu = h D/k, with Re = u D/ν at the nozzle exit velocity u
(unverified: the primary was not consulted; G and the validity ranges as given by
[frank-incropera-ch7-nd], the whole array form checked against the chart of
[kutz-mech-handbook-nd] in tests/cooling/test_jet.py):

    Nu = Pr^0.42 · K(f, H/D) · G(f, H/D) · F(Re)
    K  = [1 + ((H/D)/(0.6/√f))^6]^(−0.05)
    G  = 2√f (1 − 2.2√f)/(1 + 0.2 (H/D − 6) √f)
    F  = 0.5 Re^(2/3)

with f the relative nozzle area (nozzle area over the plate area per nozzle). Stated validity:
2000 ≤ Re ≤ 1e5, 0.004 ≤ f ≤ 0.04, 2 ≤ H/D ≤ 12 (:data:`VALIDITY`); outside it the figures carry
warnings. Martin's review is of gas jets (its title); Pr^0.42 carries the correlation to liquids,
an extrapolation for water (Pr ≈ 2–7) that no warning flags. Arrays whose spent flow sweeps across the downstream jets (cross-flow)
lose some of this h; the correlation and this module leave that out.

Pressure drop: the nozzle's discharge ΔP = ρu²/(2 C_d²). The default C_d = 1/√(K_c + K_e) =
0.816 (derived) from the sharp entrance from the plenum, K_c = 0.5, and the jet's dynamic head
lost on impingement, the sudden expansion K_e = 1 (the large-plenum limits of
:func:`.losses.k_contraction` and :func:`.losses.k_expansion` [crane-flow-2009]); nozzle-wall
friction and the return path are not included.
"""

from __future__ import annotations

import math

from .losses import k_contraction, k_expansion

#: Martin's stated validity of the array correlation [martin-jets-1977]: (low, high) per group
VALIDITY = {"Re": (2000.0, 1.0e5), "f": (0.004, 0.04), "H/D": (2.0, 12.0)}

#: the loss coefficients (of ρu²/2 at the nozzle exit) of the nozzle entry from a large plenum
#: and of the jet's dynamic head, lost on the target [crane-flow-2009]
ZETA_ENTRY, ZETA_EXIT = k_contraction(0.0), k_expansion(0.0)
#: the default discharge coefficient (derived from the two losses above)
CD_DEFAULT = 1.0 / math.sqrt(ZETA_ENTRY + ZETA_EXIT)


def relative_nozzle_area(diameter: float, pitch: float, array: str = "inline") -> float:
    """f (dimensionless): the nozzle area π D²/4 over the plate area per nozzle, S² for a square
    in-line array and (√3/2) S² for a hexagonal (equilateral triangular) one — π D²/(4 S²) and
    π D²/(2√3 S²) (derived), nozzle diameter D and pitch S in m."""
    if array == "inline":
        return math.pi * diameter**2 / (4.0 * pitch**2)
    if array == "hexagonal":
        return math.pi * diameter**2 / (2.0 * math.sqrt(3.0) * pitch**2)
    raise ValueError(f"array must be 'inline' or 'hexagonal', got {array!r}")


def martin_k(f: float, h_d: float) -> float:
    """K(f, H/D) = [1 + ((H/D)/(0.6/√f))^6]^(−0.05) (dimensionless) [martin-jets-1977]."""
    return (1.0 + (h_d / (0.6 / math.sqrt(f))) ** 6) ** -0.05


def martin_g(f: float, h_d: float) -> float:
    """G(f, H/D) = 2√f (1 − 2.2√f)/(1 + 0.2 (H/D − 6) √f) (dimensionless) [martin-jets-1977]."""
    s = math.sqrt(f)
    return 2.0 * s * (1.0 - 2.2 * s) / (1.0 + 0.2 * (h_d - 6.0) * s)


def martin_f(re: float) -> float:
    """F(Re) = 0.5 Re^(2/3) of arrays of round nozzles (dimensionless) [martin-jets-1977]."""
    return 0.5 * re ** (2.0 / 3.0)


def nu_martin_array(re: float, pr: float, f: float, h_d: float) -> float:
    """Mean Nusselt number h D/k over an array of round nozzles (dimensionless):
    Pr^0.42 K G F [martin-jets-1977]. Refuses (``ValueError``) a G ≤ 0, where the correlation
    describes nothing."""
    g = martin_g(f, h_d)
    if not g > 0:
        raise ValueError(f"Martin's G is {g:.3g} at f = {f:.3g}, H/D = {h_d:.3g}: outside the correlation")
    return pr**0.42 * martin_k(f, h_d) * g * martin_f(re)


def validity_warnings(re: float, f: float, h_d: float) -> list[str]:
    """One sentence per group (Re, f, H/D) outside :data:`VALIDITY`."""
    out = []
    for name, value in (("Re", re), ("f", f), ("H/D", h_d)):
        lo, hi = VALIDITY[name]
        if not lo <= value <= hi:
            out.append(f"{name} = {value:.4g} is outside the {lo:g}–{hi:g} range of Martin's array "
                       "correlation [martin-jets-1977]; the h given is an extrapolation")
    return out


def nozzle_pressure_drop(rho: float, u: float, cd: float = CD_DEFAULT) -> float:
    """ΔP = ρu²/(2 C_d²) (Pa) of the flow through a nozzle at mean exit velocity ``u`` (m/s)."""
    return rho * u * u / (2.0 * cd * cd)


def jet_array_performance(*, diameter: float, pitch: float, array: str, gap: float, area: float,
                          flow_rate: float, props: dict, cd: float | None = None) -> dict:
    """Figures of a jet array: nozzles of ``diameter`` (m) on ``pitch`` (m) in ``array``
    (``"inline"``/``"hexagonal"``), ``gap`` H (m) to the target, over ``area`` (m²), sharing
    ``flow_rate`` (m³/s) of a coolant with ``props`` (ρ, cp, k, mu, Pr).

    Returns a dict: ``f, H_D, n_nozzles`` (area/cell area), ``u`` (m/s, nozzle exit), ``D_h`` (the
    nozzle diameter, m), ``Re, Pr, K, G, F, Nu, h`` (W/(m²·K), mean over the target), ``eta_fin``
    (1: a flat target has no fins), ``h_eff`` (= h), ``C_d, dP`` (Pa), ``pumping_power`` (W),
    ``mcp`` (W/K), ``R_cal`` (K/W), ``regime`` (None: Martin's correlation is not a channel's
    laminar one) and ``warnings`` (validity)."""
    f = relative_nozzle_area(diameter, pitch, array)
    h_d = gap / diameter
    cell = pitch**2 * (1.0 if array == "inline" else math.sqrt(3.0) / 2.0)
    n = area / cell
    u = flow_rate / (n * math.pi * diameter**2 / 4.0)
    re = props["rho"] * u * diameter / props["mu"]
    nu = nu_martin_array(re, props["Pr"], f, h_d)
    h = nu * props["k"] / diameter
    cd = CD_DEFAULT if cd is None else cd
    dp = nozzle_pressure_drop(props["rho"], u, cd)
    mcp = props["rho"] * props["cp"] * flow_rate
    return {"f": f, "H_D": h_d, "n_nozzles": n, "u": u, "D_h": diameter, "Re": re, "Pr": props["Pr"],
            "K": martin_k(f, h_d), "G": martin_g(f, h_d), "F": martin_f(re), "Nu": nu, "h": h,
            "eta_fin": 1.0, "h_eff": h, "C_d": cd, "dP": dp, "pumping_power": dp * flow_rate,
            "mcp": mcp, "R_cal": 1.0 / mcp, "regime": None, "warnings": validity_warnings(re, f, h_d)}


__all__ = ["VALIDITY", "ZETA_ENTRY", "ZETA_EXIT", "CD_DEFAULT", "relative_nozzle_area", "martin_k",
           "martin_g", "martin_f", "nu_martin_array", "validity_warnings", "nozzle_pressure_drop",
           "jet_array_performance"]
