"""``channel_performance`` across the flow regimes: the laminar fully developed figures kept,
the right correlation per regime, continuity at both ends of the transition, monotonic Nu,
the developing-flow limit, the pressure-drop parts (no double counting), warnings, and the
layout fields that feed it."""

from __future__ import annotations

import pytest

from thermal_cpo.cooling.correlations import (channel_performance, check_plausible, f_re, flow_regime, nu_h1,
                                              pressure_drop)
from thermal_cpo.cooling.developing import fapp_re, nu_developing
from thermal_cpo.cooling.losses import k_bend, k_contraction, k_expansion
from thermal_cpo.cooling.turbulent import darcy_colebrook, darcy_petukhov, nu_gnielinski
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady

# water-like properties (round numbers; the figures are compared with the correlations, not data)
PROPS = {"rho": 1000.0, "mu": 1e-3, "k": 0.6, "cp": 4180.0, "Pr": 4180.0 * 1e-3 / 0.6}
W, H, WALL, N = 1e-3, 2e-3, 0.5e-3, 10
D_H = 2 * W * H / (W + H)


def perf(re, length=0.05, **kw):
    """The bank's figures at channel Reynolds number ``re``."""
    u = re * PROPS["mu"] / (PROPS["rho"] * D_H)
    args = dict(width=W, height=H, n_channels=N, flow_rate=u * N * W * H, length=length, props=PROPS,
                k_wall=390.0, wall_width=WALL)
    args.update(kw)
    return channel_performance(**args)


def test_laminar_fully_developed_is_unchanged_but_for_minor_losses():
    """h = Nu_H1 k/D_h and the Fanning friction ΔP of Shah–London [shah-london-1978], as before;
    ΔP adds K_c + K_e at σ = w/(w + w_w) [crane-flow-2009]."""
    r = perf(500.0)
    assert r["regime"] == "laminar" and r["developing_factor"] == 1.0
    assert r["h"] == nu_h1(0.5) * PROPS["k"] / D_H
    assert r["dP_friction"] == pressure_drop(f_re(0.5), r["Re"], 0.05, D_H, PROPS["rho"], r["u"])
    sigma = W / (W + WALL)
    assert r["sigma"] == pytest.approx(sigma, rel=1e-15)
    head = 0.5 * PROPS["rho"] * r["u"] ** 2
    assert r["dP_minor"] == pytest.approx((k_contraction(sigma) + k_expansion(sigma)) * head, rel=1e-12)
    assert r["dP"] == pytest.approx(r["dP_friction"] + r["dP_minor"], rel=1e-15)
    assert r["pumping_power"] == pytest.approx(r["dP"] * r["mcp"] / (PROPS["rho"] * PROPS["cp"]), rel=1e-12)


@pytest.mark.parametrize("re, regime", [(100.0, "laminar"), (2299.0, "laminar"), (2300.0, "transitional"),
                                        (3999.0, "transitional"), (4000.0, "turbulent"), (1e5, "turbulent")])
def test_regime_names(re, regime):
    assert flow_regime(re) == regime
    assert perf(re)["regime"] == regime


def test_turbulent_uses_gnielinski_with_petukhov_or_colebrook():
    """Smooth: Gnielinski with Petukhov's f [gnielinski-turbulent-1976] [petukhov-turbulent-1970];
    rough: Colebrook's f in both [colebrook-turbulent-1939]; the Fanning f is f_D/4."""
    r = perf(2e4)
    assert r["Nu"] == pytest.approx(nu_gnielinski(r["Re"], PROPS["Pr"]), rel=1e-12)
    assert r["f_fanning"] == pytest.approx(darcy_petukhov(r["Re"]) / 4, rel=1e-12)
    rough = perf(2e4, roughness=10e-6)
    f_d = darcy_colebrook(rough["Re"], 10e-6 / D_H)
    assert rough["f_fanning"] == pytest.approx(f_d / 4, rel=1e-12)
    assert rough["Nu"] == pytest.approx(nu_gnielinski(rough["Re"], PROPS["Pr"], f_d), rel=1e-12)
    dev = perf(2e4, developing=True)
    assert dev["Nu"] == pytest.approx(r["Nu"] * (1 + (D_H / 0.05) ** (2 / 3)), rel=1e-12)


def test_transition_is_the_linear_bridge():
    """Midway (Re = 3150) the figures are the mean of the laminar ones at 2300 and the turbulent
    ones at 4000 [gnielinski-tubes-2013]."""
    mid = perf(3150.0)
    nu_t = nu_gnielinski(4000.0, PROPS["Pr"])
    assert mid["Nu"] == pytest.approx(0.5 * (nu_h1(0.5) + nu_t), rel=1e-12)
    assert mid["f_fanning"] == pytest.approx(0.5 * (f_re(0.5) / 2300 + darcy_petukhov(4000.0) / 4), rel=1e-12)


CASES = [dict(), dict(developing=True), dict(roughness=20e-6), dict(developing=True, roughness=20e-6),
         dict(length=0.005, developing=True)]


@pytest.mark.parametrize("kw", CASES)
@pytest.mark.parametrize("re0", [2300.0, 4000.0])
@pytest.mark.parametrize("key", ["Nu", "f_fanning", "dP_friction", "h_eff"])
def test_continuous_across_the_transition(kw, re0, key):
    """X(Re₀ + ε) − X(Re₀ − ε), ε = 1e-6 Re₀, is bounded by 2ε times the steepest one-sided slope
    near Re₀ (measured over ±1 in Re) with a factor 2 for curvature, plus round-off (1e-12
    relative): a jump of even 1e-7 of the value would exceed it (derived)."""
    eps = 1e-6 * re0
    x = {d: perf(re0 + d, **kw)[key] for d in (-1.0, -eps, 0.0, eps, 1.0)}
    slope = max(abs(x[1.0] - x[0.0]), abs(x[0.0] - x[-1.0]))
    assert abs(x[eps] - x[-eps]) <= 2.0 * (2.0 * eps * slope) + 1e-12 * abs(x[0.0])


@pytest.mark.parametrize("kw", [dict(), dict(roughness=20e-6), dict(length=1.0, developing=True)])
def test_nu_is_monotonic_in_re(kw):
    """Nu never falls as the flow rises: constant (fully developed) or rising in laminar flow,
    rising through the bridge and with Gnielinski."""
    res = [100.0, 500.0, 1000.0, 2000.0, 2299.0, 2300.0, 2500.0, 3000.0, 3500.0, 3999.0, 4000.0, 5000.0,
           1e4, 3e4, 1e5]
    nus = [perf(re, **kw)["Nu"] for re in res]
    assert all(b >= a * (1 - 1e-12) for a, b in zip(nus, nus[1:]))


def test_developing_tends_to_fully_developed_for_long_channels():
    """L → ∞ (L/D_h = 1.5e5 at Re = 100: x* ≈ 200): the developing figures → Shah–London
    [shah-london-1978] within 1e-4 (derived: the entrance terms scale as x*^(-1/3)^5 and 1/x⁺)."""
    dev, fd = perf(100.0, length=200.0, developing=True), perf(100.0, length=200.0)
    assert dev["Nu"] == pytest.approx(fd["Nu"], rel=1e-4)
    assert dev["fRe"] == pytest.approx(fd["fRe"], rel=1e-4)
    assert dev["dP"] == pytest.approx(fd["dP"], rel=1e-4)


def test_developing_uses_the_rectangular_models_and_counts_the_entrance_once():
    """developing: Nu and f_app from the rectangular-duct models; the minor losses are the same
    contraction/expansion as without (the entrance excess is in f_app only)."""
    dev, fd = perf(1000.0, developing=True), perf(1000.0)
    x_plus = 0.05 / (D_H * dev["Re"])
    assert dev["Nu"] == pytest.approx(nu_developing(0.5, x_plus / PROPS["Pr"], PROPS["Pr"], "H"), rel=1e-12)
    assert dev["fRe"] == pytest.approx(fapp_re(0.5, x_plus), rel=1e-12)
    assert dev["dP_minor"] == fd["dP_minor"]
    assert dev["dP_friction"] > fd["dP_friction"] and dev["Nu"] > fd["Nu"]


def test_bends_and_unknown_area_ratio():
    """``bends`` adds n·K₉₀ (K₉₀ = 1.20 [rennels-pipe-2012]) dynamic pressures; without the wall width
    σ = 0 (a large plenum: K_c + K_e = 1.5 [crane-flow-2009]) and a warning says so."""
    a, b = perf(1000.0), perf(1000.0, bends=3)
    head = 0.5 * PROPS["rho"] * a["u"] ** 2
    assert b["dP_minor"] - a["dP_minor"] == pytest.approx(3 * k_bend(90.0) * head, rel=1e-12)
    assert b["dP"] - a["dP"] == pytest.approx(3 * k_bend(90.0) * head, rel=1e-12)
    c = perf(1000.0, k_wall=None, wall_width=None)
    assert c["sigma"] == 0.0 and c["K_minor"] == pytest.approx(1.5, rel=1e-15)
    assert any("σ = 0 assumed" in w for w in c["warnings"]) and c["eta_fin"] is None


def test_warnings_name_what_is_outside_the_ranges():
    assert perf(1000.0, length=10.0)["warnings"] == []
    assert any("entry length" in w for w in perf(1500.0, length=0.01)["warnings"])
    assert any("transitional" in w for w in perf(3000.0)["warnings"])
    assert any("Gnielinski" in w for w in perf(1e7)["warnings"])
    assert any("Colebrook" in w for w in perf(1e5, roughness=0.2e-3)["warnings"])
    assert perf(1e5)["warnings"] == []
    assert all(isinstance(w, str) for w in perf(3000.0, developing=True)["warnings"])


@pytest.mark.parametrize("kw", [dict(bends=-1), dict(bends=1.5), dict(roughness=-1e-6)])
def test_bad_keywords_are_refused(kw):
    with pytest.raises(ValueError):
        perf(1000.0, **kw)


def test_plausibility_check_still_applies():
    from thermal_cpo import LayoutError

    with pytest.raises(LayoutError):
        check_plausible("cp", "coldplates[0]", 1.0, perf(2e5))


def _plate(**extra):
    plate = {"name": "cp", "face": "top", "channel_width": 100, "wall_width": 100, "channel_height": 500,
             "base_thickness": 0, "material": "silicon", "flow_direction": "+x", "flow_rate": "100 ml/min",
             "inlet_T": 25}
    plate.update(extra)
    return Package(name="compact", footprint={"x": 10000, "y": 10000},
                   grid={"max_cell_xy": 1000, "max_cell_z": 250},
                   layers=[{"name": "die", "thickness": 500, "material": "silicon", "power": 100.0,
                            "power_at": "bottom"}], coldplates=[plate])


def test_layout_fields_reach_the_pressure_drop():
    """A compact plate with ``bends = 2`` and a wall ``roughness``: the reported ΔP grows by
    2 K₉₀ ρu²/2 (laminar: roughness does not act); negative values are refused, naming the field."""
    from thermal_cpo import LayoutError

    from thermal_cpo.materials import coolants

    base = solve_steady(_plate()).coolant["groups"][0]
    bent = solve_steady(_plate(bends=2, roughness=1)).coolant["groups"][0]
    assert base["regime"] == "laminar" and bent["u"] == pytest.approx(base["u"], rel=1e-12)
    rho = coolants()["water"].properties(bent["T_mean_properties"])["rho"]
    assert bent["dP"] - base["dP"] == pytest.approx(2 * k_bend(90.0) * 0.5 * rho * bent["u"] ** 2, rel=1e-9)
    for bad in (dict(bends=-1), dict(roughness=-1)):
        with pytest.raises(LayoutError) as e:
            _plate(**bad)
        assert next(iter(bad)) in str(e.value)
