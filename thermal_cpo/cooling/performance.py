"""Hydraulic and thermal figures of a bank of parallel rectangular channels in every flow regime:
the laminar Shah–London values (or the developing-flow models of :mod:`.developing`), the
turbulent Gnielinski Nu with Petukhov or Colebrook friction (:mod:`.turbulent`), Gnielinski's
linear bridge between them, and the minor losses of :mod:`.losses`. SI units throughout.
"""

from __future__ import annotations

from . import developing as dev
from . import losses
from . import turbulent as turb
from .correlations import (aspect_ratio, f_re, fin_efficiency, h_effective, hydraulic_diameter, nu_h1,
                           pressure_drop)

#: an entry length above this share of the channel is reported when fully developed flow is
#: assumed (assumption: a tenth of the length changes mean Nu or f noticeably)
ENTRY_SHARE_REPORTED = 0.1


def flow_regime(re: float) -> str:
    """``"laminar"`` below Re = 2300, ``"transitional"`` up to 4000, ``"turbulent"`` above
    [gnielinski-tubes-2013]."""
    if re < turb.RE_LAMINAR_END:
        return "laminar"
    return "transitional" if re < turb.RE_TURBULENT_START else "turbulent"


def _laminar(alpha, d_h, length, pr, re, developing):
    """(Nu, Fanning f·Re, fully developed Nu) of laminar flow at Reynolds number ``re``."""
    if not developing:
        return nu_h1(alpha), f_re(alpha), nu_h1(alpha)
    x_plus = length / (d_h * re)
    return dev.nu_developing(alpha, x_plus / pr, pr, "H"), dev.fapp_re(alpha, x_plus), nu_h1(alpha)


def _turbulent(d_h, length, pr, re, developing, rel_rough):
    """(Nu, Darcy f, fully developed Nu) of turbulent flow at ``re``: Petukhov friction in a
    smooth channel, Colebrook in a rough one, the same f in Gnielinski's Nu."""
    f_d = turb.darcy_petukhov(re) if rel_rough == 0.0 else turb.darcy_colebrook(re, rel_rough)
    nu_fd = turb.nu_gnielinski(re, pr, f_d)
    nu = turb.nu_gnielinski(re, pr, f_d, d_h / length) if developing else nu_fd
    return nu, f_d, nu_fd


def _regime_values(alpha, d_h, length, pr, re, developing, rel_rough):
    """(Nu, Fanning f, fully developed Nu, warnings) for the regime of ``re``: continuous in Re
    (the bridge takes the laminar values at 2300 and the turbulent ones at 4000)."""
    regime = flow_regime(re)
    warn = []
    if regime == "laminar":
        nu, fre, nu_fd = _laminar(alpha, d_h, length, pr, re, developing)
        if developing:
            warn += dev.developing_warnings(alpha, re, pr)
        return nu, fre / re, nu_fd, warn
    re_t = max(re, turb.RE_TURBULENT_START)
    nu_t, f_d, nu_t_fd = _turbulent(d_h, length, pr, re_t, developing, rel_rough)
    warn += turb.gnielinski_warnings(re_t, pr, length / d_h if developing else None)
    warn += turb.petukhov_warnings(re_t) if rel_rough == 0.0 else turb.colebrook_warnings(re_t, rel_rough)
    if regime == "turbulent":
        return nu_t, turb.fanning(f_d), nu_t_fd, warn
    re_l = turb.RE_LAMINAR_END
    nu_l, fre_l, nu_l_fd = _laminar(alpha, d_h, length, pr, re_l, developing)
    warn.append(f"transitional flow (Re = {re:.4g}): Nu and f interpolated linearly between the laminar "
                "values at Re = 2300 and the turbulent ones at 4000 [gnielinski-tubes-2013]; the actual "
                "transition depends on the inlet disturbances")
    return (turb.bridge(re, nu_l, nu_t), turb.bridge(re, fre_l / re_l, turb.fanning(f_d)),
            turb.bridge(re, nu_l_fd, nu_t_fd), warn)


def _entry_warnings(re, pr, d_h, length):
    """Laminar entry lengths 0.05 Re D_h (hydrodynamic) and 0.05 Re Pr D_h (thermal)
    [bergman-heat-2011] that take more than :data:`ENTRY_SHARE_REPORTED` of the channel."""
    out = []
    for name, l_e in (("hydrodynamic", 0.05 * re * d_h), ("thermal", 0.05 * re * pr * d_h)):
        if l_e > ENTRY_SHARE_REPORTED * length:
            out.append(f"fully developed laminar flow assumed, but the {name} entry length (about "
                       f"{l_e * 1e3:.3g} mm) is {min(l_e / length, 9.99) * 100:.0f} % of the "
                       f"{length * 1e3:.3g} mm channel (developing = true accounts for it)")
    return out


def _minor(re, rho, u, sigma, bends, bend_angle, entrance_counted):
    """(total K, σ used, ΔP_minor, warnings): contraction + expansion + ``bends`` bends."""
    warn = []
    if sigma is None:
        sigma = 0.0
        warn.append("minor losses: plenum/channel area ratio unknown, σ = 0 assumed (entry from and exit "
                    "into a large plenum: K_c = 0.5, K_e = 1)")
    k = losses.k_contraction(sigma) + losses.k_expansion(sigma)
    if bends:
        k += bends * losses.k_bend(bend_angle)
    warn += losses.minor_loss_warnings(re, sigma, entrance_counted)
    return k, sigma, losses.minor_loss(k, rho, u), warn


def channel_performance(*, width: float, height: float, n_channels: int, flow_rate: float,
                        length: float, props: dict, k_wall: float | None = None,
                        wall_width: float | None = None, developing: bool = False, bends: int = 0,
                        bend_angle: float = 90.0, roughness: float = 0.0,
                        sigma: float | None = None) -> dict:
    """Hydraulic and thermal figures of a bank of ``n_channels`` parallel rectangular channels
    ``width`` × ``height`` (m), ``length`` (m) along the flow, sharing ``flow_rate`` (m³/s) of a
    coolant with properties ``props`` (ρ, cp, k, mu, Pr as from :meth:`Coolant.properties`).

    Regime (:func:`flow_regime`) and correlations: laminar (Re < 2300) Shah–London Nu_H1 and f·Re
    [shah-london-1978], or with ``developing`` the simultaneously developing mean Nu and apparent
    friction of :mod:`.developing`; turbulent (Re ≥ 4000) Gnielinski's Nu with Petukhov friction,
    Colebrook friction when ``roughness`` (m, equivalent sand roughness) > 0, and Gnielinski's
    entrance factor with ``developing``; transitional, the linear bridge of :mod:`.turbulent`.
    Nu and f are continuous in Re; Nu never falls with Re in fully developed flow, but with
    ``developing`` in a very short channel (L/D_h of a few) the laminar entrance gain at Re = 2300
    can slightly exceed Gnielinski's at 4000, so Nu may dip across the bridge.

    ΔP = friction (Fanning, 4f (L/D_h) ρu²/2; with ``developing`` f is the apparent factor, so the
    entrance excess is counted there and nowhere else) + minor losses: sudden contraction and
    expansion at the area ratio ``sigma`` — by default width/(width + wall_width) when the wall
    width is known (assumption: plenums as tall as the channels and as wide as the bank), else 0
    (a large plenum) — plus ``bends`` bends of ``bend_angle`` degrees (:mod:`.losses`).

    With ``k_wall`` and ``wall_width`` the walls are fins: the fin efficiency and the effective base
    h are included. Returns a dict: ``alpha, D_h, u`` (m/s), ``Re, Pr, regime, Nu``, ``Nu_fd``
    (the regime's fully developed value), ``developing_factor`` (Nu/Nu_fd), ``h`` (W/(m²·K), on
    the channel walls), ``eta_fin, h_eff`` (per base area), ``f_fanning``, ``fRe`` (Fanning f·Re),
    ``dP_friction``, ``dP_minor``, ``dP`` (Pa), ``K_minor, sigma``, ``pumping_power`` (W),
    ``mcp`` (W/K, the whole bank's heat-capacity flow), ``R_cal`` (K/W) and ``warnings`` (the
    inputs outside the ranges of the correlations used, as sentences).
    """
    if bends < 0 or int(bends) != bends:
        raise ValueError(f"bends must be a whole number >= 0, got {bends}")
    if roughness < 0.0:
        raise ValueError(f"roughness must be >= 0, got {roughness}")
    alpha = aspect_ratio(width, height)
    d_h = hydraulic_diameter(width, height)
    u = flow_rate / (n_channels * width * height)
    rho, pr = props["rho"], props["Pr"]
    re = rho * u * d_h / props["mu"]
    nu, f_f, nu_fd, warn = _regime_values(alpha, d_h, length, pr, re, developing, roughness / d_h)
    if flow_regime(re) == "laminar" and not developing:
        warn += _entry_warnings(re, pr, d_h, length)
    h = nu * props["k"] / d_h
    dp_f = pressure_drop(f_f * re, re, length, d_h, rho, u)
    if sigma is None and wall_width is not None:
        sigma = width / (width + wall_width)
    # the laminar entrance excess is in f_app when developing, negligible for a short entry length
    counted = developing or 0.05 * re * d_h <= ENTRY_SHARE_REPORTED * length
    k_minor, sigma, dp_m, w_minor = _minor(re, rho, u, sigma, int(bends), bend_angle, counted)
    dp = dp_f + dp_m
    mcp = rho * props["cp"] * flow_rate
    out = {"alpha": alpha, "D_h": d_h, "u": u, "Re": re, "Pr": pr, "regime": flow_regime(re),
           "Nu_fd": nu_fd, "developing_factor": nu / nu_fd, "Nu": nu, "h": h, "f_fanning": f_f,
           "fRe": f_f * re, "dP_friction": dp_f, "dP_minor": dp_m, "K_minor": k_minor, "sigma": sigma,
           "dP": dp, "pumping_power": dp * flow_rate, "mcp": mcp, "R_cal": 1.0 / mcp,
           "eta_fin": None, "h_eff": None, "warnings": warn + w_minor}
    if k_wall is not None and wall_width is not None:
        eta = fin_efficiency(h, k_wall, wall_width, height)
        out["eta_fin"] = eta
        out["h_eff"] = h_effective(h, eta, width, wall_width, height)
    return out


__all__ = ["ENTRY_SHARE_REPORTED", "flow_regime", "channel_performance"]
