"""XDMF sidecar for a result file, so ParaView opens the HDF5 fields directly (DESIGN §6).

The sidecar describes the grid as ``3DRectMesh`` topology with ``VXVYVZ`` geometry (the node
arrays ``/grid/x, /grid/y, /grid/z``) and the per-cell arrays as cell-centred attributes that
point into the ``.h5`` file; no data is copied. Written to a temporary name, then renamed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

_NUMBER = {"float64": ("Float", 8), "float32": ("Float", 4), "int32": ("Int", 4),
           "uint16": ("UInt", 2), "int64": ("Int", 8)}


def _item(h5name: str, dataset: str, shape, dtype) -> str:
    kind, precision = _NUMBER[str(dtype)]
    dims = " ".join(str(int(s)) for s in shape)
    return (f'<DataItem Dimensions="{dims}" NumberType="{kind}" Precision="{precision}" '
            f'Format="HDF">{h5name}:{dataset}</DataItem>')


def xdmf_text(h5_path, shape, fields: dict[str, tuple[str, object]]) -> str:
    """XDMF text for a steady result: ``shape`` is ``(nz, ny, nx)`` cells, ``fields`` maps an
    attribute name to ``(dataset path in the h5 file, dtype)``; all cell-centred."""
    nz, ny, nx = shape
    name = Path(h5_path).name  # relative: the pair can be moved together
    attrs = "\n".join(
        f'      <Attribute Name={quoteattr(attr)} AttributeType="Scalar" Center="Cell">\n'
        f"        {_item(name, path, shape, dtype)}\n      </Attribute>"
        for attr, (path, dtype) in fields.items())
    return f"""<?xml version="1.0" ?>
<!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
<Xdmf Version="3.0">
  <Domain>
    <Grid Name="package" GridType="Uniform">
      <Topology TopologyType="3DRectMesh" Dimensions="{nz + 1} {ny + 1} {nx + 1}"/>
      <Geometry GeometryType="VXVYVZ">
        {_item(name, "/grid/x", (nx + 1,), "float64")}
        {_item(name, "/grid/y", (ny + 1,), "float64")}
        {_item(name, "/grid/z", (nz + 1,), "float64")}
      </Geometry>
{attrs}
    </Grid>
  </Domain>
</Xdmf>
"""


def write_sidecar(h5_path, shape, fields) -> str:
    """Write ``<name>.xdmf`` beside ``h5_path`` atomically; returns its path."""
    h5_path = Path(h5_path)
    out = h5_path.with_suffix(".xdmf")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(xdmf_text(h5_path, shape, fields))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return str(out)
