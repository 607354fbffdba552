"""Layer map: the temperature ``T(x, y)`` of one cell layer on the real node coordinates."""

from __future__ import annotations

import numpy as np

from ..units import format_length
from . import inputs
from .common import CMAP, _cmap, _color_limits, _new_axes
from .labels import _outline, _place_labels, _power_first
from .slicing import _cell_index, _field, _resolve_k, _when


def plot_layer(result, layer=None, z=None, ax=None, components=True, cmap=CMAP, vmin=None,
               vmax=None, at=None):
    """Temperature map ``T(x, y)`` (°C) of one cell layer; returns the matplotlib Figure.

    ``result``: a Result whose ``temperature`` is ``(nz, ny, nx)`` in °C; the map is the row
    ``temperature[k]``, ``(ny, nx)``. ``layer``: a layer name — the cell layer whose centre is
    closest to the layer's mid-height (the name of a block or box also works: its mid-height);
    or ``z``: a height, bare in µm or a string with units (``2500`` or ``"2.5 mm"``; the cell
    layer containing it). Neither: the cell layer holding the hottest cell. ``at``: for a
    transient result, the time of the field drawn, bare in s or a string with units
    (``"2.5 ms"``): the stored step nearest it, named in the title; default the last step.
    ``ax``: draw into these axes (their figure is returned); default a new free-standing Figure.
    ``components``: outline the blocks and boxes cut at that height and name those with room for
    it (powered ones first). Drawn on the real node coordinates in mm with equal aspect.
    ``cmap``: a colour map name or object. ``vmin``, ``vmax``: the colour scale, bare in °C or a
    string with units (``"358 K"``); by default the slice's range, less hot spots too small to
    see (see :func:`~thermal_cpo.viz.common._color_limits`).
    """
    t = inputs.seconds(at, "at")
    return layer_figure(result, layer, inputs.length(z, "z"), inputs.step_index(result, t),
                        inputs.colour_range(vmin, vmax), ax=ax, components=components, cmap=cmap,
                        at=t)


def layer_figure(result, layer, z, step, clim, ax=None, components=True, cmap=CMAP, at=None):
    """:func:`plot_layer` with its inputs converted: ``z`` in m, ``step`` the stored step's index
    (None: ``result.temperature``), ``clim`` ``(vmin, vmax)`` in °C (either None), ``at`` the
    time asked for (s)."""
    mesh = result.mesh
    T = _field(result, step)
    k, where = _resolve_k(result, T, layer, z)
    aspect = (mesh.y[-1] - mesh.y[0]) / (mesh.x[-1] - mesh.x[0])
    fig, ax = _new_axes(ax, (7.6, float(np.clip(1.25 + 5.6 * aspect, 3.5, 9.5))))
    sl = T[k]
    xm, ym = mesh.x * 1e3, mesh.y * 1e3
    lo, hi, extend, note = _color_limits(sl, np.outer(mesh.dy, mesh.dx), *clim)
    qm = ax.pcolormesh(xm, ym, sl, shading="flat", cmap=_cmap(cmap), vmin=lo, vmax=hi, rasterized=True)
    cb = fig.colorbar(qm, ax=ax, shrink=0.92, pad=0.02, extend=extend)
    cb.set_label("temperature [°C]")
    ax.set_aspect("equal")
    ax.set_xlim(xm[0], xm[-1])
    ax.set_ylim(ym[0], ym[-1])
    ax.set_xlabel("x [mm]")
    ax.set_ylabel("y [mm]")
    cells = f"cells z = {format_length(mesh.z[k])} – {format_length(mesh.z[k + 1])}"
    if cells[6:] in where:  # a one-cell layer: said already
        cells = "one cell thick"
    ax.set_title(f"{result.package.name}{_when(result, step, at)}: {where}\n"
                 f"{cells};  T = {sl.min():.1f} – {sl.max():.1f} °C{note}", fontsize=10)
    if components:
        _draw_components(fig, ax, mesh, k)
    return fig


def _draw_components(fig, ax, mesh, k):
    """Outline the blocks and boxes that cell layer ``k`` cuts and name those with room."""
    cut = [c for c in mesh.components if c.kind != "layer" and c.index[0] <= k < c.index[1]
           and c.index[2] < c.index[3] and c.index[4] < c.index[5]]
    items = []
    for c in _power_first(cut, lambda c: (c.bounds[1] - c.bounds[0]) * (c.bounds[3] - c.bounds[2])):
        x0, x1, y0, y1 = (v * 1e3 for v in c.bounds[:4])
        _outline(ax, x0, x1, y0, y1, c.power > 0)
        if c.power <= 0:  # an unpowered name only where the component shows at its centre
            i = _cell_index(mesh.x, 0.5 * (c.bounds[0] + c.bounds[1]))
            j = _cell_index(mesh.y, 0.5 * (c.bounds[2] + c.bounds[3]))
            if mesh.component[k, j, i] != c.id:
                continue
        items.append((c.name, (x0, x1, y0, y1), c.power <= 0))
    _place_labels(fig, ax, items)
