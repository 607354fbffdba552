"""What every result file holds before its fields: the format marks, the provenance, the input
and the grid (with the nominal power density), and the names of the datasets a transient adds
step by step. Shared by the steady writer (:mod:`.hdf5`), the transient writer
(:mod:`.transient_writer`), the reader (:mod:`.read`) and the sidecar (:mod:`.xdmf`)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import LayoutError
from .atomic import check_target
from .checksum import create

FORMAT = "thermal_cpo-result"
FORMAT_VERSION = 1
#: name of a transient's stored step ``i`` under /fields/temperature and /fields/step_power
STEP = "{:06d}"
#: a transient's temperature steps (degC) and the power density applied at each (W/m^3)
TEMPERATURE_STEPS = "fields/temperature"
POWER_STEPS = "fields/step_power"
#: cell arrays are compressed where they repeat a few values (ids, power maps): gzip level 4
COMPRESSED = dict(compression="gzip", compression_opts=4)


def versions() -> dict[str, str]:
    """The versions of the libraries a result depends on, by distribution name."""
    import importlib.metadata as md

    out = {}
    for dist in ("numpy", "scipy", "numba", "h5py", "pyamg", "pydantic"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:  # pragma: no cover
            out[dist] = "missing"
    return out


def str_attr(names):
    """``names`` as an HDF5 array of variable-length UTF-8 strings (for an attribute)."""
    import h5py

    return np.array(list(names), dtype=h5py.string_dtype())


def decoded(names) -> list[str]:
    """An attribute's strings as ``str`` (h5py hands variable-length strings back as bytes)."""
    return [n.decode() if isinstance(n, bytes) else str(n) for n in names]


def target(path) -> Path:
    """The result file's path, refused (:class:`LayoutError`) when it names the sidecar or
    cannot be written."""
    path = Path(path)
    if path.suffix.lower() == ".xdmf":
        raise LayoutError(f"{path}: the result file is HDF5 (give a name such as out.h5); its "
                          ".xdmf sidecar is written beside it", path="output")
    check_target(path)
    return path


def step_names(group) -> list[str]:
    """The stored steps of a transient group in time order: names of :data:`STEP` digits,
    shorter first, so that a run past a million steps still sorts."""
    return sorted(group, key=lambda n: (len(n), n))


def write_header(f, mesh, command_line: str | None, versions_used: dict[str, str] | None = None) -> None:
    """Root attributes (provenance), /input, /grid and the nominal /fields/power of ``mesh``.

    /grid/x, y, z: node coordinates (m, lengths nx+1, ny+1, nz+1); /grid/material (uint16) and
    /grid/component (int32, -1 = none): ``(nz, ny, nx)`` ids, their names in the ``names``
    attribute by id; /fields/power: the declared power density (W/m^3, ``(nz, ny, nx)``).
    Every dataset carries ``units`` and ``checksum``. ``versions_used``: the provenance
    versions (default :func:`versions`)."""
    from .. import __version__

    pkg = mesh.package
    f.attrs["format"] = FORMAT
    f.attrs["format_version"] = FORMAT_VERSION
    f.attrs["created"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    f.attrs["software_version"] = __version__
    f.attrs["command_line"] = command_line if command_line is not None else " ".join(sys.argv)
    for dist, ver in (versions() if versions_used is None else versions_used).items():
        f.attrs[f"version_{dist}"] = ver
    g = f.create_group("input")
    d = create(g, "layout", pkg.source_text or "")
    d.attrs["source"] = pkg.source_path or "python"
    d.attrs["units"] = "text (TOML as given; bare lengths in the layout's length_unit)"
    d = create(g, "resolved", pkg.to_json())
    d.attrs["units"] = "SI (m, W, W/(m*K), m^2*K/W); temperatures degC"
    g = f.create_group("grid")
    for ax in ("x", "y", "z"):
        create(g, ax, getattr(mesh, ax)).attrs["units"] = "m"
    d = create(g, "material", mesh.material, **COMPRESSED)
    d.attrs["names"] = str_attr(mesh.material_names)
    d.attrs["units"] = "1"
    d = create(g, "component", mesh.component, **COMPRESSED)
    d.attrs["names"] = str_attr(c.name for c in mesh.components)
    d.attrs["units"] = "1"
    g = f.create_group("fields")
    create(g, "power", mesh.power_density(), **COMPRESSED).attrs["units"] = "W/m^3"
