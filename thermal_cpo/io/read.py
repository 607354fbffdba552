"""Reading a result file back: the mesh, the temperature field(s), the power density applied at
each stored step of a transient, and the tables. Every dataset read is checked against its
``checksum`` (files written before checksums are read unchecked); a damaged or foreign file is
a :class:`~thermal_cpo.errors.LayoutError` naming it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..errors import LayoutError
from .checksum import read
from .header import FORMAT, FORMAT_VERSION, POWER_STEPS, TEMPERATURE_STEPS, decoded, step_names
from .result_checks import check_finite, check_format_version
from .tables import read_components, read_extras, read_solver


def read_result(path, step_power: bool = False) -> dict:
    """Read a result file: ``mesh``, ``temperature`` (degC, ``(nz, ny, nx)``; a transient's last
    stored step), ``components`` (list of dicts with the fields of
    :class:`~thermal_cpo.results.ComponentResult`), ``solver``, ``heat_out``, ``times`` (s) and
    ``steps`` (degC, one ``(nz, ny, nx)`` field per time; both None for a steady result),
    ``complete``, ``probes``, ``coolant``, ``powers``, ``convergence`` and ``crosstalk``.

    ``step_power=True`` adds ``step_power``: the power density applied at each stored step
    (W/m^3, one ``(nz, ny, nx)`` array per time, in the order of ``steps``; steps that hold
    the same power share one array), the nominal ``/fields/power`` for a step of a file that
    stored none; None for a steady result.

    Every dataset read is checked against its checksum: a mismatch is a :class:`LayoutError`
    saying the file is corrupted and naming the dataset."""
    import h5py

    path = Path(path)
    try:
        f = h5py.File(path, "r")
    except FileNotFoundError:
        raise LayoutError(f"{path}: no such result file") from None
    except OSError as exc:
        raise LayoutError(f"{path}: not a readable HDF5 result file ({exc})") from None
    with f:
        if f.attrs.get("format") != FORMAT:
            raise LayoutError(f"{path}: not a thermal_cpo result file (format attribute missing)")
        check_format_version(f.attrs.get("format_version"), FORMAT_VERSION, path)
        try:
            data = _read_open(f, path)
            if step_power:
                data["step_power"] = _step_powers(f, path, data["times"])
            return data
        except (KeyError, ValueError, TypeError, IndexError, OSError) as exc:
            if isinstance(exc, LayoutError):
                raise
            raise LayoutError(f"{path}: incomplete or damaged result file ({type(exc).__name__}: {exc})") from None


def _text(f, name: str, path) -> str:
    v = read(f, name, path)
    return v.decode() if isinstance(v, bytes) else str(v)


def _mesh(f, path):
    """The mesh as written: its package from /input/resolved, node coordinates (m), ids and
    the nominal cell powers (W, ``(nz, ny, nx)``, from /fields/power in W/m^3)."""
    from ..layout import Package
    from ..mesh import Mesh, component_infos

    pkg = Package.from_dict(json.loads(_text(f, "input/resolved", path)))
    pkg._source_text = _text(f, "input/layout", path) or None
    pkg._source_path = f["input/layout"].attrs.get("source")
    x, y, z = (read(f, f"grid/{a}", path) for a in ("x", "y", "z"))
    material = read(f, "grid/material", path)
    component = read(f, "grid/component", path)
    names = decoded(f["grid/material"].attrs["names"])
    vol = np.diff(z)[:, None, None] * np.diff(y)[None, :, None] * np.diff(x)[None, None, :]
    power = read(f, "fields/power", path) * vol
    return Mesh(x, y, z, material, component, power, tuple(names),
                tuple(pkg.material(n) for n in names), component_infos(pkg, x, y, z), pkg)


def _temperatures(f, path):
    """``(temperature, times, steps)``: degC fields, checked finite; times in s."""
    import h5py

    if not isinstance(f[TEMPERATURE_STEPS], h5py.Group):
        return check_finite(read(f, TEMPERATURE_STEPS, path), TEMPERATURE_STEPS, path), None, None
    g = f[TEMPERATURE_STEPS]
    names = step_names(g)
    steps = [check_finite(read(g, n, path), f"{TEMPERATURE_STEPS}/{n}", path) for n in names]
    times = np.array([g[n].attrs["time"] for n in names], dtype=float)
    if not steps:
        raise LayoutError(f"{path}: the transient result holds no stored step")
    # /time is written with the steps: checked, it vouches for their (unchecked) time attributes
    if "time" in f and not np.array_equal(read(f, "time", path), times):
        raise LayoutError(f"{path}: the file is corrupted: /time does not list the times of the "
                          f"stored steps under /{TEMPERATURE_STEPS}")
    return steps[-1], times, steps


def _step_powers(f, path, times) -> list | None:
    """The power density (W/m^3) of each stored step; a dataset linked under several step names
    is read once and its array shared, as is the nominal one standing in for steps without."""
    if times is None:
        return None
    g = f[POWER_STEPS] if POWER_STEPS in f else {}
    nominal = None
    out, seen = [], {}
    for n in step_names(f[TEMPERATURE_STEPS]):
        if n in g:
            key = g[n].id  # one HDF5 object behind every hard link to it
            if key not in seen:
                seen[key] = read(g, n, path)
            out.append(seen[key])
        else:
            if nominal is None:
                nominal = read(f, "fields/power", path)
            out.append(nominal)
    return out


def _read_open(f, path) -> dict:
    mesh = _mesh(f, path)
    temperature, times, steps = _temperatures(f, path)
    solver, heat = read_solver(f)
    return dict(mesh=mesh, temperature=temperature, components=read_components(f, path), solver=solver,
                heat_out=heat, times=times, steps=steps, complete=bool(f.attrs.get("complete", 1)),
                **read_extras(f, path))
