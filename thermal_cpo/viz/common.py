"""What every plot shares: lazy matplotlib, new axes, colour maps and the colour scale.

matplotlib is the optional ``viz`` extra (``pip install thermal_cpo[viz]``) and is imported on
first use only, so that ``import thermal_cpo`` and the command line stay fast without it.
Without ``ax`` a plot gets a new, free-standing ``Figure`` rather than a pyplot figure: plotting
then never changes the user's backend nor closes or collects their open figures, works headless
(a saved image is rendered by Agg), and still displays in a notebook as a cell's value.
"""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError, did_you_mean

#: Default colour map: perceptually uniform, dark = cold, bright = hot, readable in grey scale.
CMAP = "inferno"
#: Dots per inch of saved images.
DPI = 110
#: Outline colour of components (distinct from every colour of inferno / magma / viridis).
OUTLINE = "#38e8ff"
#: Font size (pt) of component names drawn on a plot.
LABEL_SIZE = 8


def _mpl():
    """matplotlib, imported on first use; a :class:`LayoutError` telling how to install it."""
    try:
        import matplotlib
        import matplotlib.figure  # noqa: F401
        import matplotlib.patheffects  # noqa: F401
    except ImportError:
        raise LayoutError("plotting needs matplotlib, which is not installed: "
                          "pip install thermal_cpo[viz]") from None
    return matplotlib


def _new_axes(ax, figsize):
    """``(fig, ax)``: the given axes and its figure, or a new free-standing Figure (Agg-rendered
    when saved; no pyplot state involved). ``figsize``: ``(width, height)`` in inches."""
    mpl = _mpl()
    if ax is not None:
        return ax.figure, ax
    fig = mpl.figure.Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _cmap(name):
    """The colour map named ``name``; a Colormap object is passed through."""
    mpl = _mpl()
    if not isinstance(name, str):
        return name
    try:
        return mpl.colormaps[name]
    except KeyError:
        raise LayoutError(f"unknown colour map {name!r}{did_you_mean(name, list(mpl.colormaps))}") from None


def _fmt_mm(m: float) -> str:
    """A length in m shown in mm (the unit of the plots' lateral axes)."""
    return f"{m * 1e3:.4g} mm"


def _color_limits(values, weights, vmin=None, vmax=None):
    """``(vmin, vmax, extend, note)`` of the colour scale, in °C.

    By default the full range of ``values``, except that a hot (or cold) spot covering under
    0.5 % of the drawn area but more than a third of the range — a 10 µm ring heater on a 12 mm
    die — is clipped out of the scale (the colour bar gets an arrow and ``note`` says so), so that
    the rest of the map keeps its colours. ``weights``: the drawn area of each value, broadcast
    to the shape of ``values``.
    """
    lo, hi = float(values.min()), float(values.max())
    if vmin is None or vmax is None:
        v = values.ravel()
        order = np.argsort(v)
        cw = np.cumsum(np.broadcast_to(weights, values.shape).ravel()[order])
        cw /= cw[-1]
        q_lo = float(v[order][min(np.searchsorted(cw, 0.005), len(v) - 1)])
        q_hi = float(v[order][min(np.searchsorted(cw, 0.995), len(v) - 1)])
        span = hi - lo
        if vmax is None:
            vmax = q_hi if span > 0 and hi - q_hi > span / 3 else hi
        if vmin is None:
            vmin = q_lo if span > 0 and q_lo - lo > span / 3 else lo
    vmin, vmax = float(vmin), float(vmax)
    if not vmin < vmax:
        if vmin == vmax:  # a uniform field: any small window around it
            vmin, vmax = vmin - 0.5, vmax + 0.5
        else:
            raise LayoutError(f"vmin ({vmin:g} °C) must be below vmax ({vmax:g} °C)")
    below, above = vmin > lo, vmax < hi
    extend = "both" if below and above else "min" if below else "max" if above else "neither"
    notes = []
    if above:
        notes.append(f"colours saturate above {vmax:.1f} °C")
    if below:
        notes.append(f"below {vmin:.1f} °C")
    return vmin, vmax, extend, ("; " + ", ".join(notes)) if notes else ""
