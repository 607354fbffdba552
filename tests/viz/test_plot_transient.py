"""Plots of a transient result: a time selector draws the stored step nearest the time asked for
(from Python and from `thermal-cpo plot --at`), and the time plot's legend sits beside its axes."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from figures import drawn, invoke, title  # noqa: E402

from thermal_cpo.cli.main import cli  # noqa: E402
from thermal_cpo.errors import LayoutError  # noqa: E402
from thermal_cpo.layout import Package  # noqa: E402
from thermal_cpo.results import load_result  # noqa: E402
from thermal_cpo.solve.steady import solve_steady  # noqa: E402
from thermal_cpo.solve.transient import solve_transient  # noqa: E402
from thermal_cpo.viz import plot  # noqa: E402

SAVE_EVERY = 2.5e-3  # s: stored steps at t = 0, 2.5, 5, 7.5, 10 ms


def _package() -> Package:
    """A 6 × 6 mm die under a TIM and a lid, heating from 30 °C (time constants of ms – s), so
    that every stored step differs; a probe gives the time plot a dashed curve."""
    return Package.from_dict(dict(
        name="warming", footprint=dict(x=6000, y=6000), grid=dict(max_cell_xy=500, max_cell_z=200),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=500, material="si",
                     blocks=[dict(name="core", x=[1500, 4500], y=[1500, 4500], power=20.0,
                                  power_at="bottom"),
                             dict(name="side", x=[5000, 5800], y=[200, 1000], power=2.0)]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        probes=[dict(name="centre", x=3000, y=3000, z=100)],
        initial=dict(T=30.0),
        boundaries=dict(top=dict(type="convective", h=2e4, T=30.0))))


@pytest.fixture(scope="module")
def h5(tmp_path_factory):
    out = tmp_path_factory.mktemp("transient") / "tr.h5"
    solve_transient(_package(), t_end=0.01, save_every=SAVE_EVERY, output=out)
    return out


@pytest.fixture(scope="module")
def res(h5):
    r = load_result(h5)
    np.testing.assert_allclose(r.times, np.arange(5) * SAVE_EVERY, rtol=0, atol=1e-12)
    assert not np.array_equal(r.steps[2], r.steps[-1])  # else a wrong step could go unnoticed
    return r


# ---------------------------------------------------------------------------------------------
# the time selector
# ---------------------------------------------------------------------------------------------
def test_layer_map_at_a_time_draws_that_stored_step(res):
    k = int(np.searchsorted(res.mesh.z, 100e-6)) - 1  # the cell layer at z = 100 µm
    fig = res.plot_layer(z=100, at=5e-3)
    np.testing.assert_array_equal(drawn(fig), res.steps[2][k])
    assert ", t = 5 ms:" in title(fig) and "nearest" not in title(fig)
    # between stored steps: the nearest one (6 ms is nearer 5 than 7.5 ms), and the title says so
    fig = res.plot_layer(z=100, at="6 ms")
    np.testing.assert_array_equal(drawn(fig), res.steps[2][k])
    assert ", t = 5 ms (the stored step nearest t = 6 ms):" in title(fig)
    # the default stays the last step
    fig = res.plot_layer(z=100)
    np.testing.assert_array_equal(drawn(fig), res.steps[-1][k])
    assert ", t = 10 ms:" in title(fig)


def test_section_at_a_time_and_its_default_cut_follow_the_step(res):
    fig = plot.plot_section(res, at="2.5 ms")
    T = res.steps[1]
    _, j, _ = np.unravel_index(np.argmax(T), T.shape)  # through the hottest cell of that step
    np.testing.assert_array_equal(drawn(fig), T[:, j, :])
    assert ", t = 2.5 ms:" in title(fig)
    fig = plot.plot_section(res, x=3000, at=0.0)  # the first stored step: the initial field
    i = int(np.searchsorted(res.mesh.x, 3e-3, side="right")) - 1
    np.testing.assert_array_equal(drawn(fig), res.steps[0][:, :, i])
    assert ", t = 0 s:" in title(fig)


def test_times_outside_the_stored_range_and_steady_results_are_errors(res):
    with pytest.raises(LayoutError, match=r"^at: t = 20 ms is outside the stored times \(5 stored "
                                          r"steps, t = 0 s to 10 ms\)$"):
        res.plot_layer(at="20 ms")
    with pytest.raises(LayoutError, match=r"^at: t = -1 ms is outside"):
        res.plot_section(at=-1e-3)
    with pytest.raises(LayoutError, match=r"^at: expected a time"):
        res.plot_layer(at="3 mm")
    steady = solve_steady(_package())
    with pytest.raises(LayoutError, match=r"^at: the result is steady"):
        steady.plot_layer(at=0.0)


def test_command_line_at_draws_the_step_and_names_the_file_by_its_time(h5, res, saved):
    k = int(np.searchsorted(res.mesh.z, 100e-6)) - 1
    result = invoke(h5, "--z", "100", "--at", "7 ms")
    assert result.exit_code == 0, result.stderr
    out = h5.parent / "tr.z-100um.t7.5ms.png"  # the time drawn, not the time asked for
    assert result.stdout.strip() == str(out) and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig, _ = saved[-1]
    np.testing.assert_array_equal(drawn(fig), res.steps[3][k])
    assert "t = 7.5 ms (the stored step nearest t = 7 ms)" in title(fig)
    assert invoke(h5, "--z", "100").exit_code == 0  # default: the last step, as before
    np.testing.assert_array_equal(drawn(saved[-1][0]), res.steps[-1][k])


def test_default_names_carry_the_time(tmp_path):
    p = tmp_path / "run.h5"
    assert plot.default_output(p, at="2.5 ms") == tmp_path / "run.layer.t2.5ms.png"
    assert plot.default_output(p, section_x="1 mm", at=40e-6) == \
        tmp_path / "run.section-x-at-y1000um.t40us.png"
    assert plot.default_output(p, z=100, at=0) == tmp_path / "run.z-100um.t0s.png"


@pytest.mark.parametrize("args, line", [
    (["--at", "1 s"], "error: --at: t = 1 s is outside the stored times (5 stored steps, t = 0 s to "
                      "10 ms)"),
    (["--at", "5 K"], "error: --at: expected a time"),
    (["--time", "--at", "5 ms"], "error: --time draws temperature against time; it takes no --at"),
])
def test_command_line_bad_times_exit_2_naming_the_option(h5, args, line):
    result = invoke(h5, *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(line), result.stderr


# ---------------------------------------------------------------------------------------------
# the time plot's legend
# ---------------------------------------------------------------------------------------------
def test_time_plot_legend_sits_outside_the_axes_and_inside_the_figure(res):
    fig = plot.plot_time(res)
    (ax,) = fig.axes
    fig.draw_without_rendering()  # lay the figure out, so extents are final
    legend = ax.get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert "core T_max" in labels and "probe centre" in labels
    box, axes_box = legend.get_window_extent(), ax.get_window_extent()
    assert not box.overlaps(axes_box)  # overlaps() counts touching as overlapping
    assert box.x0 > axes_box.x1  # to the right
    # the figure's layout made room for it: nothing of the legend is cut off
    fig_box = fig.bbox
    assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1 and fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1


def test_saved_time_plot_is_cropped_to_what_is_drawn(h5, saved):
    result = invoke(h5, "--time")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(h5.parent / "tr.time.png")
    _, kwargs = saved[-1]
    assert kwargs.get("bbox_inches") == "tight"
