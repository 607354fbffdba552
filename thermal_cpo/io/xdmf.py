"""XDMF sidecar for a result file, so ParaView opens the HDF5 fields directly.

The sidecar describes the grid as ``3DRectMesh`` topology with ``VXVYVZ`` geometry (the node
arrays ``/grid/x, /grid/y, /grid/z``) and the per-cell arrays as cell-centred attributes that
point into the ``.h5`` file; no data is copied. A transient is a temporal collection whose step
``i`` points at its own temperature and at the power density applied at its time (the nominal
``/fields/power`` for a file that stored none per step). The id -> name tables of the
``component`` and ``material`` cell arrays travel as ``<Information>`` elements of the domain:
``<Information Name="component_names">`` holding one ``<Information Name="<id>" Value="<name>"/>``
per id. Written to a temporary name, then renamed.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .atomic import atomic
from .header import POWER_STEPS, TEMPERATURE_STEPS, decoded, step_names

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


def _information(names: dict[str, list[str]]) -> str:
    """One ``<Information>`` per table: children named by id, valued by name."""
    out = []
    for table, values in names.items():
        rows = "".join(f'\n      <Information Name="{i}" Value={quoteattr(v)}/>'
                       for i, v in enumerate(values))
        out.append(f"    <Information Name={quoteattr(table)}>{rows}\n    </Information>\n")
    return "".join(out)


def xdmf_text(h5_path, shape, fields: dict[str, tuple[str, object]], steps=None, names=None) -> str:
    """XDMF text: ``shape`` is ``(nz, ny, nx)`` cells, ``fields`` maps an attribute name to
    ``(dataset path in the h5 file, dtype)``, all cell-centred. ``steps`` — a list of
    ``(time in s, fields of that step)`` — makes it a temporal collection (transients); a
    step's fields come first and replace those of ``fields`` of the same name. ``names``: the
    id -> name tables (``{"component_names": [...], "material_names": [...]}``, index = id)."""
    name = Path(h5_path).name  # relative: the pair can be moved together
    if steps is None:
        body = _uniform_grid(name, shape, fields, 4)
    else:
        grids = "\n".join(
            _uniform_grid(name, shape, {**own, **{k: v for k, v in fields.items() if k not in own}},
                          6, time=t, label=f"step {i}")
            for i, (t, own) in enumerate(steps))
        body = f'    <Grid Name="package" GridType="Collection" CollectionType="Temporal">\n{grids}\n    </Grid>'
    return f"""<?xml version="1.0" ?>
<!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
<Xdmf Version="3.0">
  <Domain>
{_information(names or {})}{body}
  </Domain>
</Xdmf>
"""


def write_sidecar(h5_path, shape, fields, steps=None, names=None) -> str:
    """Write ``<name>.xdmf`` beside ``h5_path`` atomically (arguments as :func:`xdmf_text`);
    returns its path."""
    h5_path = Path(h5_path)
    out = h5_path.with_suffix(".xdmf")
    with atomic(out) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(xdmf_text(h5_path, shape, fields, steps, names))
    return str(out)


def describe(h5_path) -> dict:
    """What the sidecar of the result file ``h5_path`` shows, read from the file's datasets
    (not their contents): ``shape`` ``(nz, ny, nx)``, ``fields`` and ``steps`` as
    :func:`xdmf_text` takes them (``steps`` None for a steady result) and ``names``."""
    import h5py

    with h5py.File(h5_path, "r") as f:
        grid = f["grid"]
        fields = {"power": ("/fields/power", f["fields/power"].dtype),
                  "material": ("/grid/material", grid["material"].dtype),
                  "component": ("/grid/component", grid["component"].dtype)}
        names = {"component_names": decoded(grid["component"].attrs.get("names", [])),
                 "material_names": decoded(grid["material"].attrs.get("names", []))}
        temperature = f[TEMPERATURE_STEPS]
        steps = None
        if isinstance(temperature, h5py.Dataset):
            fields = {"temperature": ("/" + TEMPERATURE_STEPS, temperature.dtype), **fields}
        else:
            powers = f[POWER_STEPS] if POWER_STEPS in f else {}
            steps = []
            for n in step_names(temperature):
                own = {"temperature": (f"/{TEMPERATURE_STEPS}/{n}", temperature[n].dtype)}
                if n in powers:
                    own["power"] = (f"/{POWER_STEPS}/{n}", powers[n].dtype)
                steps.append((float(temperature[n].attrs["time"]), own))
        return dict(shape=grid["material"].shape, fields=fields, steps=steps, names=names)


def write_sidecar_of(h5_path) -> str:
    """Write the ParaView sidecar ``<name>.xdmf`` of the result file ``h5_path`` as its
    datasets are (:func:`describe`); returns the sidecar's path."""
    return write_sidecar(h5_path, **describe(h5_path))
