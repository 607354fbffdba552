"""One plot of a result saved to an image, as ``thermal-cpo plot`` does, and its default name."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LayoutError
from .common import CMAP, DPI
from .layer import plot_layer
from .section import plot_section
from .time import plot_time


def _slug(text: str) -> str:
    """``text`` made safe as part of a file name."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_") or "x"


def default_output(result_path, layer=None, z=None, section_x=None, section_y=None) -> Path:
    """The PNG name next to the result file: ``out.layer-NAME.png``, ``out.z-2500um.png``,
    ``out.section-x-at-y30000um.png`` (along x, cut at y), ``out.section-y-at-x…`` or, with no
    choice, ``out.layer.png`` (the hottest cell layer). ``z``, ``section_x``, ``section_y`` in m;
    the name gives them in µm."""
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
    output). ``layer`` / ``z`` (m): a layer map; ``section_x`` (m): a vertical section along x,
    cut at y = ``section_x``; ``section_y`` (m): along y, cut at x = ``section_y``. At most one
    of the four; none gives the map of the hottest cell layer. ``time``: instead, temperature
    against time of a transient result. ``output``: the image (.png, .pdf or .svg); default next
    to the result file. ``dpi``: dots per inch (10–1200); ``cmap``: the colour map of a map or
    section.
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
    output, fmt = _check_output(output, source, time, layer, z, section_x, section_y)
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


def _check_output(output, source, time, layer, z, section_x, section_y) -> tuple[Path, str]:
    """``(path, format)`` of the image to write; checked before drawing, so that a bad name
    fails before the work of drawing."""
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
    return output, fmt
