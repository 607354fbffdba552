"""Effective media written in a TOML layout: inline ``material`` tables resolved to the closed
forms (laminate: parallel in-plane, series through [wang-effective-2006]; cylinder array:
parallel along, 2-D Maxwell–Garnett across [maxwell-garnett-1904]; Maxwell–Eucken spheres
[wang-effective-2006]) under a generated name, round-tripping through dumps; bad tables, density
maps and void maps refused with the field named, exit 2 from ``thermal-cpo validate``.

The check values are the formulas written out here from the library's constituents; they are a
few double operations, so 1e-12 relative is the exactness check.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import dump_toml, load_layout, parse_toml
from thermal_cpo.materials import get

CU, PI, SI, AIR, IN = (get(n) for n in ("copper", "polyimide", "silicon", "air", "indium"))

LAYOUT = """\
name = "effective"
footprint = {{ x = 1000, y = 1000 }}
grid = {{ max_cell_xy = 250, max_cell_z = 50 }}
boundaries = {{ top = {{ type = "fixed", T = 40 }} }}

[[layers]]
name = "layer"
thickness = 50
{layer}

[[layers]]
name = "lid"
thickness = 200
material = "copper"
"""


def write(tmp_path, layer: str, files=()):
    for name, arr in files:
        np.save(tmp_path / name, arr)
    f = tmp_path / "layout.toml"
    f.write_text(LAYOUT.format(layer=layer))
    return f


def material_of(tmp_path, layer: str):
    pkg = load_layout(write(tmp_path, layer))
    return pkg, pkg.layers[0].material, pkg.material(pkg.layers[0].material)


def test_an_inline_laminate_is_parallel_in_plane_and_series_through(tmp_path):
    pkg, name, m = material_of(tmp_path, 'material = { effective = "laminate", layers = [["copper", 0.3], '
                                         '["polyimide", 0.7]] }')
    assert name == "laminate(copper 0.3, polyimide 0.7)"
    assert m.k[0] == pytest.approx(0.3 * CU.k[0] + 0.7 * PI.k[0], rel=1e-12)
    assert m.k[2] == pytest.approx(1 / (0.3 / CU.k[2] + 0.7 / PI.k[2]), rel=1e-12)
    assert m.rho * m.cp == pytest.approx(0.3 * CU.rho * CU.cp + 0.7 * PI.rho * PI.cp, rel=1e-12)
    # the resolved layout names the generated material and reads back to the same package
    assert parse_toml(dump_toml(pkg)) == pkg


def test_an_inline_cylinder_array_is_maxwell_garnett_across_and_parallel_along(tmp_path):
    _, _, m = material_of(tmp_path, 'material = { effective = "cylinder_array", fill = "copper", '
                                    'matrix = "silicon", diameter = "10 um", pitch = "50 um" }')
    phi = math.pi * 10 ** 2 / (4 * 50 ** 2)
    km, kd = CU.k[2], SI.k[2]
    assert m.k[2] == pytest.approx(phi * km + (1 - phi) * kd, rel=1e-12)
    mg = kd * (km + kd + phi * (km - kd)) / (km + kd - phi * (km - kd))
    assert m.k[0] == pytest.approx(mg, rel=1e-12) and m.k[1] == m.k[0]


def test_inline_maxwell_eucken_and_voided(tmp_path):
    _, _, m = material_of(tmp_path, 'material = { effective = "maxwell_eucken", matrix = "indium", '
                                    'inclusion = "air", fraction = 0.1 }')
    km, ki, p = IN.k[0], AIR.k[0], 0.1
    assert m.k[0] == pytest.approx(km * (2 * km + ki - 2 * p * (km - ki)) / (2 * km + ki + p * (km - ki)), rel=1e-12)
    _, name, v = material_of(tmp_path, 'material = { effective = "voided", matrix = "indium", fraction = 0.3 }')
    assert v.k[0] == pytest.approx(km * 2 * 0.7 / 2.3, rel=1e-12) and name == "voided(indium 0.3)"


BAD = {
    "unknown-constituent": ('material = { effective = "laminate", layers = [["copper", 0.3], ["polyimid", 0.7]] }',
                            "layers[0].material.layers[1][0]", "did you mean 'polyimide'"),
    "fractions-sum": ('material = { effective = "laminate", layers = [["copper", 0.3], ["polyimide", 0.6]] }',
                      "layers[0].material.laminate.layers", "sum to 1"),
    "unknown-kind": ('material = { effective = "lamnate", layers = [] }', "layers[0].material", "effective ="),
    "no-kind": ('material = { layers = [["copper", 1.0]] }', "layers[0].material", "effective ="),
    "diameter-over-pitch": ('material = { effective = "cylinder_array", fill = "copper", matrix = "silicon", '
                            'diameter = "60 um", pitch = "50 um" }',
                            "layers[0].material.cylinder_array.diameter", "exceeds the pitch"),
    "fraction-one": ('material = { effective = "maxwell_eucken", matrix = "indium", inclusion = "air", '
                     'fraction = 1.0 }', "layers[0].material.maxwell_eucken.fraction", "0 <= fraction < 1"),
    "density-above-one": ('metal_density = [[0.2, 1.3]]\nmetal = "copper"\ndielectric = "polyimide"',
                          "layers[0].metal_density", "above 1"),
    "density-without-dielectric": ('metal_density = [[0.2]]\nmetal = "copper"', "layers[0].dielectric",
                                   "needs dielectric"),
    "density-file-3d": ('metal_density = "d.npy"\nmetal = "copper"\ndielectric = "polyimide"',
                        "layers[0].metal_density", "2-D"),
    "via-fraction": ('metal_density = [[0.2]]\nmetal = "copper"\ndielectric = "polyimide"\nvia_fraction = 2',
                     "layers[0].via_fraction", "[0, 1]"),
    "metal-without-map": ('material = "polyimide"\nmetal = "copper"', "layers[0].metal", "give metal_density"),
    "void-fraction-one": ('material = "indium"\nvoid_fraction = 1.0', "layers[0].void_fraction", "< 1"),
    "voids-fraction-zero": ('material = "indium"\nvoids = { fraction = 0, diameter = "100 um" }',
                            "layers[0].voids.fraction", "0 < fraction < 1"),
    "voids-material": ('material = "indium"\nvoids = { fraction = 0.1, diameter = "100 um", material = "ar" }',
                       "layers[0].voids.material", "did you mean 'air'"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_table_or_map_is_refused_naming_the_field(tmp_path, case):
    layer, path, needle = BAD[case]
    f = write(tmp_path, layer, [("d.npy", np.ones((2, 2, 2)))])
    with pytest.raises(LayoutError) as err:
        load_layout(f)
    assert err.value.path == path and needle in str(err.value), str(err.value)
    result = CliRunner().invoke(cli, ["validate", str(f)])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and path in lines[0] and "Traceback" not in result.output, result.output


def test_a_density_map_file_next_to_the_layout_is_read(tmp_path):
    f = write(tmp_path, 'metal_density = "d.npy"\nmetal = "copper"\ndielectric = "polyimide"',
              [("d.npy", np.array([[0.1, 0.2], [0.3, 0.4]]))])
    pkg = load_layout(f)
    layer = pkg.layers[0]
    assert layer.metal_density == ((0.1, 0.2), (0.3, 0.4)) and layer.material == "polyimide"
    assert parse_toml(dump_toml(pkg)) == pkg  # the map is held inline in the resolved layout


def test_a_void_map_on_a_powered_layer_is_refused(tmp_path):
    f = write(tmp_path, 'material = "indium"\npower = 1\nvoids = { fraction = 0.1, diameter = "100 um" }')
    with pytest.raises(LayoutError) as err:
        load_layout(f)
    assert err.value.path == "layers[0].voids" and "carries no power" in str(err.value)


def test_a_density_map_on_a_channel_layer_is_refused():
    from thermal_cpo.layout import Package

    ch = {"width": 100, "wall": 100, "direction": "+x", "flow_rate": "100 ml/min", "inlet_T": 25}
    with pytest.raises(LayoutError) as err:
        Package(name="cavity", footprint={"x": 2000, "y": 2000},
                layers=[{"name": "die", "thickness": 300, "material": "silicon", "power": 1.0},
                        {"name": "cav", "thickness": 200, "channels": ch, "metal_density": [[0.5]],
                         "metal": "copper", "dielectric": "silicon"}])
    assert err.value.path == "layers[1].metal_density" and "channels" in str(err.value)


def test_a_generated_name_taken_by_another_material_is_refused(tmp_path):
    text = LAYOUT.format(layer='material = { effective = "voided", matrix = "indium", fraction = 0.3 }')
    text += '\n[materials."voided(indium 0.3)"]\nk = 1\nrho = 1000\ncp = 100\n'
    f = tmp_path / "layout.toml"
    f.write_text(text)
    with pytest.raises(LayoutError) as err:
        load_layout(f)
    assert err.value.path == "layers[0].material" and "rename" in str(err.value)
