"""Export a result to the formats ParaView and VisIt read (DESIGN §8, issue 4).

* ``.vtr``: VTK XML RectilinearGrid, written here without the ``vtk`` package: the node
  coordinates ``x, y, z`` (Float64, m) and, per cell, ``temperature`` (Float64, °C), ``power``
  (Float64, W/m³ — the heat-source density, as ``/fields/power`` in the result file and the
  ``.xdmf`` sidecar), ``material`` (UInt16) and ``component`` (Int32, -1 = none). The ids
  name entries of the string arrays ``material_names`` and ``component_names`` stored as the
  grid's FieldData (ParaView: *Information* panel, or ``GetFieldData()`` in Python), so
  ``component == material_names.index("silicon")``-style thresholds can be set by name.
  Binary, appended raw (``header_type="UInt64"``, little-endian): files of any size, fast.
* ``.vtu``: VTK XML UnstructuredGrid of hexahedra, through meshio (the ``export`` extra), for
  tools that want unstructured meshes; the same four cell arrays. meshio writes no string
  field data, so the id → name tables are those of the ``.vtr`` (or the ``.h5``
  ``/grid/material`` and ``/grid/component`` ``names`` attributes).
* ``.xdmf``: the ParaView sidecar beside the ``.h5`` (:mod:`thermal_cpo.io.xdmf`), rewritten.

Cells are numbered as VTK numbers them: the cell at index ``(k, j, i)`` of the ``(nz, ny, nx)``
arrays is VTK cell ``i + nx*(j + ny*k)`` (x fastest — the C order of the arrays here). Every
file is written to a temporary name in the target directory and renamed when complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from ..errors import LayoutError
from .atomic import atomic

#: Export formats and the suffix of the file each writes.
FORMATS = {"vtr": ".vtr", "vtu": ".vtu", "xdmf": ".xdmf"}

_VTK_TYPE = {np.dtype("<f8"): "Float64", np.dtype("<u2"): "UInt16", np.dtype("<i4"): "Int32",
             np.dtype("<i8"): "Int64", np.dtype("<f4"): "Float32", np.dtype("uint8"): "UInt8"}


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _cell_fields(result) -> dict[str, np.ndarray]:
    """The exported cell arrays, little-endian, C-contiguous ``(nz, ny, nx)``."""
    mesh = result.mesh
    t = np.asarray(result.temperature)
    if t.shape != mesh.shape:
        raise LayoutError(f"cannot export a temperature of shape {t.shape} on a grid of "
                          f"{mesh.shape} cells (only steady results are exported so far)")
    return {
        "temperature": np.ascontiguousarray(t, dtype="<f8"),
        "power": np.ascontiguousarray(mesh.power_density(), dtype="<f8"),
        "material": np.ascontiguousarray(mesh.material, dtype="<u2"),
        "component": np.ascontiguousarray(mesh.component, dtype="<i4"),
    }


def _names(result) -> dict[str, list[str]]:
    mesh = result.mesh
    comps = sorted(mesh.components, key=lambda c: c.id)
    if [c.id for c in comps] != list(range(len(comps))):  # pragma: no cover - ids are 0..n-1
        raise LayoutError("internal: component ids are not 0..n-1")
    return {"material_names": [str(n) for n in mesh.material_names],
            "component_names": [c.name for c in comps]}


# ---------------------------------------------------------------------------------------------
# .vtr
# ---------------------------------------------------------------------------------------------
def write_vtr(result, path) -> str:
    """Write ``result`` as a VTK XML RectilinearGrid (``.vtr``); returns the path written.

    Appended raw binary (UInt64 block headers, little-endian); no ``vtk`` package needed.
    """
    path = Path(path)
    mesh = result.mesh
    nz, ny, nx = mesh.shape
    fields = _cell_fields(result)
    coords = {ax: np.ascontiguousarray(getattr(mesh, ax), dtype="<f8") for ax in ("x", "y", "z")}
    names = _names(result)
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


# ---------------------------------------------------------------------------------------------
# .vtu (meshio)
# ---------------------------------------------------------------------------------------------
def hexahedra(x, y, z) -> tuple[np.ndarray, np.ndarray]:
    """Points ``(N, 3)`` and VTK-ordered hexahedron connectivity ``(nx*ny*nz, 8)`` of the
    rectilinear grid with node coordinates ``x, y, z``; point ``(i, j, k)`` is number
    ``i + (nx+1)*(j + (ny+1)*k)`` and cells are in the order of the ``(nz, ny, nx)`` arrays."""
    x, y, z = (np.asarray(a, dtype=float) for a in (x, y, z))
    nx, ny, nz = len(x) - 1, len(y) - 1, len(z) - 1
    zz, yy, xx = np.meshgrid(z, y, x, indexing="ij")
    points = np.column_stack([xx.ravel(), yy.ravel(), zz.ravel()])
    px, pxy = nx + 1, (nx + 1) * (ny + 1)
    k, j, i = np.meshgrid(np.arange(nz, dtype=np.int64), np.arange(ny, dtype=np.int64),
                          np.arange(nx, dtype=np.int64), indexing="ij")
    base = (i + px * (j + (ny + 1) * k)).ravel()
    corner = np.array([0, 1, 1 + px, px, pxy, pxy + 1, pxy + 1 + px, pxy + px], dtype=np.int64)
    return points, base[:, None] + corner[None, :]


def write_vtu(result, path) -> str:
    """Write ``result`` as a VTK XML UnstructuredGrid of hexahedra (``.vtu``) through meshio
    (``pip install thermal_cpo[export]``); returns the path written."""
    try:
        import meshio
    except ImportError:
        raise LayoutError("writing .vtu needs meshio: pip install thermal_cpo[export]") from None
    path = Path(path)
    mesh = result.mesh
    fields = _cell_fields(result)
    points, cells = hexahedra(mesh.x, mesh.y, mesh.z)
    m = meshio.Mesh(points, [("hexahedron", cells)],
                    cell_data={key: [data.reshape(-1)] for key, data in fields.items()})
    with atomic(path) as tmp:
        meshio.write(tmp, m, file_format="vtu", binary=True, compression="zlib", header_type="UInt64")
    return str(path)


# ---------------------------------------------------------------------------------------------
# .xdmf and the entry point
# ---------------------------------------------------------------------------------------------
def write_xdmf(h5_path, result) -> str:
    """Rewrite the ParaView sidecar ``<name>.xdmf`` beside the result file ``h5_path``."""
    from .xdmf import write_sidecar

    mesh = result.mesh
    return write_sidecar(h5_path, mesh.shape, {
        "temperature": ("/fields/temperature", np.asarray(result.temperature).dtype),
        "power": ("/fields/power", np.dtype("float64")),
        "material": ("/grid/material", mesh.material.dtype),
        "component": ("/grid/component", mesh.component.dtype),
    })


def _format(fmt) -> str:
    from ..errors import nearest

    key = str(fmt).strip().lower().lstrip(".")
    if key in FORMATS:
        return key
    hits = nearest(key, list(FORMATS))
    if key.startswith("vt") or key == "paraview":  # .vtk, .vts, .vti: the structured one first
        hits = ["vtr"] + [h for h in hits if h != "vtr"]
    hint = f"; did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""
    raise LayoutError(f"unknown export format {fmt!r}{hint} (formats: {', '.join(FORMATS)})",
                      path="--format")


def export(h5_path, fmt: str, out=None) -> str:
    """Read the result file ``h5_path`` and write it as ``fmt`` (``"vtr"``, ``"vtu"`` or
    ``"xdmf"``) to ``out`` (default: beside ``h5_path`` with the format's suffix); returns the
    path written. The ``.xdmf`` sidecar always lies beside its ``.h5`` (it names it relatively)."""
    from ..results import load_result

    fmt = _format(fmt)
    h5_path = Path(h5_path)
    default = h5_path.with_suffix(FORMATS[fmt])
    target = Path(out) if out is not None else default
    if fmt == "xdmf" and out is not None and os.path.abspath(target) != os.path.abspath(default):
        raise LayoutError(f"{target}: the .xdmf sidecar is always written beside its result file, "
                          f"as {default}; leave out -o/--output", path="output")
    if target.exists() and h5_path.exists() and os.path.samefile(target, h5_path):
        raise LayoutError(f"{target}: that is the result file itself; choose another output name",
                          path="output")
    result = load_result(h5_path)
    if fmt == "vtr":
        return write_vtr(result, target)
    if fmt == "vtu":
        return write_vtu(result, target)
    return write_xdmf(h5_path, result)
