"""``.vtr``: VTK XML RectilinearGrid, written without the ``vtk`` package.

The file holds the node coordinates ``x, y, z`` (Float64, m) and, per cell, ``temperature``
(Float64, °C; a transient's last stored step), ``power`` (Float64, W/m³ — the heat-source
density: for a transient, the one applied at that step, ``/fields/step_power`` in the result
file, else the nominal ``/fields/power``), ``material`` (UInt16) and ``component`` (Int32,
-1 = none). The ids name entries of the string arrays ``material_names`` and ``component_names``
stored as the grid's FieldData (ParaView: *Information* panel, or ``GetFieldData()`` in
Python), so ``component == material_names.index("silicon")``-style thresholds can be set by
name. Binary, appended raw (``header_type="UInt64"``, little-endian): files of any size, fast.
Cells follow the VTK numbering of :mod:`thermal_cpo.io.cells`.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from ..atomic import atomic
from ..cells import cell_fields, name_tables
from ..registry import register_format

_VTK_TYPE = {np.dtype("<f8"): "Float64", np.dtype("<u2"): "UInt16", np.dtype("<i4"): "Int32",
             np.dtype("<i8"): "Int64", np.dtype("<f4"): "Float32", np.dtype("uint8"): "UInt8"}


def write_vtr(result, path) -> str:
    """Write ``result`` as a VTK XML RectilinearGrid (``.vtr``); returns the path written.

    ``result``: any object with ``mesh`` and ``temperature`` (``(nz, ny, nx)``, °C).
    Appended raw binary (UInt64 block headers, little-endian); no ``vtk`` package needed.
    """
    path = Path(path)
    mesh = result.mesh
    nz, ny, nx = mesh.shape
    fields = cell_fields(result)
    coords = {ax: np.ascontiguousarray(getattr(mesh, ax), dtype="<f8") for ax in ("x", "y", "z")}
    names = name_tables(result)
    strings = {key: b"".join(n.encode("utf-8") + b"\0" for n in vals)
               for key, vals in names.items() if vals}

    blocks: list[bytes | np.ndarray] = []
    offset = 0

    def appended(data) -> int:
        nonlocal offset
        at = offset
        blocks.append(data)
        offset += 8 + (data.nbytes if isinstance(data, np.ndarray) else len(data))
        return at

    ext = f"0 {nx} 0 {ny} 0 {nz}"
    lines = ['<?xml version="1.0"?>',
             "<!-- thermal_cpo result. Cell arrays: temperature [degC], power [W/m^3] (heat-source "
             "density), material (id into FieldData material_names), component (id into FieldData "
             "component_names; -1 = none). Coordinates in m. -->",
             '<VTKFile type="RectilinearGrid" version="1.0" byte_order="LittleEndian" '
             'header_type="UInt64">',
             f'  <RectilinearGrid WholeExtent="{ext}">',
             "    <FieldData>"]
    for key, data in strings.items():
        lines.append(f'      <Array type="String" Name={quoteattr(key)} NumberOfTuples="{len(names[key])}" '
                     f'format="appended" offset="{appended(data)}"/>')
    lines += ["    </FieldData>",
              f'    <Piece Extent="{ext}">',
              "      <PointData>",
              "      </PointData>",
              '      <CellData Scalars="temperature">']
    for key, data in fields.items():
        lines.append(f'        <DataArray type="{_VTK_TYPE[data.dtype]}" Name="{key}" '
                     f'NumberOfComponents="1" format="appended" offset="{appended(data)}"/>')
    lines += ["      </CellData>", "      <Coordinates>"]
    for key, data in coords.items():
        lines.append(f'        <DataArray type="Float64" Name="{key}" NumberOfComponents="1" '
                     f'format="appended" offset="{appended(data)}"/>')
    lines += ["      </Coordinates>", "    </Piece>", "  </RectilinearGrid>",
              '  <AppendedData encoding="raw">']
    head = ("\n".join(lines) + "\n   _").encode("utf-8")

    with atomic(path) as tmp, open(tmp, "wb") as fh:
        fh.write(head)
        for data in blocks:
            size = data.nbytes if isinstance(data, np.ndarray) else len(data)
            fh.write(np.uint64(size).astype("<u8").tobytes())
            fh.write(memoryview(data.reshape(-1)) if isinstance(data, np.ndarray) else data)
        fh.write(b"\n  </AppendedData>\n</VTKFile>\n")
    return str(path)


# Suggested first for the other VTK names (.vtk, .vts, .vti) and for "paraview": the
# structured grid is what those users most likely want.
register_format("vtr", suffix=".vtr", writer=write_vtr, needs=None,
                description="VTK rectilinear grid (XML, appended binary; no extra package)",
                suggest_for=("vt*", "paraview"))
