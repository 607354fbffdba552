"""Bad input: exit code 2, one clear message naming the field path, never a traceback.

Each case starts from a small valid layout (a dict written as TOML) and breaks one field. The same
case is checked three ways: the command line in-process (click's CliRunner), the Python API
(:class:`thermal_cpo.LayoutError` with ``.path``), and, for a few, the real process
(``python -m thermal_cpo``) to prove the exit status the shell sees.
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys

import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError, ThermalCPOError
from thermal_cpo.cli.main import cli
from thermal_cpo.mesh import voxelize
from thermal_cpo.layout import load_layout, parse_toml, read_toml
from thermal_cpo.layout import Layer, Package

# ---------------------------------------------------------------------------------------------
# the valid base layout and a tiny TOML writer (independent of thermal_cpo.layout.dump_toml)
# ---------------------------------------------------------------------------------------------
BASE = {
    "name": "bad-input-base",
    "footprint": {"x": 2000, "y": 2000},  # µm: 2 × 2 mm
    "grid": {"max_cell_xy": 500, "max_cell_z": 250},
    "layers": [
        {"name": "substrate", "thickness": 500, "material": "organic-substrate"},
        {
            "name": "die-tier",
            "thickness": 200,
            "material": "air",
            "blocks": [
                {"name": "die", "x": [500, 1500], "y": [500, 1500], "material": "silicon",
                 "power": 1.0},
            ],
        },
    ],
    "boundaries": {"top": {"type": "convective", "h": 1e4, "T": 25}},
}


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    raise TypeError(type(v))


def _is_table_array(v) -> bool:
    return isinstance(v, list) and v and all(isinstance(x, dict) for x in v)


def to_toml(data: dict, prefix: str = "", array: bool = False) -> str:
    """Nested dicts / lists of dicts → TOML text (enough for layouts)."""
    out = []
    if prefix:
        out.append(f"\n[[{prefix}]]" if array else f"\n[{prefix}]")
    tables = []
    for k, v in data.items():
        if isinstance(v, dict) or _is_table_array(v):
            tables.append((k, v))
        else:
            out.append(f"{k} = {_scalar(v)}")
    for k, v in tables:
        sub = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.append(to_toml(v, sub))
        else:
            out.extend(to_toml(item, sub, True) for item in v)
    return "\n".join(out) + "\n"


def base() -> dict:
    return copy.deepcopy(BASE)


def write(tmp_path, data_or_text, name="layout.toml"):
    p = tmp_path / name
    p.write_text(data_or_text if isinstance(data_or_text, str) else to_toml(data_or_text),
                 encoding="utf-8")
    return p


# ---------------------------------------------------------------------------------------------
# one broken field per case: (id, mutate(data), expected path, substrings of the message)
# ---------------------------------------------------------------------------------------------
def _rename(d: dict, old: str, new: str):
    d[new] = d.pop(old)


def _set(path, value):
    def mutate(d):
        obj = d
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value

    return mutate


DIE = ("layers", 1, "blocks", 0)

CASES = [
    ("unknown-key-layer", lambda d: _rename(d["layers"][1], "thickness", "thicknes"),
     "layers[1].thicknes", ["unknown key", "'thicknes'", "'thickness'"]),
    ("unknown-key-top", lambda d: _rename(d, "name", "nmae"),
     "nmae", ["unknown key", "'name'"]),
    ("unknown-key-block", lambda d: _rename(d["layers"][1]["blocks"][0], "power", "powr"),
     "layers[1].blocks[0].powr", ["unknown key", "'power'"]),
    ("unknown-key-boundary", lambda d: d["boundaries"]["top"].update(hh=1.0),
     "boundaries.top.hh", ["unknown key", "'h'"]),
    ("unknown-material-block", _set(DIE + ("material",), "coper"),
     "layers[1].blocks[0].material", ["unknown material", "'coper'", "'copper'"]),
    ("unknown-material-layer", _set(("layers", 0, "material"), "silicn"),
     "layers[0].material", ["unknown material", "'silicon'"]),
    ("zero-thickness", _set(("layers", 1, "thickness"), 0),
     "layers[1].thickness", ["must be > 0", "0"]),
    ("negative-thickness", _set(("layers", 1, "thickness"), -5),
     "layers[1].thickness", ["must be > 0", "-5"]),
    ("zero-footprint", _set(("footprint", "y"), 0.0),
     "footprint.y", ["must be > 0"]),
    ("block-outside-footprint", _set(DIE + ("x",), [500, 2500]),
     "layers[1].blocks[0].x", ["outside the footprint", "2500"]),
    ("block-outside-footprint-negative", _set(DIE + ("y",), [-100, 1500]),
     "layers[1].blocks[0].y", ["outside the footprint", "-100"]),
    ("range-min-gt-max", _set(DIE + ("x",), [1500, 500]),
     "layers[1].blocks[0].x", ["min must be < max", "1500", "500"]),
    ("range-min-eq-max", _set(DIE + ("y",), [700, 700]),
     "layers[1].blocks[0].y", ["min must be < max"]),
    ("range-three-values", _set(DIE + ("y",), [1, 2, 3]),
     "layers[1].blocks[0].y", ["[min, max]"]),
    ("nan-power", _set(DIE + ("power",), float("nan")),
     "layers[1].blocks[0].power", ["power", "nan", "finite"]),
    ("inf-power", _set(DIE + ("power",), float("inf")),
     "layers[1].blocks[0].power", ["power", "finite"]),
    ("negative-power", _set(DIE + ("power",), -1.0),
     "layers[1].blocks[0].power", ["must be >= 0", "-1"]),
    ("length-in-watts", _set(("layers", 1, "thickness"), "5 W"),
     "layers[1].thickness", ["expected a length", "'5 W'", "power"]),
    ("power-in-metres", _set(DIE + ("power",), "3 mm"),
     "layers[1].blocks[0].power", ["expected a power", "'3 mm'", "length"]),
    ("unparsable-unit", _set(("footprint", "x"), "2 furlongz"),
     "footprint.x", ["expected a length", "cannot read"]),
    ("boolean-length", _set(("footprint", "x"), True),
     "footprint.x", ["boolean"]),
    ("duplicate-block-name", _set(DIE + ("name",), "substrate"),
     "layers[1].blocks[0].name", ["duplicate component name", "'substrate'", "layers[0]"]),
    ("duplicate-layer-name", _set(("layers", 1, "name"), "substrate"),
     "layers[1].name", ["duplicate component name", "'substrate'"]),
    ("bad-power-at", _set(DIE + ("power_at",), "side"),
     "layers[1].blocks[0].power_at", ["'side'", "'bottom'"]),
    ("convective-without-h", lambda d: d["boundaries"]["top"].pop("h"),
     "boundaries.top.h", ["convective", "needs h"]),
    ("box-above-stack", lambda d: d.update(boxes=[
        {"name": "lidbox", "x": [0, 2000], "y": [0, 2000], "z": [600, 900], "material": "copper"}]),
     "boxes[0].z", ["outside the stack height"]),
    ("contact-unknown-component", lambda d: d.update(contacts=[
        {"between": ["die", "substrat"], "r": 1e-6}]),
     "contacts[0].between[1]", ["no component named 'substrat'", "'substrate'"]),
    ("negative-contact-resistance", lambda d: d.update(contacts=[
        {"between": ["die", "substrate"], "r": -1e-6}]),
     "contacts[0].r", ["must be >= 0"]),
    ("grading-out-of-range", _set(("grid", "grading"), 10.0),
     "grid.grading", ["between 1.05 and 4"]),
    ("bad-length-unit", lambda d: d.update(length_unit="inch"),
     "length_unit", ["'inch'", "'mm'"]),
    ("no-layers", lambda d: d.update(layers=[]),
     "layers", ["at least 1"]),
    # true and 1.0 compare equal to 1 in Python: a version must still be the whole number
    ("schema-version-bool", lambda d: d.update(schema_version=True),
     "schema_version", ["True", "whole number 1"]),
    ("schema-version-float", lambda d: d.update(schema_version=1.0),
     "schema_version", ["1.0", "whole number 1"]),
    ("schema-version-future", lambda d: d.update(schema_version=2),
     "schema_version", ["2"]),
]


def _plate(**over):
    """Replace the top boundary by a compact cold plate with ``over`` changed (None deletes)."""
    def mutate(d):
        d["boundaries"].pop("top")
        plate = {"name": "plate", "face": "top", "channel_width": 100, "wall_width": 100,
                 "channel_height": 500, "base_thickness": 500, "material": "copper",
                 "flow_direction": "+x", "flow_rate": "100 ml/min", "inlet_T": 25, "coolant": "water"}
        plate.update(over)
        d["coldplates"] = [{k: v for k, v in plate.items() if v is not None}]
    return mutate


def _cavity(**over):
    """Add a resolved-channel layer on top with ``over`` changed in its channels."""
    def mutate(d):
        ch = {"width": 100, "wall": 100, "direction": "+y", "flow_rate": "10 ml/min", "inlet_T": 25}
        ch.update(over)
        d["layers"].append({"name": "cavity", "thickness": 200, "material": "silicon", "channels": ch})
    return mutate


CASES += [
    ("coldplate-zero-flow", _plate(flow_rate=0.0),
     "coldplates[0].flow_rate", ["must be > 0"]),
    ("coldplate-negative-flow", _plate(flow_rate="-1.5 L/min"),
     "coldplates[0].flow_rate", ["must be > 0", "-1.5 L/min"]),
    ("coldplate-flow-in-watts", _plate(flow_rate="3 W"),
     "coldplates[0].flow_rate", ["expected a volume flow rate", "power"]),
    ("coldplate-channels-wider-than-plate", _plate(channel_width=2500),
     "coldplates[0].channel_width", ["wider than", "2000 µm plate"]),
    ("coldplate-too-many-channels", _plate(wall_width=None, n_channels=30),
     "coldplates[0].n_channels", ["30 channels", "do not fit"]),
    ("coldplate-wall-and-pitch", _plate(pitch=250),
     "coldplates[0].pitch", ["exactly one of wall_width, n_channels or pitch"]),
    ("coldplate-pitch-below-channel", _plate(wall_width=None, pitch=80),
     "coldplates[0].pitch", ["must exceed channel_width"]),
    ("coldplate-off-the-package", _plate(x=[1000, 3000]),
     "coldplates[0].x", ["outside the footprint", "3000"]),
    ("coldplate-unknown-coolant", _plate(coolant="watr"),
     "coldplates[0].coolant", ["unknown coolant", "'watr'", "'water'"]),
    ("coldplate-inlet-outside-table", _plate(inlet_T=95),
     "coldplates[0].inlet_T", ["outside the property table", "'water'"]),
    ("coldplate-bad-direction", _plate(flow_direction="+z"),
     "coldplates[0].flow_direction", ["'+z'", "'+x'"]),
    ("coldplate-unknown-material", _plate(material="copperr"),
     "coldplates[0].material", ["unknown material", "'copper'"]),
    ("coldplate-over-a-boundary", lambda d: (_plate()(d), d["boundaries"].update(
        top={"type": "convective", "h": 1e4, "T": 25})),
     "coldplates[0].face", ["already has a convective boundary"]),
    ("channels-zero-flow", _cavity(flow_rate=0),
     "layers[2].channels.flow_rate", ["must be > 0"]),
    ("channels-negative-flow", _cavity(flow_rate="-5 ml/min"),
     "layers[2].channels.flow_rate", ["must be > 0"]),
    ("channels-wider-than-footprint", _cavity(width=1900),
     "layers[2].channels.width", ["does not fit", "2000 µm footprint"]),
    ("channels-unknown-coolant", _cavity(coolant="glycol"),
     "layers[2].channels.coolant", ["unknown coolant", "'glycol'"]),
    ("channels-layer-with-power", lambda d: (_cavity()(d), d["layers"][2].update(power=5.0)),
     "layers[2].power", ["channel layer", "no power"]),
    ("channels-bad-h", _cavity(h_side=-1e4),
     "layers[2].channels.h_side", ["must be > 0"]),
]


def _die_material(**spec):
    """The die made of an inline material ``m``: a plain solid with ``spec`` added or replaced."""
    def mutate(d):
        d["materials"] = {"m": {"k": 10.0, "rho": 2000, "cp": 700, **spec}}
        d["layers"][1]["blocks"][0]["material"] = "m"
    return mutate


def _coolant(**over):
    """Define a coolant ``c`` (a water-like table) with ``over`` replacing columns."""
    def mutate(d):
        d["coolants"] = {"c": {"T": [0.0, 100.0], "rho": [1000.0, 958.0], "cp": [4217.0, 4216.0],
                               "k": [0.56, 0.68], "mu": [1.8e-3, 2.8e-4], **over}}
    return mutate


def _lid_and_contacts(*contacts):
    """Add a copper lid layer on top and the given ``(a, b)`` contacts."""
    def mutate(d):
        d["layers"].append({"name": "lid", "thickness": 100, "material": "copper"})
        d["contacts"] = [{"between": list(pair), "r": 1e-6} for pair in contacts]
    return mutate


# physically impossible input: lengths beyond any package or below the 1 nm snapping grid,
# conductivities outside the physical range, k(T) laws that leave it, contacts that act nowhere
# or twice, non-finite coolant tables, flow rates without units
CASES += [
    ("thickness-beyond-any-package", _set(("layers", 1, "thickness"), 1e308),
     "layers[1].thickness", ["beyond any package", "at most 1 m", "µm"]),
    ("footprint-in-metres-beyond-any-package", _set(("footprint", "x"), "5 m"),
     "footprint.x", ["beyond any package", "'5 m'"]),
    ("block-extent-beyond-any-package", _set(DIE + ("y",), [500, 2e6]),
     "layers[1].blocks[0].y", ["beyond any package"]),
    ("thickness-below-the-snapping-grid", lambda d: d["layers"].append(
        {"name": "tim", "thickness": "0.4 nm", "material": "indium"}),
     "layers[2].thickness", ["0.4 nm", "below the 1 nm snapping resolution", "vanish"]),
    ("extent-below-the-snapping-grid", _set(DIE + ("x",), [500, "500.0004 um"]),
     "layers[1].blocks[0].x", ["0.4 nm", "1 nm snapping resolution"]),
    ("footprint-smaller-than-a-package", _set(("footprint", "y"), 0.02),
     "footprint.y", ["0.02 µm", "smaller than any package", "bare lengths are µm", "'20 mm'"]),
    ("conductivity-too-small", _die_material(k=1e-30),
     "materials.m.k", ["1e-30", "physical range", "[1e-12, 1e+06] W/(m·K)"]),
    ("conductivity-too-large", _die_material(k=[10, 10, 1e30]),
     "materials.m.k", ["physical range"]),
    ("kt-exponent-without-model", _die_material(n=1.3),
     "materials.m.n", ["k_model = 'power'", "remove n"]),
    ("kt-reference-without-model", _die_material(T0="300 K"),
     "materials.m.T0", ["k_model = 'power'", "remove T0"]),
    ("kt-law-leaves-the-physical-range", _die_material(k_model="power", T0=25, n=400),
     "materials.m.n", ["k(T) law of material 'm'", "falls to", "25 to 400 °C", "[1e-12, 1e+06]"]),
    ("kt-law-turns-non-positive", _die_material(k_model="power", T0=25, n=5000),
     "materials.m.n", ["k(T) law", "turns non-positive"]),
    ("contact-between-components-that-never-touch", _lid_and_contacts(("substrate", "lid")),
     "contacts[0].between", ["'substrate' and 'lid' never touch", "act nowhere"]),
    ("contact-given-twice", _lid_and_contacts(("die", "lid"), ("lid", "die")),
     "contacts[1].between", ["already given at contacts[0]"]),
    ("coolant-nan", _coolant(rho=[1000.0, float("nan")]),
     "coolants.c.rho", ["rho[1] is nan", "finite number > 0"]),
    ("coolant-inf", _coolant(cp=[4217.0, float("inf")]),
     "coolants.c.cp", ["cp[1] is inf", "finite"]),
    ("coolant-temperature-nan", _coolant(T=[0.0, float("nan")]),
     "coolants.c.T", ["T[1] is nan", "finite"]),
    ("coldplate-bare-flow-rate", _plate(flow_rate=2),
     "coldplates[0].flow_rate", ["a bare number has no unit", "'2 L/min'"]),
    ("channels-bare-flow-rate", _cavity(flow_rate=3e-7),
     "layers[2].channels.flow_rate", ["a bare number has no unit", "L/min"]),
]
IDS = [c[0] for c in CASES]


def mutated(mutate) -> dict:
    d = base()
    mutate(d)
    return d


def assert_one_clean_message(stderr: str, path: str, needles):
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one message line, got:\n{stderr}"
    msg = lines[0]
    assert msg.startswith("error: ")
    assert path in msg, f"path {path!r} not named in {msg!r}"
    for needle in needles:
        assert needle in msg, f"{needle!r} not in {msg!r}"
    return msg


# ---------------------------------------------------------------------------------------------
# the base layout is valid (otherwise every case below would pass for the wrong reason)
# ---------------------------------------------------------------------------------------------
def test_base_layout_is_valid(tmp_path):
    pkg = Package.from_dict(base())
    assert [layer.name for layer in pkg.layers] == ["substrate", "die-tier"]
    assert pkg.total_power == 1.0
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, base()))])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "bad-input-base" in result.stdout


def test_writer_round_trips_the_base():
    import tomllib

    assert tomllib.loads(to_toml(base())) == BASE


# ---------------------------------------------------------------------------------------------
# command line, in-process
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case_id, mutate, path, needles", CASES, ids=IDS)
def test_cli_bad_field(tmp_path, case_id, mutate, path, needles):
    f = write(tmp_path, mutated(mutate))
    result = CliRunner().invoke(cli, ["validate", str(f)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    msg = assert_one_clean_message(result.stderr, path, needles)
    assert f.name in msg  # the message names the file too


# ---------------------------------------------------------------------------------------------
# Python API: LayoutError (a ValueError) with .path
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case_id, mutate, path, needles", CASES, ids=IDS)
def test_api_bad_field(tmp_path, case_id, mutate, path, needles):
    data = mutated(mutate)
    with pytest.raises(LayoutError) as info:
        Package.from_dict(data)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, ThermalCPOError)
    assert err.path == path
    assert err.problems == [(path, err.problems[0][1])]
    for needle in needles:
        assert needle in str(err)
    # the same through a file: the path survives, the message gains the file name once
    f = write(tmp_path, data)
    with pytest.raises(LayoutError) as info:
        load_layout(f)
    assert info.value.path == path
    assert str(info.value) == f"{f}: {path}: {err.problems[0][1]}"


def test_api_keyword_constructor_names_the_field():
    with pytest.raises(LayoutError) as info:
        Layer(name="x", thickness=0, material="air")
    assert info.value.path == "thickness"
    with pytest.raises(ValueError) as info:
        Layer(name="x", thickness=100, material="air", blocks=[{"name": "b", "x": [5, 1], "y": [0, 1]}])
    assert info.value.path == "blocks[0].x"


def test_several_problems_are_reported_together(tmp_path):
    d = base()
    d["layers"][0]["thickness"] = -1
    d["layers"][1]["blocks"][0]["power"] = -2
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    paths = [p for p, _ in info.value.problems]
    assert paths == ["layers[0].thickness", "layers[1].blocks[0].power"]
    result = CliRunner().invoke(cli, ["validate", str(write(tmp_path, d))])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "layers[0].thickness" in result.stderr and "layers[1].blocks[0].power" in result.stderr


def test_misspelt_required_key_is_one_problem():
    """`thicknes` is reported as an unknown key with its suggestion, not also as a missing key."""
    d = base()
    _rename(d["layers"][1], "thickness", "thicknes")
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    assert [p for p, _ in info.value.problems] == ["layers[1].thicknes"]
    # a key that is simply missing is still reported as missing
    d = base()
    del d["layers"][1]["thickness"]
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    assert info.value.path == "layers[1].thickness"
    assert "missing" in str(info.value)


def test_from_dict_rejects_non_tables():
    with pytest.raises(LayoutError):
        Package.from_dict([1, 2, 3])
    with pytest.raises(LayoutError) as info:
        Package.from_dict({**base(), "layers": "die"})
    assert info.value.path == "layers"


# ---------------------------------------------------------------------------------------------
# unreadable files and malformed TOML
# ---------------------------------------------------------------------------------------------
def _missing(tmp_path):
    return tmp_path / "does-not-exist.toml", ["no such layout file"]


def _directory(tmp_path):
    d = tmp_path / "a-directory"
    d.mkdir()
    return d, ["is a directory"]


def _binary(tmp_path):
    p = tmp_path / "garbage.toml"
    p.write_bytes(b"\x89HDF\r\n\x1a\n\x00\xff\xfe\x80" * 16)
    return p, ["not UTF-8"]


def _nul_bytes(tmp_path):
    p = tmp_path / "nul.toml"
    p.write_bytes(b"\x00\x01\x02\x03 name = 1")
    return p, ["malformed TOML"]


def _malformed(tmp_path):
    text = to_toml(base()).replace("x = 2000", "x = = 2000", 1)
    return write(tmp_path, text, "malformed.toml"), ["malformed TOML", "(at line 4, column 5)"]


def _duplicate_toml_key(tmp_path):
    text = to_toml(base()).replace('name = "bad-input-base"', 'name = "a"\nname = "b"', 1)
    return write(tmp_path, text, "dupkey.toml"), ["malformed TOML"]


def _empty(tmp_path):
    return write(tmp_path, "", "empty.toml"), ["footprint", "missing"]


def _deeply_nested(tmp_path):
    """Arrays nested thousands deep: the TOML reader's recursion runs out, not the program."""
    text = "deep = " + "[" * 5000 + "]" * 5000 + "\n" + to_toml(base())
    return write(tmp_path, text, "deep.toml"), ["malformed TOML", "nested too deeply"]


FILE_CASES = [_missing, _directory, _binary, _nul_bytes, _malformed, _duplicate_toml_key, _empty,
              _deeply_nested]


@pytest.mark.parametrize("make", FILE_CASES, ids=[f.__name__.strip("_") for f in FILE_CASES])
def test_unreadable_or_malformed_file(tmp_path, make):
    path, needles = make(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    msg = result.stderr.strip()
    assert msg.startswith("error: ") and str(path) in msg
    for needle in needles:
        assert needle in msg
    with pytest.raises(LayoutError) as info:
        read_toml(path)
    for needle in needles:
        assert needle in str(info.value)


def test_unknown_layout_name_suggests_shipped():
    result = CliRunner().invoke(cli, ["validate", "quickstrat"])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "'quickstart'" in result.stderr
    with pytest.raises(LayoutError, match="quickstart"):
        load_layout("quickstrat")


def test_parse_toml_names_origin():
    with pytest.raises(LayoutError) as info:
        parse_toml("footprint = 3\n", origin="inline.toml")
    assert str(info.value).startswith("inline.toml: ")


# ---------------------------------------------------------------------------------------------
# memory guard
# ---------------------------------------------------------------------------------------------
def fine_grid() -> dict:
    d = base()
    d["grid"]["max_cell_xy"] = 50  # 40 × 40 columns: several thousand cells, > 1 MB estimated
    return d


@pytest.fixture
def no_env_limit(monkeypatch):
    monkeypatch.delenv("THERMAL_CPO_MEMORY_LIMIT", raising=False)


def _n_cells(d) -> int:
    return voxelize(Package.from_dict(d), memory_limit_bytes="1 TB").n_cells


def _check_guard_message(msg: str, n: int):
    assert f"{n:,} cells" in msg
    assert "--memory-limit" in msg and "grid.memory_limit" in msg
    assert "grid.max_cell_xy" in msg


def test_memory_guard_cli_option(tmp_path, no_env_limit):
    d = fine_grid()
    n = _n_cells(d)
    assert n * 600 > 1e6  # the case really is over the limit
    f = write(tmp_path, d)
    result = CliRunner().invoke(cli, ["validate", str(f), "--memory-limit", "1 MB"])
    assert result.exit_code == 2, result.output
    msg = assert_one_clean_message(result.stderr, "grid", [])
    _check_guard_message(msg, n)
    # a generous limit lets the same layout through
    result = CliRunner().invoke(cli, ["validate", str(f), "--memory-limit", "10 GB"])
    assert result.exit_code == 0, result.output
    assert f"{n:,} cells" in result.stdout


def test_memory_guard_layout_setting(tmp_path, no_env_limit):
    d = fine_grid()
    d["grid"]["memory_limit"] = "1 MB"
    n = _n_cells({**d, "grid": {**d["grid"], "memory_limit": "1 TB"}})
    f = write(tmp_path, d)
    result = CliRunner().invoke(cli, ["validate", str(f)])
    assert result.exit_code == 2, result.output
    msg = assert_one_clean_message(result.stderr, "grid", [])
    _check_guard_message(msg, n)
    assert "1 MB" in msg
    # the command-line option overrides the layout's setting
    result = CliRunner().invoke(cli, ["validate", str(f), "--memory-limit", "10 GB"])
    assert result.exit_code == 0, result.output


def test_memory_guard_api(no_env_limit):
    d = fine_grid()
    d["grid"]["memory_limit"] = "1 MB"
    pkg = Package.from_dict(d)
    assert pkg.grid.memory_limit == 1e6
    with pytest.raises(LayoutError) as info:
        voxelize(pkg)
    assert info.value.path == "grid"
    _check_guard_message(str(info.value), voxelize(pkg, memory_limit_bytes="1 GB").n_cells)
    with pytest.raises(LayoutError) as info:
        voxelize(Package.from_dict(fine_grid()), memory_limit_bytes="1 MB")
    assert info.value.path == "grid"


def test_bad_memory_limit_option(tmp_path, no_env_limit):
    f = write(tmp_path, base())
    result = CliRunner().invoke(cli, ["validate", str(f), "--memory-limit", "lots"])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert "memory_limit" in result.stderr and "'lots'" in result.stderr
    result = CliRunner().invoke(cli, ["validate", str(f), "--memory-limit", "5 m"])
    assert result.exit_code == 2
    assert "memory size" in result.stderr


def test_bad_memory_limit_in_layout():
    d = base()
    d["grid"]["memory_limit"] = -5
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    assert info.value.path == "grid.memory_limit"


# ---------------------------------------------------------------------------------------------
# bad input destroys nothing
# ---------------------------------------------------------------------------------------------
DUMMY = b"\x89HDF\r\n\x1a\n not really a result file; must survive \x00\x01\x02" * 10


def _broken_layout(tmp_path):
    d = base()
    d["layers"][1]["blocks"][0]["material"] = "coper"
    return [str(write(tmp_path, d, "bad.toml"))], "layers[1].blocks[0].material"


def _over_memory_guard(tmp_path):
    return [str(write(tmp_path, fine_grid(), "big.toml")), "--memory-limit", "1 MB"], "grid"


def _missing_file(tmp_path):
    return [str(tmp_path / "nope.toml")], "no such layout file"


def _bad_tol(tmp_path):
    return [str(write(tmp_path, base(), "ok.toml")), "--tol", "5"], "--tol"


def _no_heat_path(tmp_path):
    d = base()
    del d["boundaries"]  # every face adiabatic: found only after voxelizing, before any solve
    return [str(write(tmp_path, d, "adiabatic.toml"))], "no heat path"


@pytest.mark.parametrize("make", [_broken_layout, _over_memory_guard, _missing_file, _bad_tol,
                                  _no_heat_path],
                         ids=["broken-layout", "memory-guard", "missing-file", "bad-tol",
                              "no-heat-path"])
def test_run_bad_input_leaves_existing_output_untouched(tmp_path, make, no_env_limit):
    out = tmp_path / "existing.h5"
    out.write_bytes(DUMMY)
    args, needle = make(tmp_path)
    result = CliRunner().invoke(cli, ["run", *args, "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert needle in result.stderr
    assert out.read_bytes() == DUMMY


# ---------------------------------------------------------------------------------------------
# a trace given twice: in the layout and in a column of its trace file
# ---------------------------------------------------------------------------------------------
def _traced(tmp_path, **die):
    csv = tmp_path / "powers.csv"
    csv.write_text("# t in s, powers in W\nt, die\n0, 1.0\n0.01, 2.0\n", encoding="utf-8")
    d = base()
    d["trace_file"] = "powers.csv"  # read from the layout's folder, not the working directory
    d["layers"][1]["blocks"][0].update(die)
    return write(tmp_path, d)


@pytest.mark.parametrize("die, key", [({"trace": [[0, 1.0], [0.01, 3.0]]}, "trace"),
                                      ({"power": 0.0, "source": {"model": "constant", "power": 2.0}},
                                       "source")])
def test_a_trace_given_twice_is_refused(tmp_path, monkeypatch, die, key):
    f = _traced(tmp_path, **die)
    monkeypatch.chdir(tmp_path.parent)  # the file is found beside the layout from anywhere
    path = f"layers[1].blocks[0].{key}"
    result = CliRunner().invoke(cli, ["validate", str(f)])
    assert result.exit_code == 2, result.output
    assert_one_clean_message(result.stderr, path, ["'die'", "'powers.csv'", "give its power once"])
    with pytest.raises(LayoutError) as info:
        read_toml(f)
    assert info.value.path == path


def test_a_trace_file_column_for_a_constant_power_is_accepted(tmp_path):
    """A column replaces a plain ``power`` (the steady value), as the README describes."""
    assert read_toml(_traced(tmp_path)).trace_file == "powers.csv"


def test_a_trace_given_twice_in_python_is_refused(tmp_path):
    f = _traced(tmp_path)
    d = base()
    d["trace_file"] = str(f.parent / "powers.csv")
    d["layers"][1]["blocks"][0]["trace"] = [[0, 1.0], [0.01, 3.0]]
    with pytest.raises(LayoutError) as info:
        Package.from_dict(d)
    assert info.value.path == "layers[1].blocks[0].trace"


def test_a_missing_trace_file_is_left_to_the_solve(tmp_path):
    """Validation reads the file only to compare its columns; a missing one is reported where
    the traces are read (with the solve's own message), not here."""
    d = base()
    d["trace_file"] = "nowhere.csv"
    assert Package.from_dict(d).trace_file == "nowhere.csv"


# ---------------------------------------------------------------------------------------------
# the real process: exit status 2 and no traceback
# ---------------------------------------------------------------------------------------------
def _python_m(*args):
    return subprocess.run([sys.executable, "-m", "thermal_cpo", *args], capture_output=True,
                          text=True, timeout=120)


def test_subprocess_bad_field(tmp_path):
    d = base()
    _rename(d["layers"][1], "thickness", "thicknes")
    f = write(tmp_path, d)
    proc = _python_m("validate", str(f))
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert_one_clean_message(proc.stderr, "layers[1].thicknes", ["'thickness'"])


def test_subprocess_unreadable_file_and_run(tmp_path):
    proc = _python_m("validate", str(tmp_path / "missing.toml"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "no such layout file" in proc.stderr
    out = tmp_path / "existing.h5"
    out.write_bytes(DUMMY)
    bad = write(tmp_path, mutated(_set(DIE + ("power",), float("nan"))), "bad.toml")
    proc = _python_m("run", str(bad), "-o", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "layers[1].blocks[0].power" in proc.stderr
    assert out.read_bytes() == DUMMY


def test_subprocess_length_beyond_any_package(tmp_path):
    """A thickness of 1e308 µm once overflowed in the grid (a traceback); now an input error."""
    d = base()
    d["layers"][1]["thickness"] = 1e308
    proc = subprocess.run([sys.executable, "-m", "thermal_cpo", "validate", str(write(tmp_path, d))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert_one_clean_message(proc.stderr, "layers[1].thickness", ["beyond any package"])


def test_a_layout_file_starting_with_a_byte_order_mark_reads_as_without(tmp_path):
    from thermal_cpo.layout import dump_toml

    text = dump_toml(load_layout("quickstart"))
    plain, bom = tmp_path / "plain.toml", tmp_path / "bom.toml"
    plain.write_text(text, encoding="utf-8")
    bom.write_text(text, encoding="utf-8-sig")
    assert bom.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert read_toml(bom) == read_toml(plain)


@pytest.mark.parametrize("limit", ["-5 GB", "0 GB", "nan GB"])
def test_a_memory_limit_must_be_a_positive_size(limit):
    with pytest.raises(LayoutError) as exc:
        voxelize(load_layout("quickstart"), memory_limit_bytes=limit)
    assert exc.value.path == "memory_limit" and "memory" in str(exc.value) and limit in str(exc.value)
    res = CliRunner().invoke(cli, ["validate", "quickstart", "--memory-limit", limit])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output


@pytest.mark.parametrize("where", ["boundary", "initial", "limit"])
@pytest.mark.parametrize("value", [-300.0, "-10 K"])
def test_a_temperature_below_absolute_zero_is_refused(where, value):
    d = copy.deepcopy(load_layout("quickstart").to_dict())
    if where == "boundary":
        d["boundaries"]["top"]["T"], path = value, "boundaries.top.T"
    elif where == "initial":
        d["initial"], path = {"T": value}, "initial.T"
    else:
        d["layers"][0]["limit"], path = value, "layers[0].limit"
    with pytest.raises(LayoutError) as exc:
        Package.from_dict(d)
    assert "absolute zero" in str(exc.value) and path in str(exc.value)


@pytest.mark.parametrize("initial", [-300.0, float("nan")])
def test_a_transient_refuses_an_initial_temperature_below_absolute_zero(initial):
    import numpy as np

    from thermal_cpo.solve.transient import solve_transient

    pkg = load_layout("quickstart")
    for spec in (initial, np.full(voxelize(pkg).shape, initial)):
        with pytest.raises(LayoutError) as exc:
            solve_transient(pkg, t_end=1e-3, initial=spec)
        assert exc.value.path == "initial"
