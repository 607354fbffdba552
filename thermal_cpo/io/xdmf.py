"""XDMF sidecar for a result file, so ParaView opens the HDF5 fields directly.

The sidecar describes the grid as ``3DRectMesh`` topology with ``VXVYVZ`` geometry (the node
arrays ``/grid/x, /grid/y, /grid/z``) and the per-cell arrays as cell-centred attributes that
point into the ``.h5`` file; no data is copied. Written to a temporary name, then renamed.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .atomic import atomic

_NUMBER = {"float64": ("Float", 8), "float32": ("Float", 4), "int64": ("Int", 8),
           "int32": ("Int", 4), "int16": ("Int", 2), "int8": ("Char", 1), "uint32": ("UInt", 4),
           "uint16": ("UInt", 2), "uint8": ("UChar", 1)}


def _item(h5name: str, dataset: str, shape, dtype) -> str:
    kind, precision = _NUMBER[str(dtype)]
    dims = " ".join(str(int(s)) for s in shape)
    return (f'<DataItem Dimensions="{dims}" NumberType="{kind}" Precision="{precision}" '
            f'Format="HDF">{escape(f"{h5name}:{dataset}")}</DataItem>')


def _attributes(name, shape, fields, indent) -> str:
    pad = " " * indent
    return "\n".join(
        f'{pad}<Attribute Name={quoteattr(attr)} AttributeType="Scalar" Center="Cell">\n'
        f"{pad}  {_item(name, path, shape, dtype)}\n{pad}</Attribute>"
        for attr, (path, dtype) in fields.items())


def _uniform_grid(name, shape, fields, indent, time=None, label="package") -> str:
    nz, ny, nx = shape
    pad = " " * indent
    when = f'\n{pad}  <Time Value="{time!r}"/>' if time is not None else ""
    return f"""{pad}<Grid Name={quoteattr(label)} GridType="Uniform">{when}
{pad}  <Topology TopologyType="3DRectMesh" Dimensions="{nz + 1} {ny + 1} {nx + 1}"/>
{pad}  <Geometry GeometryType="VXVYVZ">
{pad}    {_item(name, "/grid/x", (nx + 1,), "float64")}
{pad}    {_item(name, "/grid/y", (ny + 1,), "float64")}
{pad}    {_item(name, "/grid/z", (nz + 1,), "float64")}
{pad}  </Geometry>
{_attributes(name, shape, fields, indent + 2)}
{pad}</Grid>"""


def xdmf_text(h5_path, shape, fields: dict[str, tuple[str, object]], steps=None) -> str:
    """XDMF text: ``shape`` is ``(nz, ny, nx)`` cells, ``fields`` maps an attribute name to
    ``(dataset path in the h5 file, dtype)``, all cell-centred. ``steps`` — a list of
    ``(temperature dataset path, time in s)`` — makes it a temporal collection (transients)."""
    name = Path(h5_path).name  # relative: the pair can be moved together
    if steps is None:
        body = _uniform_grid(name, shape, fields, 4)
    else:
        grids = "\n".join(
            _uniform_grid(name, shape, {"temperature": (path, "float64"), **fields}, 6, time=t,
                          label=f"step {i}")
            for i, (path, t) in enumerate(steps))
        body = f'    <Grid Name="package" GridType="Collection" CollectionType="Temporal">\n{grids}\n    </Grid>'
    return f"""<?xml version="1.0" ?>
<!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
<Xdmf Version="3.0">
  <Domain>
{body}
  </Domain>
</Xdmf>
"""


def write_sidecar(h5_path, shape, fields, steps=None) -> str:
    """Write ``<name>.xdmf`` beside ``h5_path`` atomically; returns its path."""
    h5_path = Path(h5_path)
    out = h5_path.with_suffix(".xdmf")
    with atomic(out) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(xdmf_text(h5_path, shape, fields, steps))
    return str(out)
