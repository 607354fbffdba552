"""``.vtu``: VTK XML UnstructuredGrid of hexahedra, written through meshio (the ``export`` extra).

For tools that want unstructured meshes; the same four cell arrays as the ``.vtr``
(``temperature`` °C, ``power`` W/m³, ``material``, ``component``). meshio's VTU writer drops
``field_data``, and a VTK string array added to the file's FieldData would make meshio's own
reader refuse it (it reads numeric arrays only), so the id → name tables are those of the
``.vtr`` and ``.xdmf`` (or the ``.h5`` ``/grid/material`` and ``/grid/component`` ``names``
attributes). Cells follow the VTK numbering of :mod:`thermal_cpo.io.cells`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import LayoutError
from ..atomic import atomic
from ..cells import cell_fields
from ..registry import register_format


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
    (``pip install thermal_cpo[export]``); returns the path written. ``result``: any object
    with ``mesh`` and ``temperature`` (``(nz, ny, nx)``, °C)."""
    try:
        import meshio
    except ImportError:
        raise LayoutError("writing .vtu needs meshio: pip install thermal_cpo[export]") from None
    path = Path(path)
    mesh = result.mesh
    fields = cell_fields(result)
    points, cells = hexahedra(mesh.x, mesh.y, mesh.z)
    m = meshio.Mesh(points, [("hexahedron", cells)],
                    cell_data={key: [data.reshape(-1)] for key, data in fields.items()})
    with atomic(path) as tmp:
        meshio.write(tmp, m, file_format="vtu", binary=True, compression="zlib", header_type="UInt64")
    return str(path)


register_format("vtu", suffix=".vtu", writer=write_vtu, needs="meshio",
                description="VTK unstructured grid of hexahedra (XML, zlib; needs meshio)")
