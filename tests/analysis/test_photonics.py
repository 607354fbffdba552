"""Photonics figures: ring drift and heater power by hand, and ring temperatures read at the
ring's own cell."""

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


def test_ring_temperature_is_the_cell_at_the_ring(three_sources):
    pkg = three_sources()
    # the ring's cell, looked up independently, carries the reported temperature
    d = pkg.to_dict()
    d["layers"][0]["blocks"][1]["photonics"] = dict(dlambda_dT=80, T_ref=50, rings=[[5000e-6, 2000e-6]])
    pkg = Package.from_dict(d)
    r = solve_steady(pkg)
    (p,) = report(r)["photonics"]
    m = r.mesh
    i = np.searchsorted(m.x, 5000e-6, side="right") - 1
    j = np.searchsorted(m.y, 2000e-6, side="right") - 1
    comp = m.components[m.component_id("pic")]
    k = comp.index[1] - 1  # no z given: the top cell layer of the PIC
    assert p["T_rings"][0] == pytest.approx(r.temperature[k, j, i], rel=1e-12)
