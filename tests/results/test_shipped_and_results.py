"""Every shipped layout solves with a closed energy balance; result files round-trip."""

import h5py
import numpy as np
import pytest

from thermal_cpo.layout import load_layout, shipped_layouts
from thermal_cpo.results import load_result
from thermal_cpo.solve.steady import solve_steady


@pytest.fixture(scope="module")
def solved():
    return {}


@pytest.mark.parametrize("name", sorted(shipped_layouts()))
def test_shipped_layout_solves_with_energy_balance(name, solved):
    pkg = load_layout(name)
    r = solve_steady(pkg)
    assert r.energy_balance <= 1e-6
    # the power dissipated: the declared one, or where powers follow the temperature the one they
    # settled at, which the component table carries
    assert r.solver["power_in"] == pytest.approx(sum(c.power for c in r.components), rel=1e-12)
    if r.powers is None:
        assert r.solver["power_in"] == pytest.approx(pkg.total_power, rel=1e-12)
    # every powered component is hotter than the coldest boundary temperature it drains to
    # (boundaries and coolant inlets)
    t_bc = min([bc.T for _, bc in pkg.boundaries.items() if bc.active]
               + [cp.inlet_T for cp in pkg.coldplates]
               + [layer.channels.inlet_T for layer in pkg.layers if layer.channels is not None])
    for c in r.components:
        if c.power > 0:
            assert c.T_max > t_bc
        assert c.T_min <= c.T_mean <= c.T_max
    assert np.all(np.isfinite(r.temperature))
    if name == "quickstart":
        solved["quickstart"] = r
    if name == "cpo-51t2-switch":
        # the real cold plate: every watt leaves with the coolant, which warms along +x,
        # so the downstream (east) engines run warmer than the upstream (west) ones
        g = r.coolant["groups"][0]
        assert g["heat"] == pytest.approx(pkg.total_power, rel=1e-6)
        assert g["T_out"] > g["T_in"] + 5.0
        east = [r.component(f"pe{i}.eic").T_max for i in (2, 3)]
        west = [r.component(f"pe{i}.eic").T_max for i in (6, 7)]
        assert min(east) > max(west) + 2.0


def test_result_file_round_trip(tmp_path):
    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "out.h5"
    r.save(path, command_line="test")
    with h5py.File(path) as f:
        assert f.attrs["format"] == "thermal_cpo-result" and f.attrs["format_version"] == 1
        for name in ("grid/x", "grid/y", "grid/z", "grid/material", "grid/component",
                     "fields/power", "fields/temperature", "components"):
            assert "units" in f[name].attrs, name
        assert f["fields/temperature"].shape == r.mesh.shape
        assert f["grid/x"].shape == (r.mesh.shape[2] + 1,)
        assert f["grid/material"].dtype == np.uint16 and f["grid/component"].dtype == np.int32
        for key in ("method", "tolerance", "iterations", "residual", "wall_time", "energy_balance"):
            assert key in f["solver"].attrs
        assert "[[layers]]" in f["input/layout"][()].decode()
    back = load_result(path)
    np.testing.assert_array_equal(back.temperature, r.temperature)
    np.testing.assert_array_equal(back.mesh.material, r.mesh.material)
    np.testing.assert_allclose(back.mesh.power, r.mesh.power, rtol=1e-12, atol=0)
    assert back.package == r.package
    assert [c.as_dict() for c in back.components] == [c.as_dict() for c in r.components]
    assert back.solver["energy_balance"] == r.solver["energy_balance"]
    # no temporary file left behind: the result and its ParaView sidecar only
    assert sorted(tmp_path.iterdir()) == sorted([path, path.with_suffix(".xdmf")])


def test_xdmf_sidecar_points_at_the_right_datasets(tmp_path):
    """The sidecar's 3DRectMesh / VXVYVZ description matches the HDF5 datasets it references."""
    import xml.etree.ElementTree as ET

    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "q.h5"
    r.save(path)
    root = ET.parse(path.with_suffix(".xdmf")).getroot()
    grid = root.find("Domain/Grid")
    nz, ny, nx = r.mesh.shape
    topo = grid.find("Topology")
    assert topo.get("TopologyType") == "3DRectMesh"
    assert [int(v) for v in topo.get("Dimensions").split()] == [nz + 1, ny + 1, nx + 1]
    geo = grid.find("Geometry")
    assert geo.get("GeometryType") == "VXVYVZ"
    items = list(geo.iter("DataItem")) + [a.find("DataItem") for a in grid.findall("Attribute")]
    with h5py.File(path) as f:
        for item in items:
            fname, dset = item.text.strip().split(":")
            assert fname == "q.h5"  # relative, so the pair can be moved together
            shape = tuple(int(v) for v in item.get("Dimensions").split())
            assert f[dset].shape == shape
            assert f[dset].dtype.itemsize == int(item.get("Precision"))
            assert f[dset].compression in (None, "gzip")  # filters ParaView reads
        assert [d.text.split(":")[1] for d in geo.iter("DataItem")] == ["/grid/x", "/grid/y", "/grid/z"]
    names = {a.get("Name"): a.get("Center") for a in grid.findall("Attribute")}
    assert names == {"temperature": "Cell", "power": "Cell", "material": "Cell", "component": "Cell"}


def test_failed_write_leaves_existing_file_untouched(tmp_path, monkeypatch):
    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "out.h5"
    path.write_bytes(b"previous result")
    import thermal_cpo.io.hdf5 as hdf5

    def boom():
        raise KeyboardInterrupt  # an interrupted run, half way through writing

    monkeypatch.setattr(hdf5, "_versions", boom)
    with pytest.raises(KeyboardInterrupt):
        r.save(path)
    assert path.read_bytes() == b"previous result"
    assert list(tmp_path.iterdir()) == [path]


def _steps(r, n):
    return [r.temperature + 0.5 * i for i in range(n)]


def test_transient_layout_round_trip(tmp_path):
    """One dataset per stored step, /time, and an XDMF temporal collection."""
    import xml.etree.ElementTree as ET

    from thermal_cpo.io.hdf5 import TransientWriter

    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "tr.h5"
    times = [0.0, 1e-3, 0.1]
    with TransientWriter(path, r.mesh, command_line="test") as w:
        for t, T in zip(times, _steps(r, 3)):
            w.add(t, T)
    with h5py.File(path) as f:
        assert f.attrs["complete"] == 1
        np.testing.assert_array_equal(f["time"][()], times)
        assert sorted(f["fields/temperature"]) == ["000000", "000001", "000002"]
        assert f["fields/temperature/000002"].attrs["time"] == 0.1
    back = load_result(path)
    np.testing.assert_array_equal(back.times, times)
    for a, b in zip(back.steps, _steps(r, 3)):
        np.testing.assert_array_equal(a, b)
    grid = ET.parse(path.with_suffix(".xdmf")).getroot().find("Domain/Grid")
    assert grid.get("CollectionType") == "Temporal"
    steps = grid.findall("Grid")
    assert [float(g.find("Time").get("Value")) for g in steps] == times
    assert steps[1].find("Attribute[@Name='temperature']/DataItem").text.endswith(
        ":/fields/temperature/000001")


def test_interrupted_transient_keeps_the_stored_steps(tmp_path):
    from thermal_cpo.io.hdf5 import TransientWriter

    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "tr.h5"
    with pytest.raises(KeyboardInterrupt):
        with TransientWriter(path, r.mesh) as w:
            for i, T in enumerate(_steps(r, 2)):
                w.add(i * 1e-3, T)
            raise KeyboardInterrupt
    back = load_result(path)
    assert back.complete is False and len(back.steps) == 2
    with h5py.File(path) as f:
        assert f.attrs["interrupted"] == 1
    # interrupted before any step: nothing is left at all
    other = tmp_path / "none.h5"
    with pytest.raises(KeyboardInterrupt):
        with TransientWriter(other, r.mesh):
            raise KeyboardInterrupt
    assert not other.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["tr.h5", "tr.xdmf"]


def test_saving_onto_the_sidecar_name_is_refused(tmp_path):
    from thermal_cpo import LayoutError

    r = solve_steady(load_layout("quickstart"))
    with pytest.raises(LayoutError, match="HDF5"):
        r.save(tmp_path / "out.xdmf")
    assert list(tmp_path.iterdir()) == []


def test_damaged_result_file_is_a_layout_error(tmp_path):
    from thermal_cpo import LayoutError

    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "out.h5"
    r.save(path)
    with h5py.File(path, "a") as f:
        del f["grid/x"]
    with pytest.raises(LayoutError, match="damaged"):
        load_result(path)


def test_sidecar_escapes_file_names(tmp_path):
    import xml.etree.ElementTree as ET

    r = solve_steady(load_layout("quickstart"))
    path = tmp_path / "a&b<c.h5"
    r.save(path)
    root = ET.parse(path.with_suffix(".xdmf")).getroot()  # parses: the name is escaped
    assert root.find("Domain/Grid/Geometry/DataItem").text == "a&b<c.h5:/grid/x"
