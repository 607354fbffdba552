"""Resolved channels laid out as built: ``count`` and ``edge_wall`` give exactly those channels
and walls on the grid, a layout they do not fill is refused naming the numbers, and the run
report says how the cavity was laid out."""

from __future__ import annotations

import io

import numpy as np
import pytest
from rich.console import Console

from thermal_cpo import LayoutError, Package, solve_steady, voxelize
from thermal_cpo.cli.render_coolant import print_coolant
from thermal_cpo.operator import Operator


def cavity(**channels) -> Package:
    """A 10 mm wide cavity of 100 µm channels and walls under a powered silicon die."""
    ch = {"width": 100, "wall": 100, "direction": "+x", "flow_rate": "100 ml/min", "inlet_T": 25, **channels}
    return Package(name="cavity", footprint={"x": 2000, "y": 10000},
                   grid={"max_cell_xy": 500, "max_cell_z": 100},
                   layers=[{"name": "die", "thickness": 300, "material": "silicon", "power": 20.0,
                            "power_at": "bottom"},
                           {"name": "cav", "thickness": 200, "material": "silicon", "channels": ch},
                           {"name": "cover", "thickness": 100, "material": "silicon"}])


def fluid_spans(pkg: Package) -> list[tuple[float, float]]:
    """Across-flow (y) intervals (µm) of the cells the operator treats as coolant."""
    mesh = voxelize(pkg)
    fluid = Operator(mesh).coolant.fluid.reshape(mesh.shape).any(axis=(0, 2))
    edges = np.diff(np.concatenate([[0], fluid.astype(int), [0]]))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(round(mesh.y[a] * 1e6, 3), round(mesh.y[b] * 1e6, 3)) for a, b in zip(starts, ends)]


def test_count_and_edge_walls_give_exactly_those_channels_on_the_grid():
    """50 channels of 100 µm between 100 µm walls with 50 µm edge walls fill 10 mm; fitted as
    many as fit, the same cavity gets 49 channels and 150 µm edge walls."""
    spans = fluid_spans(cavity(count=50, edge_wall=50))
    assert len(spans) == 50
    assert spans[0] == (50.0, 150.0) and spans[-1] == (9850.0, 9950.0)
    assert all(b - a == pytest.approx(100.0) for a, b in spans)
    assert all(c - b == pytest.approx(100.0) for (_, b), (c, _) in zip(spans, spans[1:]))
    fitted = fluid_spans(cavity())
    assert len(fitted) == 49 and fitted[0][0] == pytest.approx(150.0)
    # either key alone lays out the same cavity
    assert fluid_spans(cavity(count=50)) == spans
    assert fluid_spans(cavity(edge_wall=50)) == spans


@pytest.mark.parametrize("channels, key, words", [
    (dict(count=51, edge_wall=50), "count", "51 channels of 100 µm between 100 µm walls and 50 µm edge walls take 10200 µm"),
    (dict(count=60), "count", "60 channels"),
    (dict(edge_wall=80), "edge_wall", "leave 140 µm of the 10000 µm cavity; give count, or edge walls of 150 µm"),
    (dict(count=0), "count", "at least one channel"),
])
def test_a_layout_the_channels_do_not_fill_is_refused_naming_the_numbers(channels, key, words):
    with pytest.raises(LayoutError) as err:
        cavity(**channels)
    assert err.value.path.endswith(f"channels.{key}") or f"channels.{key}" in str(err.value)
    assert words in str(err.value)


def test_the_run_report_says_how_the_cavity_was_laid_out():
    r = solve_steady(cavity())
    buf = io.StringIO()
    print_coolant(r.coolant["groups"], Console(file=buf, width=200))
    assert "cav: 49 channels of 100 µm between 100 µm walls; edge walls 150 µm and 150 µm" in buf.getvalue()


def test_a_flow_no_cold_plate_runs_is_refused_naming_it():
    """20 L/s through this cavity is 100 m/s in its channels: a mistyped flow, refused."""
    with pytest.raises(LayoutError, match=r"layers\[1\]\.channels\.flow_rate: cav: 1200 L/min gives .* m/s") as err:
        solve_steady(cavity(flow_rate="20 L/s"))
    assert "beyond any cold plate" in str(err.value)
    solve_steady(cavity(flow_rate="0.2 L/min"))  # 0.33 m/s: a real plate's
