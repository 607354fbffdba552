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
#: Width (K) of the colour scale when the field gives none (uniform, or all beyond a given limit).
WINDOW = 1.0


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
    to the shape of ``values``. ``vmin``, ``vmax``: limits the user fixed (°C), kept as given;
    when one is given beyond the whole field the other is placed :data:`WINDOW` from it.
    """
    lo, hi = float(values.min()), float(values.max())
    fixed_lo, fixed_hi = vmin is not None, vmax is not None
    if not (fixed_lo and fixed_hi):
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
        if fixed_lo and fixed_hi:
            raise LayoutError(f"{vmin:g} °C must be below the upper limit of the colour scale "
                              f"(vmax = {vmax:g} °C)", path="vmin")
        # a uniform field, or one limit given beyond the auto one: the given limit is kept (a
        # series of plots shares it) and the other moves to the field's extreme or a window away
        if fixed_lo:
            vmax = hi if hi > vmin else vmin + WINDOW
        elif fixed_hi:
            vmin = lo if lo < vmax else vmax - WINDOW
        else:
            vmin, vmax = vmin - 0.5 * WINDOW, vmax + 0.5 * WINDOW
    below, above = vmin > lo, vmax < hi
    extend = "both" if below and above else "min" if below else "max" if above else "neither"
    notes = [f"above {vmax:.1f} °C"] * above + [f"below {vmin:.1f} °C"] * below
    return vmin, vmax, extend, ("; colours saturate " + " and ".join(notes)) if notes else ""
