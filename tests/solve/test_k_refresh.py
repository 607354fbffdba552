"""Implicit transients follow k(T): run long enough, a heated k(T) slab reaches the steady k(T)
field, which an operator frozen at the initial field does not; energy stays exactly accounted.

The slab (0.5 mm, k ∝ T^−1.3 from 148 W/(m·K) at 300 K, heated on its bottom face, its top
held at 30 °C) rises about 60 K; its diffusion time L²/α is 2.8 ms and the run lasts 0.2 s, so
its transient has decayed by e^(−70·π²/4). The operator is rebuilt once a cell has moved
REFRESH_K = 0.5 K, so the last one is at most 0.5 K from the final field: k off by at most
n·ΔT/T = 1.3 · 0.5 / 303 = 0.21 %, the steady rise by no more. Frozen at 30 °C, k is 20 % too
high at the hot face and the rise as much too low.
"""

from __future__ import annotations

import numpy as np
import pytest

import thermal_cpo.solve.transient.refresh as refresh
from thermal_cpo.layout import Package
from thermal_cpo.mesh import voxelize
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

T0 = 30.0
N_EXP = 1.3


def _slab() -> Package:
    return Package.from_dict(dict(
        name="kt-slab", footprint=dict(x=1000, y=1000),
        materials={"si_kt": {"k": 148.0, "rho": 2330, "cp": 705, "k_model": "power", "T0": "300 K",
                             "n": N_EXP}},
        grid=dict(max_cell_xy=1000, max_cell_z=25),
        layers=[dict(name="die", thickness=500, material="si_kt", power=20.0, power_at="bottom")],
        boundaries={"top": {"type": "fixed", "T": T0}}))


@pytest.fixture(scope="module")
def runs():
    mesh = voxelize(_slab())
    steady = solve_steady(mesh, picard_tol=1e-10)
    followed = solve_transient(mesh, t_end=0.2, rtol=1e-5, atol=1e-5)
    return mesh, steady, followed


def test_a_long_transient_reaches_the_steady_k_of_T_field(runs):
    _, steady, followed = runs
    rise = float(steady.temperature.max() - T0)
    assert rise > 50.0
    s = followed.solver
    assert s["k_frozen_at_initial"] is False and s["k_refreshes"] >= 50  # ~ rise / 0.5 K
    err = float(np.max(np.abs(followed.temperature - steady.temperature)))
    assert err <= N_EXP * refresh.REFRESH_K / (T0 + 273.15) * rise
    assert s["energy_balance"] <= 1e-9


def test_frozen_at_the_initial_field_it_does_not(runs, monkeypatch):
    mesh, steady, _ = runs
    monkeypatch.setattr(refresh, "REFRESH_K", np.inf)
    frozen = solve_transient(mesh, t_end=0.2, rtol=1e-5, atol=1e-5)
    assert frozen.solver["k_refreshes"] == 0
    rise = float(steady.temperature.max() - T0)
    # the hot face's k is (363/303)^1.3 = 1.26 times lower than at 30 °C: the frozen rise is short
    assert float(steady.temperature.max() - frozen.temperature.max()) > 0.1 * rise


def test_a_coupled_k_of_T_transient_keeps_its_energy_exact():
    pkg = Package(name="kt-plate", footprint={"x": 6000, "y": 4000},
                  materials={"si_kt": {"k": 148.0, "rho": 2330, "cp": 705, "k_model": "power",
                                       "T0": "300 K", "n": N_EXP}},
                  grid={"max_cell_xy": 500, "max_cell_z": 100},
                  layers=[{"name": "die", "thickness": 400, "material": "si_kt", "power_at": "bottom",
                           "blocks": [{"name": "hot", "x": [1000, 3000], "y": [1000, 3000], "power": 60.0}]}],
                  coldplates=[{"name": "plate", "face": "top", "channel_width": 100, "wall_width": 100,
                               "channel_height": 500, "material": "copper", "flow_direction": "+x",
                               "flow_rate": "0.2 L/min", "inlet_T": 25}])
    r = solve_transient(pkg, t_end=0.05, rtol=1e-4, atol=1e-4)
    assert r.solver["k_refreshes"] >= 1
    assert r.solver["energy_balance"] <= 1e-9
