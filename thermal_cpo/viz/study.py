"""Figures of a design study's folder (``thermal-cpo study -o DIR``): each output against each
parameter, a tornado chart of a one-at-a-time study, and one layer of chosen variants on one
colour scale; :func:`save_study_plots` is what ``thermal-cpo study-plot`` does.

The folder holds ``study.json`` (the study as run), ``results.csv`` (one row per variant: the
parameters as the study wrote them, ``"0.5 mm"`` or ``1500``, and the outputs) and, from a study
run with ``--fields``, ``fields/NNNN.h5`` (each variant's result file). Only rows whose status is
``ok`` are drawn. A parameter is drawn in the unit of its first value written with one; a bare
value is read as the layout reads it (bare lengths in the layout's ``length_unit``, temperatures
°C, other kinds SI); a parameter written only as bare numbers is drawn as written, and one whose
values are no quantities (material names) as categories. Errors are
:class:`~thermal_cpo.errors.LayoutError` whose ``path`` is the keyword at fault (``folder``,
``output``, ``kind``, ``variants``, ``z``, ``out_dir``), so that the command line names its option.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from ..errors import LayoutError
from . import inputs
from .common import CMAP, DPI, WINDOW, _cmap, _mpl
from .slicing import _resolve_k

from .study_table import KINDS, MAX_MAPS, StudyTable, _label, _num, _output_unit, param_axis, read_study

def _curves_panel(ax, t: StudyTable, out: str, p: str, base_y: float | None) -> None:
    """One output against one parameter: a line per combination of the other parameters (a
    grid), else the points."""
    rows = [r for r in t.ok() if r.get(p, "") != "" and math.isfinite(_num(r[out]))]
    x, unit, cats = param_axis([r[p] for r in rows], t.length_unit, p)
    y = np.array([_num(r[out]) for r in rows])
    if t.design == "grid":
        others = [q for q in t.params if q != p]
        groups: dict = {}
        for i, r in enumerate(rows):
            groups.setdefault(tuple(r[q] for q in others), []).append(i)
        for combo, idx in groups.items():
            idx = sorted(idx, key=lambda i: x[i])
            label = ", ".join(f"{q.rpartition('.')[2]} = {v}" for q, v in zip(others, combo)) or None
            ax.plot(x[idx], y[idx], "o-", ms=4, lw=1.4, label=label)
        if others and 1 < len(groups) <= 10:
            ax.legend(fontsize="x-small")
    else:
        ax.scatter(x, y, s=18, zorder=3)
        if base_y is not None:
            ax.axhline(base_y, ls="--", lw=1.0, color="0.4", label="base (variant 0)")
            ax.legend(fontsize="x-small")
    if cats is not None:
        ax.set_xticks(range(len(cats)), cats, rotation=30, fontsize="small")
    ax.set_xlabel(_label(p, unit))
    ax.set_ylabel(_label(out, _output_unit(out)))
    ax.grid(alpha=0.3)


def response_curves(folder, output=None):
    """Each output against each parameter of the study in ``folder``; returns the Figure.

    One row of axes per output (``output``: only that column), one column per parameter; the
    parameter in its unit (see the module's docstring), the output in its own (°C, W, K, Pa).
    A grid design draws a line per combination of the other parameters; other designs draw
    the points, and a one-at-a-time study the base variant's value as a dashed line."""
    t = read_study(folder)
    outs = t.outputs if output is None else [t.output(output)]
    base = next((r for r in t.ok() if r["variant"] == "0"), None) if t.design == "one-at-a-time" else None
    fig = _mpl().figure.Figure(figsize=(4.2 * len(t.params), 0.6 + 3.2 * len(outs)), layout="constrained")
    axes = fig.subplots(len(outs), len(t.params), squeeze=False)
    for i, out in enumerate(outs):
        base_y = _num(base[out]) if base is not None else math.nan
        for j, p in enumerate(t.params):
            _curves_panel(axes[i][j], t, out, p, base_y if math.isfinite(base_y) else None)
    fig.suptitle(f"{t.folder.name}: {t.design} study", fontsize=11)
    return fig


def _swings(t: StudyTable, output: str) -> tuple[float, list]:
    """The base value and ``(parameter, low, high, value at low, value at high)`` per parameter:
    the least and greatest change of ``output`` from the base over the parameter's values."""
    base = next((r for r in t.rows if r["variant"] == "0"), None)
    if base is None or base.get("status") != "ok" or not math.isfinite(_num(base[output])):
        raise LayoutError(f"the base variant 0 has no {output} (status "
                          f"{base.get('status') if base else 'missing'}): a tornado's swings are taken from it",
                          path="folder")
    y0, bars = _num(base[output]), []
    for p in t.params:
        pts = [(r[p], _num(r[output]) - y0) for r in t.ok() if r["variant"] != "0" and r.get(p, "") != ""
               and math.isfinite(_num(r[output]))]
        if pts:
            lo, hi = min(pts, key=lambda s: s[1]), max(pts, key=lambda s: s[1])
            bars.append((p, lo[1], hi[1], lo[0], hi[0]))
    return y0, bars


def tornado(folder, output: str):
    """Tornado chart of a one-at-a-time study: per parameter, a bar from the least to the
    greatest change of ``output`` from the base variant 0 over the parameter's values (in the
    output's unit; K for a temperature), the widest bar on top; its ends name the values."""
    t = read_study(folder)
    if t.design != "one-at-a-time":
        raise LayoutError(f"a tornado chart needs a one-at-a-time study (the base, then each parameter "
                          f"alone); this study's design is {t.design!r}: draw curves instead", path="kind")
    y0, bars = _swings(t, t.output(output))
    if not bars:
        raise LayoutError(f"no varied variant finished with a value of {output}", path="output")
    bars.sort(key=lambda b: b[2] - b[1])  # narrowest first: drawn at the bottom
    mpl = _mpl()
    fig = mpl.figure.Figure(figsize=(8.0, 1.4 + 0.55 * len(bars)), layout="constrained")
    ax = fig.add_subplot()
    pos = np.arange(len(bars))
    ax.barh(pos, [b[2] - b[1] for b in bars], left=[b[1] for b in bars], height=0.6, color="#d95f02")
    for k, (_, lo, hi, at_lo, at_hi) in enumerate(bars):
        ax.annotate(f" {at_hi}", (hi, k), va="center", ha="left", fontsize="small")
        ax.annotate(f"{at_lo} ", (lo, k), va="center", ha="right", fontsize="small")
    ax.set_yticks(pos, [b[0] for b in bars])
    ax.axvline(0.0, color="k", lw=0.8)
    # bars stick to their ends, so margins cannot make room for the value names: limits do
    lo, hi = min(0.0, *(b[1] for b in bars)), max(0.0, *(b[2] for b in bars))
    pad = 0.3 * (hi - lo) or 0.5 * WINDOW
    ax.set_xlim(lo - pad, hi + pad)
    unit = _output_unit(output)
    ax.set_xlabel(_label(f"{output} − base", "K" if unit == "°C" else unit))
    ax.set_title(f"{t.folder.name}: {output}, base {y0:.4g} {unit}".rstrip())
    ax.grid(axis="x", alpha=0.3)
    return fig


def _chosen(t: StudyTable, variants) -> list[int]:
    """The variant numbers asked for (a list, or text such as ``"0,3"``); default every variant
    with a field file."""
    fields = t.folder / "fields"
    if not fields.is_dir() or not any(fields.glob("*.h5")):
        raise LayoutError(f"{t.folder} holds no field files: layer maps need a study run with --fields",
                          path="kind")
    if variants is None:
        chosen = [int(r["variant"]) for r in t.ok() if (fields / f"{int(r['variant']):04d}.h5").is_file()]
    else:
        items = variants.split(",") if isinstance(variants, str) else list(variants)
        try:
            chosen = [int(str(v).strip()) for v in items]
        except ValueError:
            raise LayoutError(f"expected variant numbers such as 0,3, got {variants!r}", path="variants") from None
    if not 1 <= len(chosen) <= MAX_MAPS:
        raise LayoutError(f"choose 1 to {MAX_MAPS} variants to draw side by side, got {len(chosen)}",
                          path="variants")
    known = {int(r["variant"]): r for r in t.rows}
    for i in chosen:
        if not (fields / f"{i:04d}.h5").is_file():
            status = known[i].get("status") if i in known else "not in the table"
            raise LayoutError(f"variant {i} has no field file (fields/{i:04d}.h5; status {status})",
                              path="variants")
    return chosen


def _maps(t: StudyTable, chosen: list[int], z):
    """``(variant, mesh, layer (ny, nx) in °C, where)`` per chosen variant, all at height ``z``
    (bare µm or with units; None: the hottest cell's height in the first chosen variant)."""
    from ..io.read import read_result

    zm, out = inputs.length(z, "z"), []
    for i in chosen:
        data = read_result(t.folder / "fields" / f"{i:04d}.h5")
        mesh, T = data["mesh"], np.asarray(data["temperature"])
        if zm is None:
            k = int(np.unravel_index(np.argmax(T), T.shape)[0])
            zm = 0.5 * float(mesh.z[k] + mesh.z[k + 1])
        k, where = _resolve_k(SimpleNamespace(mesh=mesh, package=mesh.package), T, None, zm)
        out.append((i, mesh, T[k], where))
    return out


def layer_maps(folder, variants=None, z=None, cmap=CMAP):
    """The same layer of chosen variants' field files, side by side on ONE colour scale.

    ``variants``: variant numbers (a list or ``"0,3"``; default every variant with a field
    file, at most :data:`MAX_MAPS`). ``z``: the height of the layer, bare µm or a string with
    units (``"1.2 mm"``); each variant maps its cell layer containing it (default: the height
    of the hottest cell of the first chosen variant). The colour scale runs from the least to
    the greatest temperature (°C) over all the chosen layers, with one colour bar."""
    t = read_study(folder)
    maps = _maps(t, _chosen(t, variants), z)
    lo, hi = min(float(m[2].min()) for m in maps), max(float(m[2].max()) for m in maps)
    if not lo < hi:  # one uniform temperature: a window around it keeps the scale readable
        lo, hi = lo - 0.5 * WINDOW, hi + 0.5 * WINDOW
    fig = _mpl().figure.Figure(figsize=(1.2 + 3.6 * len(maps), 4.0), layout="constrained")
    axes = fig.subplots(1, len(maps), squeeze=False)[0]
    rows = {int(r["variant"]): r for r in t.rows}
    for ax, (i, mesh, sl, where) in zip(axes, maps):
        qm = ax.pcolormesh(mesh.x * 1e3, mesh.y * 1e3, sl, shading="flat", cmap=_cmap(cmap), vmin=lo,
                           vmax=hi, rasterized=True)
        ax.set_aspect("equal")
        ax.set_xlabel("x [mm]")
        ax.set_ylabel("y [mm]")
        set_ = ", ".join(f"{p.rpartition('.')[2]} = {rows[i][p]}" for p in t.params
                         if i in rows and rows[i].get(p, "") != "") or "base"
        ax.set_title(f"variant {i}: {set_}\n{where}", fontsize=9)
    cb = fig.colorbar(qm, ax=list(axes), shrink=0.9, pad=0.02)
    cb.set_label("temperature [°C]")
    return fig


def save_study_plots(folder, out_dir=None, kind: str = "curves", output=None, variants=None, z=None,
                     dpi: int = DPI) -> list[str]:
    """Draw the plots of the study in ``folder`` and save them as PNGs (``thermal-cpo
    study-plot``); returns the paths written.

    ``kind``: ``"curves"`` (:func:`response_curves`, one image per output), ``"tornado"``
    (:func:`tornado`, one per output) or ``"maps"`` (:func:`layer_maps` of ``variants`` at
    ``z``). ``output``: only that output column. ``out_dir``: where the images go (created;
    default ``folder/plots``); ``dpi``: dots per inch (10–1200)."""
    if kind not in KINDS:
        raise LayoutError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}", path="kind")
    if not 10 <= int(dpi) <= 1200:
        raise LayoutError(f"dpi must be between 10 and 1200, got {dpi}", path="dpi")
    t = read_study(folder)
    outs = t.outputs if output is None else [t.output(output)]
    if kind == "tornado" and t.design != "one-at-a-time":
        tornado(folder, outs[0])  # refuses the design in its words
    out_dir = Path(out_dir) if out_dir is not None else t.folder / "plots"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LayoutError(f"{out_dir}: cannot make the folder ({exc.strerror or exc})", path="out_dir") from None
    if kind == "maps":
        zm = inputs.length(z, "z")
        tag = f"-z{zm * 1e6:.6g}um" if zm is not None else ""
        figs = [(f"maps{tag}.png", layer_maps(folder, variants, z))]
    else:
        draw = response_curves if kind == "curves" else tornado
        figs = [(f"{kind}-{_slug(o)}.png", draw(folder, o)) for o in outs]
    written = []
    for name, fig in figs:
        fig.savefig(out_dir / name, dpi=dpi)
        written.append(str(out_dir / name))
    return written


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._+-" else "_" for c in text)


__all__ = ["response_curves", "tornado", "layer_maps", "save_study_plots", "read_study", "param_axis",
           "StudyTable"]
