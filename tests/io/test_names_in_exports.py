"""The component and material names travel with the exported grids: parsed back from the XML of
the .xdmf sidecar and of the .vtr, they name the ids of the cell arrays as the layout does."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import h5py
import numpy as np
import pytest

from thermal_cpo.io.export import export
from thermal_cpo.layout import load_layout
from thermal_cpo.solve import solve_steady


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped die-tim-lid package solved and saved: ``(package, result, path of the .h5)``."""
    pkg = load_layout("die-tim-lid")
    r = solve_steady(pkg)
    path = tmp_path_factory.mktemp("names") / "dtl.h5"
    r.save(path)
    return pkg, r, path


def _declared(pkg) -> dict[str, tuple[str, tuple[float, ...]]]:
    """Component name -> (material name, box x0, x1, y0, y1, z0, z1 in m), from the layout."""
    out = {}
    for layer, (z0, z1) in zip(pkg.layers, pkg.layer_bounds()):
        out[layer.name] = (layer.material, (0.0, pkg.footprint.x, 0.0, pkg.footprint.y, z0, z1))
        for b in layer.blocks:
            out[b.name] = (b.material or layer.material, (*b.x, *b.y, z0, z1))
    for b in pkg.boxes:
        out[b.name] = (b.material, (*b.x, *b.y, *b.z))
    return out


def _check_names(pkg, mesh, component_names, material_names, component, material) -> None:
    """The exported tables and cell arrays agree with the layout: the cells of id ``i`` lie in
    the box of the component named ``component_names[i]`` and are of its material."""
    declared = _declared(pkg)
    assert sorted(component_names) == sorted(declared)
    assert component_names == [c.name for c in sorted(mesh.components, key=lambda c: c.id)]
    assert material_names == list(mesh.material_names)
    xc, yc, zc = mesh.centers()
    zz, yy, xx = np.meshgrid(zc, yc, xc, indexing="ij")
    seen = 0
    for i, name in enumerate(component_names):
        cells = component == i
        if not cells.any():
            continue  # painted over everywhere
        seen += 1
        mat, (x0, x1, y0, y1, z0, z1) = declared[name]
        # 1 nm: the snap of the geometry, far below any cell
        inside = ((xx >= x0 - 1e-9) & (xx <= x1 + 1e-9) & (yy >= y0 - 1e-9) & (yy <= y1 + 1e-9)
                  & (zz >= z0 - 1e-9) & (zz <= z1 + 1e-9))
        assert inside[cells].all(), name
        assert {material_names[m] for m in np.unique(material[cells])} == {mat}, name
    assert seen >= 3  # the die, its blocks, the TIM and the lid are visible


def _information(root, table: str) -> list[str]:
    info = root.findall(f"Domain/Information[@Name='{table}']")
    assert len(info) == 1, table
    rows = {int(i.get("Name")): i.get("Value") for i in info[0].findall("Information")}
    assert sorted(rows) == list(range(len(rows)))
    return [rows[i] for i in range(len(rows))]


def test_xdmf_names_map_back_to_the_ids(shipped):
    pkg, r, path = shipped
    root = ET.parse(path.with_suffix(".xdmf")).getroot()
    grid = root.find("Domain/Grid")
    arrays = {}
    with h5py.File(path) as f:
        for key in ("component", "material"):
            fname, dataset = grid.find(f"Attribute[@Name='{key}']/DataItem").text.strip().split(":")
            assert fname == path.name
            arrays[key] = f[dataset][()]
    _check_names(pkg, r.mesh, _information(root, "component_names"), _information(root, "material_names"),
                 arrays["component"], arrays["material"])


def test_xdmf_names_survive_odd_characters_and_are_not_repeated_per_step(tmp_path):
    """A name with XML metacharacters parses back unchanged; a transient lists the tables once."""
    from thermal_cpo.layout import Package
    from thermal_cpo.solve import solve_transient

    odd = 'a&b <"c">'
    pkg = Package.from_dict(dict(
        name="odd", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=1000, max_cell_z=150),
        layers=[dict(name="die", thickness=300, material="silicon",
                     blocks=[dict(name=odd, x=[500, 1500], y=[500, 1500], power=1.0)])],
        boundaries=dict(top=dict(type="convective", h=1e4, T=25.0))))
    path = tmp_path / "odd.h5"
    solve_transient(pkg, t_end=0.01, save_times=[0.005]).save(path)
    root = ET.parse(path.with_suffix(".xdmf")).getroot()
    assert _information(root, "component_names") == ["die", odd]
    assert len(root.findall(".//Information[@Name='component_names']")) == 1


def _vtr_parts(path):
    """The XML head of a .vtr (parsed) and its appended raw data, which is not XML."""
    data = Path(path).read_bytes()
    cut = data.index(b"<AppendedData")
    root = ET.fromstring(data[:cut] + b"</VTKFile>")
    raw = data[data.index(b"_", cut) + 1:]
    return root, raw


def _block(raw: bytes, offset: int) -> bytes:
    size = int(np.frombuffer(raw[offset:offset + 8], dtype="<u8")[0])  # header_type UInt64
    return raw[offset + 8:offset + 8 + size]


def test_vtr_field_data_names_map_back_to_the_ids(shipped, tmp_path):
    pkg, r, path = shipped
    h5 = tmp_path / "dtl.h5"
    shutil.copy(path, h5)
    root, raw = _vtr_parts(export(h5, "vtr"))
    grid = root.find("RectilinearGrid")
    names = {}
    for a in grid.findall("FieldData/Array"):
        assert a.get("type") == "String"
        values = _block(raw, int(a.get("offset"))).split(b"\0")[:-1]  # each NUL-terminated
        assert len(values) == int(a.get("NumberOfTuples"))
        names[a.get("Name")] = [v.decode("utf-8") for v in values]
    nz, ny, nx = r.mesh.shape
    cells = {}
    for a in grid.findall("Piece/CellData/DataArray"):
        if a.get("Name") in ("component", "material"):
            dtype = {"Int32": "<i4", "UInt16": "<u2"}[a.get("type")]
            cells[a.get("Name")] = np.frombuffer(_block(raw, int(a.get("offset"))), dtype=dtype).reshape(nz, ny, nx)
    _check_names(pkg, r.mesh, names["component_names"], names["material_names"],
                 cells["component"], cells["material"])
