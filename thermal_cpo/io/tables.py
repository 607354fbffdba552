"""The tables of a result file, written after its fields and read back beside them: the
component table, the solver statistics and, when a run computed them, temperature-dependent
powers, probes, a grid-convergence study, coolant streams and crosstalk. Datasets carry
``units`` and ``checksum`` (checked on read); JSON attributes hold the rest."""

from __future__ import annotations

import json

import numpy as np

from .checksum import create, read
from .header import decoded, str_attr

_COLUMNS = (("power", "f8"), ("T_max", "f8"), ("T_mean", "f8"), ("T_min", "f8"), ("x_max", "f8"),
            ("y_max", "f8"), ("z_max", "f8"), ("limit", "f8"), ("nominal_power", "f8"),
            ("T_junction", "f8"), ("T_junction_mean", "f8"), ("T_surface", "f8"))
_PROBES = (("time", "s"), ("power", "W"), ("T_max", "degC"), ("T_mean", "degC"), ("points", "degC"))


def _nan(v) -> float:
    return np.nan if v is None else v


def write_components(f, rows) -> None:
    """/components: one row per component (power W; temperatures degC; location m)."""
    import h5py

    dt = np.dtype([("name", h5py.string_dtype()), *_COLUMNS])
    table = np.array([(c.name, c.power, c.T_max, c.T_mean, c.T_min, *c.location, _nan(c.limit),
                       _nan(c.nominal), _nan(c.T_junction), _nan(c.T_junction_mean), _nan(c.T_surface))
                      for c in rows], dtype=dt)
    d = create(f, "components", table)
    d.attrs["units"] = ("power, nominal_power W; T_max, T_mean, T_min, limit, T_junction, T_junction_mean "
                        "degC; x_max, y_max, z_max m")
    d.attrs["nominal_power"] = ("the declared power (or a power model's value at its T_ref) where the "
                                "solve changed it; power is the one dissipated; NaN: unchanged")


def write_solver(f, result) -> None:
    """/solver: the statistics as attributes (lists and dicts as JSON), and the heat out by face (W)."""
    s = f.create_group("solver")
    for key, val in result.solver.items():
        s.attrs[key] = json.dumps(val) if isinstance(val, (list, dict)) else (val if val is not None else "none")
    s.attrs["heat_out_by_face"] = json.dumps(result.heat_out)


def write_probes(f, probes) -> None:
    """/probes: per step (time along the first axis) the time (s), component powers (W), T_max
    and T_mean (degC) of every component and the probe temperatures (degC)."""
    g = f.create_group("probes")
    g.attrs["components"] = str_attr(probes["components"])
    g.attrs["point_names"] = str_attr(probes["point_names"])
    for key, units in _PROBES:
        create(g, key, np.asarray(probes[key], dtype=float)).attrs["units"] = units


def write_coolant(f, cool) -> None:
    """/coolant: one subgroup per cold plate / cavity; attrs = the report's figures (SI, degC),
    dataset ``temperature`` = coolant T (degC) per stream, (streams, cells along the flow)
    inlet to outlet."""
    g = f.create_group("coolant")
    g.attrs["order"] = str_attr([row["name"] for row in cool["groups"]])
    g.attrs["units"] = ("flow_rate m^3/s; T_* degC; h, h_eff W/(m^2*K); dP Pa; pumping_power W; "
                        "heat W; mcp W/K; D_h m; u m/s")
    if cool.get("loops"):
        g.attrs["loops"] = json.dumps(cool["loops"])  # per loop: flow, mass_flow kg/s, dP, stages
    for i, row in enumerate(cool["groups"]):
        sg = g.create_group(f"{i:03d}")
        sg.attrs["figures"] = json.dumps(row)
        data = np.asarray(cool["streams"][row["name"]], dtype=float)
        create(sg, "temperature", data).attrs["units"] = "degC"


def write_crosstalk(f, xt) -> None:
    """/crosstalk: the thermal-resistance matrices psi_mean and psi_max (K/W, targets x sources)."""
    g = f.create_group("crosstalk")
    g.attrs["sources"] = str_attr(xt.sources)
    g.attrs["targets"] = str_attr(xt.targets)
    g.attrs["definition"] = ("psi_mean[i, j] = d(volume-mean T of target i)/dP_j; "
                             "psi_max[i, j] = largest rise in target i per W of source j")
    g.attrs["stats"] = json.dumps(xt.stats)
    for key in ("psi_mean", "psi_max"):
        create(g, key, getattr(xt, key)).attrs["units"] = "K/W"


def write_tables(f, result) -> None:
    """/components, /solver and, when the result has them, /powers, /probes, /convergence,
    /coolant and /crosstalk."""
    write_components(f, result.components)
    if getattr(result, "powers", None) is not None:
        # /powers: the operating point of every temperature-dependent power, one JSON row each
        # (name, component, kind, T degC, power and nominal W, the model's figures in SI units)
        g = f.create_group("powers")
        g.attrs["rows"] = json.dumps(result.powers)
        g.attrs["units"] = "T, T_ref degC; power, nominal, open_loop, max_power, *_W W; *_A A; psi_self K/W"
    write_solver(f, result)
    if getattr(result, "probes", None) is not None:
        write_probes(f, result.probes)
    study = getattr(result, "convergence", None)
    if study is not None:
        # /convergence: the grid study this result is the finest grid of (levels, cells, and per
        # value fine / medium / coarse / extrapolated degC, observed order, GCI K, status)
        g = f.create_group("convergence")
        g.attrs["table"] = json.dumps(study)
        g.attrs["units"] = ("fine, medium, coarse, extrapolated degC; gci, gci_default, spread K; levels: "
                            "cells per default cell and direction")
    if getattr(result, "coolant", None) is not None:
        write_coolant(f, result.coolant)
    if getattr(result, "crosstalk", None) is not None:
        write_crosstalk(f, result.crosstalk)


def _optional(row, key: str) -> float | None:
    """A column that older files may lack, NaN meaning none."""
    if key not in row.dtype.names or np.isnan(row[key]):
        return None
    return float(row[key])


def read_components(f, path) -> list[dict]:
    """The component table as dicts with the fields of ``ComponentResult`` (W, degC, m)."""
    rows = []
    for r in (read(f, "components", path) if "components" in f else []):
        rows.append(dict(name=decoded([r["name"]])[0], power=float(r["power"]), T_max=float(r["T_max"]),
                         T_mean=float(r["T_mean"]), T_min=float(r["T_min"]),
                         location=(float(r["x_max"]), float(r["y_max"]), float(r["z_max"])),
                         limit=None if np.isnan(r["limit"]) else float(r["limit"]),
                         nominal=_optional(r, "nominal_power"), T_junction=_optional(r, "T_junction"),
                         T_junction_mean=_optional(r, "T_junction_mean"),
                         T_surface=_optional(r, "T_surface")))
    return rows


def read_solver(f) -> tuple[dict, dict]:
    """The solver statistics and the heat out by face (W); empty where the file has none."""
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
    return solver, heat


def read_extras(f, path) -> dict:
    """``crosstalk``, ``probes``, ``powers``, ``convergence`` and ``coolant``, each None where the
    file has none; arrays in the units they were written in (see the writers above)."""
    xt = probes = coolant = None
    if "crosstalk" in f:
        g = f["crosstalk"]
        xt = dict(sources=decoded(g.attrs["sources"]), targets=decoded(g.attrs["targets"]),
                  psi_mean=read(g, "psi_mean", path), psi_max=read(g, "psi_max", path),
                  stats=json.loads(g.attrs.get("stats", "{}")))
    if "probes" in f:
        g = f["probes"]
        probes = {key: read(g, key, path) for key, _ in _PROBES}
        probes["components"] = decoded(g.attrs["components"])
        probes["point_names"] = decoded(g.attrs["point_names"])
    if "coolant" in f:
        g = f["coolant"]
        groups, streams = [], {}
        for key in sorted(g):
            row = json.loads(g[key].attrs["figures"])
            groups.append(row)
            streams[row["name"]] = read(g[key], "temperature", path)
        coolant = {"groups": groups, "streams": streams}
        if "loops" in g.attrs:
            coolant["loops"] = json.loads(g.attrs["loops"])
    return dict(crosstalk=xt, probes=probes, coolant=coolant,
                powers=json.loads(f["powers"].attrs["rows"]) if "powers" in f else None,
                convergence=json.loads(f["convergence"].attrs["table"]) if "convergence" in f else None)
