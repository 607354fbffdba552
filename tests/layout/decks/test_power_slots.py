"""Power in time from the peers' decks: 3D-ICE power slots and HotSpot trace rows become step
traces with the peer's timing, and solve as the same trace written natively."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from thermal_cpo import solve_transient
from thermal_cpo.layout import parse_toml
from thermal_cpo.layout.decks import import_3dice, import_hotspot

DECKS = Path(__file__).resolve().parents[2] / "decks"

NATIVE = """
schema_version = 1
name = "two-slots"
[footprint]
x = "20 mm"
y = "20 mm"
[grid]
max_cell_xy = 1000
max_cell_z = 250
[materials.si]
k = 130
rho = 1000
cp = 1630
[materials.tim]
k = 40
rho = 1000
cp = 1700
[materials.cu]
k = 400
rho = 1000
cp = 3450
[[layers]]
name = "die"
thickness = 500
material = "si"
max_cell_z = 70
  [[layers.blocks]]
  name = "core"
  x = [5000, 15000]
  y = [5000, 15000]
  power = 400
  power_at = "bottom"
  trace = [[0, 400], [0.05, 100]]
  trace_kind = "step"
{pes}
[[layers]]
name = "tim"
thickness = 100
material = "tim"
max_cell_z = 50
[[layers]]
name = "lid"
thickness = 2000
material = "cu"
max_cell_z = 250
[boundaries.top]
type = "convective"
h = 2e4
T = 25
[initial]
T = 25
"""
PES = {"s": (9000, 1000), "n": (9000, 17000), "w": (1000, 9000), "e": (17000, 9000)}


def _native():
    pes = "".join(f'  [[layers.blocks]]\n  name = "pe-{n}"\n  x = [{x}, {x + 2000}]\n  y = [{y}, {y + 2000}]\n'
                  f'  power = 5\n  power_at = "bottom"\n  trace = [[0, 5], [0.05, 5]]\n  trace_kind = "step"\n'
                  for n, (x, y) in PES.items())
    return parse_toml(NATIVE.replace("{pes}", pes))


def _two_slot_deck(tmp_path: Path) -> Path:
    d = tmp_path / "3dice"
    shutil.copytree(DECKS / "3dice", d)
    stk = d / "cpo_bench.stk"
    text = stk.read_text().replace("cell length 156.25, width 156.25", "cell length 1000, width 1000")
    stk.write_text(text.replace("   steady ;", "   transient step 0.01, slot 0.05 ;"))
    flp = d / "die.flp"
    text = flp.read_text().replace("power values 400.0 ;", "power values 400.0, 100.0 ;")
    flp.write_text(text.replace("power values 5.0 ;", "power values 5.0, 5.0 ;"))
    return stk


def test_power_slots_become_step_traces_with_the_slot_timing(tmp_path):
    imp = import_3dice(_two_slot_deck(tmp_path))
    core = next(b for b in imp.package.layers[0].blocks if b.name == "CORE")
    assert core.trace == ((0.0, 400.0), (0.05, 100.0)) and core.trace_kind == "step"
    assert "--transient --t-end 0.1 --dt 0.01" in imp.toml


@pytest.mark.slow
def test_a_two_slot_deck_solves_as_the_same_trace_written_natively(tmp_path):
    """Same grid, same capacities, same steps: the fields agree to round-off (1e-9 of the
    rise leaves room for the iterative solves' 1e-12 residuals over ten steps)."""
    imp = import_3dice(_two_slot_deck(tmp_path))
    kw = dict(t_end=0.1, dt=0.01, method="implicit", adaptive=False, tol=1e-13, save_every=0.01)
    a, b = solve_transient(imp.package, **kw), solve_transient(_native(), **kw)
    assert a.mesh.shape == b.mesh.shape and np.array_equal(a.times, b.times)
    rise = max(float(s.max()) for s in b.steps) - 25.0
    assert rise > 10.0  # the step really heats the package
    for Ta, Tb in zip(a.steps, b.steps):
        assert np.abs(Ta - Tb).max() <= 1e-9 * rise
    # the 400 → 100 W step at 50 ms shows: the core cools between the slot edge and the end
    core = [float(s[0][b.mesh.component[0] == next(c.id for c in b.mesh.components if c.name == "core")].max())
            for s in b.steps]
    i50 = int(np.argmin(np.abs(b.times - 0.05)))
    assert core[i50] > core[-1]


def test_hotspot_trace_rows_take_the_sampling_interval(tmp_path):
    d = tmp_path / "hotspot"
    shutil.copytree(DECKS / "hotspot", d)
    with open(d / "cpo_bench.ptrace", "a") as f:
        f.write("100.0\t5.0\t5.0\t5.0\t5.0" + "\t0" * 16 + "\n")
    with open(d / "cpo_bench.config", "a") as f:
        f.write("\t-sampling_intvl\t\t0.02\n")
    imp = import_hotspot(d / "cpo_bench.config", d / "die_src.flp", lcf=d / "cpo_bench.lcf", ptrace=d / "cpo_bench.ptrace")
    core = next(b for b in imp.package.layers[0].blocks if b.name == "CORE")
    assert core.trace == ((0.0, 400.0), (0.02, 100.0)) and core.trace_kind == "step"
    assert any("c_convec" in w for w in imp.warnings)
