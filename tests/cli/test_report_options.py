"""`thermal-cpo report --powered / --limits-only` cut the component table to the components
asked for, and a component hotter than its limit is marked OVER LIMIT."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.solve import solve_steady


def _package() -> Package:
    """asic (10 W, limit 95 °C: within), pic (4 W, limit 30 °C: below the 35 °C ambient, so
    over), eic (2 W, no limit), and the unpowered layers die, tim and lid (lid limit 95 °C)."""
    return Package.from_dict(dict(
        name="three", footprint=dict(x=8000, y=6000), grid=dict(max_cell_xy=500, max_cell_z=150),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=300, material="si", blocks=[
                    dict(name="asic", x=[500, 3500], y=[1000, 5000], power=10.0, limit=95),
                    dict(name="pic", x=[4500, 6000], y=[1000, 3000], power=4.0, limit=30),
                    dict(name="eic", x=[6500, 7500], y=[3500, 5500], power=2.0)]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu", limit=95)],
        boundaries=dict(top=dict(type="convective", h=2e4, T=35.0))))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "three.h5"
    solve_steady(_package()).save(path)
    return str(path)


def _component_rows(text: str) -> dict[str, list[str]]:
    """The component table's body rows by component name (plain ASCII table)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "steady temperatures" in line)
    start = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))  # the header
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return rows


def _report(saved, *options):
    res = CliRunner().invoke(cli, ["report", saved, *options])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_over_limit_marked_in_the_margin_column(saved):
    rows = _component_rows(_report(saved))
    assert set(rows) == {"die", "asic", "pic", "eic", "tim", "lid"}
    assert rows["pic"][7].endswith("OVER LIMIT") and float(rows["pic"][7].split()[0]) < 0
    assert "OVER" not in rows["asic"][7] and float(rows["asic"][7]) > 0
    assert rows["eic"][7] == "" and "OVER" not in rows["lid"][7]


@pytest.mark.parametrize("options, shown", [
    (["--powered"], {"asic", "pic", "eic"}),
    (["--limits-only"], {"asic", "pic", "lid"}),
    (["--powered", "--limits-only"], {"asic", "pic"}),
])
def test_options_cut_the_component_table(saved, options, shown):
    text = _report(saved, *options)
    assert set(_component_rows(text)) == shown
    assert f"{len(shown)} of 6 components shown" in text
    data = json.loads(_report(saved, *options, "--json"))
    assert {c["name"] for c in data["components"]} == shown


def test_without_options_nothing_is_left_out(saved):
    assert "components shown" not in _report(saved)
