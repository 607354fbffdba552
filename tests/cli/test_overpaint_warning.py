"""A later block or box painted over part of a powered component: `validate` and `run` warn,
naming both and the covered fraction (the geometry alone, no grid); nothing covered, no warning."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package, dump_toml
from thermal_cpo.layout.overlap import overpainted


def _die(boxes=()) -> Package:
    """A 10 W die (x 1000–5000 µm, y 1000–5000 µm, 300 µm thick) under a lid, with ``boxes``
    painted after it."""
    return Package.from_dict(dict(
        name="covered", footprint=dict(x=6000, y=6000), grid=dict(max_cell_xy=500, max_cell_z=100),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=300, material="cu",
                     blocks=[dict(name="asic", x=[1000, 5000], y=[1000, 5000], material="si", power=10.0)]),
                dict(name="lid", thickness=1000, material="cu")],
        boxes=list(boxes), boundaries=dict(top=dict(type="convective", h=2e4, T=35.0))))


HALF = dict(name="cover", x=[3000, 5000], y=[1000, 5000], z=[0, 300], material="cu")


def test_half_covered_die_fraction_from_geometry():
    (o,) = overpainted(_die([HALF]))
    assert o.component == "asic" and o.fraction == pytest.approx(0.5) and o.by == (("cover", pytest.approx(0.5)),)


def test_overlapping_covers_count_once():
    """Two covers overlapping each other over the die: the covered volume is their union."""
    other = dict(name="patch", x=[2000, 4000], y=[1000, 3000], z=[0, 150], material="cu")
    (o,) = overpainted(_die([HALF, other]))
    # patch adds x 2000–3000 × y 1000–3000 × half the thickness outside `cover`: 1/16 of the die
    assert o.fraction == pytest.approx(0.5 + 1 / 16)
    assert dict(o.by) == {"cover": pytest.approx(0.5), "patch": pytest.approx(1 / 8)}


def test_validate_and_run_warn_for_a_half_covered_die(tmp_path):
    f = tmp_path / "covered.toml"
    f.write_text(dump_toml(_die([HALF])))
    res = CliRunner().invoke(cli, ["validate", str(f)])
    assert res.exit_code == 0, res.output
    expected = "warning: component 'asic' (10 W) is 50 % covered by later component 'cover' (50 %)"
    assert expected in res.stdout.replace("\n", " ")
    res = CliRunner().invoke(cli, ["run", str(f)])
    assert res.exit_code == 0, res.output
    assert expected in res.stderr.replace("\n", " ")
    res = CliRunner().invoke(cli, ["validate", str(f), "--json"])
    assert res.exit_code == 0 and expected in res.stderr and res.stdout.lstrip().startswith("{")


def test_uncovered_die_has_no_warning(tmp_path):
    beside = dict(name="spreader", x=[0, 6000], y=[0, 6000], z=[300, 600], material="cu")  # touches, covers nothing
    pkg = _die([beside])
    assert overpainted(pkg) == []
    f = tmp_path / "clear.toml"
    f.write_text(dump_toml(pkg))
    for args in (["validate", str(f)], ["run", str(f)]):
        res = CliRunner().invoke(cli, args)
        assert res.exit_code == 0, res.output
        assert "warning" not in res.output and res.stderr == ""
