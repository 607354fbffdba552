"""What a user types into a plot follows the layouts' units: positions are bare µm or strings
with units, from Python (Result methods, viz functions) and from `thermal-cpo plot` alike, and the
colour scale's limits are bare °C or strings with units; bad values are input errors naming the
argument (or the option)."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from figures import drawn, invoke, quadmesh, title  # noqa: E402

from thermal_cpo.cli.main import cli  # noqa: E402
from thermal_cpo.errors import LayoutError  # noqa: E402
from thermal_cpo.layout import load_layout  # noqa: E402
from thermal_cpo.solve.steady import solve_steady  # noqa: E402
from thermal_cpo.viz import plot  # noqa: E402


@pytest.fixture(scope="module")
def res():
    return solve_steady(load_layout("quickstart"))  # shipped: 20 × 20 mm, z = 0 – 2.6 mm


@pytest.fixture(scope="module")
def h5(res, tmp_path_factory):
    path = tmp_path_factory.mktemp("units") / "out.h5"
    res.save(path)
    return path


def one_error_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# ---------------------------------------------------------------------------------------------
# positions in µm
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["7300", "7.3 mm"])
def test_section_from_python_cuts_the_cell_the_command_line_cuts(res, h5, tmp_path, saved, typed):
    mesh = res.mesh
    j = int(np.searchsorted(mesh.y, 7.3e-3)) - 1  # the cell holding y = 7.3 mm
    assert j > 0  # a value converted twice (7.3 mm read as 7.3e-3 µm) would land in cell 0
    value = 7300.0 if typed == "7300" else typed
    from_python = drawn(res.plot_section(y=value))
    assert invoke(h5, "--section-x", typed, "-o", tmp_path / "s.png").exit_code == 0
    from_cli = drawn(saved[-1][0])
    np.testing.assert_array_equal(from_python, res.temperature[:, j, :])
    np.testing.assert_array_equal(from_cli, from_python)


def test_layer_map_from_python_and_the_command_line_at_the_same_height(res, h5, tmp_path, saved):
    k = int(np.searchsorted(res.mesh.z, 1.2e-3)) - 1
    assert k > 0
    np.testing.assert_array_equal(drawn(res.plot_layer(z=1200)), res.temperature[k])
    np.testing.assert_array_equal(drawn(res.plot_layer(z=np.int64(1200))), res.temperature[k])
    assert invoke(h5, "--z", "1.2 mm", "-o", tmp_path / "z.png").exit_code == 0
    np.testing.assert_array_equal(drawn(saved[-1][0]), res.temperature[k])


def test_a_value_meant_in_metres_is_read_as_micrometres(res):
    """0.005 meant as 5 mm is 5 nm: inside the package, it cuts the first cell and the title
    shows the cut where it really is; a negative one is outside and an error."""
    fig = res.plot_section(y=0.005)
    np.testing.assert_array_equal(drawn(fig), res.temperature[:, 0, :])
    assert "y = 0.005 µm" in title(fig)
    np.testing.assert_array_equal(drawn(res.plot_layer(z=0.005)), res.temperature[0])
    with pytest.raises(LayoutError, match=r"^y: y = -0\.005 µm is outside the package, whose "
                                          r"footprint spans y = 0 – 20000 µm$"):
        res.plot_section(y=-0.005)


def test_positions_outside_the_package_name_the_argument_and_the_extent_in_um(res):
    with pytest.raises(LayoutError, match=r"^x: x = 30000 µm is outside .* x = 0 – 20000 µm$"):
        res.plot_section(x="3 cm")
    with pytest.raises(LayoutError, match=r"^z: z = 1e\+06 µm is outside the package, which spans "
                                          r"z = 0 – 2600 µm$"):
        res.plot_layer(z=1e6)
    with pytest.raises(LayoutError, match=r"^section_y: x = -5000 µm is outside"):
        plot.save_plot(res, "never.png", section_y="-5 mm")
    with pytest.raises(LayoutError, match=r"^z: expected a length"):
        res.plot_layer(z="3 W")


def test_command_line_names_the_option_of_a_position_outside(h5):
    line = one_error_line(invoke(h5, "--section-x", "-0.005"))
    assert line == ("error: --section-x: y = -0.005 µm is outside the package, whose footprint "
                    "spans y = 0 – 20000 µm")
    line = one_error_line(invoke(h5, "--z", "3 W"))
    assert line.startswith("error: --z: expected a length")


# ---------------------------------------------------------------------------------------------
# colour-scale limits
# ---------------------------------------------------------------------------------------------
def clim(fig) -> tuple[float, float]:
    """The limits of the map's colours and of its colour bar (vertical: its y range)."""
    qm = quadmesh(fig)
    lo, hi = qm.get_clim()
    assert qm.colorbar.ax.get_ylim() == pytest.approx((lo, hi))
    return float(lo), float(hi)


def test_colour_limits_from_python_in_degc_or_with_units(res):
    fig = res.plot_layer("die-tier", vmin=70, vmax=80)  # the slice spans about 60 – 87 °C
    assert clim(fig) == (70.0, 80.0)
    assert quadmesh(fig).colorbar.extend == "both"
    assert "colours saturate above 80.0 °C and below 70.0 °C" in title(fig)
    # 358.15 K = 85 °C exactly; a unit conversion keeps 12 significant digits
    assert clim(res.plot_section(y=10000, vmin="35 degC", vmax="358.15 K")) == pytest.approx(
        (35.0, 85.0), abs=1e-9)


def test_one_limit_beyond_the_field_is_kept(res):
    T = res.temperature[-1]
    above = float(T.max()) + 20.0
    assert clim(res.plot_layer(z=2500, vmin=above)) == (above, above + 1.0)  # a 1 K window
    below = float(T.min()) - 20.0
    assert clim(res.plot_layer(z=2500, vmax=below)) == (below - 1.0, below)
    assert clim(res.plot_layer(z=2500, vmin=below))[1] == pytest.approx(float(T.max()))


def test_colour_limits_from_the_command_line(h5, tmp_path, saved):
    out = tmp_path / "c.png"
    result = invoke(h5, "--layer", "die-tier", "--vmin", "45", "--vmax", "80 degC", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert clim(saved[-1][0]) == (45.0, 80.0)


@pytest.mark.parametrize("args, start", [
    (["--vmin", "60", "--vmax", "40"], "error: --vmin: 60 °C must be below the upper limit of the "
                                       "colour scale (vmax = 40 °C)"),
    (["--vmin", "50", "--vmax", "50"], "error: --vmin: 50 °C must be below"),
    (["--vmax", "3 mm"], "error: --vmax: expected a temperature"),
    (["--time", "--vmin", "40"], "error: --time draws temperature against time; it takes no --vmin"),
])
def test_bad_colour_limits_exit_2_naming_the_option(h5, tmp_path, args, start):
    line = one_error_line(invoke(h5, *args, "-o", tmp_path / "bad.png"))
    assert line.startswith(start), line
    assert not list(tmp_path.glob("*.png"))


def test_bad_colour_limits_from_python(res):
    with pytest.raises(LayoutError, match=r"^vmin: 60 °C must be below"):
        res.plot_layer("lid", vmin=60, vmax="313.15 K")
    with pytest.raises(LayoutError, match=r"^vmax: expected a temperature"):
        res.plot_section(vmax=True)
