"""What a layout resolves to before any solve: its layers on the grid, components, powers,
boundaries, coolings, grid and memory estimate (``thermal-cpo validate``)."""

from __future__ import annotations

import numpy as np

from ..layout import Package
from ..mesh import Mesh, bytes_per_cell, voxelize
from ..mesh import memory_limit as _memory_limit


def _layers(pkg: Package, mesh: Mesh) -> list[dict]:
    """Per layer, bottom to top: its z range and thickness (m), material, cells across it and
    the smallest cell height in it (m)."""
    rows = []
    for layer, (z0, z1) in zip(pkg.layers, pkg.layer_bounds()):
        # grid lines sit on the layer faces up to round-off: compare just below each face
        k0, k1 = (int(v) for v in np.searchsorted(mesh.z, [z0 - 1e-12, z1 - 1e-12]))
        rows.append({"name": layer.name, "material": layer.material, "z_bottom_m": z0, "z_top_m": z1,
                     "thickness_m": layer.thickness, "cells_z": k1 - k0,
                     "min_dz_m": float(mesh.dz[k0:k1].min())})
    return rows


def _components(mesh: Mesh) -> list[dict]:
    """Per component as voxelized: kind, material, power (W; a power model's value at its T_ref,
    named in ``power_model``), where the power enters (None when unpowered) and volume on the
    grid (m³)."""
    vols = mesh.component_volumes()
    return [{"name": c.name, "kind": c.kind, "material": c.material, "power_W": c.power,
             "power_at": c.power_at if c.power else None, "volume_m3": float(vols[c.id]),
             "power_model": c.power_model.kind if c.power_model is not None else None}
            for c in mesh.components]


def _boundaries(pkg: Package) -> list[dict]:
    """The active faces: kind, film coefficient ``h_W_m2K`` and reference temperature ``T_C``
    (None where the kind has none), the rectangle it covers (``ranges_m``, per axis; empty: the
    whole face) and the condition in one line."""
    rows = []
    for face, bc in pkg.boundaries.items():
        if bc.active:
            ranges = {ax: tuple(r) for ax in "xyz" if (r := getattr(bc, ax)) is not None}
            rows.append({"face": face, "type": bc.type, "h_W_m2K": getattr(bc, "h", None),
                         "T_C": bc.reference_T, "ranges_m": ranges, "condition": bc.describe()})
    return rows


def _coolings(pkg: Package) -> list[dict]:
    """The cold plates on the faces (``resolved`` false: an effective film coefficient, not
    meshed), then the channels resolved in layers (named for their layer): the kind's ``model``,
    its geometry in words (``summary``), channel count, width, wall and height (m; None for a kind
    without channels), flow direction, total flow (m³/s), inlet
    temperature (°C) — None where a loop feeds it — coolant and loop."""
    rows = []
    for cp in pkg.coldplates:
        g = cp.geometry(pkg.footprint)
        rows.append({"name": cp.name, "model": cp.kind, "resolved": False, "face": cp.face,
                     "summary": cp.summary(pkg.footprint), "n_channels": g.get("n_channels"),
                     "channel_width_m": getattr(cp, "channel_width", None), "wall_width_m": g.get("wall_width"),
                     "channel_height_m": getattr(cp, "channel_height", None), "flow_direction": cp.flow_direction,
                     "flow_rate_m3_s": cp.flow_rate, "inlet_T_C": cp.inlet_T, **_feed(pkg, cp.name, cp)})
    for layer in pkg.layers:
        ch = layer.channels
        if ch is not None:
            rows.append({"name": layer.name, "model": ch.kind, "resolved": True, "face": None,
                         "n_channels": len(ch.spans(pkg.footprint)), "channel_width_m": ch.width,
                         "wall_width_m": ch.wall, "channel_height_m": layer.thickness,
                         "flow_direction": ch.direction, "flow_rate_m3_s": ch.flow_rate,
                         "inlet_T_C": ch.inlet_T, **_feed(pkg, layer.name, ch),
                         "edge_walls_m": ch.edge_walls(pkg.footprint)[1:]})
    return rows


def _feed(pkg: Package, name: str, spec) -> dict:
    """The coolant of a cooling and the loop that feeds it (None: its own flow and inlet)."""
    loop = pkg.loop_of(name)
    return {"coolant": loop.coolant if loop else spec.coolant, "loop": loop.name if loop else None}


def _grid(mesh: Mesh) -> dict:
    """Cells per axis, their count and the smallest and largest cell size per axis (m)."""
    nz, ny, nx = mesh.shape
    span = {ax: (float(d.min()), float(d.max())) for ax, d in (("x", mesh.dx), ("y", mesh.dy), ("z", mesh.dz))}
    return {"nx": nx, "ny": ny, "nz": nz, "n_cells": mesh.n_cells,
            "dx_m": span["x"], "dy_m": span["y"], "dz_m": span["z"]}


def describe(pkg: Package, memory_limit=None) -> dict:
    """The resolved facts of a layout, as plain data (SI units, named in the keys): what
    ``thermal-cpo validate`` shows.

    Voxelizes ``pkg`` (refusing, as a solve would, a grid above the memory limit: bytes, or a
    string with units such as ``"8 GB"``; default as in :func:`~thermal_cpo.mesh.memory_limit`).
    Keys: ``name``; ``source`` (the layout file or shipped name, None when built in Python);
    ``layers`` (bottom to top), ``components``, ``boundaries`` (active faces only; the others are
    adiabatic), ``coolings`` (cold plates, then resolved channel layers); ``total_power_W``;
    ``grid`` (cells per axis, ``n_cells``, cell size ranges in m); ``memory_estimate_bytes``
    (peak of a steady solve) and ``memory_limit_bytes``; ``all_adiabatic`` (no face nor coolant
    takes heat away: no steady state exists).
    """
    mesh = voxelize(pkg, memory_limit_bytes=memory_limit)
    boundaries = _boundaries(pkg)
    per_cell = bytes_per_cell(pkg)
    return {
        "name": pkg.name,
        "source": pkg.source_path,
        "layers": _layers(pkg, mesh),
        "components": _components(mesh),
        "boundaries": boundaries,
        "coolings": _coolings(pkg),
        "loops": [{"name": lp.name, "coolant": lp.coolant, "inlet_T_C": lp.inlet_T,
                   "flow_rate_m3_s": lp.flow_rate, "pressure_Pa": lp.pressure,
                   "path": [list(stage) for stage in lp.path]} for lp in pkg.loops],
        "total_power_W": pkg.total_power,
        "grid": _grid(mesh),
        "memory_estimate_bytes": float(mesh.n_cells) * per_cell,
        "memory_limit_bytes": float(_memory_limit(pkg, memory_limit)),
        "all_adiabatic": not boundaries and not pkg.has_coolant,
    }
