"""A solder TIM driven past its solidus is flagged in the report (text and JSON); the same
package below it, and a liquid metal by design above its melting point, are not."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from thermal_cpo.analysis import report
from thermal_cpo.analysis.solidus import above_solidus, component_materials
from thermal_cpo.cli.main import cli
from thermal_cpo.cli.render import print_report
from thermal_cpo.layout import Package
from thermal_cpo.materials import get
from thermal_cpo.solve import solve_steady

INDIUM_SOLIDUS = 156.6  # °C, the library's indium [andhao-indium-nd]


def stack(T_top: float, tim: str = "indium", power: float = 1.0) -> Package:
    """A 2 × 2 mm die (power on its bottom face) under a 50 µm TIM and a 1 mm copper lid whose
    top is held at ``T_top`` (°C). With 1 W the whole stack lies within 1 K of ``T_top``
    (q = 2.5e5 W/m²: 0.63 K across the lid, 0.15 K across indium, 0.34 K across the die), so
    T_top 15 K either side of the solidus puts the TIM clearly above or below it."""
    return Package.from_dict(dict(
        name="tim-melt", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=500, max_cell_z=50),
        layers=[dict(name="die", thickness=300, material="silicon", power=power, power_at="bottom"),
                dict(name="tim", thickness=50, material=tim),
                dict(name="lid", thickness=1000, material="copper")],
        boundaries={"top": {"type": "fixed", "T": T_top}}))


@pytest.fixture(scope="module")
def hot():
    return solve_steady(stack(INDIUM_SOLIDUS + 15.0))


@pytest.fixture(scope="module")
def cool():
    return solve_steady(stack(INDIUM_SOLIDUS - 15.0))


def test_an_indium_tim_above_its_solidus_is_listed(hot):
    rows = report(hot)["above_solidus"]
    assert [r["component"] for r in rows] == ["tim"]  # silicon and copper carry no solidus
    r, tim = rows[0], hot.component("tim")
    assert r["material"] == "indium" and r["T_solidus"] == INDIUM_SOLIDUS
    assert r["T_max"] == tim.T_max and r["T_hot"] == tim.T_hot
    # the TIM sits between the held top (171.6 °C) and the die: above the top temperature
    assert r["T_hot"] > INDIUM_SOLIDUS + 15.0
    assert r["excess"] == pytest.approx(r["T_hot"] - INDIUM_SOLIDUS, rel=1e-12)


def test_the_same_stack_below_its_solidus_is_not_listed(cool):
    assert cool.component("tim").T_hot < INDIUM_SOLIDUS - 14.0  # within 1 K of the top's 141.6 °C
    assert report(cool)["above_solidus"] == []


def test_a_liquid_metal_by_design_is_not_flagged():
    r = solve_steady(stack(INDIUM_SOLIDUS + 15.0, tim="galinstan"))
    assert get("galinstan").liquid_by_design and r.component("tim").T_hot > get("galinstan").T_solidus
    assert above_solidus(r) == []


def test_the_report_prints_one_warning_line(hot, cool):
    def text(result):
        buf = io.StringIO()
        print_report(report(result), Console(file=buf, width=160, highlight=False))
        return buf.getvalue()

    warnings = [line for line in text(hot).splitlines() if "solidus" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: tim (indium) reaches") and "156.6 °C" in warnings[0]
    assert "solidus" not in text(cool)


def test_report_json_carries_the_key(hot, cool, tmp_path):
    for result, n in ((hot, 1), (cool, 0)):
        path = tmp_path / f"{n}.h5"
        result.save(path)
        res = CliRunner().invoke(cli, ["report", str(path), "--json"])
        assert res.exit_code == 0, res.output
        rows = json.loads(res.stdout)["above_solidus"]
        assert len(rows) == n
        if n:
            assert set(rows[0]) >= {"component", "material", "T_max", "T_solidus"}
            assert rows[0]["component"] == "tim" and rows[0]["T_solidus"] == INDIUM_SOLIDUS


def test_a_block_takes_its_layers_material_unless_it_names_one():
    pkg = Package.from_dict(dict(
        name="blocks", footprint=dict(x=2000, y=2000),
        layers=[dict(name="joint", thickness=50, material="in52sn48", blocks=[
                    dict(name="plain", x=[0, 500], y=[0, 500]),
                    dict(name="own", x=[1000, 1500], y=[0, 500], material="sac305")]),
                dict(name="lid", thickness=500, material="copper")],
        boundaries={"top": {"type": "fixed", "T": 30.0}}))
    assert component_materials(pkg) == {"joint": "in52sn48", "plain": "in52sn48", "own": "sac305",
                                        "lid": "copper"}


def test_the_material_card_names_the_solidus_or_the_melting_point():
    from thermal_cpo.cli.render_solidus import material_lines

    assert material_lines(get("in52sn48")) == ["solidus = 118 °C (a component above it is flagged)"]
    assert material_lines(get("egain"))[0].startswith("melting point = 15.5 °C (liquid by design")
    assert material_lines(get("copper")) == []
