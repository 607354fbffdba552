"""Photonics figures: ring drift and heater power by hand, ring temperatures interpolated at
the ring or averaged over its own volume."""

import numpy as np
import pytest

from thermal_cpo.analysis import heater_power_mW, report, ring_drift_pm
from thermal_cpo.layout import Package
from thermal_cpo.solve import solve_steady


def test_ring_arithmetic_by_hand():
    """80 pm/K, 10 K below the lock point, 0.25 nm/mW → 3.2 mW a ring."""
    assert ring_drift_pm(45.0, 55.0, 80.0) == pytest.approx(-800.0)
    assert heater_power_mW(45.0, 55.0, 80.0, 0.25) == pytest.approx(3.2)
    assert heater_power_mW(60.0, 55.0, 80.0, 0.25) == 0.0  # heaters cannot cool


def _ring_package(T_wall, T_ref):
    """No power, every face fixed at T_wall: every cell (and ring) sits exactly at T_wall."""
    fixed = dict(type="fixed", T=T_wall)
    return Package.from_dict(dict(
        name="rings", footprint=dict(x=1000, y=1000), grid=dict(max_cell_xy=100, max_cell_z=50),
        layers=[dict(name="pic", thickness=100, material="silicon", photonics=dict(
            dlambda_dT=80, T_ref=T_ref, tuning_efficiency=0.25,
            rings=[[150, 150], [450, 450], [850, 850, 20]]))],
        boundaries={f: fixed for f in ("top", "bottom", "xmin", "xmax", "ymin", "ymax")}))


def test_photonics_report_hand_values():
    r = solve_steady(_ring_package(45.0, 55.0))
    (p,) = report(r)["photonics"]
    assert p["rings"] == 3
    np.testing.assert_allclose(p["T_rings"], 45.0, atol=1e-9)
    np.testing.assert_allclose(p["drift_pm"], -800.0, atol=1e-6)
    np.testing.assert_allclose(p["heater_hold_mW"], 3.2, atol=1e-9)
    assert p["heater_hold_total_mW"] == pytest.approx(9.6)
    assert p["heater_align_total_mW"] == pytest.approx(0.0, abs=1e-9)
    assert p["rings_above_T_ref"] == 0 and p["delta_T_bank"] == pytest.approx(0.0, abs=1e-9)
    r = solve_steady(_ring_package(60.0, 55.0))
    (p,) = report(r)["photonics"]
    assert p["rings_above_T_ref"] == 3 and p["heater_hold_total_mW"] == 0.0
    np.testing.assert_allclose(p["drift_pm"], 400.0, atol=1e-6)


def _gradient_package(rings, blocks=()):
    """No power, x faces fixed at 20 and 80 °C, the rest adiabatic, constant k: T is exactly
    linear in x, T = 20 + 60·x/L, so a ring's temperature is known at any position."""
    return Package.from_dict(dict(
        name="gradient", footprint=dict(x=1000, y=600), grid=dict(max_cell_xy=100, max_cell_z=50),
        materials={"si_c": {"k": 150, "rho": 2330, "cp": 705}},
        layers=[dict(name="pic", thickness=100, material="si_c", blocks=list(blocks),
                     photonics=dict(dlambda_dT=80, T_ref=50, rings=rings))],
        boundaries={"xmin": dict(type="fixed", T=20.0), "xmax": dict(type="fixed", T=80.0)}))


def test_ring_temperature_is_interpolated_at_the_ring():
    # positions off the cell centres (cells are 100 µm): a containing cell's value would be up
    # to 3 K off here
    xs = [137.0, 421.0, 868.0]
    r = solve_steady(_gradient_package([[x, 300.0] for x in xs]))
    (p,) = report(r)["photonics"]
    np.testing.assert_allclose(p["T_rings"], [20.0 + 60.0 * x / 1000.0 for x in xs], rtol=0, atol=1e-7)


def test_a_ring_with_its_own_block_reports_the_block_mean():
    block = dict(name="ring0", x=[400, 500], y=[250, 350])
    r = solve_steady(_gradient_package([[450.0, 300.0]], blocks=[block]))
    (p,) = report(r)["photonics"]
    assert p["T_rings"][0] == pytest.approx(r.component("ring0").T_mean, rel=1e-12)
    assert p["T_rings"][0] == pytest.approx(20.0 + 60.0 * 0.45, abs=1e-7)
    # one cell across: too coarse, and said so
    assert any("ring0" in w and "cells" in w for w in p["warnings"])
