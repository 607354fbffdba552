"""The manifold micro-channel plate: its segment figures against the straight compact plate in
the one-segment limit, their invariance and scaling with the manifold pitch, small layouts (conservation, the
exact per-cell solution, flow) and bad input.

Tolerances: linear solves run to a relative residual of 1e-10 and the direct solver to round-off,
so energy balances are asserted to 1e-9 (observed 1e-15); identities between two evaluations of
the same closed forms to 1e-12.
"""

from __future__ import annotations

import numpy as np
import pytest

from thermal_cpo import LayoutError
from thermal_cpo.cooling.correlations import channel_performance, nu_h1
from thermal_cpo.cooling.manifold import TURNING_LOSS, manifold_performance
from thermal_cpo.layout import Package
from thermal_cpo.materials import coolants
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

WATER = coolants()["water"].properties(25.0)
CHANNELS = dict(width=50e-6, height=300e-6, wall_width=50e-6, n_channels=100)


def _perf(**kw):
    args = dict(CHANNELS, length=0.01, segment_length=0.5e-3, flow_rate=0.5e-3 / 60, props=WATER,
                k_wall=148.0)
    args.update(kw)
    return manifold_performance(**args)


def test_one_segment_is_the_straight_plate():
    """A manifold pitch of twice the plate length leaves one segment per channel, the whole
    length: every figure is the straight compact plate's with two 90° bends (the turns into and
    out of the manifold, K = 1.20 each [rennels-pipe-2012]); ``turning_loss`` replaces the bends."""
    for developing in (False, True):
        m = _perf(segment_length=0.01, developing=developing)
        c = channel_performance(width=50e-6, height=300e-6, n_channels=100, flow_rate=0.5e-3 / 60,
                                length=0.01, props=WATER, k_wall=148.0, wall_width=50e-6,
                                developing=developing, bends=2)
        for key in ("u", "Re", "Nu", "h", "eta_fin", "h_eff", "mcp", "dP", "pumping_power"):
            assert m[key] == pytest.approx(c[key], rel=1e-12), key
    assert TURNING_LOSS == pytest.approx(2.40, abs=5e-3)
    straight = channel_performance(width=50e-6, height=300e-6, n_channels=100, flow_rate=0.5e-3 / 60,
                                   length=0.01, props=WATER, k_wall=148.0, wall_width=50e-6, developing=True)
    m = _perf(segment_length=0.01, turning_loss=3.0)
    head = 0.5 * WATER["rho"] * m["u"] ** 2
    assert m["dP"] == pytest.approx(straight["dP"] + 3.0 * head, rel=1e-12)
    assert m["K_turn"] == 3.0 and m["pumping_power"] == pytest.approx(m["dP"] * 0.5e-3 / 60, rel=1e-12)


def test_segments_share_the_flow_at_the_same_graetz_number():
    """Halving the manifold pitch doubles the segments: half the velocity over half the length.
    x⁺ = L_s/(D_h Re) and x* = x⁺/Pr stay the same (Re ∝ L_s), so the developing-flow Nu, h and
    f_app·Re do too, and every pressure term — friction ∝ u L_s, the minor losses ∝ u² — falls to a
    quarter (derived)."""
    a, b = _perf(), _perf(segment_length=0.25e-3)
    assert b["n_segments"] == pytest.approx(2 * a["n_segments"], rel=1e-12)
    assert b["u"] == pytest.approx(0.5 * a["u"], rel=1e-12)
    for key in ("Nu", "h", "h_eff", "fRe"):
        assert b[key] == pytest.approx(a[key], rel=1e-12), key
    assert b["dP"] == pytest.approx(0.25 * a["dP"], rel=1e-12)
    # x* = 1/Gz ≈ 0.036: the short segments are in the entrance region, Nu above the H1 value
    assert a["Nu"] > 1.1 * nu_h1(1 / 6)
    assert _perf(developing=False)["Nu"] == pytest.approx(nu_h1(1 / 6), rel=1e-14)  # [shah-london-1978]


def test_fast_segments_leave_the_laminar_regime():
    p = _perf(flow_rate=60e-3 / 60)
    assert p["Re"] > 2300 and p["regime"] in ("transitional", "turbulent") and p["warnings"]
    assert _perf()["regime"] == "laminar"


# ---------------------------------------------------------------------------------------------
# small layouts
# ---------------------------------------------------------------------------------------------
MATERIALS = {"csi": {"k": [150.0, 150.0, 150.0], "rho": 2330, "cp": 705}}


def manifold_package(flow="0.5 L/min", power=100.0, **extra):
    plate = {"name": "mmc", "model": "manifold", "channel_width": 50, "wall_width": 50,
             "channel_height": 300, "manifold_pitch": 1000, "base_thickness": 100, "material": "silicon",
             "flow_rate": flow, "inlet_T": 25}
    plate.update(extra)
    return Package(name="manifold", footprint={"x": 10000, "y": 10000},
                   grid={"max_cell_xy": 1000, "max_cell_z": 100}, materials=MATERIALS,
                   layers=[{"name": "die", "thickness": 300, "material": "csi", "power": power,
                            "power_at": "bottom"}], coldplates=[plate])


@pytest.fixture(scope="module")
def manifold_result():
    return solve_steady(manifold_package(), solver="direct")


def test_coolant_picks_up_the_power(manifold_result):
    r = manifold_result
    g = r.coolant["groups"][0]
    assert g["kind"] == "manifold" and g["regime"] == "laminar"
    assert g["heat"] == pytest.approx(100.0, rel=1e-9)
    assert r.energy_balance <= 1e-9
    p = r.package.coolant("water").properties(g["T_mean_properties"])
    assert p["rho"] * p["cp"] * g["flow_rate"] * (g["T_out"] - g["T_in"]) == pytest.approx(100.0, rel=1e-9)


def test_uniform_flux_gives_the_closed_form_rise(manifold_result):
    """Uniform power over a die the plate covers: the top cells sit above T_in by q''(A/ṁc_p)
    plus q''(d/(2k) + t_base/k_plate + 1/h_eff) — exact for the discretization."""
    r = manifold_result
    g = r.coolant["groups"][0]
    q = 100.0 / 1e-4
    p = r.package.coolant("water").properties(g["T_mean_properties"])
    k_si = r.package.material("silicon").k[2]
    rise = q * 1e-4 / (p["rho"] * p["cp"] * g["flow_rate"]) \
        + q * (0.5 * r.mesh.dz[-1] / 150.0 + 100e-6 / k_si + 1.0 / g["h_eff"])
    np.testing.assert_allclose(r.temperature[-1] - 25.0, rise, rtol=1e-9)


def test_more_flow_lowers_the_junction(manifold_result):
    more = solve_steady(manifold_package(flow="1 L/min"), solver="direct")
    assert more.component("die").T_max < manifold_result.component("die").T_max
    assert more.coolant["groups"][0]["dP"] > manifold_result.coolant["groups"][0]["dP"]


def test_the_report_carries_the_segment_geometry(manifold_result):
    g = manifold_result.coolant["groups"][0]
    assert g["geometry.n_channels"] == 100
    assert g["geometry.segment_length"] == pytest.approx(500e-6, rel=1e-12)
    assert g["geometry.n_segments"] == pytest.approx(20.0, rel=1e-12)


def test_transient_from_steady_stays_steady(manifold_result):
    """Started from the steady field the plate holds it (the coolant's capacity and the network
    the same as the steady solve's); from a cold start, the energy balance closes with the heat
    stored (to the 1e-6 the transient balance is stated to)."""
    r = solve_transient(manifold_package(), t_end=0.05, initial="steady")
    np.testing.assert_allclose(r.temperature, manifold_result.temperature, atol=1e-6)
    cold = solve_transient(manifold_package(), t_end=0.2, initial=25.0, dt=0.01, adaptive=False)
    assert cold.solver["energy_balance"] < 1e-6
    # heated from cold it approaches the steady field from below; BDF2 (the default scheme) is not
    # monotone and may pass it by about its local error (≤ 1e-6 K here)
    assert 25.0 < cold.temperature.max() < manifold_result.temperature.max() + 1e-6


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("change, field, words", [
    ({"manifold_pitch": 25000}, "manifold_pitch", ["longer than", "10000 µm plate"]),
    ({"manifold_pitch": 0}, "manifold_pitch", ["must be > 0"]),
    ({"wall_width": 0}, "wall_width", ["must be > 0"]),
    ({"channel_width": 12000}, "channel_width", ["wider than"]),
    ({"channel_height": -5}, "channel_height", ["must be > 0"]),
    ({"turning_loss": -1}, "turning_loss", ["[0, 100]"]),
    ({"base_thickness": -10}, "base_thickness", [">= 0"]),
    ({"material": "silicn"}, "material", ["unknown material"]),
])
def test_bad_manifold_plates_are_refused_naming_the_field(change, field, words):
    with pytest.raises(LayoutError) as info:
        manifold_package(**change)
    assert info.value.path == f"coldplates[0].{field}", str(info.value)
    for w in words:
        assert w in str(info.value)
