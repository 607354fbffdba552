"""HotSpot floorplans as power maps: ``power_map = { flp = ..., ptrace = ... }``.

The floorplan is the peer benchmark's power layer (``tests/decks/hotspot/die_src.flp``: a
20 × 20 mm die tiled by CORE 400 W, four 5 W photonic-engine sources and zero-power fillers,
420 W in all [thermalcpo-peerdecks-2026]). The map must put each unit's power inside the
unit's rectangle, offset to the component's footprint, conserve the total, and give the same
field as the units written one by one as blocks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thermal_cpo import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.mesh import build_axes
from thermal_cpo.solve import solve_steady

DECKS = Path(__file__).resolve().parents[1] / "decks" / "hotspot"
FLP, PTRACE = DECKS / "die_src.flp", DECKS / "cpo_bench.ptrace"
#: the benchmark's powers (W) [thermalcpo-peerdecks-2026]
POWERS = {"CORE": 400.0, "PE_S": 5.0, "PE_N": 5.0, "PE_W": 5.0, "PE_E": 5.0}
#: where the die sits on the package (µm): offset from the origin, so the map is shifted
X0, Y0 = 3000, 2000


def units() -> dict[str, tuple[float, float, float, float]]:
    """``{name: (x0, x1, y0, y1)}`` (m) of the floorplan, read here independently of the parser."""
    out = {}
    for line in FLP.read_text().splitlines():
        f = line.split("#", 1)[0].split()
        if f:
            w, h, x, y = map(float, f[1:5])
            out[f[0]] = (x, x + w, y, y + h)
    return out


def package(power_map=None, blocks=None, **extra) -> Package:
    die = dict(name="die", x=[X0, X0 + 20000], y=[Y0, Y0 + 20000], material="silicon",
               power_at="bottom")
    if power_map is not None:
        die.update(power_map=power_map, map_units="W/mm^2", **extra)
    return Package.from_dict(dict(
        name="flp-map", footprint=dict(x=X0 + 22000, y=Y0 + 22000),
        grid=dict(max_cell_xy=500, max_cell_z=100, grading=1.3),
        layers=[dict(name="die-tier", thickness=500, material="silicon", blocks=blocks or [die]),
                dict(name="lid", thickness=1000, material="copper")],
        boundaries={"top": {"type": "convective", "h": 2e4, "T": 25}}))


def mapped() -> Package:
    return package(dict(flp=str(FLP), ptrace=str(PTRACE)))


def test_each_unit_s_power_lands_in_its_rectangle_and_the_total_is_conserved():
    die = mapped().layers[0].blocks[0]
    p = die.map_pixel_powers()
    xe, ye = die.map_pixel_edges()
    xc, yc = 0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1])
    total = sum(POWERS.values())
    # every pixel in one unit, so a unit's sum is its power but for the rounding of a few hundred
    # products: 1e-12 of the 420 W is ~1000 ulps
    for name, (x0, x1, y0, y1) in units().items():
        inside = np.outer((yc > Y0 * 1e-6 + y0) & (yc < Y0 * 1e-6 + y1),
                          (xc > X0 * 1e-6 + x0) & (xc < X0 * 1e-6 + x1))
        assert p[inside].sum() == pytest.approx(POWERS.get(name, 0.0), abs=1e-12 * total), name
    assert die.nominal_power == pytest.approx(total, rel=1e-12, abs=0)
    assert p.sum() == pytest.approx(total, rel=1e-12, abs=0)


def test_inline_powers_equal_the_trace():
    a = mapped().layers[0].blocks[0]
    b = package(dict(flp=str(FLP), powers={**{n: 0 for n in units()}, **POWERS})).layers[0].blocks[0]
    assert a.power_map == b.power_map


def test_the_solved_field_equals_the_units_given_as_blocks():
    """One block per unit (its power uniform over its bottom face) against the map: on a grid
    with lines at every unit edge the two are the same discrete problem."""
    blocks = [dict(name=f"u.{n}", x=[X0 + x0 * 1e6, X0 + x1 * 1e6], y=[Y0 + y0 * 1e6, Y0 + y1 * 1e6],
                   material="silicon", power=POWERS.get(n, 0.0), power_at="bottom")
              for n, (x0, x1, y0, y1) in units().items()]
    by_map, by_blocks = mapped(), package(blocks=blocks)
    # the same grid: the 0.5 mm cells put lines on every (whole-mm) unit edge in both (to the
    # rounding of the even subdivision of different intervals, ~1e-17 m)
    for a, b in zip(build_axes(by_map), build_axes(by_blocks)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    ra, rb = solve_steady(by_map, tol=1e-13), solve_steady(by_blocks, tol=1e-13)
    rise = ra.temperature.max() - 25.0
    # the linear solves to a 1e-13 residual: the fields agree far inside 1e-9 of the rise
    assert np.max(np.abs(ra.temperature - rb.temperature)) <= 1e-9 * rise
    assert ra.component("die").power == pytest.approx(sum(POWERS.values()), rel=1e-12)


def _refused(tmp_path, flp: str, ptrace: str | None = None, **spec) -> str:
    (tmp_path / "chip.flp").write_text(flp)
    spec = dict(flp=str(tmp_path / "chip.flp"), **spec)
    if ptrace is not None:
        (tmp_path / "chip.ptrace").write_text(ptrace)
        spec["ptrace"] = str(tmp_path / "chip.ptrace")
    with pytest.raises(LayoutError) as exc:
        package(spec)
    return str(exc.value)


GOOD = "A 0.010 0.020 0.000 0.000\nB 0.010 0.020 0.010 0.000\n"


def test_a_unit_without_power_is_refused_at_its_line(tmp_path):
    msg = _refused(tmp_path, GOOD, "A\n3.0\n")
    assert "chip.flp:2" in msg and "'B'" in msg and "power_map" in msg


def test_a_power_for_no_unit_is_refused(tmp_path):
    msg = _refused(tmp_path, GOOD, powers={"A": 1.0, "B": 1.0, "C": 2.0})
    assert "power_map.powers.C" in msg and "'C'" in msg


def test_overlapping_units_are_refused_at_the_second_line(tmp_path):
    msg = _refused(tmp_path, GOOD + "C 0.002 0.002 0.009 0.009\n", "A B C\n1 1 1\n")
    assert "chip.flp:3" in msg and "overlaps" in msg and "'C'" in msg and "power_map" in msg


def test_a_unit_outside_the_outline_is_refused(tmp_path):
    msg = _refused(tmp_path, GOOD, "A B\n1 1\n", outline=[[0.0, 0.02], [0.0, 0.015]])
    assert "chip.flp:1" in msg and "outside" in msg and "power_map" in msg


def test_a_gap_is_refused(tmp_path):
    msg = _refused(tmp_path, "A 0.010 0.020 0.000 0.000\nB 0.005 0.020 0.015 0.000\n", "A B\n1 1\n")
    assert "uncovered" in msg and "chip.flp:1" in msg


def test_a_unit_with_its_own_material_is_refused(tmp_path):
    msg = _refused(tmp_path, GOOD.replace("0.000 0.000\n", "0.000 0.000 1.75e6 0.01\n", 1), "A B\n1 1\n")
    assert "chip.flp:1" in msg and "'A'" in msg and "7 fields" in msg


def test_a_long_trace_needs_a_row(tmp_path):
    msg = _refused(tmp_path, GOOD, "A B\n1 1\n2 2\n")
    assert "power_map.row" in msg and "2 rows" in msg


def test_relative_names_are_read_beside_the_layout_and_the_resolved_map_reads_back(tmp_path):
    from thermal_cpo.layout import load_layout

    for f in (FLP, PTRACE):
        (tmp_path / f.name).write_text(f.read_text())
    (tmp_path / "chip.toml").write_text(f"""
name = "flp-file"
[footprint]
x = 20000
y = 20000
[[layers]]
name = "die-tier"
thickness = 500
material = "silicon"
  [[layers.blocks]]
  name = "die"
  x = [0, 20000]
  y = [0, 20000]
  power_map = {{ flp = "{FLP.name}", ptrace = "{PTRACE.name}" }}
  map_units = "W/mm^2"
""")
    pkg = load_layout(str(tmp_path / "chip.toml"))
    assert pkg.total_power == pytest.approx(sum(POWERS.values()), rel=1e-12)
    # the resolved layout holds the rasterised rows inline: it reads back without the files
    assert Package.from_dict(pkg.to_dict()) == pkg


def test_row_picks_a_row_of_a_long_trace(tmp_path):
    (tmp_path / "chip.flp").write_text(GOOD)
    (tmp_path / "chip.ptrace").write_text("A B\n1 1\n2 3\n")
    die = package(dict(flp=str(tmp_path / "chip.flp"), ptrace=str(tmp_path / "chip.ptrace"), row=1)).layers[0].blocks[0]
    assert die.nominal_power == pytest.approx(5.0, rel=1e-12)
