"""The reference packages against a published system-level thermal resistance.

θJA = (T_max of the hottest compute die − coolant inlet T) / total package power, the definition
the layouts state. The published figure is TSMC's measured θJA of a lidded, liquid-cooled CoWoS
(TDP up to 2 kW) at 40 ml/s [hung-cowos-cooling-nd] (also quoted by [tsmc-cowos-cooling-2025]);
both layouts run their cold plate at that flow. Each must land within 25 % of it.

The 1.5 kW package's dies carry leakage models, its lasers laser models and one ring bank
closed-loop heaters: θJA is taken with the powers they settle at, and every one of them must hold
its own law at the solved temperature. The optical-engine unit cell's ring temperatures must not
move with a 2× nested refinement, and its bank held by closed-loop heaters must sit at T_ref.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from thermal_cpo.layout import Package, load_layout
from thermal_cpo.solve import solve_steady

#: measured θJA (°C/W) of TSMC's lidded, liquid-cooled CoWoS with TIM at 40 ml/s [hung-cowos-cooling-nd]
THETA_JA_LIDDED_COWOS = 0.064
#: the band the model must land in, relative to the published figure
TOLERANCE = 0.25

#: layout -> its compute dies (θJA is taken at the hottest of them)
PACKAGES = {"gpu-hbm-cpo-2p5d": ("gpu0", "gpu1"), "gpu-1k5-cpo": ("gpu0", "gpu1")}


@lru_cache(maxsize=None)
def solved(name: str):
    pkg = load_layout(name)
    return pkg, solve_steady(pkg)


def theta_ja(name: str) -> float:
    pkg, r = solved(name)
    inlet = min(cp.inlet_T for cp in pkg.coldplates)
    t_junction = max(r.component(d).T_max for d in PACKAGES[name])
    return (t_junction - inlet) / r.solver["power_in"]  # the power dissipated, models settled


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_theta_ja_within_25_percent_of_the_published_lidded_cowos_figure(name):
    pkg, _ = solved(name)
    # the published figure is at 40 ml/s: the layouts are compared at the same flow
    assert all(cp.flow_rate == pytest.approx(40e-6, rel=1e-9) for cp in pkg.coldplates), name
    theta = theta_ja(name)
    assert abs(theta / THETA_JA_LIDDED_COWOS - 1.0) <= TOLERANCE, f"{name}: θJA = {theta:.4f} K/W"


def test_the_1k5_package_dissipates_1p4_to_1p6_kw():
    _, r = solved("gpu-1k5-cpo")
    assert 1400.0 <= r.solver["power_in"] <= 1600.0
    assert r.solver["power_in"] == pytest.approx(sum(c.power for c in r.components), rel=1e-12)
    assert r.energy_balance <= 1e-9


def test_the_1k5_package_powers_hold_their_own_laws():
    pkg, r = solved("gpu-1k5-cpo")
    models = {c.name: c.power_model for c in pkg.components() if c.power_model is not None}
    assert {m.kind for m in models.values()} == {"leakage", "laser"}
    rows = {p["name"]: p for p in r.powers}
    for name, model in models.items():
        T = r.component(name).T_mean
        # the loop stops when the driving temperatures agree to 1e-8 K: dP/dT·1e-8 K ≪ 1e-9·P
        assert rows[name]["T"] == pytest.approx(T, abs=1e-7)
        assert r.component(name).power == pytest.approx(model.power(T), rel=1e-9), name
    # the dies run hotter than the leakage's T_ref, the lasers far above theirs
    assert all(rows[n]["power"] > models[n].nominal_power for n in ("gpu0", "gpu1"))
    lasers = [rows[n] for n, m in models.items() if m.kind == "laser"]
    assert all(p["wall_plug_efficiency"] < 0.75 * p["wall_plug_efficiency_at_T_ref"] for p in lasers)
    heaters = [p for p in r.powers if p["kind"] == "heater"]
    assert heaters and all(p["T"] == pytest.approx(p["T_ref"], abs=1e-6) for p in heaters
                           if p["saturated"] is None)




# ---- the optical-engine unit cell: ring temperatures and closed-loop heaters --------------------
def ring_temperatures(result) -> np.ndarray:
    from thermal_cpo.analysis import photonics_report

    (bank,) = photonics_report(result)
    return np.array(bank["T_rings"])


@pytest.mark.slow
def test_oe_unit_cell_rings_are_grid_converged_to_half_a_kelvin():
    # the layout's default grid is the finest of a quarter / half / default study: the rings
    # converge at the scheme's order, and their band (40 pm at 80 pm/K) is what the grid was
    # chosen for
    from thermal_cpo.analysis import convergence_study

    result, study = convergence_study(load_layout("oe-unit-cell"), levels=(0.25, 0.5, 1.0))
    rows = [r for r in study["rows"] if r["name"].startswith("pic-device.ring")]
    assert len(rows) == 8
    for r in rows:
        assert r["status"] == "asymptotic" and r["order"] == pytest.approx(2.0, abs=0.3), r
        assert r["gci"] <= 0.5, r
    assert np.allclose(ring_temperatures(result), [r["fine"] for r in rows])


@pytest.mark.slow
def test_oe_unit_cell_closed_loop_heaters_hold_the_bank():
    d = load_layout("oe-unit-cell").to_dict()
    layer = next(layer for layer in d["layers"] if layer["name"] == "pic-device")
    layer["photonics"]["heater"] = {"control": "hold", "max_power": 0.02}
    r = solve_steady(Package.from_dict(d))
    T_ref = layer["photonics"]["T_ref"]
    np.testing.assert_allclose(ring_temperatures(r), T_ref, rtol=0, atol=1e-6)
    heaters = [p for p in r.powers if p["kind"] == "heater"]
    assert len(heaters) == 8 and all(p["saturated"] is None for p in heaters)
    # each ring is warmed by its neighbours' heaters: the open-loop estimate, which leaves that
    # warming out, asks for more; the outer rings have fewer neighbours and need the most
    share = [p["open_loop"] - p["power"] for p in heaters]
    assert all(s > 0 for s in share)
    assert heaters[0]["power"] > heaters[3]["power"] and share[0] < share[3]
    assert r.energy_balance <= 1e-9
