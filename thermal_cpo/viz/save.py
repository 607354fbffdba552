"""One plot of a result saved to an image, as ``thermal-cpo plot`` does, and its default name."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LayoutError
from . import inputs
from .common import CMAP, DPI
from .layer import layer_figure
from .section import section_figure
from .time import plot_time


def _slug(text: str) -> str:
    """``text`` made safe as part of a file name."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_") or "x"


def default_output(result_path, layer=None, z=None, section_x=None, section_y=None,
                   at=None) -> Path:
    """The PNG name next to the result file: ``out.layer-NAME.png``, ``out.z-2500um.png``,
    ``out.section-x-at-y30000um.png`` (along x, cut at y), ``out.section-y-at-x…`` or, with no
    choice, ``out.layer.png`` (the hottest cell layer); with ``at``, the time before the suffix
    (``out.layer.t2.5ms.png``). ``z``, ``section_x``, ``section_y``: bare µm or strings with
    units, as in :func:`save_plot`; ``at``: bare s or a string with units. The name gives
    lengths in µm and the time in the unit that reads best."""
    return _default_name(result_path, layer, inputs.length(z, "z"),
                         inputs.length(section_x, "section_x"),
                         inputs.length(section_y, "section_y"), inputs.seconds(at, "at"))


def _default_name(result_path, layer, z, section_x, section_y, t) -> Path:
    """:func:`default_output` with lengths in m and the time ``t`` in s (or None)."""
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
    if t is not None:
        tag += f".t{_slug(inputs.format_time(t).replace(' ', '').replace('µ', 'u'))}"
    return stem.parent / f"{stem.name}.{tag}.png"


def save_plot(result, output=None, layer=None, z=None, section_x=None, section_y=None, dpi=DPI,
              cmap=CMAP, time=False, source=None, vmin=None, vmax=None, at=None) -> str:
    """Draw one plot of a result and save it (``thermal-cpo plot``); returns the path written.

    ``result``: a Result; ``source``: the result file it was loaded from (names the default
    output). ``layer`` / ``z``: a layer map; ``section_x``: a vertical section along x, cut at
    y = ``section_x``; ``section_y``: along y, cut at x = ``section_y``. Lengths are bare µm or
    strings with units (``2500``, ``"2.5 mm"``). At most one of the four; none gives the map of
    the hottest cell layer. ``at``: for a transient result, the time of the field drawn (bare s
    or with units, ``"2.5 ms"``): the nearest stored step, named in the title and the default
    file name; default the last step. ``vmin``, ``vmax``: fixed limits of the colour scale (bare
    °C or with units, ``"358 K"``). ``time``: instead, temperature against time of a transient
    result (its legend beside the axes; the image is cropped to what is drawn). ``output``: the
    image (.png, .pdf or .svg); default next to the result file. ``dpi``: dots per inch
    (10–1200); ``cmap``: the colour map of a map or section. A bad value raises
    :class:`~thermal_cpo.errors.LayoutError` whose ``path`` is the keyword.
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
    if time:
        unused = chosen + [n for n, v in (("vmin", vmin), ("vmax", vmax), ("at", at)) if v is not None]
        if unused:
            raise LayoutError(f"a time plot takes no {' or '.join(unused)}", path=unused[0])
    z, sx, sy = (inputs.length(v, n) for v, n in ((z, "z"), (section_x, "section_x"),
                                                   (section_y, "section_y")))
    clim = inputs.colour_range(vmin, vmax)
    t = inputs.seconds(at, "at")
    step = inputs.step_index(result, t)
    drawn = None if step is None else float(result.times[step])
    output, fmt = _check_output(output, source, time, (layer, z, sx, sy, drawn))
    if time:
        fig = plot_time(result)
    elif sx is not None or sy is not None:
        axis, v, name = ("y", sx, "section_x") if sx is not None else ("x", sy, "section_y")
        fig = section_figure(result, axis, v, step, clim, cmap=cmap, at=t, name=name)
    else:
        fig = layer_figure(result, layer, z, step, clim, cmap=cmap, at=t)
    try:
        # the time plot's legend sits outside its axes: crop to what is drawn, legend included
        fig.savefig(output, dpi=dpi, format=fmt, bbox_inches="tight" if time else None)
    except OSError as exc:
        raise LayoutError(f"{output}: cannot write the image ({exc.strerror or exc})") from None
    return str(output)


def _check_output(output, source, time, choice) -> tuple[Path, str]:
    """``(path, format)`` of the image to write; checked before drawing, so that a bad name
    fails before the work of drawing. ``choice``: ``(layer, z, section_x, section_y, t)`` as
    :func:`_default_name` takes them (m, s)."""
    if output is None:
        if source is None:
            raise LayoutError("give an output file name for a result that was not loaded from a file")
        output = _default_name(source, *choice)
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
    return output, fmt
