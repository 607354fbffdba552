"""Plots: layer maps and vertical sections draw the solved field on the real grid, and
`thermal-cpo plot` writes an image or fails with a one-line message."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

pytest.importorskip("matplotlib")

from matplotlib.collections import QuadMesh  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from thermal_cpo.viz import plot  # noqa: E402
from thermal_cpo.cli.main import cli  # noqa: E402
from thermal_cpo.errors import LayoutError  # noqa: E402
from thermal_cpo.layout import load_layout  # noqa: E402
from thermal_cpo.solve.steady import solve_steady  # noqa: E402


@pytest.fixture(scope="module")
def res():
    return solve_steady(load_layout("quickstart"))


@pytest.fixture(scope="module")
def h5(res, tmp_path_factory):
    path = tmp_path_factory.mktemp("plot") / "out.h5"
    res.save(path)
    return path


def quadmesh(ax) -> QuadMesh:
    (qm,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    return qm


def main_axes(fig):
    """The plot's axes (the other one is the colour bar's)."""
    return next(a for a in fig.axes if any(isinstance(c, QuadMesh) for c in a.collections))


def layer_rows(res, name):
    z0, z1 = dict(zip([lay.name for lay in res.package.layers], res.package.layer_bounds()))[name]
    zc = 0.5 * (res.mesh.z[1:] + res.mesh.z[:-1])
    return np.nonzero((zc > z0) & (zc < z1))[0], 0.5 * (z0 + z1), zc


# ---------------------------------------------------------------------------------------------
# layer maps
# ---------------------------------------------------------------------------------------------
def test_layer_map_draws_the_slice_closest_to_mid_height_on_node_coordinates_in_mm(res):
    ks, mid, zc = layer_rows(res, "die-tier")
    k = ks[np.argmin(np.abs(zc[ks] - mid))]
    fig = plot.plot_layer(res, layer="die-tier")
    ax = main_axes(fig)
    qm = quadmesh(ax)
    np.testing.assert_array_equal(np.asarray(qm.get_array()), res.temperature[k])
    assert np.asarray(qm.get_array()).shape == res.mesh.shape[1:]
    xy = qm.get_coordinates()
    nz, ny, nx = res.mesh.shape
    assert xy.shape == (ny + 1, nx + 1, 2)
    np.testing.assert_allclose(xy[0, :, 0], res.mesh.x * 1e3)
    np.testing.assert_allclose(xy[:, 0, 1], res.mesh.y * 1e3)
    assert ax.get_xlabel() == "x [mm]" and ax.get_ylabel() == "y [mm]"
    assert ax.get_aspect() == 1.0
    assert "die-tier" in ax.get_title()
    assert any("°C" in a.get_ylabel() for a in fig.axes if a is not ax)  # the colour bar
    # the colour scale spans the slice (no hot spot to clip here)
    assert qm.norm.vmin == pytest.approx(res.temperature[k].min())
    assert qm.norm.vmax == pytest.approx(res.temperature[k].max())


def test_layer_map_outlines_and_names_the_blocks_cut(res):
    fig = plot.plot_layer(res, layer="die-tier")
    ax = main_axes(fig)
    assert "die" in [t.get_text() for t in ax.texts]
    die = next(c for c in res.mesh.components if c.name == "die")
    rects = [p for p in ax.patches if isinstance(p, Rectangle)]
    x0, x1, y0, y1 = (v * 1e3 for v in die.bounds[:4])
    assert any(np.allclose([r.get_x(), r.get_y(), r.get_width(), r.get_height()],
                           [x0, y0, x1 - x0, y1 - y0]) for r in rects)
    # an unpowered block is named too when its name fits; layer fills never are
    ax = main_axes(plot.plot_layer(res, layer="tim-tier"))
    names = [t.get_text() for t in ax.texts]
    assert "tim" in names and "tim-tier" not in names
    ax = main_axes(plot.plot_layer(res, layer="die-tier", components=False))
    assert not ax.texts and not ax.patches


def test_layer_map_at_a_height_z_and_by_default_the_hottest_cell_layer(res):
    z = res.mesh.z
    zq = 0.5 * (z[3] + z[4]) + 0.1 * (z[4] - z[3])
    qm = quadmesh(main_axes(plot.plot_layer(res, z=zq * 1e6)))  # z is in µm
    np.testing.assert_array_equal(np.asarray(qm.get_array()), res.temperature[3])
    qm = quadmesh(main_axes(plot.plot_layer(res, z=f"{float(z[-1])!r} m")))  # the top face: the top cell layer
    np.testing.assert_array_equal(np.asarray(qm.get_array()), res.temperature[-1])
    k_hot = np.unravel_index(np.argmax(res.temperature), res.mesh.shape)[0]
    qm = quadmesh(main_axes(plot.plot_layer(res)))
    np.testing.assert_array_equal(np.asarray(qm.get_array()), res.temperature[k_hot])


def test_layer_map_of_a_block_at_its_mid_height(res):
    die = next(c for c in res.mesh.components if c.name == "die")
    ks, _, zc = layer_rows(res, "die-tier")
    k = ks[np.argmin(np.abs(zc[ks] - 0.5 * (die.bounds[4] + die.bounds[5])))]
    ax = main_axes(plot.plot_layer(res, layer="die"))
    np.testing.assert_array_equal(np.asarray(quadmesh(ax).get_array()), res.temperature[k])
    assert "mid-height of die" in ax.get_title()


def test_layer_map_into_a_given_axes(res):
    from matplotlib.figure import Figure

    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    assert plot.plot_layer(res, layer="lid", ax=ax2) is fig
    assert not ax1.collections and quadmesh(ax2) is not None


def test_layer_map_bad_inputs(res):
    with pytest.raises(LayoutError, match=r"no layer named 'dye-tier'.*did you mean 'die-tier'"):
        plot.plot_layer(res, layer="dye-tier")
    with pytest.raises(LayoutError, match="outside the package"):
        plot.plot_layer(res, z=1e6)  # 1 m
    with pytest.raises(LayoutError, match="outside the package"):
        plot.plot_layer(res, z=-1)
    with pytest.raises(LayoutError, match="not both"):
        plot.plot_layer(res, layer="lid", z=1000)
    with pytest.raises(LayoutError, match="did you mean 'inferno'"):
        plot.plot_layer(res, layer="lid", cmap="infernoo")
    with pytest.raises(LayoutError, match="vmin"):
        plot.plot_layer(res, layer="lid", vmin=50, vmax=40)


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------
def yticklabels(ax) -> list[str]:
    """Tick labels of the left axis and of a right-hand secondary axis, if any."""
    out = [t.get_text() for t in ax.get_yticklabels()]
    for child in ax.child_axes:
        out += [t.get_text() for t in child.get_yticklabels()]
    return out


@pytest.mark.parametrize("cut", ["y", "x"])
def test_section_one_row_per_cell_layer_with_layer_names(res, cut):
    mesh = res.mesh
    nz, ny, nx = mesh.shape
    v = 7.3e-3  # inside the die (5–15 mm) and off every grid line
    if cut == "y":
        fig = plot.plot_section(res, y=v * 1e6)  # positions are in µm
        j = np.searchsorted(mesh.y, v) - 1
        expect, lateral = res.temperature[:, j, :], mesh.x
    else:
        fig = plot.plot_section(res, x="7.3 mm")
        i = np.searchsorted(mesh.x, v) - 1
        expect, lateral = res.temperature[:, :, i], mesh.y
    ax = main_axes(fig)
    qm = quadmesh(ax)
    arr = np.asarray(qm.get_array())
    assert arr.shape == (nz, len(lateral) - 1)  # one row per cell layer
    np.testing.assert_array_equal(arr, expect)
    xy = qm.get_coordinates()
    np.testing.assert_allclose(xy[0, :, 0], lateral * 1e3)  # real lateral coordinates in mm
    np.testing.assert_array_equal(xy[:, 0, 1], np.arange(nz + 1))  # z drawn per cell
    assert ax.get_ylim() == (0, nz)
    labels = yticklabels(ax)
    for layer in res.package.layers:
        assert any(lbl.startswith(layer.name + " (") for lbl in labels), (layer.name, labels)
    assert "not to scale" in ax.get_ylabel()
    assert ax.get_xlabel() == ("x [mm]" if cut == "y" else "y [mm]")
    assert any("°C" in a.get_ylabel() for a in fig.axes if a is not ax)
    assert "die" in [t.get_text() for t in ax.texts]  # the powered die is cut and named


def test_section_names_thin_films_on_either_side_when_rows_are_crowded():
    from thermal_cpo.layout import Package

    pkg = Package(name="films", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=500, max_cell_z=200),
                  layers=[dict(name="base", thickness=1000, material="silicon"),
                          *[dict(name=f"film{i}", thickness=1, material="sio2") for i in range(4)],
                          dict(name="top", thickness=1000, material="copper", power=1)],
                  boundaries=dict(bottom=dict(type="fixed", T=25)))
    res = solve_steady(pkg)
    ax = main_axes(plot.plot_section(res, y=1000))
    labels = yticklabels(ax)
    for name in ["base", "film0", "film1", "film2", "film3", "top"]:
        assert any(lbl.startswith(name + " (") for lbl in labels), (name, labels)
    assert ax.child_axes  # four one-row films cannot all be named on the left


def test_section_bad_inputs(res):
    with pytest.raises(LayoutError, match="outside the package"):
        plot.plot_section(res, y=5e5)  # 0.5 m
    with pytest.raises(LayoutError, match="not both"):
        plot.plot_section(res, x=1000, y=1000)
    # no cut given: through the hottest cell
    ax = main_axes(plot.plot_section(res))
    _, j, _ = np.unravel_index(np.argmax(res.temperature), res.mesh.shape)
    np.testing.assert_array_equal(np.asarray(quadmesh(ax).get_array()), res.temperature[:, j, :])


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def test_colour_scale_clips_hot_spots_too_small_to_see():
    T = np.full((100, 100), 40.0)
    T[:50] += np.linspace(0, 2, 100)[None, :]
    T[0, 0] = 100.0  # one cell in 10 000
    lo, hi, extend, note = plot._color_limits(T, np.ones_like(T))
    assert lo == 40.0 and hi == pytest.approx(42.0, abs=0.05) and extend == "max" and "saturate" in note
    # a hot region that is visible keeps the full scale
    T[:10] = 100.0
    assert plot._color_limits(T, np.ones_like(T))[:3] == (40.0, 100.0, "neither")
    # a tiny hot cell with a large drawn area is visible: not clipped
    w = np.ones_like(T)
    T[:10] = 40.0
    T[0, 0] = 100.0
    w[0, 0] = 1e4
    assert plot._color_limits(T, w)[1] == 100.0
    assert plot._color_limits(T, w, vmin=41, vmax=45)[:3] == (41.0, 45.0, "both")
    assert plot._color_limits(np.full((3, 3), 20.0), np.ones((3, 3)))[:2] == (19.5, 20.5)


def test_merged_label_names():
    assert plot._merged_name([f"ring{i}" for i in (3, 0, 1, 2)]) == "ring0–ring3"
    assert plot._merged_name(["pe0.eic", "pe1.eic"]) == "pe0.eic–pe1.eic"
    assert plot._merged_name(["a", "b", "c"]) == "a +2"
    assert plot._merged_name(["ring0", "ring2"]) == "ring0 +1"


def test_matplotlib_missing_is_a_layout_error(res, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(LayoutError, match=r"pip install thermal_cpo\[viz\]"):
        plot.plot_layer(res, layer="lid")


def test_import_stays_light():
    code = ("import sys, thermal_cpo, thermal_cpo.viz.plot, thermal_cpo.cli.main; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_save_plot_default_names(tmp_path):
    p = tmp_path / "run1.h5"
    assert plot.default_output(p, layer="die-tier") == tmp_path / "run1.layer-die-tier.png"
    assert plot.default_output(p, z=2500) == tmp_path / "run1.z-2500um.png"
    assert plot.default_output(p, section_x=30000) == tmp_path / "run1.section-x-at-y30000um.png"
    assert plot.default_output(p, section_y="1 mm") == tmp_path / "run1.section-y-at-x1000um.png"
    assert plot.default_output(p) == tmp_path / "run1.layer.png"
    assert plot.default_output(p, layer="a/b c") == tmp_path / "run1.layer-a_b_c.png"


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------
def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def assert_png(path, min_bytes=10_000):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > min_bytes


def test_cli_plot_layer_map_default_name(h5):
    result = invoke("plot", h5, "--layer", "die-tier")
    assert result.exit_code == 0, result.stderr
    out = h5.parent / "out.layer-die-tier.png"
    assert result.stdout.strip() == str(out)
    assert_png(out)


def test_cli_plot_section_and_z_with_output(h5, tmp_path):
    out = tmp_path / "sec.png"
    result = invoke("plot", h5, "--section-x", "7300", "-o", out, "--dpi", 60)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert_png(out, 5_000)
    out = tmp_path / "z.png"
    result = invoke("plot", h5, "--z", "1.2 mm", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert_png(out)
    out = tmp_path / "secy.svg"
    assert invoke("plot", h5, "--section-y", "10 mm", "-o", out).exit_code == 0
    assert out.read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("case, match", [
    ("missing", "no such result file"),
    ("text", "not a readable HDF5 result file"),
    ("layer", "no layer named 'die-tir' in quickstart; did you mean 'die-tier'"),
    ("z", "outside the package"),
    ("section", "outside the package"),
    ("two", "choose one plot"),
    ("unit", "expected a length"),
    ("ext", "must be .png, .pdf or .svg"),
])
def test_cli_plot_bad_inputs_exit_2_with_one_line(h5, tmp_path, case, match):
    fake = tmp_path / "fake.h5"
    fake.write_text("not hdf5\n")
    args = {
        "missing": [tmp_path / "nope.h5"],
        "text": [fake],
        "layer": [h5, "--layer", "die-tir"],
        "z": [h5, "--z", "1e6"],
        "section": [h5, "--section-y", "-5 mm"],
        "two": [h5, "--layer", "lid", "--section-x", "100"],
        "unit": [h5, "--z", "3 W"],
        "ext": [h5, "-o", tmp_path / "a.jpg"],
    }[case]
    result = invoke("plot", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert match in lines[0]
    assert not list(tmp_path.glob("*.png"))
