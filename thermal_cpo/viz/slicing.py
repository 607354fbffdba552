"""Which part of a result a plot draws: the temperature field, the cell rows of each layer, and
the cell layer of a layer map or the cut of a vertical section.

The helpers take the result (and through it the field) so that the steady and the transient
plots slice the same way. Lengths are in m; fields are ``(nz, ny, nx)`` in °C.
"""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError, did_you_mean
from ..units import format_length


def _field(result) -> np.ndarray:
    """The temperature field ``(nz, ny, nx)`` in °C to draw (a steady result's only field)."""
    T = np.asarray(result.temperature)
    if T.ndim != 3:
        raise LayoutError(f"expected a steady temperature field (nz, ny, nx), got shape {T.shape}")
    return T


def _when(result) -> str:
    """``", t = 0.25 s"`` for the field of a transient result, else ``""``."""
    times, steps = getattr(result, "times", None), getattr(result, "steps", None)
    if times is None or not len(times) or not steps:
        return ""
    last = steps[-1]
    if last is result.temperature or np.array_equal(np.asarray(last), result.temperature):
        return f", t = {float(times[-1]):.4g} s"
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


def _resolve_k(result, layer=None, z=None) -> tuple[int, str]:
    """The cell layer ``k`` to map and a description of where it is."""
    mesh = result.mesh
    zc = 0.5 * (mesh.z[1:] + mesh.z[:-1])
    if layer is not None and z is not None:
        raise LayoutError("give either a layer name or a height z, not both")
    if layer is None and z is None:
        k = int(np.unravel_index(np.argmax(_field(result)), mesh.shape)[0])
        return k, f"hottest cell layer, in {_layer_of_row(result, k)}"
    if z is not None:
        z = float(z)
        H = float(mesh.z[-1])
        if not np.isfinite(z) or z < mesh.z[0] - 1e-12 or z > H + 1e-12:
            raise LayoutError(f"z = {format_length(z)} is outside the package, which spans z = 0 – "
                              f"{format_length(H)} ({H * 1e6:.6g} µm)")
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


def _resolve_cut(result, x=None, y=None) -> tuple[str, int, float]:
    """``(axis, index, coordinate)`` of a vertical cut: axis ``"y"`` (a y = const cut, drawn along
    x) or ``"x"`` (an x = const cut, drawn along y)."""
    mesh = result.mesh
    if x is not None and y is not None:
        raise LayoutError("give either x (an x = const cut) or y (a y = const cut), not both")
    if x is None and y is None:  # default: along x through the hottest cell
        _, j, _ = np.unravel_index(np.argmax(_field(result)), mesh.shape)
        return "y", int(j), float(0.5 * (mesh.y[j] + mesh.y[j + 1]))
    axis, v = ("x", x) if x is not None else ("y", y)
    nodes = getattr(mesh, axis)
    v = float(v)
    if not np.isfinite(v) or v < nodes[0] - 1e-12 or v > nodes[-1] + 1e-12:
        raise LayoutError(f"{axis} = {format_length(v)} is outside the package, whose footprint "
                          f"spans {axis} = 0 – {format_length(nodes[-1])} ({nodes[-1] * 1e6:.6g} µm)")
    idx = _cell_index(nodes, v)
    return axis, idx, v
