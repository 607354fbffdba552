"""The jet-impingement plate: Martin's array correlation [martin-jets-1977] against hand values and
a published chart, its validity range, the nozzle pressure drop, small layouts (conservation, the
exact per-cell solution, flow) and bad input.

Tolerances: linear solves run to a relative residual of 1e-10 and the direct solver to round-off,
so energy balances are asserted to 1e-9 (observed 1e-14). Hand-derived values are given to 4–5
significant digits and compared to half a unit of the last digit.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermal_cpo import LayoutError
from thermal_cpo.cooling.impingement import (CD_DEFAULT, jet_array_performance, martin_f, martin_g, martin_k,
                                             nu_martin_array, relative_nozzle_area)
from thermal_cpo.layout import Package
from thermal_cpo.materials import coolants
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

WATER = coolants()["water"].properties(25.0)


# ---------------------------------------------------------------------------------------------
# the correlation
# ---------------------------------------------------------------------------------------------
def test_martin_functions_at_hand_derived_values():
    """f = 0.02, H/D = 7 (the chart of [kutz-mech-handbook-nd]), by hand (derived):
    K = [1 + (7/(0.6/0.141421))^6]^-0.05 = 21.1729^-0.05 = 0.85844;
    G = 0.282843 (1 − 0.311127)/(1 + 0.2 × 0.141421) = 0.18948; F(1e5) = 0.5 × 2154.43 = 1077.22."""
    assert martin_k(0.02, 7.0) == pytest.approx(0.85844, abs=5e-6)
    assert martin_g(0.02, 7.0) == pytest.approx(0.18948, abs=5e-6)
    assert martin_f(1e5) == pytest.approx(1077.22, abs=5e-3)
    # H/D → 0: K → 1 (the array term fades when the nozzles sit on the target)
    assert martin_k(0.02, 1e-3) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("pr, band", [(0.7, (100, 200)), (5.0, (300, 400)), (10.0, (400, 500)),
                                      (15.0, (500, 600)), (20.0, (600, 700))])
def test_martin_against_the_published_chart(pr, band):
    """Figure 19 of [kutz-mech-handbook-nd] plots Martin's array Nu against Re for f = 0.02,
    H/D = 7 and Pr = 0.7, 5, 10, 15, 20; at Re = 1e5 the curves end in the bands between the
    chart's 100-wide grid lines given here (the chart's resolution: a read to one grid band)."""
    nu = nu_martin_array(1e5, pr, 0.02, 7.0)
    assert band[0] <= nu <= band[1]


def test_relative_nozzle_area_of_both_arrays():
    """In line π D²/(4 S²); the hexagonal cell is (√3/2) S², so it packs 2/√3 more nozzles
    (geometry, derived)."""
    assert relative_nozzle_area(1.0, 2.0, "inline") == pytest.approx(math.pi / 16, rel=1e-14)
    ratio = relative_nozzle_area(1.0, 5.0, "hexagonal") / relative_nozzle_area(1.0, 5.0, "inline")
    assert ratio == pytest.approx(2 / math.sqrt(3), rel=1e-14)
    with pytest.raises(ValueError):
        relative_nozzle_area(1.0, 5.0, "square")


def _perf(**kw):
    args = dict(diameter=0.5e-3, pitch=3e-3, array="inline", gap=1.5e-3, area=1e-4,
                flow_rate=1e-3 / 60, props=WATER)
    args.update(kw)
    return jet_array_performance(**args)


def test_heat_transfer_follows_re_to_the_two_thirds():
    """K and G do not depend on Re, F ∝ Re^(2/3): twice the flow, 2^(2/3) the h (exact)."""
    assert _perf(flow_rate=2e-3 / 60)["h"] / _perf()["h"] == pytest.approx(2 ** (2 / 3), rel=1e-12)


def test_validity_range_is_reported():
    """Inside 2000 ≤ Re ≤ 1e5, 0.004 ≤ f ≤ 0.04, 2 ≤ H/D ≤ 12 [martin-jets-1977] no warning; each
    group outside it one warning naming it."""
    p = _perf()
    assert 2000 <= p["Re"] <= 1e5 and 0.004 <= p["f"] <= 0.04 and 2 <= p["H_D"] <= 12
    assert p["warnings"] == []
    assert [w.split(" ")[0] for w in _perf(flow_rate=0.2e-3 / 60)["warnings"]] == ["Re"]
    assert [w.split(" ")[0] for w in _perf(gap=0.5e-3)["warnings"]] == ["H/D"]
    assert [w.split(" ")[0] for w in _perf(pitch=1.5e-3, flow_rate=4e-3 / 60)["warnings"]] == ["f"]
    with pytest.raises(ValueError, match="outside the correlation"):
        nu_martin_array(1e4, 5.0, 0.25, 4.0)  # G < 0: nozzles nearly touching


def test_nozzle_pressure_drop():
    """ΔP = ρu²/(2 C_d²); the default C_d from K_c + K_e = 0.5 + 1 of a sharp entrance from and
    an expansion into a large plenum [crane-flow-2009] gives 1.5 ρu²/2 (derived)."""
    p = _perf()
    assert CD_DEFAULT == pytest.approx(0.81650, abs=5e-6)
    assert p["dP"] == pytest.approx(1.5 * 0.5 * WATER["rho"] * p["u"] ** 2, rel=1e-12)
    assert _perf(cd=0.6)["dP"] == pytest.approx(WATER["rho"] * p["u"] ** 2 / (2 * 0.36), rel=1e-12)
    n = 1e-4 / 9e-6  # nozzles on 1 cm² at a 3 mm pitch
    assert p["u"] == pytest.approx(1e-3 / 60 / (n * math.pi * 0.25e-6 / 4), rel=1e-12)
    assert p["pumping_power"] == pytest.approx(p["dP"] * 1e-3 / 60, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# small layouts
# ---------------------------------------------------------------------------------------------
MATERIALS = {"csi": {"k": [150.0, 150.0, 150.0], "rho": 2330, "cp": 705}}


def jet_package(flow="1 L/min", power=100.0, **extra):
    plate = {"name": "jets", "model": "jet", "nozzle_diameter": 500, "pitch": 3000,
             "nozzle_to_target": 1500, "base_thickness": 200, "material": "copper",
             "flow_rate": flow, "inlet_T": 25}
    plate.update(extra)
    return Package(name="jet", footprint={"x": 10000, "y": 10000}, grid={"max_cell_xy": 1000, "max_cell_z": 100},
                   materials=MATERIALS,
                   layers=[{"name": "die", "thickness": 300, "material": "csi", "power": power,
                            "power_at": "bottom"}], coldplates=[plate])


@pytest.fixture(scope="module")
def jet_result():
    return solve_steady(jet_package(), solver="direct")


def test_coolant_picks_up_the_power(jet_result):
    r = jet_result
    g = r.coolant["groups"][0]
    assert g["kind"] == "jet"
    assert g["heat"] == pytest.approx(100.0, rel=1e-9)
    assert r.energy_balance <= 1e-9
    p = r.package.coolant("water").properties(g["T_mean_properties"])
    assert p["rho"] * p["cp"] * g["flow_rate"] * (g["T_out"] - g["T_in"]) == pytest.approx(100.0, rel=1e-9)


def test_partial_plate_conserves_energy():
    r = solve_steady(jet_package(x=[2000, 8000], pitch=2000), solver="direct")
    assert r.coolant["groups"][0]["heat"] == pytest.approx(100.0, rel=1e-9)
    assert r.energy_balance <= 1e-9


def test_uniform_flux_gives_the_closed_form_rise(jet_result):
    """Uniform power over a die the plate covers: every column is alike, no heat moves sideways,
    and the top cells sit above T_in by q''(A/ṁc_p) (each cell's own fresh coolant) plus
    q''(d/(2k) + t_base/k_Cu + 1/h) — exact for the discretization (round-off only)."""
    r = jet_result
    g = r.coolant["groups"][0]
    q = 100.0 / 1e-4  # W/m²
    p = r.package.coolant("water").properties(g["T_mean_properties"])
    mcp_per_area = p["rho"] * p["cp"] * g["flow_rate"] / 1e-4
    k_cu = r.package.material("copper").k[2]
    dz_top = r.mesh.dz[-1]
    rise = q / mcp_per_area + q * (0.5 * dz_top / 150.0 + 200e-6 / k_cu + 1.0 / g["h"])
    np.testing.assert_allclose(r.temperature[-1] - 25.0, rise, rtol=1e-9)


def test_more_flow_lowers_the_junction():
    base = solve_steady(jet_package(), solver="direct")
    more = solve_steady(jet_package(flow="2 L/min"), solver="direct")
    assert more.component("die").T_max - 25.0 < base.component("die").T_max - 25.0
    assert more.coolant["groups"][0]["h"] > 1.5 * base.coolant["groups"][0]["h"]  # 2^(2/3) = 1.59


def test_transient_from_steady_stays_steady(jet_result):
    """Started from the steady field the plate holds it (the coolant's capacity and the network
    the same as the steady solve's); from a cold start, the energy balance closes with the heat
    stored (to the 1e-6 the transient balance is stated to)."""
    r = solve_transient(jet_package(), t_end=0.05, initial="steady")
    np.testing.assert_allclose(r.temperature, jet_result.temperature, atol=1e-6)
    cold = solve_transient(jet_package(), t_end=0.2, initial=25.0, dt=0.01, adaptive=False)
    assert cold.solver["energy_balance"] < 1e-6
    # heated from cold it approaches the steady field from below; BDF2 (the default scheme) is not
    # monotone and may pass it by about its local error (≤ 1e-6 K here)
    assert 25.0 < cold.temperature.max() < jet_result.temperature.max() + 1e-6


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("change, field, words", [
    ({"pitch": 500}, "pitch", ["must exceed nozzle_diameter"]),
    ({"pitch": 400}, "pitch", ["must exceed nozzle_diameter"]),
    ({"pitch": 900}, "pitch", ["beyond Martin's array correlation"]),
    ({"nozzle_to_target": 0}, "nozzle_to_target", ["must be > 0"]),
    ({"nozzle_to_target": -100}, "nozzle_to_target", ["must be > 0"]),
    ({"nozzle_diameter": 0}, "nozzle_diameter", ["must be > 0"]),
    ({"discharge_coefficient": 1.5}, "discharge_coefficient", ["(0, 1]"]),
    ({"array": "square"}, "array", ["'square'"]),
    ({"base_thickness": -10}, "base_thickness", [">= 0"]),
    ({"pitch": 20000}, "pitch", ["less than one nozzle"]),
])
def test_bad_jet_plates_are_refused_naming_the_field(change, field, words):
    with pytest.raises(LayoutError) as info:
        jet_package(**change)
    assert info.value.path == f"coldplates[0].{field}", str(info.value)
    for w in words:
        assert w in str(info.value)
