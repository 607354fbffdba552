"""A transient stores the power density applied at each stored step beside its temperature: it
integrates to the power the traces give at that time, changes where they change, is what the
XDMF sidecar shows at that step, and files without it still read (the nominal power)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import h5py
import numpy as np
import pytest

from thermal_cpo.io.export import export
from thermal_cpo.io.read import read_result
from thermal_cpo.io.transient_writer import TransientWriter
from thermal_cpo.layout import Package
from thermal_cpo.results import load_result
from thermal_cpo.solve.transient import solve_transient

#: the core's trace (s, W), joined linearly: off, a ramp up, a plateau, a ramp down
TRACE = [[0.0, 0.0], [0.01, 0.0], [0.011, 30.0], [0.02, 30.0], [0.03, 5.0]]
SIDE = 2.0  # W, constant
SAVE = [0.005, 0.01, 0.0105, 0.015, 0.02, 0.025]
T_END = 0.03
# The stored density is (unit map x P) / V per cell and is summed back as density x V: each cell
# carries a few roundings of 1.1e-16 and numpy sums pairwise, so the total of these ~1500 cells
# is off by well under 1e-13 relative; 1e-12 leaves room and still catches any wrong power.
RTOL = 1e-12


def _package() -> Package:
    core = dict(name="core", x=[1500, 4500], y=[1500, 4500], power=20.0, power_at="bottom", trace=TRACE)
    return Package.from_dict(dict(
        name="traced", footprint=dict(x=6000, y=6000), grid=dict(max_cell_xy=1000, max_cell_z=250),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=500, material="si",
                     blocks=[core, dict(name="side", x=[5000, 5800], y=[200, 1000], power=SIDE)]),
                dict(name="lid", thickness=1000, material="cu")],
        initial=dict(T=30.0),
        boundaries=dict(top=dict(type="convective", h=2e4, T=30.0))))


def _core_power(t: float) -> float:
    t_pts, p_pts = np.array(TRACE).T
    return float(np.interp(t, t_pts, p_pts))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The run in memory, its file as Result.save writes it, and as the run streamed it."""
    d = tmp_path_factory.mktemp("step-power")
    streamed = d / "streamed.h5"
    r = solve_transient(_package(), t_end=T_END, save_times=SAVE, output=streamed)
    saved = d / "saved.h5"
    r.save(saved)
    return r, saved, streamed


def _watts(mesh, density, component=None) -> float:
    w = density * mesh.cell_volumes()
    if component is not None:
        w = np.where(mesh.component == mesh.component_id(component), w, 0.0)
    return float(w.sum())


@pytest.mark.parametrize("which", ["saved", "streamed"])
def test_each_stored_power_integrates_to_the_trace_at_its_time(run, which):
    r, saved, streamed = run
    data = read_result(saved if which == "saved" else streamed, step_power=True)
    mesh, times, powers = data["mesh"], data["times"], data["step_power"]
    np.testing.assert_allclose(times, [0.0, *SAVE, T_END], rtol=0, atol=1e-12 * T_END)
    assert len(powers) == len(times) == len(data["steps"])
    for t, p in zip(times, powers):
        assert p.shape == mesh.shape and p.dtype == np.float64
        assert _watts(mesh, p, "core") == pytest.approx(_core_power(t), rel=RTOL, abs=1e-12)
        assert _watts(mesh, p, "side") == pytest.approx(SIDE, rel=RTOL)
        assert _watts(mesh, p) == pytest.approx(_core_power(t) + SIDE, rel=RTOL)
    # the same figures as the run's own per-step power history, at the stored times
    core = r.probes["components"].index("core")
    for t, p in zip(times, powers):
        i = int(np.argmin(np.abs(r.probes["time"] - t)))
        assert _watts(mesh, p, "core") == pytest.approx(r.probes["power"][i, core], rel=RTOL, abs=1e-12)


def test_the_power_changes_where_the_trace_changes_and_is_shared_where_it_holds(run):
    _, saved, _ = run
    data = read_result(saved, step_power=True)
    p = data["step_power"]
    # t = 0, 0.005, 0.01: the core is off and nothing else changes
    assert np.array_equal(p[0], p[1]) and np.array_equal(p[1], p[2])
    assert p[0] is p[1] is p[2]  # read once, shared
    assert p[4] is p[5]  # the plateau
    # the ramp, the plateau and the ramp down all differ, as does the start
    for a, b in ((2, 3), (3, 4), (4, 6), (6, 7)):
        assert not np.array_equal(p[a], p[b]), (a, b)
    # and only the core's cells change: its density scales with the trace, the side's holds
    core = data["mesh"].component == data["mesh"].component_id("core")
    np.testing.assert_allclose(p[3][core], p[4][core] * _core_power(0.0105) / _core_power(0.015), rtol=1e-12)
    np.testing.assert_array_equal(p[3][~core], p[4][~core])
    with h5py.File(saved) as f:
        g = f["fields/step_power"]
        assert sorted(g) == sorted(f["fields/temperature"])
        assert g["000000"] == g["000001"] == g["000002"]  # one HDF5 object: no space for repeats
        assert g["000002"] != g["000003"]
        assert g["000003"].attrs["units"] == "W/m^3"


def test_the_run_in_memory_carries_the_same_powers(run):
    r, saved, _ = run
    back = read_result(saved, step_power=True)
    assert len(r.step_power) == len(r.times)
    for a, b in zip(r.step_power, back["step_power"]):
        np.testing.assert_array_equal(a, b)


def test_each_xdmf_step_points_at_its_own_power(run):
    _, saved, _ = run
    root = ET.parse(saved.with_suffix(".xdmf")).getroot()
    steps = root.find("Domain/Grid[@CollectionType='Temporal']").findall("Grid")
    refs = [g.find("Attribute[@Name='power']/DataItem").text.strip() for g in steps]
    assert len(set(refs)) == len(steps) == len(SAVE) + 2
    with h5py.File(saved) as f:
        mesh = load_result(saved).mesh
        for g, ref in zip(steps, refs):
            fname, dataset = ref.split(":")
            assert fname == saved.name
            t = float(g.find("Time").get("Value"))
            # what ParaView shows at this time: the power applied then
            assert _watts(mesh, f[dataset][()]) == pytest.approx(_core_power(t) + SIDE, rel=RTOL)
            temperature = g.find("Attribute[@Name='temperature']/DataItem").text.strip().split(":")[1]
            assert dataset.rsplit("/", 1)[1] == temperature.rsplit("/", 1)[1]


def test_an_export_shows_the_power_of_its_last_step(run, tmp_path):
    import vtk
    from vtk.util.numpy_support import vtk_to_numpy

    _, saved, _ = run
    h5 = tmp_path / "r.h5"
    shutil.copy(saved, h5)
    reader = vtk.vtkXMLRectilinearGridReader()
    reader.SetFileName(export(h5, "vtr"))
    reader.Update()
    power = vtk_to_numpy(reader.GetOutput().GetCellData().GetArray("power"))
    mesh = load_result(h5).mesh
    assert _watts(mesh, power.reshape(mesh.shape)) == pytest.approx(_core_power(T_END) + SIDE, rel=RTOL)
    assert _core_power(T_END) != 20.0  # the nominal power would have failed


def test_a_file_without_step_powers_reads_as_the_nominal_power(run, tmp_path):
    """A file written before the step powers were stored: every step gets /fields/power."""
    _, saved, _ = run
    old = tmp_path / "old.h5"
    shutil.copy(saved, old)
    with h5py.File(old, "r+") as f:
        del f["fields/step_power"]
        nominal = f["fields/power"][()]
    data = read_result(old, step_power=True)
    assert len(data["step_power"]) == len(data["times"])
    for p in data["step_power"]:
        np.testing.assert_array_equal(p, nominal)
    assert _watts(data["mesh"], nominal) == pytest.approx(20.0 + SIDE, rel=RTOL)
    assert load_result(old).times is not None  # and the Result reads it as before
    root = ET.parse(export(old, "xdmf")).getroot()
    refs = {g.find("Attribute[@Name='power']/DataItem").text.split(":")[1]
            for g in root.iter("Grid") if g.get("GridType") == "Uniform"}
    assert refs == {"/fields/power"}


def test_a_steady_result_has_no_step_powers(tmp_path):
    from thermal_cpo.solve import solve_steady

    path = tmp_path / "s.h5"
    solve_steady(_package()).save(path)
    assert read_result(path, step_power=True)["step_power"] is None
    assert "step_power" not in read_result(path)
    with h5py.File(path) as f:
        assert "step_power" not in f["fields"]


def test_a_buffer_refilled_in_place_is_stored_as_given(run, tmp_path):
    """The writer links a repeated power to the earlier dataset only when the values repeat,
    not because the caller handed it the same array again."""
    r, _, _ = run
    path = tmp_path / "w.h5"
    buf = np.array(r.step_power[4])
    with TransientWriter(path, r.mesh) as w:
        w.add(0.0, r.steps[0], buf)
        buf *= 2.0
        w.add(1.0, r.steps[1], buf)
        w.add(2.0, r.steps[2], buf)
        w.add(3.0, r.steps[3])  # no power given: the nominal one stands in
    data = read_result(path, step_power=True)
    p = data["step_power"]
    np.testing.assert_array_equal(p[0], r.step_power[4])
    np.testing.assert_array_equal(p[1], 2.0 * r.step_power[4])
    assert p[1] is p[2]
    with h5py.File(path) as f:
        np.testing.assert_array_equal(p[3], f["fields/power"][()])
        assert sorted(f["fields/step_power"]) == ["000000", "000001", "000002"]
    with pytest.raises(ValueError, match="power shape"):
        with TransientWriter(tmp_path / "bad.h5", r.mesh) as w:
            w.add(0.0, r.steps[0], buf[:1])
