"""Physically impossible input is refused before anything is solved, and the limits let every
legitimate package through.

The one-field cases (lengths, conductivities, k(T) laws, contacts, coolant tables, flow rates,
a trace given twice, deep nesting in TOML) are in the bad-input catalogue (test_bad_input.py);
here are deep nesting from Python, the command line's ``--t-end``, the Python API's units, and
values just inside each limit.
"""

from __future__ import annotations

import copy
import json

import click
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.cli.options import T_END, T_END_MAX
from thermal_cpo.layout import Block, Box, Footprint, Layer, Package, Probe
from thermal_cpo.materials import Material

BASE = {
    "name": "limits",
    "footprint": {"x": 2000, "y": 2000},  # µm
    "grid": {"max_cell_xy": 500, "max_cell_z": 250},
    "layers": [
        {"name": "substrate", "thickness": 500, "material": "organic-substrate"},
        {"name": "die-tier", "thickness": 200, "material": "air",
         "blocks": [{"name": "die", "x": [500, 1500], "y": [500, 1500], "material": "silicon",
                     "power": 1.0}]},
    ],
    "boundaries": {"top": {"type": "convective", "h": 1e4, "T": 25}},
}


def base() -> dict:
    return copy.deepcopy(BASE)


def _slab(**over) -> Package:
    """One 0.5-unit silicon layer under a convective top, with ``over`` replacing keys."""
    return Package.from_dict({"footprint": {"x": 1000, "y": 1000},
                              "layers": [{"name": "slab", "thickness": 0.5, "material": "silicon"}],
                              "boundaries": {"top": {"type": "convective", "h": 1e4, "T": 25}}, **over})


# ---------------------------------------------------------------------------------------------
# deep nesting from Python (TOML's is in the file cases of the catalogue)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["footprint", "layers", "materials"])
def test_deeply_nested_values_are_layout_errors(key):
    deep = 1.0
    for _ in range(20_000):
        deep = [deep]
    d = base()
    d[key] = {"m": {"k": deep, "rho": 1, "cp": 1}} if key == "materials" else deep
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    assert "[[[" in str(info.value) and len(str(info.value)) < 300


# ---------------------------------------------------------------------------------------------
# --t-end
# ---------------------------------------------------------------------------------------------
@click.command()
@click.option("--t-end", type=T_END)
def _echo_t_end(t_end):
    click.echo(repr(t_end))


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "-1", "0", "20 days", "1e300 s"])
def test_t_end_beyond_any_transient_is_refused_with_the_flag(value):
    result = CliRunner().invoke(_echo_t_end, ["--t-end", value])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --t-end: ")


@pytest.mark.parametrize("value, seconds", [("0.01", 0.01), ("10 ms", 0.01), ("2 h", 7200.0),
                                            (str(T_END_MAX), T_END_MAX)])
def test_t_end_in_range_is_seconds(value, seconds):
    result = CliRunner().invoke(_echo_t_end, ["--t-end", value])
    assert result.exit_code == 0, result.output
    assert float(result.stdout) == pytest.approx(seconds)


def test_t_end_with_the_wrong_unit_names_the_flag():
    result = CliRunner().invoke(_echo_t_end, ["--t-end", "5 W"])
    assert result.exit_code == 2
    assert "--t-end" in result.stderr and "expected a time" in result.stderr


# ---------------------------------------------------------------------------------------------
# the Python API's units: bare lengths are µm (the units rule), flow rates need units
# ---------------------------------------------------------------------------------------------
def test_python_keyword_lengths_are_micrometres_as_documented():
    assert Footprint(x=20_000, y="20 mm").x == Footprint(x=20_000, y="20 mm").y == pytest.approx(0.02)
    assert Layer(name="die", thickness=500, material="silicon").thickness == pytest.approx(5e-4)
    assert Block(name="b", x=[0, 1000], y=[0, "1 mm"]).x == pytest.approx((0.0, 1e-3))
    for cls in (Footprint, Layer, Block, Box, Probe):
        doc = " ".join(cls.__doc__.split())
        assert "bare" in doc and "µm" in doc and "stored in m" in doc, cls.__name__
    assert "bare lengths are micrometres" in " ".join(Package.__doc__.split())


def test_a_footprint_meant_in_metres_is_refused_with_the_unit():
    with pytest.raises(LayoutError) as info:
        Footprint(x=0.02, y=0.02)  # 20 mm meant, 20 nm read
    assert info.value.path is None  # both sides: two problems
    assert [p for p, _ in info.value.problems] == ["x", "y"]
    assert "smaller than any package" in str(info.value) and "'20 mm'" in str(info.value)
    with pytest.raises(LayoutError) as info:
        _slab(length_unit="mm", footprint={"x": 0.0001, "y": 2})
    assert info.value.path == "footprint.x" and "bare lengths are mm" in str(info.value)


def test_python_flow_rates_need_units():
    plate = {"name": "plate", "channel_width": 100, "wall_width": 100, "channel_height": 500,
             "base_thickness": 500, "material": "copper", "inlet_T": 25}
    d = base()
    d["boundaries"] = {}
    with pytest.raises(LayoutError) as info:
        Package.from_dict({**d, "coldplates": [{**plate, "flow_rate": 2.5e-5}]})
    assert info.value.path == "coldplates[0].flow_rate" and "L/min" in str(info.value)
    pkg = Package.from_dict({**d, "coldplates": [{**plate, "flow_rate": "1.5 L/min"}]})
    assert pkg.coldplates[0].flow_rate == pytest.approx(2.5e-5)
    # the resolved layout carries the unit, so it reads back (and the JSON stays plain)
    resolved = pkg.to_dict()
    assert resolved["coldplates"][0]["flow_rate"] == "2.5e-05 m^3/s"
    assert Package.from_dict(json.loads(json.dumps(resolved))) == pkg


# ---------------------------------------------------------------------------------------------
# just inside each limit: accepted
# ---------------------------------------------------------------------------------------------
def test_values_just_inside_the_limits_are_accepted():
    d = base()
    d["layers"].append({"name": "film", "thickness": "1 nm", "material": "indium"})
    d["layers"][1]["blocks"][0]["x"] = [500, "500.001 um"]
    d["materials"] = {"low": {"k": 1e-12, "rho": 1, "cp": 1}, "high": {"k": [1e6, 1e6, 1], "rho": 1, "cp": 1}}
    d["contacts"] = [{"between": ["die", "die-tier"], "r": 1e-6},  # a block and its layer's fill
                     {"between": ["film", "die-tier"], "r": 1e-6}]
    pkg = Package.from_dict(d)
    assert pkg.layers[2].thickness == 1e-9
    _slab(footprint={"x": "1 m", "y": 1})  # 1 m by 1 µm: both footprint limits


def test_library_k_of_t_laws_hold_from_a_cold_boundary_to_the_check_ceiling():
    d = base()
    d["boundaries"]["top"]["T"] = -55  # the coldest qualification temperature of packages
    d["layers"][1]["blocks"][0]["material"] = "silicon"
    assert Package.from_dict(d).material("silicon").temperature_dependent
    si = Material(k=148, rho=2330, cp=705, k_model="power", T0=25, n=4 / 3)
    assert si.k_outside(-55, 400) is None
    assert si.k_outside(-273.15, 25) == (-273.15, float("inf"))  # 0 K: the law diverges


@pytest.mark.parametrize("bad", [True, "8"])
def test_a_count_is_a_whole_number_not_a_bool_or_a_string(bad):
    # a bool would be read as 1 emitter and a string as a number: neither is what was meant
    from thermal_cpo.layout import load_layout

    d = load_layout("gpu-1k5-cpo").to_dict()
    laser = next(b for b in d["boxes"] if b["name"] == "pe0.laser")
    laser["power_model"]["emitters"] = bad
    with pytest.raises(LayoutError, match="emitters"):
        Package.from_dict(d)
