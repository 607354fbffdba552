"""HotSpot decks beyond the benchmark's: no layer file (HotSpot's chip + interface stack from
the configuration), floorplan units of their own material, and the grid-to-block mapping."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thermal_cpo import solve_steady
from thermal_cpo.analysis.peer_tables import peer_table, region_temperature
from thermal_cpo.layout.decks import import_hotspot

DECKS = Path(__file__).resolve().parents[2] / "decks"


@pytest.fixture
def deck(tmp_path):
    d = tmp_path / "hotspot"
    shutil.copytree(DECKS / "hotspot", d)
    cfg = d / "cpo_bench.config"
    cfg.write_text(cfg.read_text().replace("-grid_rows\t\t\t128", "-grid_rows\t\t\t16")
                   .replace("-grid_cols\t\t\t128", "-grid_cols\t\t\t16"))
    return d


def test_without_a_layer_file_the_stack_is_hotspots_chip_and_interface(deck):
    """The chip (t_chip, k_chip, p_chip) under the interface (t_interface, ...): HotSpot's
    built-in 0.15 mm / 100 W/(m·K) silicon and 20 µm / 4 W/(m·K) TIM when the deck says nothing."""
    cfg = deck / "cpo_bench.config"
    cfg.write_text(cfg.read_text().replace("-grid_layer_file\t\tcpo_bench.lcf\n", ""))
    imp = import_hotspot(cfg, deck / "die_src.flp", ptrace=deck / "cpo_bench.ptrace")
    chip, tim = imp.package.layers
    mats = imp.package.materials
    assert (chip.thickness, mats[chip.material].k[0]) == (pytest.approx(0.15e-3), pytest.approx(100.0))
    assert (tim.thickness, mats[tim.material].k[0]) == (pytest.approx(20e-6), pytest.approx(4.0))
    assert mats[chip.material].rho * mats[chip.material].cp == pytest.approx(1.75e6)
    assert sum(b.power for b in chip.blocks) == pytest.approx(420.0)
    assert any("chip + interface" in line for line in imp.toml.splitlines())


def test_a_unit_of_its_own_material_is_a_block_of_it(deck):
    """HotSpot's 7-column floorplan: volumetric heat capacity and resistivity per unit; the
    floorplan is shared by 17 layers, so each block takes HotSpot's ``layer_<n>_<unit>`` name."""
    full = deck / "full.flp"
    full.write_text("ALL\t0.020\t0.010\t0.000\t0.000\nHALF\t0.020\t0.010\t0.000\t0.010\t1.0e6\t0.01\n")
    imp = import_hotspot(deck / "cpo_bench.config", deck / "die_src.flp", lcf=deck / "cpo_bench.lcf",
                         ptrace=deck / "cpo_bench.ptrace")
    blocks = [b for layer in imp.package.layers for b in layer.blocks if b.name.endswith("_HALF")]
    assert [b.name for b in blocks] == [f"layer_{n}_HALF" for n in range(1, 18)]
    m = imp.package.materials[blocks[0].material]
    assert m.k[0] == pytest.approx(100.0) and m.rho * m.cp == pytest.approx(1.0e6)
    assert blocks[0].y == pytest.approx((0.010, 0.020))


def test_the_mapping_mode_sets_how_a_unit_reduces_its_cells(deck):
    cfg = deck / "cpo_bench.config"
    base = import_hotspot(cfg, deck / "die_src.flp", lcf=deck / "cpo_bench.lcf", ptrace=deck / "cpo_bench.ptrace")
    r = solve_steady(base.package)
    lid = next(reg for reg in base.regions if reg.name == "layer_10_ALL")
    T = {mode: region_temperature(r, lid, mode) for mode in ("max", "mean", "min", "center")}
    assert T["min"] < T["mean"] < T["max"] and T["min"] <= T["center"] <= T["max"]
    cfg.write_text(cfg.read_text().replace("-grid_map_mode\t\t\tmax", "-grid_map_mode\t\t\tavg"))
    avg = import_hotspot(cfg, deck / "die_src.flp", lcf=deck / "cpo_bench.lcf", ptrace=deck / "cpo_bench.ptrace")
    rows = dict(line.split("\t") for line in peer_table(r, avg).splitlines())
    assert float(rows["layer_10_ALL"]) == pytest.approx(T["mean"] + 273.15, abs=5e-3)
