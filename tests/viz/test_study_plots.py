"""Figures of a design study: the drawn data are the table's numbers (read back from the Figure),
the tornado's bars are the swings of the CSV, the layer maps share one colour scale equal to the
range of the chosen layers, and bad inputs exit 2 naming the option.

Tolerances: a plotted output is the CSV's text read as a float, so it is compared exactly; a
parameter converted between units (1500 µm drawn in mm) carries the rounding of one or two float
multiplications, so it is compared to 1e-12 relative; a tornado bar is a difference of two
differences of the same floats (the base cancels), equal to max − min to within a few ulps of
~100 °C, so 1e-12 K.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.collections import PathCollection, QuadMesh

from thermal_cpo.analysis.study import run_study
from thermal_cpo.cli.main import cli
from thermal_cpo.errors import LayoutError
from thermal_cpo.results import load_result
from thermal_cpo.viz.study import layer_maps, param_axis, response_curves, save_study_plots, tornado

THICK, H = "layers.lid.thickness", "boundaries.top.h"
OUTPUTS = ["die.T_max", "tim.T_mean"]
#: the grid study's -5 µm lid is refused (invalid rows), so only the other two are drawn; the
#: one-at-a-time study takes the lid values without it
GRID = {"base": "quickstart", "design": "grid", "outputs": OUTPUTS,
        "vary": [{"path": THICK, "values": ["0.5 mm", 1500, -5]},  # -5 µm: refused, not drawn
                 {"path": H, "range": ["1e4 W/(m^2*K)", "3e4 W/(m^2*K)"], "count": 2}]}
OAT = {**GRID, "design": "one-at-a-time", "vary": [{"path": THICK, "values": ["0.5 mm", 1500]}, GRID["vary"][1]]}
#: the lid thickness in mm as the study writes it: quickstart's bare lengths are µm
THICK_MM = {"0.5 mm": 0.5, "1500": 1.5}


@pytest.fixture(scope="module")
def studies(tmp_path_factory):
    root = tmp_path_factory.mktemp("studies")
    run_study(GRID, root / "grid", workers=1)
    run_study(OAT, root / "oat", workers=1, fields=True)
    (root / "empty").mkdir()
    return root


def _rows(folder):
    with open(folder / "results.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_grid_curves_draw_the_tables_numbers_one_line_per_other_value(studies):
    every = _rows(studies / "grid")
    assert [r["status"] for r in every].count("invalid") == 2
    rows = [r for r in every if r["status"] == "ok"]
    fig = response_curves(studies / "grid")
    axes = np.array(fig.axes).reshape(len(OUTPUTS), 2)  # one row per output, one column per parameter
    for i, out in enumerate(OUTPUTS):
        for j, (p, other) in enumerate(((THICK, H), (H, THICK))):
            ax = axes[i, j]
            assert ax.get_xlabel() == f"{p} [{'mm' if p == THICK else 'W/K/m²'}]"
            assert ax.get_ylabel() == f"{out} [°C]"
            lines = ax.get_lines()
            assert len(lines) == 2  # one per value of the other parameter
            for line in lines:
                value = line.get_label().split(" = ", 1)[1]
                mine = sorted((r for r in rows if r[other] == value),
                              key=lambda r: THICK_MM[r[THICK]] if p == THICK else float(r[H].split()[0]))
                assert len(mine) == 2
                x = [THICK_MM[r[THICK]] if p == THICK else float(r[H].split()[0]) for r in mine]
                np.testing.assert_allclose(line.get_xdata(), x, rtol=1e-12, atol=0)
                np.testing.assert_array_equal(line.get_ydata(), [float(r[out]) for r in mine])
    # physics on the way: a better-cooled lid lowers the die's T_max on either lid
    for line in axes[0, 1].get_lines():
        assert np.all(np.diff(line.get_ydata()) < 0)


def test_a_one_at_a_time_study_draws_points_and_the_base(studies):
    rows = _rows(studies / "oat")
    fig = response_curves(studies / "oat", output="die.T_max")
    assert len(fig.axes) == 2
    for ax, p in zip(fig.axes, (THICK, H)):
        pts = [c for c in ax.collections if isinstance(c, PathCollection)][0].get_offsets()
        mine = [r for r in rows if r[p] != ""]
        x = [THICK_MM[r[p]] if p == THICK else float(r[p].split()[0]) for r in mine]
        np.testing.assert_allclose(pts[:, 0], x, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(pts[:, 1], [float(r["die.T_max"]) for r in mine])
        base = [ln for ln in ax.get_lines() if ln.get_label().startswith("base")][0]
        assert base.get_ydata()[0] == float(rows[0]["die.T_max"])


def test_tornado_bars_are_the_swings_from_the_base_widest_on_top(studies):
    rows = _rows(studies / "oat")
    for out in OUTPUTS:
        fig = tornado(studies / "oat", out)
        ax = fig.axes[0]
        base = float(rows[0][out])
        expect = {}
        for p in (THICK, H):
            vals = [float(r[out]) for r in rows if r[p] != ""]
            assert len(vals) == 2
            expect[p] = (min(vals) - base, max(vals) - min(vals))
        names = [t.get_text() for t in ax.get_yticklabels()]
        bars = sorted(ax.patches, key=lambda b: b.get_y())
        assert sorted(names) == sorted(expect) and len(bars) == 2
        for name, bar in zip(names, bars):
            assert bar.get_x() == pytest.approx(expect[name][0], abs=1e-12)
            assert bar.get_width() == pytest.approx(expect[name][1], abs=1e-12)
        widths = [b.get_width() for b in bars]
        assert widths == sorted(widths)  # the widest at the top
        assert widths[0] != widths[1]  # the two parameters really swing by different amounts


def test_layer_maps_share_one_scale_the_range_of_the_chosen_layers(studies):
    folder, chosen, z = studies / "oat", [0, 1, 3], 1.2e-3  # in die-tier for every lid thickness
    layers = []
    for i in chosen:
        res = load_result(folder / "fields" / f"{i:04d}.h5")
        k = int(np.searchsorted(res.mesh.z, z, side="right")) - 1
        layers.append(res.temperature[k])
    lo, hi = min(a.min() for a in layers), max(a.max() for a in layers)
    fig = layer_maps(folder, "0,1,3", "1.2 mm")
    assert len(fig.axes) == 3 + 1  # three maps and ONE colour bar, the last axes
    assert fig.axes[-1].get_ylabel() == "temperature [°C]"
    meshes = [c for ax in fig.axes[:-1] for c in ax.collections if isinstance(c, QuadMesh)]
    assert len(meshes) == 3
    for qm, layer in zip(meshes, layers):
        assert qm.get_clim() == (lo, hi)
        np.testing.assert_array_equal(np.asarray(qm.get_array()).ravel(), layer.ravel())
    # the shared scale is not each map's own: variant 3 (h = 1e4) runs hotter than variant 0
    assert (layers[0].min(), layers[0].max()) != (lo, hi)


def test_parameter_values_are_read_with_their_units():
    x, unit, cats = param_axis(["0.5 mm", "2"], "mm")  # a layout whose bare lengths are mm
    assert unit == "mm" and cats is None and list(x) == [0.5, 2.0]
    x, unit, _ = param_axis(["300 K", "25"])  # bare temperatures are °C
    assert unit == "K" and x[0] == 300.0 and x[1] == pytest.approx(298.15, abs=1e-9)
    x, unit, cats = param_axis(["copper", "aluminium", "copper"])
    assert cats == ["copper", "aluminium"] and list(x) == [0, 1, 0] and unit == ""


def test_study_plot_writes_one_png_per_output_and_the_maps(studies, tmp_path):
    res = CliRunner().invoke(cli, ["study-plot", str(studies / "grid"), "-o", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    written = res.output.split()
    assert [p.rsplit("/", 1)[1] for p in written] == [f"curves-{o}.png" for o in OUTPUTS]
    res = CliRunner().invoke(cli, ["study-plot", str(studies / "oat"), "--kind", "maps", "--variants", "0,3",
                                   "--z", "1.2 mm", "-o", str(tmp_path / "f")])
    assert res.exit_code == 0, res.output
    written += res.output.split()
    assert written[-1].endswith("maps-z1200um.png")
    for path in written:
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_save_study_plots_draws_the_tornado_of_each_output(studies, tmp_path, saved):
    paths = save_study_plots(studies / "oat", tmp_path, kind="tornado")
    assert [p.rsplit("/", 1)[1] for p in paths] == [f"tornado-{o}.png" for o in OUTPUTS]
    titles = [fig.axes[0].get_title() for fig, _ in saved]
    assert all(o in t for o, t in zip(OUTPUTS, titles))


@pytest.mark.parametrize("folder, args, option, words", [
    ("empty", [], "DIR", "no study results here"),
    ("grid", ["--output", "die.Tmax"], "--output", "did you mean 'die.T_max'"),
    ("grid", ["--kind", "tornado"], "--kind", "needs a one-at-a-time study"),
    ("grid", ["--kind", "maps"], "--kind", "run with --fields"),
    ("oat", ["--kind", "maps", "--variants", "0,9"], "--variants", "variant 9 has no field file"),
    ("oat", ["--kind", "maps", "--variants", "a"], "--variants", "expected variant numbers"),
    ("oat", ["--kind", "maps", "--z", "9 mm"], "--z", "outside the package"),
    ("oat", ["--dpi", "5"], "--dpi", "between 10 and 1200"),
])
def test_bad_inputs_exit_2_naming_the_option(studies, tmp_path, folder, args, option, words):
    res = CliRunner().invoke(cli, ["study-plot", str(studies / folder), "-o", str(tmp_path), *args])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {option}: ") and words in lines[0], res.output
    assert not list(tmp_path.glob("*.png"))


def test_the_python_errors_name_the_keyword(studies):
    with pytest.raises(LayoutError) as exc:
        tornado(studies / "grid", "die.T_max")
    assert exc.value.path == "kind"
    with pytest.raises(LayoutError) as exc:
        response_curves(studies / "oat", output="nothing.T_max")
    assert exc.value.path == "output"
