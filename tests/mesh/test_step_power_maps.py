"""Power maps that change in a transient (``power_maps`` with ``map_times``).

A block whose left half carries its power until 4 ms and its right half after it is, cell for
cell, the same power field as two half blocks whose traces step at 4 ms: the two transients
must agree to the linear solver's tolerance (1e-9 K on a ~10 K rise, the solves running to a
relative residual of 1e-10), and every stored step's power must integrate to the trace's power
(1e-12 relative) and sit in the half the map puts it in (to 1e-12: the last-bit overlap of a
pixel edge and a grid node).
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient


def _package(blocks, trace_file=None):
    return Package(name="steps", footprint={"x": 4000, "y": 2000}, grid={"max_cell_xy": 250, "max_cell_z": 100},
                   layers=[{"name": "die", "thickness": 300, "material": "silicon",
                            "blocks": blocks},
                           {"name": "lid", "thickness": 500, "material": "copper"}],
                   boundaries={"top": {"type": "convective", "h": 2e4, "T": 25}})


MAPPED = [{"name": "core", "x": [0, 4000], "y": [0, 2000], "power": 20.0, "power_at": "bottom",
           "power_maps": [[[1, 0]], [[0, 1]]], "map_times": [0, "4 ms"]}]


def _halves(t_switch=4e-3):
    step = lambda before, after: {"model": "trace", "points": [[0, before], [t_switch, after]],
                                  "interpolation": "step"}
    return [{"name": "left", "x": [0, 2000], "y": [0, 2000], "power_at": "bottom", "source": step(20.0, 0.0)},
            {"name": "right", "x": [2000, 4000], "y": [0, 2000], "power_at": "bottom", "source": step(0.0, 20.0)}]


@pytest.fixture(scope="module")
def runs():
    kw = dict(t_end=10e-3, dt=5e-4, method="implicit", save_every=1e-3)
    return solve_transient(_package(MAPPED), **kw), solve_transient(_package(_halves()), **kw)


def test_a_switching_map_equals_two_traced_halves(runs):
    mapped, halves = runs
    assert np.allclose(mapped.times, halves.times, rtol=0, atol=1e-15)
    rise = float(np.max(halves.temperature) - 25.0)
    assert rise > 5.0
    for a, b in zip(mapped.steps, halves.steps):
        assert np.max(np.abs(a - b)) <= 1e-9 * max(rise, 1.0)


def test_each_stored_step_carries_the_power_where_its_map_puts_it(runs):
    mapped, _ = runs
    mesh = mapped.mesh
    vol = mesh.cell_volumes()
    xc = 0.5 * (mesh.x[1:] + mesh.x[:-1])
    left = (xc < 2e-3)[None, None, :]
    for t, q in zip(mapped.times, mapped.step_power):
        watts = q * vol
        assert float(watts.sum()) == pytest.approx(20.0, rel=1e-12)
        hot, cold = (left, ~left) if t < 4e-3 else (~left, left)
        assert float(np.where(hot, watts, 0.0).sum()) == pytest.approx(20.0, rel=1e-12)
        # pixel edges and grid nodes meet at the same 1 nm point in floats of metres: a last-bit
        # overlap may leave ~1e-15 of the power across the edge
        assert float(np.where(cold, watts, 0.0).sum()) <= 1e-12 * 20.0


def test_a_steady_solve_takes_the_first_map():
    first = [{**MAPPED[0], "power_maps": None, "map_times": None, "power_map": [[1, 0]]}]
    first[0].pop("power_maps"), first[0].pop("map_times")
    a, b = solve_steady(_package(MAPPED)), solve_steady(_package(first))
    assert np.array_equal(a.mesh.power, b.mesh.power)
    assert np.max(np.abs(a.temperature - b.temperature)) <= 1e-12


BAD = [
    ({"map_times": [0]}, "map_times", "one time per map"),
    ({"map_times": ["1 ms", "4 ms"]}, "map_times", "starting at 0"),
    ({"map_times": [0, 0]}, "map_times", "increasing"),
    ({"map_times": None}, "map_times", "one time per map"),
    ({"power_map": [[1, 1]]}, "power_map", "power_map and power_maps[0] differ"),
    ({"power_maps": [[[1, 0]], [[0, 0]]]}, "power_maps", "at least one positive pixel"),
]


@pytest.mark.parametrize("change, field, message", BAD)
def test_bad_step_maps_are_refused_naming_the_field(tmp_path, change, field, message):
    from thermal_cpo.layout.toml import toml_text

    block = {**MAPPED[0], **change}
    block = {k: v for k, v in block.items() if v is not None}
    pkg_text = toml_text({"schema_version": 1, "name": "bad", "footprint": {"x": 4000, "y": 2000},
                          "layers": [{"name": "die", "thickness": 300, "material": "silicon", "blocks": [block]}],
                          "boundaries": {"top": {"type": "convective", "h": 2e4, "T": 25}}})
    (tmp_path / "bad.toml").write_text(pkg_text)
    res = CliRunner().invoke(cli, ["validate", str(tmp_path / "bad.toml")])
    assert res.exit_code == 2, res.output
    assert f"blocks[0].{field}" in res.output and message in res.output and "Traceback" not in res.output
