"""The 1.5 kW package (gpu-1k5-cpo) under each plate kind at the layout's 40 ml/s of water:
junction temperatures and pumping power side by side.

The alternative plates are illustrative designs over the same 80 × 75 mm lid with the same 3 mm
copper base (every geometry here an assumption): 200/200 µm × 2 mm manifold channels at a 5 mm
manifold pitch, 1.5 mm jets on a 20 mm hexagonal pitch 3 mm from the target (at 40 ml/s a denser
array runs its jets below Martin's Re = 2000 and its h falls so low that the GPUs' leakage runs
away), 1 mm staggered pins 2 mm apart and 5 mm tall. What the test asserts holds for any plate: the heat leaves with the
coolant (energy balance 1e-9), no plate takes a die below the coolant's own mean rise
(T_junction − T_in ≥ ΔT_bulk/2), the pumping power is ΔP × V̇, and the kinds whose h_eff is
higher give the cooler junction (at equal flow, base and coolant, the junction rise above the
coolant falls as h_eff rises).
"""

from __future__ import annotations

import pytest

from thermal_cpo.layout import Package, load_layout
from thermal_cpo.solve.steady import solve_steady

COMMON = {"name": "coldplate", "face": "top", "x": [0, 0.08], "y": [0, 0.075], "base_thickness": 3e-3,
          "material": "copper", "flow_direction": "+x", "flow_rate": "40 ml/s", "inlet_T": 25, "coolant": "water"}
KINDS = {
    "microchannel": None,  # the layout's own plate
    "manifold": {"model": "manifold", "channel_width": 2e-4, "wall_width": 2e-4, "channel_height": 2e-3,
                 "manifold_pitch": 5e-3},
    "jet": {"model": "jet", "nozzle_diameter": 1.5e-3, "pitch": 20e-3, "array": "hexagonal", "nozzle_to_target": 3e-3},
    "pinfin": {"model": "pinfin", "pin_diameter": 1e-3, "pin_height": 5e-3, "pitch_transverse": 2e-3,
               "arrangement": "staggered"},
}


def _with_plate(kind):
    base = load_layout("gpu-1k5-cpo")
    if KINDS[kind] is None:
        return base
    d = base.to_dict()
    d["coldplates"] = [{**COMMON, **{k: (f"{v!r} m" if isinstance(v, float) and k not in ("x", "y") else v)
                                     for k, v in KINDS[kind].items()}}]
    d["coldplates"][0]["x"], d["coldplates"][0]["y"] = [0.0, 0.08], [0.0, 0.075]
    return Package.from_dict(d)


@pytest.fixture(scope="module")
def results():
    return {kind: solve_steady(_with_plate(kind)) for kind in KINDS}


@pytest.mark.slow
def test_each_plate_kind_on_the_1k5_package(results):
    rows = []
    for kind, r in results.items():
        g = r.coolant["groups"][0]
        assert r.energy_balance <= 1e-9
        assert g["heat"] == pytest.approx(sum(c.power for c in r.components), rel=1e-9)
        tj = max(r.component(n).T_hot for n in ("gpu0", "gpu1"))
        assert tj - 25.0 >= 0.5 * g["delta_T"]
        assert g["pumping_power"] == pytest.approx(g["dP"] * g["flow_rate"], rel=1e-12)
        rows.append((kind, tj, g["h_eff"], g["dP"], g["pumping_power"]))
        print(f"{kind:>12}: T_junction {tj:7.2f} °C  h_eff {g['h_eff']:9.4g} W/m²K  ΔP {g['dP'] / 1e3:8.3f} kPa  "
              f"pump {g['pumping_power']:.4g} W")
    by_h = sorted(rows, key=lambda row: row[2])
    assert [row[1] for row in by_h] == sorted((row[1] for row in by_h), reverse=True)
