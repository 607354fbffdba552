"""Which part of a result a plot draws: the temperature field, the cell rows of each layer, and
the cell layer of a layer map or the cut of a vertical section.

The helpers take the result and the field drawn, so that a steady result, a transient's last
step and any stored step slice the same way. Lengths here are in m, already converted from what
the user typed (:mod:`.inputs`); fields are ``(nz, ny, nx)`` in °C.
"""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError, did_you_mean
from ..units import format_length
from .inputs import format_time, within


def _field(result, step: int | None = None) -> np.ndarray:
    """The temperature field ``(nz, ny, nx)`` in °C to draw: stored step ``step`` of a transient
    result, or with None ``result.temperature`` (a steady result's field, a transient's last)."""
    T = np.asarray(result.temperature if step is None else result.steps[step])
    if T.ndim != 3:
        raise LayoutError(f"expected a temperature field (nz, ny, nx), got shape {T.shape}")
    return T


def _when(result, step: int | None = None, at: float | None = None) -> str:
    """``", t = 0.25 s"`` for the field of a transient result, else ``""``. ``step``: the stored
    step drawn (None: the last, ``result.temperature``); ``at``: the time asked for (s), named
    too when the nearest stored step is elsewhere."""
    times, steps = getattr(result, "times", None), getattr(result, "steps", None)
    if times is None or not len(times) or not steps:
        return ""
    if step is not None:
        t = format_time(float(times[step]))
        asked = "" if at is None or format_time(at) == t else f" (the stored step nearest t = {format_time(at)})"
        return f", t = {t}{asked}"
    last = steps[-1]
    if last is result.temperature or np.array_equal(np.asarray(last), result.temperature):
        return f", t = {format_time(float(times[-1]))}"
    return ""  # pragma: no cover - a transient result always carries its last step


def _layer_rows(result) -> list[tuple[str, int, int, float, float]]:
    """``(name, k0, k1, z0, z1)`` of every layer: its cell rows ``k0:k1`` and bounds (m)."""
    z = result.mesh.z
    rows = []
    for layer, (z0, z1) in zip(result.package.layers, result.package.layer_bounds()):
        # a layer's bounds are node heights; the tolerance absorbs their rounding
        k0, k1 = (int(v) for v in np.searchsorted(z, [z0 - 1e-12, z1 - 1e-12]))
        rows.append((layer.name, k0, k1, z0, z1))
    return rows


def _layer_of_row(result, k: int) -> str:
    """The name of the layer holding cell row ``k``."""
    for name, k0, k1, _, _ in _layer_rows(result):
        if k0 <= k < k1:
            return name
    return "?"  # pragma: no cover - the layers tile the stack


def _cell_index(nodes, v) -> int:
    """The cell of a node array containing coordinate ``v`` (the upper one on a grid line)."""
    return int(np.clip(np.searchsorted(nodes, v, side="right") - 1, 0, len(nodes) - 2))


def _resolve_k(result, T, layer=None, z=None) -> tuple[int, str]:
    """The cell layer ``k`` to map and a description of where it is. ``T``: the field drawn
    ``(nz, ny, nx)``, whose hottest cell is the default; ``z``: a height in m (already
    converted), checked against the stack (an error naming ``z``)."""
    mesh = result.mesh
    zc = 0.5 * (mesh.z[1:] + mesh.z[:-1])
    if layer is not None and z is not None:
        raise LayoutError("give either a layer name or a height z, not both")
    if layer is None and z is None:
        k = int(np.unravel_index(np.argmax(T), mesh.shape)[0])
        return k, f"hottest cell layer, in {_layer_of_row(result, k)}"
    if z is not None:
        z = within(mesh.z, float(z), "z", "z")
        k = _cell_index(mesh.z, z)
        return k, f"z = {format_length(z)}, in {_layer_of_row(result, k)}"
    name = str(layer)
    for lname, k0, k1, z0, z1 in _layer_rows(result):
        if lname == name:
            mid = 0.5 * (z0 + z1)
            k = k0 + int(np.argmin(np.abs(zc[k0:k1] - mid)))
            return k, f"layer {name} (z = {format_length(z0)} – {format_length(z1)})"
    for c in mesh.components:  # a block or box: its mid-height
        if c.name == name and c.kind != "layer":
            k0, k1 = c.index[0], c.index[1]
            mid = 0.5 * (c.bounds[4] + c.bounds[5])
            k = k0 + int(np.argmin(np.abs(zc[k0:k1] - mid)))
            return k, f"mid-height of {name}, in {_layer_of_row(result, k)}"
    layers = [lay.name for lay in result.package.layers]
    others = [c.name for c in mesh.components if c.kind != "layer"]
    hint = did_you_mean(name, layers) or did_you_mean(name, others)
    raise LayoutError(f"no layer named {name!r} in {result.package.name}{hint} "
                      f"(layers, bottom to top: {', '.join(layers)})")


def _resolve_cut(result, T, axis: str | None, v: float | None, name: str) -> tuple[str, int, float]:
    """``(axis, index, coordinate)`` of a vertical cut: axis ``"y"`` (a y = const cut, drawn along
    x) or ``"x"`` (an x = const cut, drawn along y). ``v``: the coordinate in m (already
    converted), checked against the footprint, an error naming ``name``; None: a y cut through
    the hottest cell of the field ``T`` ``(nz, ny, nx)``."""
    mesh = result.mesh
    if v is None:
        _, j, _ = np.unravel_index(np.argmax(T), mesh.shape)
        return "y", int(j), float(0.5 * (mesh.y[j] + mesh.y[j + 1]))
    nodes = getattr(mesh, axis)
    v = within(nodes, float(v), axis, name)
    return axis, _cell_index(nodes, v), v
