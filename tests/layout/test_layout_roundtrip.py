"""Round trips of the layout (meshio-style): Package ⇄ dict ⇄ JSON, Package ⇄ TOML text.

Every case of the catalogue (each shipped layout and a few packages built in Python that use
inline anisotropic and k(T) materials, boxes, contacts, boundary rectangles, string units and
``length_unit = "mm"``) must come back equal (``Package.__eq__`` compares the resolved content),
and validating must never change the caller's data.
"""

from __future__ import annotations

import copy
import json
import math
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermal_cpo import LayoutError
from thermal_cpo import units as u
from thermal_cpo.layout import dump_toml, load_layout, parse_toml, shipped_layouts
from thermal_cpo.layout import Block, Box, Layer, Package

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


# ---------------------------------------------------------------------------------------------
# the catalogue: layout dicts (as a user writes them) keyed by case name
# ---------------------------------------------------------------------------------------------
def anisotropic_inline() -> dict:
    return {
        "name": "aniso",
        "description": 'inline "PGS" spreader — quotes, a backslash \\ and µ\nsecond line',
        "footprint": {"x": 4000, "y": 3000},
        "grid": {"max_cell_xy": 1000, "max_cell_z": 200, "grading": 1.5},
        "materials": {
            "pgs": {"k": [1500, 1500, 5], "rho": 2100, "cp": 850, "source": "test (assumption)",
                    "assumed": True},
            "hot.si": {"k": 148, "rho": 2330, "cp": 705, "k_model": "power", "T0": 25,
                       "n": 1.3, "category": "semiconductor"},
            "odd name": {"k": ["1 W/(m*K)", 2, "3 W/(m*K)"], "rho": "1.2 g/cm^3",
                         "cp": "1 J/(g*K)"},
        },
        "layers": [
            {"name": "die", "thickness": 300, "material": "hot.si", "power": 2.5,
             "power_at": "bottom", "limit": 95},
            {"name": "spreader", "thickness": 25, "material": "pgs", "max_cell_z": 25},
            {"name": "cap", "thickness": 100, "material": "odd name",
             "blocks": [{"name": "window", "x": [0, 1000], "y": [1000, 2000],
                         "material": "air", "max_cell_xy": 250}]},
        ],
        "boundaries": {"top": {"type": "convective", "h": 5000, "T": 30}},
    }


def boxes_contacts_rectangles() -> dict:
    return {
        "name": "boxes",
        "footprint": {"x": 6000, "y": 6000},
        "grid": {"max_cell_xy": 1000, "max_cell_z": 250, "memory_limit": "2 GB"},
        "layers": [
            {"name": "substrate", "thickness": 400, "material": "organic-substrate"},
            {"name": "tier", "thickness": 300, "material": "underfill", "blocks": [
                {"name": "pe3.eic", "x": [500, 1500], "y": [500, 2500], "material": "silicon",
                 "power": 3.0, "power_at": "top"},
                {"name": "pe3.pic", "x": [1500, 3000], "y": [500, 2500], "material": "silicon",
                 "power": 1.0},
            ]},
            {"name": "lid", "thickness": 1000, "material": "copper"},
        ],
        "boxes": [
            {"name": "fiber-block", "x": [3000, 6000], "y": [0, 1000], "z": [400, 1700],
             "material": "borosilicate-glass", "max_cell_xy": 500, "max_cell_z": 100},
            {"name": "heater", "x": [4000, 4500], "y": [4000, 4500], "z": [700, 900],
             "material": "copper", "power": 0.25, "limit": 85},
        ],
        "contacts": [
            {"between": ["pe3.eic", "lid"], "r": 1e-5},
            {"between": ["pe3.pic", "lid"], "r": "0.1 K*cm^2/W"},
        ],
        "boundaries": {
            "top": {"type": "convective", "h": 2e4, "T": 35, "x": [1000, 5000],
                    "y": [1000, 5000]},
            "bottom": {"type": "fixed", "T": 45},
            "xmax": {"type": "convective", "h": 10, "T": 25, "y": [0, 3000], "z": [0, 700]},
        },
    }


def string_units() -> dict:
    return {
        "name": "strings",
        "footprint": {"x": "5 mm", "y": "0.4 cm"},
        "grid": {"max_cell_xy": "1 mm", "max_cell_z": "100 um", "memory_limit": "8 GB"},
        "layers": [
            {"name": "die", "thickness": "0.775 mm", "material": "silicon",
             "blocks": [{"name": "hot", "x": ["1 mm", "2000 um"], "y": ["1000000 nm", "2 mm"],
                         "power": "1.5 kW", "limit": "378.15 K"}]},
            {"name": "tim", "thickness": "50 µm", "material": "indium"},
        ],
        "contacts": [{"between": ["die", "tim"], "r": "0.01 K*cm^2/W"}],
        "boundaries": {"top": {"type": "convective", "h": "2e4 W/(m^2*K)", "T": "300 K"},
                       "ymin": {"type": "fixed", "T": "40 °C", "x": ["0 mm", "2.5 mm"]}},
    }


def millimetres() -> dict:
    return {
        "name": "mm",
        "length_unit": "mm",
        "footprint": {"x": 5, "y": 4},
        "grid": {"max_cell_xy": 1, "max_cell_z": 0.1},
        "layers": [
            {"name": "die", "thickness": 0.775, "material": "silicon",
             "blocks": [{"name": "hot", "x": [1, 2], "y": [1, 2], "power": 1500,
                         "limit": 105}]},
            {"name": "tim", "thickness": 0.05, "material": "indium"},
        ],
        "boxes": [{"name": "bump", "x": [0, 0.5], "y": [0, "500 um"], "z": [0.775, 0.825],
                   "material": "copper"}],
        "contacts": [{"between": ["die", "tim"], "r": 1e-6}],
        "boundaries": {"top": {"type": "convective", "h": 2e4, "T": 26.85},
                       "ymin": {"type": "fixed", "T": 40, "x": [0, 2.5]}},
    }


def minimal() -> dict:
    return {"footprint": {"x": 1000, "y": 1000},
            "layers": [{"name": "only", "thickness": 100, "material": "copper"}]}


BUILT = {"anisotropic-inline": anisotropic_inline, "boxes-contacts-rectangles": boxes_contacts_rectangles,
         "string-units": string_units, "length-unit-mm": millimetres, "minimal": minimal}
SHIPPED = sorted(shipped_layouts())


def catalogue_package(case: str) -> Package:
    if case.startswith("shipped:"):
        return load_layout(case.split(":", 1)[1])
    return Package.from_dict(BUILT[case]())


def catalogue_input(case: str) -> dict:
    """The raw dict a user gives: the TOML of a shipped layout, or the Python-built dict."""
    if case.startswith("shipped:"):
        return tomllib.loads(load_layout(case.split(":", 1)[1]).source_text)
    return BUILT[case]()


CASES = [f"shipped:{n}" for n in SHIPPED] + list(BUILT)


def test_catalogue_is_not_empty():
    assert "quickstart" in SHIPPED
    assert len(CASES) >= len(BUILT) + 1


# ---------------------------------------------------------------------------------------------
# Package → dict (JSON) → Package
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES)
def test_dict_round_trip(case):
    pkg = catalogue_package(case)
    data = pkg.to_dict()
    text = json.dumps(data, allow_nan=False)  # plain JSON: no tuples, no NaN, no objects
    again = Package.from_dict(data)
    assert again == pkg
    assert again.to_dict() == data
    from_json = Package.from_dict(json.loads(text))
    assert from_json == pkg
    assert json.loads(pkg.to_json()) == data
    # resolved content: SI lengths, defaults filled
    assert data["length_unit"] == "m"
    assert data["footprint"]["x"] == pytest.approx(pkg.footprint.x)
    assert len(data["layers"]) == len(pkg.layers)
    assert all("power_at" in layer for layer in data["layers"])


@pytest.mark.parametrize("case", CASES)
def test_toml_round_trip(case):
    pkg = catalogue_package(case)
    text = dump_toml(pkg)
    again = parse_toml(text, origin="dumped.toml")
    assert again == pkg
    assert dump_toml(again) == text  # a fixed point after one trip
    assert again.source_text == text
    # the dumped text is ordinary TOML whose table equals the resolved dict (None = key omitted)
    assert _drop_none(tomllib.loads(text)) == _drop_none(pkg.to_dict())


def _drop_none(obj):
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_source_text_round_trip(name):
    """TOML text as shipped → Package → dump_toml → parse again → equal."""
    pkg = load_layout(name)
    assert pkg.source_path == f"shipped:{name}"
    assert parse_toml(pkg.source_text) == pkg
    assert parse_toml(dump_toml(parse_toml(pkg.source_text))) == pkg


@pytest.mark.parametrize("case", CASES)
def test_from_dict_does_not_mutate_input(case):
    data = catalogue_input(case)
    before = copy.deepcopy(data)
    pkg = Package.from_dict(data)
    assert data == before
    assert Package.from_dict(data) == pkg  # and can be used again
    resolved = pkg.to_dict()
    before = copy.deepcopy(resolved)
    Package.from_dict(resolved)
    assert resolved == before


def test_packages_from_the_same_file_compare_equal_and_differences_show(tmp_path):
    d = boxes_contacts_rectangles()
    a, b = Package.from_dict(d), Package.from_dict(copy.deepcopy(d))
    assert a == b and not (a != b)
    assert a is not b
    for mutate in (
        lambda x: x["layers"][0].update(thickness=401),
        lambda x: x["boxes"][1].update(power=0.26),
        lambda x: x["contacts"][1].update(r=1.1e-5),
        lambda x: x["boundaries"]["top"].update(x=[1000, 4999]),
        lambda x: x.update(description="changed"),
        lambda x: x["layers"][1]["blocks"][0].update(power_at="volume"),
    ):
        c = copy.deepcopy(d)
        mutate(c)
        assert Package.from_dict(c) != a
    assert a != "boxes" and a != a.to_dict()


# ---------------------------------------------------------------------------------------------
# units at the boundary
# ---------------------------------------------------------------------------------------------
def test_string_units_convert():
    s = Package.from_dict(string_units())
    assert s.layers[0].thickness == u.parse(775, u.LENGTH) == 775e-6
    assert s.layers[1].thickness == pytest.approx(50e-6, rel=1e-12)
    assert s.footprint.y == pytest.approx(4e-3, rel=1e-12)
    assert s.layers[0].blocks[0].x == pytest.approx((1e-3, 2e-3), rel=1e-12)
    assert s.layers[0].blocks[0].y == pytest.approx((1e-3, 2e-3), rel=1e-12)
    assert s.layers[0].blocks[0].power == 1500.0
    assert s.layers[0].blocks[0].limit == pytest.approx(105.0, abs=1e-9)
    assert s.boundaries.top.h == 2e4
    assert s.boundaries.top.T == pytest.approx(26.85, abs=1e-9)
    assert s.boundaries.ymin.T == pytest.approx(40.0, abs=1e-12)
    assert s.contacts[0].r == pytest.approx(1e-6, rel=1e-12)
    assert s.grid.memory_limit == 8e9
    assert s.grid.max_cell_z == pytest.approx(1e-4, rel=1e-12)


def test_same_package_in_mm_um_and_strings_is_equal():
    """The mm layout, its µm twin and a version with string units are one and the same package."""
    mm = Package.from_dict(millimetres())
    d = millimetres()
    um = copy.deepcopy(d)
    um.pop("length_unit")
    um["footprint"] = {"x": 5000, "y": 4000}
    um["grid"] = {"max_cell_xy": 1000, "max_cell_z": 100}
    um["layers"][0]["thickness"] = 775
    um["layers"][0]["blocks"][0].update(x=[1000, 2000], y=[1000, 2000])
    um["layers"][1]["thickness"] = 50
    um["boxes"][0].update(x=[0, 500], y=[0, 500], z=[775, 825])
    um["boundaries"]["ymin"]["x"] = [0, 2500]
    assert Package.from_dict(um) == mm
    strings = copy.deepcopy(um)
    strings["layers"][0]["thickness"] = "0.775 mm"
    strings["boundaries"]["top"]["T"] = "300 K"
    strings["boundaries"]["top"]["h"] = "2e4 W/(m^2*K)"
    strings["layers"][0]["blocks"][0]["power"] = "1.5 kW"
    strings["boxes"][0]["z"] = ["0.775 mm", "825000 nm"]
    assert Package.from_dict(strings) == mm
    assert mm.layers[0].thickness == 775e-6
    assert mm.length_unit == "mm"


def test_bare_numbers_follow_length_unit_only_for_lengths():
    d = millimetres()
    pkg = Package.from_dict(d)
    assert pkg.footprint.x == 5e-3
    assert pkg.layers[0].blocks[0].power == 1500.0  # not scaled
    assert pkg.boundaries.top.h == 2e4  # not scaled
    assert pkg.contacts[0].r == 1e-6  # not scaled
    assert pkg.boxes[0].y == pytest.approx((0.0, 5e-4))


LENGTH_FORMS = {
    "bare-um": lambda um: um,
    "um": lambda um: f"{um} um",
    "µm": lambda um: f"{um} µm",
    "micron": lambda um: f"{um} micron",
    "nm": lambda um: f"{um * 1000} nm",
    "mm": lambda um: f"{um / 1000!r} mm",
    "cm": lambda um: f"{um / 1e4!r} cm",
    "m": lambda um: f"{um / 1e6!r} m",
}


def _layout_um(fx, fy, t1, t2, bx, by, z=None):
    """A two-layer package with a block, a box over the top layer and a boundary rectangle."""
    return {
        "footprint": {"x": fx, "y": fy},
        "grid": {"max_cell_xy": 1000, "max_cell_z": 100},
        "layers": [
            {"name": "a", "thickness": t1, "material": "silicon",
             "blocks": [{"name": "blk", "x": list(bx), "y": list(by), "power": 1.0}]},
            {"name": "b", "thickness": t2, "material": "copper"},
        ],
        "boxes": [{"name": "bx", "x": list(bx), "y": list(by), "z": z or [t1, t1 + t2],
                   "material": "indium"}],
        "boundaries": {"top": {"type": "convective", "h": 1e4, "T": 25, "x": list(bx)}},
    }


@st.composite
def lengths(draw):
    fx = draw(st.integers(2, 100_000))
    fy = draw(st.integers(2, 100_000))
    x0 = draw(st.integers(0, fx - 1))
    x1 = draw(st.integers(x0 + 1, fx))
    y0 = draw(st.integers(0, fy - 1))
    y1 = draw(st.integers(y0 + 1, fy))
    t1 = draw(st.integers(1, 5000)) / draw(st.sampled_from([1, 4, 10]))
    t2 = draw(st.integers(1, 5000))
    return fx, fy, t1, t2, (x0, x1), (y0, y1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lengths(), st.data())
def test_random_unit_choices_give_equal_packages(vals, data):
    fx, fy, t1, t2, bx, by = vals
    reference = Package.from_dict(_layout_um(*vals))
    forms = st.sampled_from(sorted(LENGTH_FORMS))

    def f(um):
        return LENGTH_FORMS[data.draw(forms)](um)

    spelled = _layout_um(f(fx), f(fy), f(t1), f(t2), (f(bx[0]), f(bx[1])), (f(by[0]), f(by[1])),
                         z=[f(t1), f(t1 + t2)])
    assert Package.from_dict(spelled) == reference
    # the same numbers with another bare length unit
    unit = data.draw(st.sampled_from(["nm", "mm", "m"]))
    scale = {"nm": 1000.0, "mm": 1e-3, "m": 1e-6}[unit]

    def g(um):  # the decimal number a user would type, e.g. 0.0011 for 1.1 µm in mm
        return float(f"{um * scale:.12g}")

    other = _layout_um(g(fx), g(fy), g(t1), g(t2), (g(bx[0]), g(bx[1])), (g(by[0]), g(by[1])),
                       z=[g(t1), g(t1 + t2)])
    other["grid"] = {"max_cell_xy": g(1000), "max_cell_z": g(100)}
    other["length_unit"] = unit
    assert Package.from_dict(other) == reference


@settings(max_examples=40, deadline=None)
@given(lengths(), st.sampled_from(["volume", "bottom", "top"]),
       st.floats(0, 1e4, allow_nan=False), st.text(max_size=30), st.text(min_size=1, max_size=12),
       st.text(min_size=1, max_size=12))
def test_random_packages_round_trip_through_toml_and_json(vals, power_at, power, description,
                                                          material_name, block_name):
    """Any text (quotes, backslashes, control characters, non-ASCII) survives the TOML writer."""
    d = _layout_um(*vals)
    if block_name in ("a", "b", "bx"):
        block_name += "!"
    d["layers"][0]["blocks"][0].update(power=power, power_at=power_at, name=block_name,
                                       material=material_name)
    d["materials"] = {material_name: {"k": [1, 2, 3], "rho": 1000, "cp": 500,
                                      "notes": description}}
    d["description"] = description
    pkg = Package.from_dict(d)
    assert pkg.layers[0].blocks[0].material == material_name
    assert parse_toml(dump_toml(pkg)) == pkg
    assert Package.from_dict(json.loads(pkg.to_json())) == pkg


# ---------------------------------------------------------------------------------------------
# building: add_layer / add_box return new packages
# ---------------------------------------------------------------------------------------------
def test_add_layer_and_add_box_leave_the_original_unchanged():
    pkg = Package.from_dict(boxes_contacts_rectangles())
    before = copy.deepcopy(pkg.to_dict())
    taller = pkg.add_layer({"name": "cold-plate", "thickness": "2 mm", "material": "aluminium-6061"})
    assert taller is not pkg
    assert pkg.to_dict() == before and len(pkg.layers) == 3
    assert [layer.name for layer in taller.layers] == ["substrate", "tier", "lid", "cold-plate"]
    assert taller.layers[-1].thickness == pytest.approx(2e-3)
    assert taller.height == pytest.approx(pkg.height + 2e-3)
    assert taller != pkg
    # everything else is carried over
    t = taller.to_dict()
    t["layers"] = t["layers"][:3]
    assert t == before

    boxed = taller.add_box(Box(name="pin", x=[0, 100], y=[0, 100], z=[3000, 3500],
                               material="copper", power=0.5))
    assert len(taller.boxes) == 2 and len(boxed.boxes) == 3
    assert boxed.boxes[-1].name == "pin" and boxed.boxes[-1].z == pytest.approx((3e-3, 3.5e-3))
    assert boxed.total_power == pytest.approx(pkg.total_power + 0.5)
    assert pkg.to_dict() == before
    # a Layer object works as well as a dict
    via_obj = pkg.add_layer(Layer(name="cold-plate", thickness=2000, material="aluminium-6061"))
    assert via_obj == taller


def test_add_rejects_bad_items_and_keeps_the_original():
    pkg = Package.from_dict(boxes_contacts_rectangles())
    before = pkg.to_dict()
    with pytest.raises(LayoutError) as info:
        pkg.add_box({"name": "out", "x": [0, 7000], "y": [0, 100], "z": [0, 100],
                     "material": "copper"})
    assert info.value.path == "boxes[2].x"
    with pytest.raises(LayoutError) as info:
        pkg.add_layer({"name": "lid", "thickness": 10, "material": "copper"})
    assert "duplicate component name 'lid'" in str(info.value)
    with pytest.raises(LayoutError) as info:
        pkg.add_layer({"name": "x", "thicknes": 10, "material": "copper"})
    assert info.value.path == "thicknes" and "'thickness'" in str(info.value)
    assert pkg.to_dict() == before


def test_add_layer_dicts_use_the_package_length_unit():
    pkg = Package.from_dict(millimetres())
    one = pkg.add_layer({"name": "lid", "thickness": 1, "material": "copper"})
    assert one.layers[-1].thickness == pytest.approx(1e-3)
    two = one.add_layer({"name": "plate", "thickness": 2, "material": "copper"})
    assert two.layers[-1].thickness == pytest.approx(2e-3)  # still mm after one addition
    three = two.add_box({"name": "b2", "x": [0, 1], "y": [0, 1], "z": [0, 0.5],
                         "material": "indium"})
    assert three.boxes[-1].x == pytest.approx((0.0, 1e-3))
    assert three.length_unit == "mm"
    um = Package.from_dict(minimal()).add_layer({"name": "b", "thickness": 7, "material": "air"})
    assert um.layers[-1].thickness == pytest.approx(7e-6)


def test_models_are_frozen():
    pkg = Package.from_dict(minimal())
    with pytest.raises(Exception):
        pkg.name = "other"
    with pytest.raises(Exception):
        pkg.layers[0].thickness = 1.0
    block = Block(name="b", x=[0, 1], y=[0, 1])
    assert block.x == (0.0, 1e-6) and math.isclose(block.y[1], 1e-6)


def test_numbers_written_as_strings_read_as_bare_numbers():
    from thermal_cpo import units as u

    assert u.parse("2500", u.LENGTH) == u.parse(2500, u.LENGTH)
    assert u.parse("1.5", u.POWER) == 1.5
