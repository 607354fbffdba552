"""Temperature against time of a transient result: components and probe points."""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError, did_you_mean
from .common import _new_axes


def plot_time(result, components=None, kind: str = "T_max", points: bool = True, ax=None):
    """Temperature (°C) against time (s) for a transient result; returns the matplotlib Figure.

    Draws ``kind`` (``"T_max"`` or ``"T_mean"``) of each named component — default: the powered
    ones, else every component — and, with ``points``, the named probe points. The series come
    from ``result.probes``: ``time`` ``(nt,)`` in s, ``T_max`` / ``T_mean`` / ``power``
    ``(nt, n_components)`` in °C / W, ``points`` ``(nt, n_points)`` in °C. The legend sits to the
    right of the axes, outside them (a new Figure's layout makes room for it; into a given
    ``ax``, save with ``bbox_inches="tight"`` to keep it). ``ax``: draw into these axes; default
    a new free-standing Figure.
    """
    probes = getattr(result, "probes", None)
    if probes is None or len(probes["time"]) == 0:
        raise LayoutError("a temperature-vs-time plot needs a transient result (run --transient)")
    if kind not in ("T_max", "T_mean"):
        raise LayoutError(f"kind must be 'T_max' or 'T_mean', got {kind!r}")
    names = list(probes["components"])
    if components is None:
        powered = [c.name for c in result.mesh.components if np.any(probes["power"][:, names.index(c.name)] > 0)]
        components = powered or names
    for n in components:
        if n not in names:
            raise LayoutError(f"no component named {n!r}{did_you_mean(n, names)}")
    fig, ax = _new_axes(ax, (10.0, 4.5))  # wider: the legend takes the right-hand side
    t = np.asarray(probes["time"])
    for n in components:
        ax.plot(t, np.asarray(probes[kind])[:, names.index(n)], label=f"{n} {kind}", lw=1.4)
    if points:
        for i, n in enumerate(probes["point_names"]):
            ax.plot(t, np.asarray(probes["points"])[:, i], ls="--", lw=1.2, label=f"probe {n}")
    ax.set_xlabel("time [s]")
    ax.set_ylabel("temperature [°C]")
    ax.set_title(f"{result.package.name}: {kind} against time")
    ax.grid(alpha=0.3)
    # beside the axes, never over them: a curve's peak is what the plot is read for
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
              ncol=2 if len(components) > 8 else 1)
    return fig
