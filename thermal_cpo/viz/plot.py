"""Plots of a solved package (DESIGN §2 'plots'): layer temperature maps and vertical sections.

Every function takes a :class:`~thermal_cpo.results.Result`, draws with matplotlib and returns the
:class:`matplotlib.figure.Figure` (never shown). Without ``ax`` a new, free-standing ``Figure`` is
made — not a pyplot figure — so plotting never changes the user's matplotlib backend nor closes or
collects their open figures, works headless (the PNG is rendered by Agg), and still displays in a
notebook when it is the cell's value. With ``ax`` the plot goes into that axes (for instance one
of a ``plt.subplots`` grid) and its figure is returned.

- :func:`plot_layer` — temperature map ``T(x, y)`` of one cell layer, at a named layer's
  mid-height or at a height ``z``, on the real node coordinates in mm, with the outlines and names
  of the blocks and boxes cut at that height.
- :func:`plot_section` — vertical section ``T(x, z)`` (cut at ``y``) or ``T(y, z)`` (cut at ``x``),
  with z drawn **one row per cell layer** (not to scale), so that µm films under mm layers stay
  visible; layers are named on the vertical axis.
- :func:`save_plot` — what ``thermal-cpo plot`` does: one of the above, saved to a PNG.

matplotlib is the optional ``viz`` extra (``pip install thermal_cpo[viz]``) and is imported on
first use only. Transient plots (``plot_time``) will join this module; the slicing helpers
(:func:`_field`, :func:`_layer_rows`, …) take the temperature field as an argument for that reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import LayoutError

#: Default colour map: perceptually uniform, dark = cold, bright = hot, readable in grey scale.
CMAP = "inferno"
#: Dots per inch of saved images.
DPI = 110
#: Outline colour of components (distinct from every colour of inferno / magma / viridis).
OUTLINE = "#38e8ff"
LABEL_SIZE = 8


# ---------------------------------------------------------------------------------------------
# matplotlib (lazy)
# ---------------------------------------------------------------------------------------------
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
    when saved; no pyplot state involved)."""
    mpl = _mpl()
    if ax is not None:
        return ax.figure, ax
    fig = mpl.figure.Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _cmap(name):
    mpl = _mpl()
    if not isinstance(name, str):
        return name  # a Colormap object
    try:
        return mpl.colormaps[name]
    except KeyError:
        from ..errors import did_you_mean

        raise LayoutError(f"unknown colour map {name!r}{did_you_mean(name, list(mpl.colormaps))}") from None


def _halo():
    """Path effect that keeps white text readable on any colour of the map."""
    pe = _mpl().patheffects
    return [pe.withStroke(linewidth=2.0, foreground="black")]


# ---------------------------------------------------------------------------------------------
# slicing helpers (shared with the transient plots to come)
# ---------------------------------------------------------------------------------------------
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
        k0, k1 = (int(v) for v in np.searchsorted(z, [z0 - 1e-12, z1 - 1e-12]))
        rows.append((layer.name, k0, k1, z0, z1))
    return rows


def _layer_of_row(result, k: int) -> str:
    for name, k0, k1, _, _ in _layer_rows(result):
        if k0 <= k < k1:
            return name
    return "?"  # pragma: no cover - the layers tile the stack


def _cell_index(nodes, v) -> int:
    """The cell of a node array containing coordinate ``v`` (the upper one on a grid line)."""
    return int(np.clip(np.searchsorted(nodes, v, side="right") - 1, 0, len(nodes) - 2))


def _fmt_len(m: float) -> str:
    from ..cli.render import fmt_len

    return fmt_len(m)


def _fmt_mm(m: float) -> str:
    return f"{m * 1e3:.4g} mm"


def _resolve_k(result, layer=None, z=None) -> tuple[int, str]:
    """The cell layer ``k`` to map and a description of where it is."""
    mesh = result.mesh
    zc = 0.5 * (mesh.z[1:] + mesh.z[:-1])
    if layer is not None and z is not None:
        raise LayoutError("give either a layer name or a height z, not both")
    if layer is None and z is None:
        # default: the cell layer holding the hottest cell
        k = int(np.unravel_index(np.argmax(_field(result)), mesh.shape)[0])
        return k, f"hottest cell layer, in {_layer_of_row(result, k)}"
    if z is not None:
        z = float(z)
        H = float(mesh.z[-1])
        if not np.isfinite(z) or z < mesh.z[0] - 1e-12 or z > H + 1e-12:
            raise LayoutError(f"z = {_fmt_len(z)} is outside the package, which spans z = 0 – "
                              f"{_fmt_len(H)} ({H * 1e6:.6g} µm)")
        k = _cell_index(mesh.z, z)
        return k, f"z = {_fmt_len(z)}, in {_layer_of_row(result, k)}"
    name = str(layer)
    for lname, k0, k1, z0, z1 in _layer_rows(result):
        if lname == name:
            mid = 0.5 * (z0 + z1)
            k = k0 + int(np.argmin(np.abs(zc[k0:k1] - mid)))
            return k, f"layer {name} (z = {_fmt_len(z0)} – {_fmt_len(z1)})"
    for c in mesh.components:  # a block or box: its mid-height
        if c.name == name and c.kind != "layer":
            k0, k1 = c.index[0], c.index[1]
            mid = 0.5 * (c.bounds[4] + c.bounds[5])
            k = k0 + int(np.argmin(np.abs(zc[k0:k1] - mid)))
            return k, f"mid-height of {name}, in {_layer_of_row(result, k)}"
    from ..errors import did_you_mean

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
        raise LayoutError(f"{axis} = {_fmt_len(v)} is outside the package, whose footprint spans "
                          f"{axis} = 0 – {_fmt_len(nodes[-1])} ({nodes[-1] * 1e6:.6g} µm)")
    idx = _cell_index(nodes, v)
    return axis, idx, v


# ---------------------------------------------------------------------------------------------
# labels that do not pile up
# ---------------------------------------------------------------------------------------------
def _place_labels(fig, ax, items):
    """Draw names inside rectangles, dropping those that would overlap an earlier one.

    ``items``: ``(text, (x0, x1, y0, y1) in data coordinates, must_fit)`` in priority order. A
    ``must_fit`` label is only kept when it fits inside its rectangle; the others (powered
    components, named even when smaller than their name) may spill out, and when one of them
    collides with an earlier such label the two are merged (``ring0–ring7`` for a bank of tiny
    heaters). Returns the texts drawn.
    """
    if not items:
        return []
    fig.draw_without_rendering()  # lay the figure out, so text extents are final
    axbb = ax.get_window_extent()
    to_disp = ax.transData.transform
    placed = []  # [text artist, bbox, names, rects, mergeable]
    for text, (x0, x1, y0, y1), must_fit in items:
        t = ax.text(0.5 * (x0 + x1), 0.5 * (y0 + y1), text, ha="center", va="center",
                    fontsize=LABEL_SIZE, color="white", path_effects=_halo(), clip_on=True, zorder=5)
        t.set_in_layout(False)
        bb = t.get_window_extent().expanded(1.08, 1.15)
        (px0, py0), (px1, py1) = to_disp([(x0, y0), (x1, y1)])
        fits = (bb.x0 >= min(px0, px1) - 1 and bb.x1 <= max(px0, px1) + 1
                and bb.y0 >= min(py0, py1) - 1 and bb.y1 <= max(py0, py1) + 1)
        inside_axes = bb.x0 >= axbb.x0 and bb.x1 <= axbb.x1 and bb.y0 >= axbb.y0 and bb.y1 <= axbb.y1
        hit = next((p for p in placed if bb.overlaps(p[1])), None)
        if must_fit and not fits or not inside_axes or hit is not None:
            t.remove()
            if hit is not None and not must_fit and hit[4]:
                hit[2].append(text)
                hit[3].append((x0, x1, y0, y1))
            continue
        placed.append([t, bb, [text], [(x0, x1, y0, y1)], not must_fit])
    shown = []
    for t, _, names, rects, _ in placed:
        if len(names) > 1:
            r = np.array(rects)
            t.set_text(_merged_name(names))
            t.set_position((0.5 * (r[:, 0].min() + r[:, 1].max()), 0.5 * (r[:, 2].min() + r[:, 3].max())))
        shown.append(t.get_text())
    return shown


def _merged_name(names: list[str]) -> str:
    """``ring0..ring7`` → ``ring0–ring7``; names without a common numbered pattern: ``a +3``."""
    parts = [re.fullmatch(r"(\D*)(\d+)(.*)", n) for n in names]
    if all(parts) and len({(m[1], m[3]) for m in parts}) == 1:
        nums = sorted(int(m[2]) for m in parts)
        pre, post = parts[0][1], parts[0][3]
        if nums == list(range(nums[0], nums[-1] + 1)):
            return f"{pre}{nums[0]}{post}–{pre}{nums[-1]}{post}"
    return f"{names[0]} +{len(names) - 1}"


def _color_limits(values, weights, vmin=None, vmax=None):
    """``(vmin, vmax, extend, note)`` of the colour scale.

    By default the full range of ``values``, except that a hot (or cold) spot covering under
    0.5 % of the drawn area but more than a third of the range — a 10 µm ring heater on a 12 mm
    die — is clipped out of the scale (the colour bar gets an arrow and ``note`` says so), so that
    the rest of the map keeps its colours. ``weights``: the drawn area of each value.
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


def _outline(ax, x0, x1, y0, y1, powered):
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OUTLINE,
                           linewidth=1.0 if powered else 0.6, linestyle="-" if powered else (0, (3, 2)),
                           zorder=4, clip_on=True))


def _power_first(comps, area):
    """Powered components first (largest power), then the others by decreasing area."""
    return sorted(comps, key=lambda c: (c.power <= 0, -float(f"{c.power:.6g}"),
                                        -float(f"{area(c):.6g}"), c.id))


# ---------------------------------------------------------------------------------------------
# public plots
# ---------------------------------------------------------------------------------------------
def plot_layer(result, layer=None, z=None, ax=None, components=True, cmap=CMAP, vmin=None,
               vmax=None):
    """Temperature map ``T(x, y)`` (°C) of one cell layer; returns the Figure.

    ``layer``: a layer name — the cell layer whose centre is closest to the layer's mid-height
    (the name of a block or box also works: its mid-height); or ``z``: a height in m (the cell
    layer containing it). Neither: the cell layer holding the hottest cell. ``components``:
    outline the blocks and boxes cut at that height and name those with room for it (powered ones
    first). Drawn on the real node coordinates in mm with equal aspect. ``vmin``, ``vmax``: the
    colour scale (°C); by default the slice's range, less hot spots too small to see (see
    :func:`_color_limits`).
    """
    mesh = result.mesh
    T = _field(result)
    k, where = _resolve_k(result, layer, z)
    aspect = (mesh.y[-1] - mesh.y[0]) / (mesh.x[-1] - mesh.x[0])
    fig, ax = _new_axes(ax, (7.6, float(np.clip(1.25 + 5.6 * aspect, 3.5, 9.5))))
    sl = T[k]
    xm, ym = mesh.x * 1e3, mesh.y * 1e3
    lo, hi, extend, note = _color_limits(sl, np.outer(mesh.dy, mesh.dx), vmin, vmax)
    qm = ax.pcolormesh(xm, ym, sl, shading="flat", cmap=_cmap(cmap), vmin=lo, vmax=hi, rasterized=True)
    cb = fig.colorbar(qm, ax=ax, shrink=0.92, pad=0.02, extend=extend)
    cb.set_label("temperature [°C]")
    ax.set_aspect("equal")
    ax.set_xlim(xm[0], xm[-1])
    ax.set_ylim(ym[0], ym[-1])
    ax.set_xlabel("x [mm]")
    ax.set_ylabel("y [mm]")
    cells = f"cells z = {_fmt_len(mesh.z[k])} – {_fmt_len(mesh.z[k + 1])}"
    if cells[6:] in where:  # a one-cell layer: said already
        cells = "one cell thick"
    ax.set_title(f"{result.package.name}{_when(result)}: {where}\n"
                 f"{cells};  T = {sl.min():.1f} – {sl.max():.1f} °C{note}", fontsize=10)
    if components:
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
    return fig


def plot_section(result, x=None, y=None, ax=None, components=True, cmap=CMAP, vmin=None,
                 vmax=None):
    """Vertical section of the temperature (°C); returns the Figure.

    ``y``: cut at y = const (m), drawn along x; ``x``: cut at x = const, drawn along y (the cell
    containing the coordinate). Neither: a y cut through the hottest cell. The lateral axis is in
    real mm; z is drawn one row per cell layer (not to scale), so every µm film stays visible, and
    the layers are named on the vertical axis (with their thickness) and separated by thin lines.
    ``components``: outline and name the powered blocks and boxes the cut goes through.
    ``vmin``, ``vmax``: the colour scale (°C), as in :func:`plot_layer`.
    """
    mesh = result.mesh
    T = _field(result)
    axis, idx, v = _resolve_cut(result, x, y)
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
    lo, hi, extend, note = _color_limits(sl, np.diff(lat)[None, :], vmin, vmax)
    qm = ax.pcolormesh(lm, rows, sl, shading="flat", cmap=_cmap(cmap), vmin=lo, vmax=hi, rasterized=True)
    cb = fig.colorbar(qm, ax=ax, pad=0.01, fraction=0.04, extend=extend)
    cb.set_label("temperature [°C]")
    ax.set_xlim(lm[0], lm[-1])
    ax.set_ylim(0, nz)
    ax.set_xlabel(f"{other} [mm]")
    ax.set_ylabel("layer, bottom to top\n(z drawn one row per cell, not to scale)")
    ax.set_title(f"{result.package.name}{_when(result)}: vertical section at {axis} = {_fmt_mm(v)} "
                 f"(cells {axis} = {_fmt_mm(cell0)} – {_fmt_mm(cell1)}), along {other}\n"
                 f"T = {sl.min():.1f} – {sl.max():.1f} °C{note}", fontsize=10)
    for _, k0, _, _, _ in layers[1:]:
        ax.axhline(k0, color="white", linewidth=0.6, alpha=0.7, zorder=3)
    ax.set_yticks([k0 for _, k0, _, _, _ in layers] + [nz], minor=True)
    ax.tick_params(axis="y", which="minor", length=8)
    ax.tick_params(axis="y", which="major", length=0)
    names = [f"{n} ({_fmt_len(z1 - z0)})" for n, _, _, z0, z1 in layers]
    mids = [0.5 * (k0 + k1) for _, k0, k1, _, _ in layers]
    _layer_ticks(fig, ax, mids, names)
    if components:
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
    return fig


def _layer_ticks(fig, ax, mids, names):
    """Layer names as y tick labels at the middle of their rows; where two would overlap the
    later one moves to the right-hand axis (the µm films of a stack are often 1 row each)."""
    ax.set_yticks(mids, names, fontsize=8)
    fig.draw_without_rendering()
    row_px = ax.get_window_extent().height / max(ax.get_ylim()[1], 1)
    need = 1.25 * 8 * fig.dpi / 72.0  # one line of 8 pt text, in pixels
    left, right = [], []
    last = {"l": -np.inf, "r": -np.inf}
    for m, n in zip(mids, names):
        if (m - last["l"]) * row_px >= need:
            left.append((m, n))
            last["l"] = m
        elif (m - last["r"]) * row_px >= need:
            right.append((m, n))
            last["r"] = m
        else:  # no room on either side: the name is crowded out; keep it on the left anyway
            left.append((m, n))
            last["l"] = m
    ax.set_yticks([m for m, _ in left], [n for _, n in left], fontsize=8)
    if right:
        sec = ax.secondary_yaxis("right")
        sec.set_yticks([m for m, _ in right], [n for _, n in right], fontsize=8)
        sec.tick_params(axis="y", length=3)


# ---------------------------------------------------------------------------------------------
# one call for the command line
# ---------------------------------------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_") or "x"


def plot_time(result, components=None, kind: str = "T_max", points: bool = True, ax=None):
    """Temperature against time for a transient result: ``kind`` (``"T_max"`` or ``"T_mean"``)
    of each named component (default: the powered ones, else every component) and the named
    probe points; time in s, temperature in °C. Returns the Figure."""
    probes = getattr(result, "probes", None)
    if probes is None or len(probes["time"]) == 0:
        raise LayoutError("a temperature-vs-time plot needs a transient result (run --transient)")
    if kind not in ("T_max", "T_mean"):
        raise LayoutError(f"kind must be 'T_max' or 'T_mean', got {kind!r}")
    names = list(probes["components"])
    if components is None:
        powered = [c.name for c in result.mesh.components if np.any(probes["power"][:, names.index(c.name)] > 0)]
        components = powered or names
    from ..errors import did_you_mean

    for n in components:
        if n not in names:
            raise LayoutError(f"no component named {n!r}{did_you_mean(n, names)}")
    fig, ax = _new_axes(ax, (8.0, 4.5))
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
    ax.legend(fontsize="small", loc="best", ncol=2 if len(components) > 8 else 1)
    return fig


def default_output(result_path, layer=None, z=None, section_x=None, section_y=None) -> Path:
    """The PNG name next to the result file: ``out.layer-NAME.png``, ``out.z-2500um.png``,
    ``out.section-x-at-y30000um.png`` (along x, cut at y), ``out.section-y-at-x…`` or, with no
    choice, ``out.layer.png`` (the hottest cell layer)."""
    p = Path(result_path)
    stem = p.with_suffix("") if p.suffix.lower() in (".h5", ".hdf5") else p
    if layer is not None:
        tag = f"layer-{_slug(str(layer))}"
    elif z is not None:
        tag = f"z-{z * 1e6:.6g}um"
    elif section_x is not None:
        tag = f"section-x-at-y{section_x * 1e6:.6g}um"
    elif section_y is not None:
        tag = f"section-y-at-x{section_y * 1e6:.6g}um"
    else:
        tag = "layer"
    return stem.parent / f"{stem.name}.{tag}.png"


def save_plot(result, output=None, layer=None, z=None, section_x=None, section_y=None, dpi=DPI,
              cmap=CMAP, time=False, source=None) -> str:
    """Draw one plot of a result and save it (``thermal-cpo plot``); returns the path written.

    ``result``: a Result; ``source``: the result file it was loaded from (names the default
    output). ``layer`` / ``z`` (m): a layer map;
    ``section_x`` (m): a vertical section along x, cut at y = ``section_x``; ``section_y`` (m):
    along y, cut at x = ``section_y``. At most one of the four; none gives the map of the hottest
    cell layer. ``output``: the image (.png, .pdf or .svg); default next to the result file.
    """
    chosen = [n for n, v in (("layer", layer), ("z", z), ("section_x", section_x),
                             ("section_y", section_y)) if v is not None]
    if len(chosen) > 1:
        raise LayoutError(f"choose one plot: a layer map (layer or z) or a section (section_x or "
                          f"section_y), got {' and '.join(chosen)}")
    if dpi is not None and not 10 <= dpi <= 1200:
        raise LayoutError(f"dpi must be between 10 and 1200, got {dpi}")
    if not hasattr(result, "temperature"):
        raise LayoutError("save_plot needs a Result (load a result file with "
                          "thermal_cpo.load_result)")
    if output is None:
        if source is None:
            raise LayoutError("give an output file name for a result that was not loaded from a file")
        output = default_output(source, layer, z, section_x, section_y)
        if time:
            output = output.with_name(output.name.replace(".layer.png", ".time.png"))
    output = Path(output)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("png", "pdf", "svg"):
        raise LayoutError(f"{output}: the image must be .png, .pdf or .svg")
    if output.is_dir():
        raise LayoutError(f"{output}: is a directory; give a file name such as plot.png")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise LayoutError(f"{output}: the directory {parent} does not exist")
    if time:
        if chosen:
            raise LayoutError(f"a time plot takes no {' or '.join(chosen)}")
        fig = plot_time(result)
    elif section_x is not None or section_y is not None:
        fig = plot_section(result, y=section_x, x=section_y, cmap=cmap)
    else:
        fig = plot_layer(result, layer=layer, z=z, cmap=cmap)
    try:
        fig.savefig(output, dpi=dpi, format=fmt)
    except OSError as exc:
        raise LayoutError(f"{output}: cannot write the image ({exc.strerror or exc})") from None
    return str(output)
