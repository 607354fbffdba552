"""Temperature-dependent powers: leakage against the exact fixed point of a linear package,
thermal runaway, the laser model against hand values and its solved operating point, and
closed-loop ring heaters (held at T_ref, saturating, shut off)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner
from scipy.special import lambertw

import thermal_cpo as tc
from thermal_cpo.cli.main import cli
from thermal_cpo.errors import LayoutError, RunawayError
from thermal_cpo.layout import LaserModel, Package
from thermal_cpo.layout.toml import dump_toml

T_AIR = 30.0
#: constant conductivities: the package is linear, so a component's mean rise is exactly R·P
MATS = {"si_c": {"k": 150, "rho": 2330, "cp": 705}, "ox_c": {"k": 1.4, "rho": 2200, "cp": 730}}
LEAK = dict(kind="leakage", dynamic=3.0, leakage=1.0, T_ref=50)
LASER = dict(kind="laser", emitters=8, current="100 mA", voltage="1.5 V", threshold="14 mA", T0="60 K",
             slope_efficiency="0.33 W/A", T1="150 K", T_ref=25, wavelength_drift="0.1 nm/K")


def linear_package(die: dict, boxes=(), **extra) -> Package:
    """A die on a spreader under a convective top (constant k): ``die`` adds to the die layer."""
    layers = [dict(name="die", thickness=300, material="si_c", power_at="bottom", **die),
              dict(name="lid", thickness=500, material="si_c")]
    return Package.from_dict(dict(name="linear", footprint=dict(x=3000, y=2000), materials=MATS,
                                  grid=dict(max_cell_xy=500, max_cell_z=100, grading=1.3), layers=layers,
                                  boxes=list(boxes), boundaries={"top": {"type": "convective", "h": 2e4, "T": T_AIR}},
                                  **extra))


def fixed_point(a: float, c: float, beta: float) -> float:
    """The smallest x with x = a + c·e^{βx}: x − a = −W₀(−βc·e^{βa})/β (principal branch)."""
    return a - lambertw(-beta * c * math.exp(beta * a)).real / beta


@pytest.fixture(scope="module")
def R_mean_max():
    """Rise per W of the die's mean and hottest cell for its own distribution (K/W)."""
    r = tc.solve_steady(linear_package(dict(power=1.0)))
    die = r.component("die")
    return die.T_mean - T_AIR, die.T_max - T_AIR


@pytest.mark.parametrize("beta", [0.01, 0.02, 0.028])
@pytest.mark.parametrize("at", ["mean", "max"])
def test_leakage_fixed_point_is_exact_for_a_linear_package(R_mean_max, beta, at):
    R = R_mean_max[0] if at == "mean" else R_mean_max[1]
    pkg = linear_package(dict(power_model=dict(LEAK, beta=beta, at=at)))
    r = tc.solve_steady(pkg)
    die = r.component("die")
    T = die.T_mean if at == "mean" else die.T_max
    model = pkg.layers[0].power_model
    # the linear solves are exact to their relative residual (1e-10): 1e-6 is far above that
    assert abs(T - T_AIR - R * model.power(T)) <= 1e-6 * (T - T_AIR)
    a, c = R * LEAK["dynamic"], R * LEAK["leakage"] * math.exp(beta * (T_AIR - LEAK["T_ref"]))
    assert beta * c * math.exp(beta * a) < 1 / math.e  # a fixed point exists (W₀'s domain)
    assert T == pytest.approx(T_AIR + fixed_point(a, c, beta), rel=1e-6, abs=0)
    # the result carries the final powers: table, power field, operating point and energy balance
    assert die.power == pytest.approx(model.power(T), rel=1e-9)
    assert die.nominal == pytest.approx(LEAK["dynamic"] + LEAK["leakage"])
    assert r.solver["power_in"] == pytest.approx(die.power, rel=1e-12)
    assert r.energy_balance <= 1e-9
    (row,) = r.powers
    assert row["T"] == pytest.approx(T, abs=1e-9) and row["power"] == pytest.approx(die.power, rel=1e-12)


def test_beyond_the_runaway_limit_no_steady_state_is_claimed(R_mean_max):
    R = R_mean_max[0]
    beta = 0.08
    a, c = R * LEAK["dynamic"], R * LEAK["leakage"] * math.exp(beta * (T_AIR - LEAK["T_ref"]))
    # x = a + c·e^{βx} has no root when the minimum of a + c·e^{βx} − x is positive
    # x = a + c·e^{βx} has no root: the minimum of a + c·e^{βx} − x, at e^{βx} = 1/(βc), is > 0
    assert a + (1 - math.log(1 / (beta * c))) / beta > 0 and beta * c * math.exp(beta * a) > 1 / math.e
    with pytest.raises(RunawayError) as err:
        tc.solve_steady(linear_package(dict(power_model=dict(LEAK, beta=beta))))
    text = str(err.value)
    assert "'die'" in text and "dP/dT" in text and "K/W" in text
    slope_R = float(text.split("R·dP/dT = ")[1].split()[0])
    assert slope_R >= 1.0


def test_runaway_exits_1_and_keeps_the_earlier_result(tmp_path):
    toml = tmp_path / "hot.toml"
    pkg = linear_package(dict(power_model=dict(LEAK, beta=0.08)))
    toml.write_text(dump_toml(pkg))
    out = tmp_path / "hot.h5"
    out.write_bytes(b"earlier result")
    res = CliRunner().invoke(cli, ["run", str(toml), "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output and "thermal runaway in 'die'" in res.output
    assert out.read_bytes() == b"earlier result"


# -- lasers --------------------------------------------------------------------------------------
# Hand values for 8 emitters at 100 mA, 1.5 V (1.2 W in), I_th 14 mA, η_s 0.33 W/A at 25 °C,
# T0 60 K, T1 150 K, 0.1 nm/K:
#   25 °C: P_opt = 8·0.33·(0.100 − 0.014) = 0.22704 W, heat 0.97296 W, Δλ 0
#   85 °C: I_th = 14·e¹ = 38.0559 mA, η_s = 0.33·e^−0.4 = 0.221206 W/A,
#          P_opt = 8·0.221206·0.0619441 = 0.109619 W, heat 1.090381 W, Δλ 6 nm
#  145 °C: I_th = 14·e² = 103.447 mA > 100 mA: below threshold, P_opt 0, heat 1.2 W, Δλ 12 nm
HAND = [(25.0, 0.22704, 0.97296, 0.0, 14.0e-3), (85.0, 0.109619, 1.090381, 6.0, 38.0559e-3),
        (145.0, 0.0, 1.2, 12.0, 103.447e-3)]


@pytest.mark.parametrize("T, optical, heat, shift, ith", HAND)
def test_laser_model_against_hand_values(T, optical, heat, shift, ith):
    m = LaserModel.model_validate(LASER)
    f = m.figures(T)
    # the hand values carry six significant digits
    assert m.power(T) == pytest.approx(heat, rel=1e-5)
    assert f["optical_W"] == pytest.approx(optical, rel=1e-5, abs=1e-12)
    assert f["wavelength_shift_nm"] == pytest.approx(shift, abs=1e-12)
    assert f["threshold_A"] == pytest.approx(ith, rel=1e-5)
    assert m.power(T) + f["optical_W"] == pytest.approx(1.2, rel=1e-14)  # energy: heat + light = input
    assert f["above_threshold"] == (optical > 0)


@pytest.mark.parametrize("T", [25.0, 60.0, 85.0, 120.0])
def test_laser_slope_is_the_derivative_of_its_power(T):
    m = LaserModel.model_validate(LASER)
    h = 1e-4
    # central difference: error ~ h²·P''' ≈ 1e-8·1e-5 W/K³, far below the 1e-7 relative asked
    fd = (m.power(T + h) - m.power(T - h)) / (2 * h)
    assert m.slope(T) == pytest.approx(fd, rel=1e-6)


def test_laser_operating_point_satisfies_its_own_equations():
    laser = dict(name="laser", x=[1000, 2000], y=[800, 1200], z=[300, 400], material="si_c",
                 power_model=dict(LASER), power_at="bottom")
    pkg = linear_package(dict(power=2.0), boxes=[laser])
    r = tc.solve_steady(pkg)
    (row,) = r.powers
    m = pkg.boxes[0].power_model
    T = r.component("laser").T_mean
    assert row["T"] == pytest.approx(T, abs=1e-9)
    assert row["power"] == pytest.approx(m.power(T), rel=1e-9)
    assert row["optical_W"] == pytest.approx(m.electrical - m.power(T), rel=1e-9)
    ith = 14e-3 * math.exp((T - 25) / 60)
    eta = 0.33 * math.exp(-(T - 25) / 150)
    assert row["optical_W"] == pytest.approx(8 * eta * (0.1 - ith), rel=1e-9)
    assert row["wall_plug_efficiency"] == pytest.approx(row["optical_W"] / 1.2, rel=1e-12)
    assert row["wavelength_shift_nm"] == pytest.approx(0.1 * (T - 25), rel=1e-9)
    assert r.energy_balance <= 1e-9


# -- closed-loop heaters (a small package: two rings in an oxide film) --------------------------------
def ring_package(T_ref: float, max_power="20 mW") -> Package:
    rings = [[1400, 1000], [1600, 1000]]
    blocks = [dict(name=f"ring{i}", x=[x - 25, x + 25], y=[975, 1025], power="1 mW", max_cell_xy=12.5)
              for i, (x, _) in enumerate(rings)]
    layers = [dict(name="sub", thickness=300, material="si_c", power=1.0, power_at="bottom"),
              dict(name="ox", thickness=5, material="ox_c", blocks=blocks,
                   photonics=dict(dlambda_dT=80, T_ref=T_ref, tuning_efficiency=0.25, rings=rings,
                                  heater=dict(max_power=max_power)))]
    return Package.from_dict(dict(name="rings", footprint=dict(x=3000, y=2000), materials=MATS,
                                  grid=dict(max_cell_xy=250, max_cell_z=50, grading=1.3), layers=layers,
                                  boundaries={"bottom": {"type": "convective", "h": 1e4, "T": T_AIR}}))


def ring_temperatures(r) -> np.ndarray:
    from thermal_cpo.analysis import photonics_report

    return np.array(photonics_report(r)[0]["T_rings"])


def test_heaters_hold_their_rings_and_the_field_agrees():
    r = tc.solve_steady(ring_package(T_ref=60.0))
    rows = [p for p in r.powers if p["kind"] == "heater"]
    assert len(rows) == 2 and all(0 < p["power"] < 0.02 for p in rows)
    assert np.max(np.abs(ring_temperatures(r) - 60.0)) <= 1e-6
    # the same powers given as plain ones hold the rings too: the loop's claim is the field's
    pkg = ring_package(T_ref=60.0)
    d = pkg.to_dict()
    del d["layers"][1]["photonics"]["heater"]
    for b, p in zip(d["layers"][1]["blocks"], rows):
        b["power"] = p["power"]
    plain = tc.solve_steady(Package.from_dict(d))
    assert np.max(np.abs(ring_temperatures(plain) - 60.0)) <= 1e-6
    assert r.energy_balance <= 1e-9


def test_open_loop_exceeds_closed_loop_by_the_neighbours_warming():
    r = tc.solve_steady(ring_package(T_ref=60.0))
    h = [p for p in r.powers if p["kind"] == "heater"]
    # the other ring's heater warms each ring by Ψ_ij p_j; the open-loop estimate leaves it out
    pkg = ring_package(T_ref=60.0)
    d = pkg.to_dict()
    del d["layers"][1]["photonics"]["heater"]
    d["layers"][1]["blocks"][0]["power"], d["layers"][1]["blocks"][1]["power"] = h[0]["power"], 0.0
    alone = ring_temperatures(tc.solve_steady(Package.from_dict(d)))
    warming = 60.0 - alone[0]  # ring 0's temperature from ring 1's heater
    assert warming > 0
    # Ψ comes from unit responses solved to a relative residual of 1e-3 (outer.RESPONSE_TOL); the
    # multigrid's error in them is far smaller (7e-6 of the share measured): 1e-3 holds with margin
    assert (h[0]["open_loop"] - h[0]["power"]) * h[0]["psi_self"] == pytest.approx(warming, rel=1e-3)


def test_heaters_saturate_and_shut_off():
    r = tc.solve_steady(ring_package(T_ref=60.0, max_power="0.1 mW"))
    assert all(p["saturated"] == "max" and p["power"] == pytest.approx(1e-4) for p in r.powers)
    assert np.all(ring_temperatures(r) < 60.0)
    cold = tc.solve_steady(ring_package(T_ref=T_AIR - 1.0))  # every ring is above its T_ref unheated
    assert all(p["saturated"] == "off" and p["power"] == 0.0 for p in cold.powers)


# -- what is refused -----------------------------------------------------------------------------
def test_power_and_power_model_together_are_refused():
    with pytest.raises(LayoutError, match="power_model"):
        linear_package(dict(power=5.0, power_model=dict(LEAK, beta=0.02)))


def test_a_heater_without_rings_is_refused():
    with pytest.raises(LayoutError, match="rings"):
        Package.from_dict(dict(name="x", footprint=dict(x=1000, y=1000), layers=[dict(
            name="pic", thickness=100, material="silicon", photonics=dict(
                dlambda_dT=80, T_ref=60, heater=dict(max_power="10 mW")))],
            boundaries={"top": {"type": "convective", "h": 1e4, "T": 25}}))


def test_a_transient_refuses_temperature_dependent_powers():
    with pytest.raises(LayoutError, match="steady state only"):
        tc.solve_transient(linear_package(dict(power_model=dict(LEAK, beta=0.02))), t_end=1e-3)


def test_powers_round_trip_through_the_result_file(tmp_path):
    r = tc.solve_steady(linear_package(dict(power_model=dict(LEAK, beta=0.03))))
    back = tc.load_result(r.save(tmp_path / "r.h5"))
    assert back.powers == r.powers
    assert back.component("die").nominal == r.component("die").nominal
    assert back.component("die").power == r.component("die").power
    # the stored power field is the final one
    assert back.mesh.power.sum() == pytest.approx(r.component("die").power, rel=1e-12)


def sub_grid_package() -> Package:
    """Rings with no block of their own: heaters heat their cell and, below the grid, their ring."""
    layers = [dict(name="sub", thickness=300, material="si_c", power=1.0, power_at="bottom"),
              dict(name="pic", thickness=100, material="si_c", photonics=dict(
                  dlambda_dT=80, T_ref=50.0, tuning_efficiency=0.25, rings=[[1000, 1000], [2000, 1000]],
                  heater=dict(max_power="20 mW")))]
    return Package.from_dict(dict(name="sub-grid", footprint=dict(x=3000, y=2000), materials=MATS,
                                  grid=dict(max_cell_xy=500, max_cell_z=100), layers=layers,
                                  boundaries={"bottom": {"type": "convective", "h": 1e4, "T": T_AIR}}))


def test_sub_grid_heaters_add_their_declared_self_heating():
    from thermal_cpo.analysis import photonics_report

    r = tc.solve_steady(sub_grid_package())
    (bank,) = photonics_report(r)
    # 0.25 nm/mW over 80 pm/K: 3.125 K per mW of the ring's own heater, not resolved by the grid
    psi = 0.25 / 0.080 * 1e3
    field = ring_temperatures_in_field(r)
    for p, T_field in zip(r.powers, field):
        assert p["sub_grid"] and p["psi_sub_grid"] == pytest.approx(psi, rel=1e-12)
        assert T_field + psi * p["power"] == pytest.approx(50.0, abs=1e-6)
    np.testing.assert_allclose(bank["T_rings"], 50.0, atol=1e-6)
    assert any("no block of their own" in w for w in bank["warnings"])


def ring_temperatures_in_field(r) -> list[float]:
    from thermal_cpo.mesh import ring_weights

    comp = r.mesh.components[r.mesh.component_id("pic")]
    return [float(r.temperature.reshape(-1)[i] @ w) for i, w in ring_weights(r.mesh, comp)]


@pytest.mark.parametrize("make", [sub_grid_package, lambda: ring_package(T_ref=60.0),
                                  lambda: linear_package(dict(power_model=dict(LEAK, beta=0.02)))])
def test_solving_a_results_mesh_again_gives_the_same_answer(make):
    # the result's mesh carries the final power field; the unknowns must not count it twice
    a = tc.solve_steady(make())
    b = tc.solve_steady(a.mesh)
    assert np.max(np.abs(a.temperature - b.temperature)) <= 1e-8 * (a.T_max - T_AIR)
    assert b.solver["power_in"] == pytest.approx(a.solver["power_in"], rel=1e-10)


def test_a_heater_on_a_bare_ring_without_tuning_efficiency_is_an_input_error():
    d = sub_grid_package().to_dict()
    del d["layers"][1]["photonics"]["tuning_efficiency"]
    with pytest.raises(LayoutError, match="tuning_efficiency"):
        tc.solve_steady(Package.from_dict(d))
