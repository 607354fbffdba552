"""Vertical section: the temperature ``T(x, z)`` or ``T(y, z)`` with z drawn one row per cell
layer, so that µm films under mm layers stay visible."""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError
from ..units import format_length
from . import inputs
from .common import CMAP, _cmap, _color_limits, _fmt_mm, _new_axes
from .labels import _layer_ticks, _outline, _place_labels, _power_first
from .slicing import _field, _layer_rows, _resolve_cut, _when


def plot_section(result, x=None, y=None, ax=None, components=True, cmap=CMAP, vmin=None,
                 vmax=None, at=None):
    """Vertical section of the temperature (°C); returns the matplotlib Figure.

    ``result``: a Result whose ``temperature`` is ``(nz, ny, nx)`` in °C. ``y``: cut at
    y = const, drawn along x (the slice ``temperature[:, j, :]``); ``x``: cut at x = const,
    drawn along y (``temperature[:, :, i]``); the cell containing the coordinate, bare in µm or
    a string with units (``7300`` or ``"7.3 mm"``). Neither: a y cut through the hottest cell.
    The lateral axis is in real mm; z is drawn one row per cell layer (not to scale), so every
    µm film stays visible, and the layers are named on the vertical axis (with their thickness)
    and separated by thin lines. ``at``: for a transient result, the time of the field drawn
    (bare s or with units; the nearest stored step, named in the title; default the last).
    ``ax``: draw into these axes; default a new free-standing Figure. ``components``: outline
    and name the powered blocks and boxes the cut goes through. ``cmap``, ``vmin``, ``vmax``:
    the colour map and scale (bare °C or with units), as in
    :func:`~thermal_cpo.viz.layer.plot_layer`.
    """
    if x is not None and y is not None:
        raise LayoutError("give either x (an x = const cut) or y (a y = const cut), not both")
    axis = "x" if x is not None else "y" if y is not None else None
    v = inputs.length(x if axis == "x" else y, axis or "y")
    t = inputs.seconds(at, "at")
    return section_figure(result, axis, v, inputs.step_index(result, t),
                          inputs.colour_range(vmin, vmax), ax=ax, components=components,
                          cmap=cmap, at=t, name=axis)


def section_figure(result, axis, v, step, clim, ax=None, components=True, cmap=CMAP, at=None,
                   name=None):
    """:func:`plot_section` with its inputs converted: the cut ``axis`` = ``v`` (m; both None: a
    y cut through the hottest cell), ``step`` the stored step's index (None:
    ``result.temperature``), ``clim`` ``(vmin, vmax)`` in °C (either None), ``at`` the time
    asked for (s); ``name`` names ``v`` in an error."""
    mesh = result.mesh
    T = _field(result, step)
    axis, idx, v = _resolve_cut(result, T, axis, v, name or axis)
    nz = mesh.shape[0]
    if axis == "y":  # y = const: T(z, x)
        sl, lat, other = T[:, idx, :], mesh.x, "x"
        cell0, cell1 = mesh.y[idx], mesh.y[idx + 1]
    else:
        sl, lat, other = T[:, :, idx], mesh.y, "y"
        cell0, cell1 = mesh.x[idx], mesh.x[idx + 1]
    layers = _layer_rows(result)
    height = float(np.clip(1.6 + 0.11 * nz, 4.2, 9.0))
    fig, ax = _new_axes(ax, (10.5, height))
    lm = lat * 1e3
    rows = np.arange(nz + 1)
    lo, hi, extend, note = _color_limits(sl, np.diff(lat)[None, :], *clim)
    qm = ax.pcolormesh(lm, rows, sl, shading="flat", cmap=_cmap(cmap), vmin=lo, vmax=hi, rasterized=True)
    cb = fig.colorbar(qm, ax=ax, pad=0.01, fraction=0.04, extend=extend)
    cb.set_label("temperature [°C]")
    ax.set_xlim(lm[0], lm[-1])
    ax.set_ylim(0, nz)
    ax.set_xlabel(f"{other} [mm]")
    ax.set_ylabel("layer, bottom to top\n(z drawn one row per cell, not to scale)")
    # the cut as given, in µm or mm: a position far smaller than a cell (a value meant in m, read
    # as µm) shows as such
    ax.set_title(f"{result.package.name}{_when(result, step, at)}: vertical section at {axis} = "
                 f"{format_length(v)} (cells {axis} = {_fmt_mm(cell0)} – {_fmt_mm(cell1)}), along {other}\n"
                 f"T = {sl.min():.1f} – {sl.max():.1f} °C{note}", fontsize=10)
    _draw_layers(fig, ax, layers, nz)
    if components:
        _draw_components(fig, ax, mesh, axis, idx)
    return fig


def _draw_layers(fig, ax, layers, nz):
    """Lines between the layers and their names (with thickness) on the vertical axis."""
    for _, k0, _, _, _ in layers[1:]:
        ax.axhline(k0, color="white", linewidth=0.6, alpha=0.7, zorder=3)
    ax.set_yticks([k0 for _, k0, _, _, _ in layers] + [nz], minor=True)
    ax.tick_params(axis="y", which="minor", length=8)
    ax.tick_params(axis="y", which="major", length=0)
    names = [f"{n} ({format_length(z1 - z0)})" for n, _, _, z0, z1 in layers]
    mids = [0.5 * (k0 + k1) for _, k0, k1, _, _ in layers]
    _layer_ticks(fig, ax, mids, names)


def _draw_components(fig, ax, mesh, axis, idx):
    """Outline and name the powered blocks and boxes that the cut ``axis`` = cell ``idx`` crosses."""
    a, b = (2, 3) if axis == "y" else (4, 5)  # the component's index range across the cut
    lat_b = (0, 1) if axis == "y" else (2, 3)  # its bounds along the section
    cut = [c for c in mesh.components if c.kind != "layer" and c.power > 0
           and c.index[a] <= idx < c.index[b] and c.index[0] < c.index[1]]
    items = []
    for c in _power_first(cut, lambda c: (c.bounds[lat_b[1]] - c.bounds[lat_b[0]])
                          * (c.index[1] - c.index[0])):
        a0, a1 = c.bounds[lat_b[0]] * 1e3, c.bounds[lat_b[1]] * 1e3
        _outline(ax, a0, a1, c.index[0], c.index[1], True)
        items.append((c.name, (a0, a1, c.index[0], c.index[1]), False))
    _place_labels(fig, ax, items)
