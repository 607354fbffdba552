"""Export to ParaView formats (.vtr, .vtu, .xdmf), checked with the real VTK readers and meshio."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import vtk
from click.testing import CliRunner
from vtk.util.numpy_support import vtk_to_numpy

import thermal_cpo.io
import thermal_cpo.io.formats.vtr as vtr_format
import thermal_cpo.io.vtk as vtkio
from thermal_cpo.cli.main import cli
from thermal_cpo.errors import LayoutError
from thermal_cpo.io.atomic import atomic
from thermal_cpo.io.export import export
from thermal_cpo.io.registry import (format_names, formats, lookup, register_format,
                                     unregister_format, writer_for)
from thermal_cpo.layout import parse_toml
from thermal_cpo.results import load_result
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

# An asymmetric package: the die sits near the x-min, y-max corner and heats its top face, so
# the hottest cell is far from the centre; nx, ny, nz differ and the x and y axes are graded.
ASYM = """
schema_version = 1
name = "asym"
[footprint]
x = "12 mm"
y = "7 mm"
[grid]
max_cell_xy = "1 mm"
max_cell_z = 300
grading = 1.3
[[layers]]
name = "base"
thickness = "1 mm"
material = "copper"
[[layers]]
name = "top"
thickness = 400
material = "organic-substrate"
  [[layers.blocks]]
  name = "die"
  x = ["1.3 mm", "4.1 mm"]
  y = ["4.6 mm", "6.5 mm"]
  material = "silicon"
  power = "20 W"
  power_at = "top"
[boundaries.bottom]
type = "convective"
h = "5e3 W/(m^2*K)"
T = 25
"""


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """The solved package, saved once: ``(result, path of the .h5)``."""
    r = solve_steady(parse_toml(ASYM))
    path = tmp_path_factory.mktemp("export") / "asym.h5"
    r.save(path, command_line="test")
    return r, path


@pytest.fixture
def h5(solved, tmp_path):
    """A private copy of the result file (without its sidecar)."""
    _, src = solved
    dst = tmp_path / "res.h5"
    shutil.copy(src, dst)
    return dst


def hottest(r):
    """``(k, j, i)`` of the hottest cell, and the VTK cell id it must have."""
    nz, ny, nx = r.mesh.shape
    k, j, i = (int(v) for v in np.unravel_index(np.argmax(r.temperature), r.mesh.shape))
    return (k, j, i), i + nx * (j + ny * k)


def check_grid(grid, r):
    """A VTK dataset read back: dimensions, coordinates, cell arrays and their orientation."""
    m = r.mesh
    nz, ny, nx = m.shape
    assert grid.GetNumberOfCells() == nx * ny * nz
    assert grid.GetNumberOfPoints() == (nx + 1) * (ny + 1) * (nz + 1)
    cd = grid.GetCellData()
    t = vtk_to_numpy(cd.GetArray("temperature"))
    mat = vtk_to_numpy(cd.GetArray("material"))
    comp = vtk_to_numpy(cd.GetArray("component"))
    power = vtk_to_numpy(cd.GetArray("power"))
    np.testing.assert_array_equal(t, r.temperature.ravel())
    np.testing.assert_array_equal(mat, m.material.ravel())
    np.testing.assert_array_equal(comp, m.component.ravel())
    np.testing.assert_allclose(power, m.power_density().ravel(), rtol=1e-12, atol=0)
    # the hottest cell: same id in VTK as i + nx*(j + ny*k), and its centre where ours is
    (k, j, i), cid = hottest(r)
    assert int(np.argmax(t)) == cid
    xc, yc, zc = m.centers()
    b = grid.GetCell(cid).GetBounds()
    centre = [(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2]
    np.testing.assert_allclose(centre, [xc[i], yc[j], zc[k]], rtol=0, atol=1e-12)
    assert t[cid] == r.temperature[k, j, i]
    die = m.component_id("die")
    assert comp[cid] == die and m.material_names[mat[cid]] == "silicon"
    # ...and it is off-centre, so a mirrored or transposed file would have failed above
    assert (i, j) != (nx // 2, ny // 2) and i < nx // 2 and j > ny // 2


def test_package_is_asymmetric_and_graded(solved):
    r, _ = solved
    nz, ny, nx = r.mesh.shape
    assert len({nx, ny, nz}) == 3
    for ax in (r.mesh.x, r.mesh.y, r.mesh.z):
        assert np.ptp(np.diff(ax)) > 1e-6  # non-uniform cells on every axis


# ---------------------------------------------------------------------------------------------
# .vtr
# ---------------------------------------------------------------------------------------------
def read_vtr(path):
    reader = vtk.vtkXMLRectilinearGridReader()
    reader.SetFileName(str(path))
    reader.Update()
    assert reader.GetErrorCode() == 0
    return reader.GetOutput()


def test_vtr_read_by_vtk(solved, tmp_path):
    r, _ = solved
    out = tmp_path / "a.vtr"
    assert vtkio.write_vtr(r, out) == str(out)
    grid = read_vtr(out)
    nz, ny, nx = r.mesh.shape
    assert grid.GetDimensions() == (nx + 1, ny + 1, nz + 1)
    assert grid.GetExtent() == (0, nx, 0, ny, 0, nz)
    for got, want in ((grid.GetXCoordinates(), r.mesh.x), (grid.GetYCoordinates(), r.mesh.y),
                      (grid.GetZCoordinates(), r.mesh.z)):
        np.testing.assert_array_equal(vtk_to_numpy(got), want)
    cd = grid.GetCellData()
    assert cd.GetArray("temperature").GetDataType() == vtk.VTK_DOUBLE
    assert cd.GetArray("power").GetDataType() == vtk.VTK_DOUBLE
    assert cd.GetArray("material").GetDataType() == vtk.VTK_UNSIGNED_SHORT
    assert cd.GetArray("component").GetDataType() == vtk.VTK_INT
    check_grid(grid, r)
    # the id → name tables, to threshold by name
    fd = grid.GetFieldData()
    names = {}
    for key in ("material_names", "component_names"):
        a = fd.GetAbstractArray(key)
        assert a is not None, key
        names[key] = [a.GetValue(n) for n in range(a.GetNumberOfValues())]
    assert names["material_names"] == list(r.mesh.material_names)
    assert names["component_names"] == [c.name for c in r.mesh.components]
    # nothing but the file itself in the directory (no temporary left)
    assert list(tmp_path.iterdir()) == [out]


def test_vtr_appended_raw_uint64_header(solved, tmp_path):
    r, _ = solved
    out = tmp_path / "a.vtr"
    vtkio.write_vtr(r, out)
    data = out.read_bytes()
    head = data[:data.index(b"<AppendedData")].decode()
    assert 'header_type="UInt64"' in head and 'byte_order="LittleEndian"' in head
    assert 'format="appended"' in head and 'format="ascii"' not in head
    assert b'<AppendedData encoding="raw">' in data


def test_vtr_failed_write_leaves_nothing(solved, tmp_path, monkeypatch):
    r, _ = solved
    out = tmp_path / "a.vtr"
    out.write_text("previous")

    class Broken:
        def __init__(self, *a, **k):
            self.n = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            self.n += 1
            if self.n > 2:
                raise KeyboardInterrupt

    monkeypatch.setattr(vtr_format, "open", Broken, raising=False)
    with pytest.raises(KeyboardInterrupt):
        vtkio.write_vtr(r, out)
    assert out.read_text() == "previous"  # untouched
    assert list(tmp_path.iterdir()) == [out]  # and the temporary removed
    monkeypatch.undo()
    with pytest.raises(LayoutError, match="does not exist"):
        vtkio.write_vtr(r, tmp_path / "no-such-dir" / "a.vtr")
    with pytest.raises(LayoutError, match="is a directory"):
        vtkio.write_vtr(r, tmp_path)


# ---------------------------------------------------------------------------------------------
# .xdmf
# ---------------------------------------------------------------------------------------------
def test_xdmf_read_by_vtk(solved, h5):
    r, _ = solved
    assert not h5.with_suffix(".xdmf").exists()
    out = vtkio.export(h5, "xdmf")
    assert out == str(h5.with_suffix(".xdmf"))
    reader = vtk.vtkXdmfReader()
    reader.SetFileName(out)
    reader.Update()
    grid = reader.GetOutputDataObject(0)
    assert grid.IsA("vtkRectilinearGrid"), grid.GetClassName()
    nz, ny, nx = r.mesh.shape
    assert grid.GetDimensions() == (nx + 1, ny + 1, nz + 1)
    for got, want in ((grid.GetXCoordinates(), r.mesh.x), (grid.GetYCoordinates(), r.mesh.y),
                      (grid.GetZCoordinates(), r.mesh.z)):
        np.testing.assert_array_equal(vtk_to_numpy(got), want)
    check_grid(grid, r)


def test_xdmf_sidecar_stays_beside_the_h5(h5, tmp_path):
    with pytest.raises(LayoutError, match="beside"):
        vtkio.export(h5, "xdmf", tmp_path / "elsewhere.xdmf")
    assert vtkio.export(h5, "xdmf", h5.with_suffix(".xdmf")) == str(h5.with_suffix(".xdmf"))


# ---------------------------------------------------------------------------------------------
# .vtu
# ---------------------------------------------------------------------------------------------
def test_vtu_read_by_meshio_and_vtk(solved, h5):
    meshio = pytest.importorskip("meshio")  # the `export` extra: without it, skip this test only

    r, _ = solved
    out = vtkio.export(h5, "vtu")
    assert out == str(h5.with_suffix(".vtu"))
    m = meshio.read(out)
    nz, ny, nx = r.mesh.shape
    assert len(m.cells) == 1 and m.cells[0].type == "hexahedron"
    assert len(m.cells[0].data) == nx * ny * nz
    assert len(m.points) == (nx + 1) * (ny + 1) * (nz + 1)
    (k, j, i), cid = hottest(r)
    assert m.cell_data["temperature"][0][cid] == r.temperature[k, j, i]
    np.testing.assert_array_equal(m.cell_data["temperature"][0], r.temperature.ravel())
    np.testing.assert_array_equal(m.cell_data["material"][0], r.mesh.material.ravel())
    np.testing.assert_array_equal(m.cell_data["component"][0], r.mesh.component.ravel())
    corners = m.points[m.cells[0].data[cid]]
    x, y, z = r.mesh.x, r.mesh.y, r.mesh.z
    np.testing.assert_array_equal(corners.min(axis=0), [x[i], y[j], z[k]])
    np.testing.assert_array_equal(corners.max(axis=0), [x[i + 1], y[j + 1], z[k + 1]])
    # VTK reads the same cells, in the same order, as positive-volume hexahedra
    reader = vtk.vtkXMLUnstructuredGridReader()
    reader.SetFileName(out)
    reader.Update()
    grid = reader.GetOutput()
    check_grid(grid, r)
    quality = vtk.vtkCellSizeFilter()
    quality.SetInputData(grid)
    quality.Update()
    vol = vtk_to_numpy(quality.GetOutput().GetCellData().GetArray("Volume"))
    np.testing.assert_allclose(vol, r.mesh.cell_volumes().ravel(), rtol=1e-9)


def test_vtu_without_meshio_says_how_to_install(solved, tmp_path, monkeypatch):
    r, _ = solved
    monkeypatch.setitem(sys.modules, "meshio", None)
    with pytest.raises(LayoutError, match=r"pip install thermal_cpo\[export\]"):
        vtkio.write_vtu(r, tmp_path / "a.vtu")
    assert list(tmp_path.iterdir()) == []


def test_hexahedra_connectivity_is_vtk_ordered():
    points, cells = vtkio.hexahedra([0.0, 1.0, 3.0], [0.0, 2.0], [0.0, 0.5, 1.0])
    assert points.shape == (3 * 2 * 3, 3) and cells.shape == (2 * 1 * 2, 8)
    c = points[cells[1]]  # i = 1, j = 0, k = 0
    np.testing.assert_array_equal(c, [[1, 0, 0], [3, 0, 0], [3, 2, 0], [1, 2, 0],
                                      [1, 0, 0.5], [3, 0, 0.5], [3, 2, 0.5], [1, 2, 0.5]])


# ---------------------------------------------------------------------------------------------
# export() and the command line
# ---------------------------------------------------------------------------------------------
def test_export_api_errors(h5, tmp_path):
    with pytest.raises(LayoutError, match=r"unknown export format 'vtk'; did you mean 'vtr'"):
        vtkio.export(h5, "vtk")
    with pytest.raises(LayoutError, match="vtr, vtu, xdmf"):
        vtkio.export(h5, "png")
    with pytest.raises(LayoutError, match="result file itself"):
        vtkio.export(h5, "vtr", h5)
    assert load_result(h5).mesh.shape  # still intact
    assert vtkio.export(h5, "VTR", tmp_path / "x.vtr") == str(tmp_path / "x.vtr")


def invoke(*args):
    result = CliRunner().invoke(cli, ["export", *map(str, args)])
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("fmt", ["vtr", "vtu", "xdmf"])
def test_cli_export_round_trip(h5, fmt):
    if fmt == "vtu":
        pytest.importorskip("meshio")
    result = invoke(h5, "--format", fmt)
    assert result.exit_code == 0, result.output + result.stderr
    want = h5.with_suffix("." + fmt)
    assert result.stdout.strip() == str(want)
    assert want.is_file() and want.stat().st_size > 0


def test_cli_export_to_output(solved, h5, tmp_path):
    r, _ = solved
    out = tmp_path / "sub.vtr"
    result = invoke(h5, "-f", "vtr", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    check_grid(read_vtr(out), r)


def one_line_error(result, *words):
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for w in words:
        assert w in lines[0], lines[0]
    assert result.stdout == ""


def test_cli_export_bad_inputs(h5, tmp_path):
    one_line_error(invoke(tmp_path / "missing.h5", "--format", "vtr"), "missing.h5", "no such")
    bogus = tmp_path / "bogus.h5"
    bogus.write_text("this is not HDF5\n")
    one_line_error(invoke(bogus, "--format", "vtr"), "bogus.h5", "HDF5")
    other = tmp_path / "other.h5"
    with h5py.File(other, "w") as f:
        f.create_dataset("data", data=np.arange(3))
    one_line_error(invoke(other, "--format", "vtr"), "other.h5", "not a thermal_cpo result")
    one_line_error(invoke(h5, "--format", "vtk"), "'vtr'", "vtr, vtu, xdmf")
    one_line_error(invoke(h5, "--format", "vtr", "-o", tmp_path / "nodir" / "a.vtr"), "does not exist")
    # nothing written next to the inputs
    assert not any(p.suffix in (".vtr", ".vtu", ".xdmf") or p.name.endswith(".tmp")
                   for p in tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# the format registry
# ---------------------------------------------------------------------------------------------
BUILTIN = ("vtr", "vtu", "xdmf")


@pytest.fixture(scope="module")
def catalogue(solved, tmp_path_factory):
    """Results to export, by kind: ``(result in memory, path of its .h5)``."""
    tr = solve_transient(parse_toml(ASYM), t_end=0.05, save_times=[0.01])
    path = tmp_path_factory.mktemp("export-transient") / "asym-tr.h5"
    tr.save(path, command_line="test")
    return {"steady": solved, "transient": (tr, path)}


def read_back_vtr(path, r):
    """A .vtr read back by VTK matches ``r``."""
    check_grid(read_vtr(path), r)


def read_back_vtu(path, r):
    """A .vtu read back by meshio and by VTK matches ``r``."""
    import meshio

    m = meshio.read(path)
    assert [c.type for c in m.cells] == ["hexahedron"]
    np.testing.assert_array_equal(m.cell_data["temperature"][0], r.temperature.ravel())
    reader = vtk.vtkXMLUnstructuredGridReader()
    reader.SetFileName(str(path))
    reader.Update()
    check_grid(reader.GetOutput(), r)


def read_back_xdmf(path, r):
    """A .xdmf read back by VTK matches ``r``, every stored step of a transient."""
    reader = vtk.vtkXdmfReader()
    reader.SetFileName(str(path))
    reader.UpdateInformation()
    times = reader.GetOutputInformation(0).Get(vtk.vtkStreamingDemandDrivenPipeline.TIME_STEPS())
    if r.times is None:
        assert times is None
        reader.Update()
    else:  # every stored step, at its time; the last one checked in full below
        np.testing.assert_array_equal(times, r.times)
        for t, want in zip(r.times, r.steps):
            reader.UpdateTimeStep(t)
            got = reader.GetOutputDataObject(0).GetCellData().GetArray("temperature")
            np.testing.assert_array_equal(vtk_to_numpy(got), want.ravel())
    grid = reader.GetOutputDataObject(0)
    assert grid.IsA("vtkRectilinearGrid"), grid.GetClassName()
    check_grid(grid, r)


READ_BACK = {"vtr": read_back_vtr, "vtu": read_back_vtu, "xdmf": read_back_xdmf}


def test_builtin_formats_are_registered():
    assert format_names() == sorted(format_names())
    assert set(BUILTIN) <= set(format_names())
    got = {name: (f.suffix, f.needs, f.sidecar) for name, f in formats().items() if name in BUILTIN}
    assert got == {"vtr": (".vtr", None, False), "vtu": (".vtu", "meshio", False),
                   "xdmf": (".xdmf", None, True)}
    assert all(f.description for f in formats().values())
    assert lookup(" .VTU ").name == "vtu" and writer_for("vtr") is vtkio.write_vtr
    assert vtkio.FORMATS == {"vtr": ".vtr", "vtu": ".vtu", "xdmf": ".xdmf"}


def test_registry_rejects_unknown_and_duplicate_names():
    with pytest.raises(LayoutError, match=r"unknown export format 'xmdf'; did you mean 'xdmf'"):
        writer_for("xmdf")
    with pytest.raises(ValueError, match="already registered"):
        register_format("vtr", suffix=".vtr", writer=print)
    with pytest.raises(ValueError, match="lower case"):
        register_format("NPZ", suffix=".npz", writer=print)
    with pytest.raises(ValueError, match="suffix"):
        register_format("npz", suffix="npz", writer=print)
    assert "npz" not in format_names()


@pytest.mark.parametrize("kind", ["steady", "transient"])
@pytest.mark.parametrize("fmt", format_names())
def test_every_format_round_trips(catalogue, kind, fmt, tmp_path):
    spec = formats()[fmt]
    if spec.needs:
        pytest.importorskip(spec.needs)
    if fmt not in READ_BACK:
        pytest.fail(f"format {fmt!r} is registered but this test has no reader for it")
    r, src = catalogue[kind]
    h5 = tmp_path / src.name
    shutil.copy(src, h5)
    out = export(h5, fmt)
    assert out == str(h5.with_suffix(spec.suffix))
    READ_BACK[fmt](out, r)
    # the result object in memory gives the same file as the data read back from the .h5
    first = Path(out).read_bytes()
    again = export(h5, fmt, None if spec.sidecar else tmp_path / ("again" + spec.suffix), result=r)
    assert Path(again).read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_new_format_is_one_registration(solved, h5):
    r, _ = solved

    def write_npz(result, path):
        """Test-only writer: the temperature (°C, (nz, ny, nx)) as a NumPy archive."""
        with atomic(path) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, temperature=result.temperature, x=result.mesh.x)
        return str(path)

    assert "npz-test" not in format_names()
    register_format("npz-test", suffix=".npz", writer=write_npz, description="test only")
    try:
        assert "npz-test" in format_names() and writer_for("NPZ-Test") is write_npz
        out = export(h5, "npz-test")
        assert out == str(h5.with_suffix(".npz"))
        with np.load(out) as data:
            np.testing.assert_array_equal(data["temperature"], r.temperature)
            np.testing.assert_array_equal(data["x"], r.mesh.x)
        # the command line finds it as well, with no change there
        result = invoke(h5, "--format", "npz-test", "-o", h5.with_name("cli.npz"))
        assert result.exit_code == 0, result.output + result.stderr
        assert result.stdout.strip() == str(h5.with_name("cli.npz"))
        with pytest.raises(LayoutError, match=r"did you mean 'npz-test'.*npz-test, vtr"):
            export(h5, "npz-tset")
    finally:
        unregister_format("npz-test")
    assert "npz-test" not in format_names()
    with pytest.raises(LayoutError, match=r"\(formats: vtr, vtu, xdmf\)"):
        export(h5, "npz-test")


FORBIDDEN = ("results", "solve", "analysis", "cli", "viz")


def test_io_imports_nothing_above_it_at_run_time(h5):
    code = (
        "import sys\n"
        "import thermal_cpo.io.export as e, thermal_cpo.io.registry as reg, thermal_cpo.io.vtk\n"
        "for name, f in reg.formats().items():\n"
        "    if f.available:\n"
        "        e.export(sys.argv[1], name)\n"
        f"bad = {FORBIDDEN!r}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[:1] == ['thermal_cpo']\n"
        "             and m.split('.')[1:2] and m.split('.')[1] in bad))\n")
    done = subprocess.run([sys.executable, "-c", code, str(h5)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert h5.with_suffix(".vtr").is_file() and h5.with_suffix(".xdmf").is_file()


def _imported_modules(path: Path, package: str):
    """Absolute names of every module the source file ``path`` (in ``package``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = package.split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = parts[:len(parts) - node.level + 1] if node.level else []
            mod = ".".join(base + (node.module.split(".") if node.module else []))
            yield mod
            yield from (f"{mod}.{alias.name}" for alias in node.names)


def test_io_sources_import_nothing_above_them():
    """Lazy imports inside functions count too: the check reads the sources."""
    root = Path(thermal_cpo.io.__file__).parent
    bad = []
    for path in sorted(root.rglob("*.py")):
        package = ".".join(("thermal_cpo", "io", *path.relative_to(root).parent.parts))
        for mod in _imported_modules(path, package):
            top = mod.split(".")
            if top[0] == "thermal_cpo" and len(top) > 1 and top[1] in FORBIDDEN:
                bad.append(f"{path.relative_to(root)}: {mod}")
    assert bad == []
