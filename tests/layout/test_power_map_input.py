"""Power maps in layout files: bad maps refused with a LayoutError naming the field (exit 2 from
the command line, one line), a map file next to the layout found from any working folder, the
resolved layout holding the map inline so that dumps and result files read back without it.

Tolerances: cell powers are sums of a few products of overlap fractions, exact to ~1e-15
relative; 1e-12 leaves room for the summation order.
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import thermal_cpo as tc
from thermal_cpo import LayoutError
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import dump_toml, load_layout, parse_toml
from thermal_cpo.mesh import unit_power_map, voxelize


def die_power(mesh) -> np.ndarray:
    """The die's cell powers (W), every other cell zero, summed over z: ``(ny, nx)``."""
    own = mesh.component == mesh.component_id("die")
    return np.where(own, mesh.power, 0.0).sum(axis=0)


# -- bad input ------------------------------------------------------------------------------------
LAYOUT = """\
name = "bad-map"
footprint = {{ x = 4000, y = 4000 }}
grid = {{ max_cell_xy = 500, max_cell_z = 200 }}
boundaries = {{ top = {{ type = "convective", h = 2e4, T = 25 }} }}

[[layers]]
name = "substrate"
thickness = 400
material = "organic-substrate"
{layer}
[[layers]]
name = "die-tier"
thickness = 300
material = "air"

[[layers.blocks]]
name = "die"
material = "silicon"
x = [1000, 3000]
y = [1000, 3000]
{block}
"""


def _write(tmp_path, block="", layer="", files=()):
    for name, content in files:
        p = tmp_path / name
        if isinstance(content, np.ndarray):
            np.save(p, content)
        else:
            p.write_text(content)
    f = tmp_path / "layout.toml"
    f.write_text(LAYOUT.format(block=block, layer=layer))
    return f


DIE = "layers[1].blocks[0]"
BAD = {
    "missing-file": ('power = 1\npower_map = "nowhere.csv"', (), f"{DIE}.power_map", "no such"),
    "non-numeric-csv": ('power = 1\npower_map = "m.csv"', [("m.csv", "1, 2\n3, x\n")],
                        f"{DIE}.power_map", "not a number"),
    "ragged-csv": ('power = 1\npower_map = "m.csv"', [("m.csv", "1, 2\n3\n")], f"{DIE}.power_map", "ragged"),
    "negative": ("power = 1\npower_map = [[1, -2], [3, 4]]", (), f"{DIE}.power_map", "negative"),
    "nan": ("power = 1\npower_map = [[1, nan], [3, 4]]", (), f"{DIE}.power_map", "not finite"),
    "inf-csv": ('power = 1\npower_map = "m.csv"', [("m.csv", "1, inf\n")], f"{DIE}.power_map", "not finite"),
    "all-zero": ("power = 1\npower_map = [[0, 0], [0, 0]]", (), f"{DIE}.power_map", "all zero"),
    "string-entry": ('power = 1\npower_map = [[1, "2"]]', (), f"{DIE}.power_map", "not a number"),
    "npy-3d": ('power = 1\npower_map = "m.npy"', [("m.npy", np.ones((2, 2, 2)))], f"{DIE}.power_map",
               "2-D"),
    "wrong-suffix": ('power = 1\npower_map = "m.txt"', [("m.txt", "1\n")], f"{DIE}.power_map",
                     ".csv or .npy"),
    "extent-outside": ("power = 1\npower_map = [[1]]\nmap_extent = [[500, 2000], [1000, 3000]]", (),
                       f"{DIE}.map_extent[0]", "outside"),
    "absolute-with-power": ('power = 1\npower_map = [[1]]\nmap_units = "W/mm^2"', (), f"{DIE}.power",
                            "not both"),
    "extent-without-map": ("power = 1\nmap_extent = [[1000, 2000], [1000, 3000]]", (), f"{DIE}.map_extent",
                           "give power_map"),
    "on-a-layer": ("power = 1", (), "layers[0].power_map", "block or a box", "power = 1\npower_map = [[1]]"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_map_is_a_layout_error_naming_the_field(tmp_path, case):
    block, files, path, needle, *layer = BAD[case]
    f = _write(tmp_path, block, layer[0] if layer else "", files)
    with pytest.raises(LayoutError) as err:
        load_layout(f)
    assert err.value.path == path and needle in str(err.value)
    for command in ("validate", "run"):
        result = CliRunner().invoke(cli, [command, str(f)])
        assert result.exit_code == 2, result.output
        lines = [ln for ln in result.output.splitlines() if ln.strip()]
        assert len(lines) == 1 and path in lines[0] and "Traceback" not in result.output, result.output


def test_map_covered_by_a_later_block_is_refused_at_voxelizing(tmp_path):
    cover = '\n[[layers.blocks]]\nname = "cover"\nmaterial = "silicon"\nx = [2000, 3000]\ny = [1000, 3000]\n'
    f = _write(tmp_path, "power = 1\npower_map = [[0, 1]]" + cover)
    with pytest.raises(LayoutError) as err:
        voxelize(load_layout(f))
    assert err.value.path == f"{DIE}.power_map"
    result = CliRunner().invoke(cli, ["run", str(f), "-o", str(tmp_path / "out.h5")])
    assert result.exit_code == 2 and f"{DIE}.power_map" in result.output, result.output


# -- layout files -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["csv", "npy"])
def test_layout_naming_a_map_file_round_trips(tmp_path, monkeypatch, kind):
    values = np.array([[0.0, 1.0, 2.0], [0.5, 0.0, 4.0]])  # row 0 at the smallest y
    content = "# y = 1000–2000 µm first\n0, 1, 2\n0.5, 0, 4\n" if kind == "csv" else values
    f = _write(tmp_path, f'power = 2\npower_map = "map.{kind}"\nmap_grid_lines = true',
               files=[(f"map.{kind}", content)])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the map is found next to the layout, not in the working folder
    pkg = load_layout(f)
    assert f'power_map = "map.{kind}"' in pkg.source_text  # the layout as given keeps the file name
    assert np.array_equal(np.array(pkg.layers[1].blocks[0].power_map), values)
    again = parse_toml(dump_toml(pkg), str(elsewhere / "dumped.toml"))  # the resolved map is inline
    assert again == pkg
    np.testing.assert_array_equal(voxelize(again).power, voxelize(pkg).power)
    # grid lines on the pixel edges: pixel (row 1, column 2) covers x 2333–3000, y 2000–3000
    mesh = voxelize(pkg)
    cells = die_power(mesh)
    xe, ye = pkg.layers[1].blocks[0].map_pixel_edges()
    i0, i1 = (int(np.argmin(np.abs(mesh.x - e))) for e in (xe[2], xe[3]))
    j0, j1 = (int(np.argmin(np.abs(mesh.y - e))) for e in (ye[1], ye[2]))
    pixels = pkg.layers[1].blocks[0].map_pixel_powers()  # value × pixel area (edges snapped to 1 nm)
    assert cells[j0:j1, i0:i1].sum() == pytest.approx(2.0 * pixels[1, 2] / pixels.sum(), rel=1e-12)
    assert pixels[1, 2] / pixels.sum() == pytest.approx(4.0 / values.sum(), rel=1e-6)  # the 1 nm snap


def test_result_file_reads_back_without_the_map_file(tmp_path):
    """The resolved layout of a result file holds the map inline: read back after the map file
    is gone, its mesh distributes power as the solved one did."""
    f = _write(tmp_path, 'power = 2\npower_map = "map.csv"', files=[("map.csv", "0, 1\n3, 0\n")])
    res = tc.solve_steady(load_layout(f), solver="direct")
    res.save(tmp_path / "out.h5")
    (tmp_path / "map.csv").unlink()
    back = tc.load_result(tmp_path / "out.h5")
    np.testing.assert_allclose(unit_power_map(back.mesh), unit_power_map(res.mesh), rtol=1e-12, atol=0)
    assert "map.csv" in back.mesh.package.source_text


def test_trace_file_column_for_an_absolute_map_is_refused(tmp_path):
    (tmp_path / "powers.csv").write_text("t, die\n0, 1\n1, 2\n")
    text = _write(tmp_path, 'power_map = [[1]]\nmap_units = "W/mm^2"').read_text()
    f = tmp_path / "traced.toml"
    f.write_text('trace_file = "powers.csv"\n' + text)
    with pytest.raises(LayoutError) as err:
        load_layout(f)
    assert err.value.path == f"{DIE}.power_map" and "trace file" in str(err.value)
