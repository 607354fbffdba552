"""The result file (HDF5; its contents: README, "Results"), written atomically: a temporary name,
then a rename."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import LayoutError
from .atomic import Staged, check_target, signals_held, write_error
from .result_checks import check_finite, check_format_version

FORMAT = "thermal_cpo-result"
FORMAT_VERSION = 1


def _versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for dist in ("numpy", "scipy", "numba", "h5py", "pyamg", "pydantic"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:  # pragma: no cover
            out[dist] = "missing"
    return out


def _str_attr(names):
    import h5py

    return np.array(list(names), dtype=h5py.string_dtype())


def _target(path) -> Path:
    path = Path(path)
    if path.suffix.lower() == ".xdmf":
        raise LayoutError(f"{path}: the result file is HDF5 (give a name such as out.h5); its "
                          ".xdmf sidecar is written beside it", path="output")
    check_target(path)
    return path


def _write_header(f, mesh, command_line):
    """Root attributes (provenance), /input, /grid and /fields/power."""
    from .. import __version__

    pkg = mesh.package
    f.attrs["format"] = FORMAT
    f.attrs["format_version"] = FORMAT_VERSION
    f.attrs["created"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    f.attrs["software_version"] = __version__
    f.attrs["command_line"] = command_line if command_line is not None else " ".join(sys.argv)
    for dist, ver in _versions().items():
        f.attrs[f"version_{dist}"] = ver
    g = f.create_group("input")
    g.create_dataset("layout", data=pkg.source_text or "")
    g["layout"].attrs["source"] = pkg.source_path or "python"
    g["layout"].attrs["units"] = "text (TOML as given; bare lengths in the layout's length_unit)"
    g.create_dataset("resolved", data=pkg.to_json())
    g["resolved"].attrs["units"] = "SI (m, W, W/(m*K), m^2*K/W); temperatures degC"
    g = f.create_group("grid")
    for ax in ("x", "y", "z"):
        d = g.create_dataset(ax, data=getattr(mesh, ax))
        d.attrs["units"] = "m"
    d = g.create_dataset("material", data=mesh.material, compression="gzip", compression_opts=4)
    d.attrs["names"] = _str_attr(mesh.material_names)
    d.attrs["units"] = "1"
    d = g.create_dataset("component", data=mesh.component, compression="gzip", compression_opts=4)
    d.attrs["names"] = _str_attr(c.name for c in mesh.components)
    d.attrs["units"] = "1"
    g = f.create_group("fields")
    d = g.create_dataset("power", data=mesh.power_density(), compression="gzip", compression_opts=4)
    d.attrs["units"] = "W/m^3"


def _write_tables(f, result):
    """/components, /solver and, when computed, /crosstalk."""
    import h5py

    rows = result.components
    dt = np.dtype([("name", h5py.string_dtype()), ("power", "f8"), ("T_max", "f8"),
                   ("T_mean", "f8"), ("T_min", "f8"), ("x_max", "f8"), ("y_max", "f8"),
                   ("z_max", "f8"), ("limit", "f8"), ("nominal_power", "f8"), ("T_junction", "f8"),
                   ("T_junction_mean", "f8"), ("T_surface", "f8")])
    table = np.array([(c.name, c.power, c.T_max, c.T_mean, c.T_min, *c.location,
                       np.nan if c.limit is None else c.limit,
                       np.nan if c.nominal is None else c.nominal,
                       *(np.nan if v is None else v for v in (c.T_junction, c.T_junction_mean, c.T_surface)))
                      for c in rows], dtype=dt)
    d = f.create_dataset("components", data=table)
    d.attrs["units"] = ("power, nominal_power W; T_max, T_mean, T_min, limit, T_junction, T_junction_mean "
                        "degC; x_max, y_max, z_max m")
    d.attrs["nominal_power"] = ("the declared power (or a power model's value at its T_ref) where the "
                                "solve changed it; power is the one dissipated; NaN: unchanged")
    if getattr(result, "powers", None) is not None:
        # /powers: the operating point of every temperature-dependent power, one JSON row each
        # (name, component, kind, T degC, power and nominal W, the model's figures in SI units)
        g = f.create_group("powers")
        g.attrs["rows"] = json.dumps(result.powers)
        g.attrs["units"] = "T, T_ref degC; power, nominal, open_loop, max_power, *_W W; *_A A; psi_self K/W"
    s = f.create_group("solver")
    for key, val in result.solver.items():
        s.attrs[key] = json.dumps(val) if isinstance(val, (list, dict)) else (val if val is not None else "none")
    s.attrs["heat_out_by_face"] = json.dumps(result.heat_out)
    probes = getattr(result, "probes", None)
    if probes is not None:
        g = f.create_group("probes")
        g.attrs["components"] = _str_attr(probes["components"])
        g.attrs["point_names"] = _str_attr(probes["point_names"])
        for key, units in (("time", "s"), ("power", "W"), ("T_max", "degC"), ("T_mean", "degC"),
                           ("points", "degC")):
            d = g.create_dataset(key, data=np.asarray(probes[key], dtype=float))
            d.attrs["units"] = units
    study = getattr(result, "convergence", None)
    if study is not None:
        # /convergence: the grid study this result is the finest grid of (levels, cells, and per
        # value fine / medium / coarse / extrapolated degC, observed order, GCI K, status)
        g = f.create_group("convergence")
        g.attrs["table"] = json.dumps(study)
        g.attrs["units"] = ("fine, medium, coarse, extrapolated degC; gci, gci_default, spread K; levels: "
                            "cells per default cell and direction")
    cool = getattr(result, "coolant", None)
    if cool is not None:
        # /coolant: one subgroup per cold plate / cavity; attrs = the report's figures (SI, °C),
        # dataset "temperature" = coolant T per stream, (streams, cells along the flow) inlet → outlet
        g = f.create_group("coolant")
        g.attrs["order"] = _str_attr([row["name"] for row in cool["groups"]])
        g.attrs["units"] = ("flow_rate m^3/s; T_* degC; h, h_eff W/(m^2*K); dP Pa; pumping_power W; "
                            "heat W; mcp W/K; D_h m; u m/s")
        for i, row in enumerate(cool["groups"]):
            sg = g.create_group(f"{i:03d}")
            sg.attrs["figures"] = json.dumps(row)
            d = sg.create_dataset("temperature", data=np.asarray(cool["streams"][row["name"]], dtype=float))
            d.attrs["units"] = "degC"
    xt = getattr(result, "crosstalk", None)
    if xt is not None:
        g = f.create_group("crosstalk")
        g.attrs["sources"] = _str_attr(xt.sources)
        g.attrs["targets"] = _str_attr(xt.targets)
        g.attrs["definition"] = ("psi_mean[i, j] = d(volume-mean T of target i)/dP_j; "
                                 "psi_max[i, j] = largest rise in target i per W of source j")
        g.attrs["stats"] = json.dumps(xt.stats)
        for key in ("psi_mean", "psi_max"):
            d = g.create_dataset(key, data=getattr(xt, key))
            d.attrs["units"] = "K/W"


STEP = "{:06d}"


def _sidecar(path, mesh, times=None):
    from .xdmf import write_sidecar

    fields = {"power": ("/fields/power", np.dtype("float64")),
              "material": ("/grid/material", mesh.material.dtype),
              "component": ("/grid/component", mesh.component.dtype)}
    if times is None:
        fields = {"temperature": ("/fields/temperature", np.dtype("float64")), **fields}
        return write_sidecar(path, mesh.shape, fields)
    steps = [("/fields/temperature/" + STEP.format(i), float(t)) for i, t in enumerate(times)]
    return write_sidecar(path, mesh.shape, fields, steps=steps)


def write_result(result, path, command_line: str | None = None) -> str:
    """Write ``result`` to ``path`` (.h5) and its ParaView sidecar ``.xdmf``; nothing appears at
    either path until that file is complete. A transient result (``result.times`` set) is
    stored as one dataset per step under /fields/temperature with /time, as a run streams it
    (marked incomplete when ``result.complete`` is false)."""
    import h5py

    path = _target(path)
    mesh = result.mesh
    if getattr(result, "times", None) is not None:
        w = TransientWriter(path, mesh, command_line)
        try:
            for t, T in zip(result.times, result.steps):
                w.add(t, T)
        except BaseException:  # unlike an interrupted run, a half-saved result is worth nothing
            w.out.discard()
            raise
        return w.close(result, interrupted=not getattr(result, "complete", True))
    out = Staged(path)
    try:  # signals held until HDF5 is done: a Ctrl-C during the write leaves the earlier file
        with signals_held(), h5py.File(out.sink, "w") as f:
            _write_header(f, mesh, command_line)
            d = f["fields"].create_dataset("temperature", data=result.temperature)
            d.attrs["units"] = "degC"
            _write_tables(f, result)
            f.attrs["complete"] = 1
        out.commit()
    except BaseException as exc:
        out.discard()
        if isinstance(exc, OSError):  # from HDF5 itself, not the file system under it
            raise write_error(path, exc) from exc
        raise
    _sidecar(path, mesh)
    return str(path)


class TransientWriter:
    """Streams a transient run into a result file, one temperature dataset per stored step.

    The file grows under a temporary name; :meth:`close` writes the tables and renames it into
    place with ``complete = 1``. If the run stops early (:meth:`stop`, or any exception inside
    the ``with`` block, Ctrl-C included), the steps stored so far are kept: the file is renamed
    into place with ``complete = 0``, ``interrupted = 1`` and ``t_stop`` (s, the last stored
    time), readable by :func:`read_result`. A failed write (a full disk) removes the file and
    raises a :class:`LayoutError` naming ``path``.
    """

    def __init__(self, path, mesh, command_line: str | None = None):
        import h5py

        self.path = _target(path)
        self.mesh = mesh
        self.times: list[float] = []
        self.out = Staged(self.path)
        try:
            with signals_held():
                self.f = self.out.handle = h5py.File(self.out.sink, "w")
                _write_header(self.f, mesh, command_line)
                self.group = self.f["fields"].create_group("temperature")
                self.group.attrs["units"] = "degC"
                self.time = self.f.create_dataset("time", shape=(0,), maxshape=(None,), dtype="f8")
                self.time.attrs["units"] = "s"
                self.f.attrs["complete"] = 0
        except BaseException:
            self.out.discard()
            raise
        self.out.check()

    def add(self, t: float, temperature: np.ndarray) -> None:
        """Store the field (°C, (nz, ny, nx)) at time ``t`` (s)."""
        if temperature.shape != self.mesh.shape:
            raise ValueError(f"temperature shape {temperature.shape} != grid {self.mesh.shape}")
        with signals_held():
            d = self.group.create_dataset(STEP.format(len(self.times)), data=temperature)
            d.attrs["time"] = float(t)
            d.attrs["units"] = "degC"
            self.times.append(float(t))
            self.time.resize((len(self.times),))
            self.time[-1] = float(t)
            self.f.flush()
        self.out.check()

    def close(self, result=None, interrupted: bool = False) -> str:
        """Finish the file (tables from ``result`` when given) and move it into place."""
        with signals_held():  # a Ctrl-C now would lose a file that is all but written
            try:
                if result is not None:
                    _write_tables(self.f, result)
                self.f.attrs["complete"] = 0 if interrupted else 1
                self.f.attrs["interrupted"] = int(interrupted)
                if self.times:
                    self.f.attrs["t_stop"] = self.times[-1]
                self.f.close()
            except BaseException:
                self.out.discard()
                raise
            self.out.commit()
            _sidecar(self.path, self.mesh, self.times)
        return str(self.path)

    def stop(self, result=None) -> str | None:
        """The run stopped early: keep the steps stored so far (with ``result``'s tables when
        given), marked incomplete; the path, or None when there was nothing to keep."""
        if not self.f.id.valid:
            return None
        if self.times or self.out.sink.error is not None:
            return self.close(result, interrupted=True)
        self.out.discard()
        return None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.f.id.valid:
            self.close() if exc_type is None else self.stop()
        return False


def read_result(path) -> dict:
    """Read a result file: ``mesh``, ``temperature``, ``components`` (list of dicts with the
    fields of :class:`~thermal_cpo.results.ComponentResult`), ``solver``, ``heat_out``."""
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
            return _read_open(f, path)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise LayoutError(f"{path}: incomplete or damaged result file ({type(exc).__name__}: {exc})") from None


def _read_open(f, path) -> dict:
    import h5py

    from ..mesh import Mesh, component_infos
    from ..layout import Package

    pkg = Package.from_dict(json.loads(f["input/resolved"][()].decode() if isinstance(
        f["input/resolved"][()], bytes) else f["input/resolved"][()]))
    text = f["input/layout"][()]
    pkg._source_text = (text.decode() if isinstance(text, bytes) else text) or None
    pkg._source_path = f["input/layout"].attrs.get("source")
    x, y, z = (f["grid"][a][()] for a in ("x", "y", "z"))
    material = f["grid/material"][()]
    component = f["grid/component"][()]
    names = [n.decode() if isinstance(n, bytes) else n for n in f["grid/material"].attrs["names"]]
    vol = np.diff(z)[:, None, None] * np.diff(y)[None, :, None] * np.diff(x)[None, None, :]
    power = f["fields/power"][()] * vol
    times = steps = None
    if isinstance(f["fields/temperature"], h5py.Group):
        g = f["fields/temperature"]
        step_names = sorted(g)
        steps = [check_finite(g[n][()], f"fields/temperature/{n}", path) for n in step_names]
        times = np.array([g[n].attrs["time"] for n in step_names], dtype=float)
        if not steps:
            raise LayoutError(f"{path}: the transient result holds no stored step")
        temperature = steps[-1]
    else:
        temperature = check_finite(f["fields/temperature"][()], "fields/temperature", path)
    mesh = Mesh(x, y, z, material, component, power, tuple(names),
                tuple(pkg.material(n) for n in names), component_infos(pkg, x, y, z), pkg)
    rows = []
    for r in (f["components"][()] if "components" in f else []):
        name = r["name"].decode() if isinstance(r["name"], bytes) else r["name"]
        rows.append(dict(name=name, power=float(r["power"]), T_max=float(r["T_max"]),
                         T_mean=float(r["T_mean"]), T_min=float(r["T_min"]),
                         location=(float(r["x_max"]), float(r["y_max"]), float(r["z_max"])),
                         limit=None if np.isnan(r["limit"]) else float(r["limit"]),
                         nominal=_optional(r, "nominal_power"), T_junction=_optional(r, "T_junction"),
                         T_junction_mean=_optional(r, "T_junction_mean"),
                         T_surface=_optional(r, "T_surface")))
    solver, heat = {}, {}
    if "solver" in f:
        for k, v in f["solver"].attrs.items():
            if k == "heat_out_by_face":
                continue
            v = v.item() if hasattr(v, "item") else v
            if isinstance(v, str) and v[:1] in "[{":
                v = json.loads(v)
            solver[k] = v
        heat = json.loads(f["solver"].attrs.get("heat_out_by_face", "{}"))
    complete = bool(f.attrs.get("complete", 1))
    xt = None
    if "crosstalk" in f:
        g = f["crosstalk"]
        xt = dict(sources=[_s(n) for n in g.attrs["sources"]], targets=[_s(n) for n in g.attrs["targets"]],
                  psi_mean=g["psi_mean"][()], psi_max=g["psi_max"][()],
                  stats=json.loads(g.attrs.get("stats", "{}")))
    probes = None
    if "probes" in f:
        g = f["probes"]
        probes = {key: g[key][()] for key in ("time", "power", "T_max", "T_mean", "points")}
        probes["components"] = [_s(n) for n in g.attrs["components"]]
        probes["point_names"] = [_s(n) for n in g.attrs["point_names"]]
    powers = json.loads(f["powers"].attrs["rows"]) if "powers" in f else None
    study = json.loads(f["convergence"].attrs["table"]) if "convergence" in f else None
    coolant = None
    if "coolant" in f:
        g = f["coolant"]
        groups, streams = [], {}
        for key in sorted(g):
            row = json.loads(g[key].attrs["figures"])
            groups.append(row)
            streams[row["name"]] = g[key]["temperature"][()]
        coolant = {"groups": groups, "streams": streams}
    return dict(mesh=mesh, temperature=temperature, components=rows, solver=solver, heat_out=heat,
                crosstalk=xt, times=times, steps=steps, complete=complete, probes=probes,
                coolant=coolant, powers=powers, convergence=study)


def _optional(row, key: str) -> float | None:
    """A column that older files may lack, NaN meaning none."""
    if key not in row.dtype.names or np.isnan(row[key]):
        return None
    return float(row[key])


def _s(v) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)
