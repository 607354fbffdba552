"""``thermal-cpo plot``: :func:`thermal_cpo.viz.plot.save_plot` of a result file."""

from __future__ import annotations

import click

from ..errors import LayoutError
from .errors import user_errors

#: save_plot's keywords and the options they come from: an error on a value names the option.
#: The values go to save_plot as typed (bare µm / s / °C, or text with units), so they are
#: converted in one place, the same way as from Python.
OPTIONS = {"z": "--z", "section_x": "--section-x", "section_y": "--section-y", "vmin": "--vmin",
           "vmax": "--vmax", "at": "--at"}


@click.command("plot")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--layer", default=None, metavar="NAME", help="Map of this layer, at its mid-height.")
@click.option("--z", "z", default=None, metavar="Z",
              help="Map of the cell layer at height Z (µm, or with units: '2.5 mm').")
@click.option("--section-x", default=None, metavar="Y",
              help="Vertical section along x, cut at y = Y (µm, or with units).")
@click.option("--section-y", default=None, metavar="X",
              help="Vertical section along y, cut at x = X (µm, or with units).")
@click.option("--at", "at", default=None, metavar="T",
              help="Transient result: draw the stored step nearest time T (s, or with units: "
                   "'2.5 ms'); default the last step.")
@click.option("--vmin", default=None, metavar="T",
              help="Lower limit of the colour scale (°C, or with units: '300 K').")
@click.option("--vmax", default=None, metavar="T",
              help="Upper limit of the colour scale (°C, or with units).")
@click.option("-o", "--output", default=None, metavar="FILE.png",
              help="Image to write (.png, .pdf, .svg); default: beside OUT.h5, e.g. out.layer-die.png.")
@click.option("--dpi", type=int, default=110, show_default=True, help="Resolution of the image.")
@click.option("--cmap", default="inferno", show_default=True, help="matplotlib colour map.")
@click.option("--time", "time_plot", is_flag=True,
              help="Transient result: T_max against time of the powered components and probes.")
@user_errors
def plot_command(result_file, layer, z, section_x, section_y, at, vmin, vmax, output, dpi, cmap,
                 time_plot):
    """Draw a layer temperature map or a vertical section of a result; prints the path written.

    With no choice, maps the cell layer holding the hottest cell (of the last step of a
    transient, or of the step --at chooses). Needs matplotlib (pip install thermal_cpo[viz]).
    """
    from ..viz.inputs import renamed
    from ..viz.plot import save_plot

    given = [opt for opt, v in (("--layer", layer), ("--z", z), ("--section-x", section_x),
                                ("--section-y", section_y)) if v is not None]
    if len(given) > 1:
        raise LayoutError(f"choose one plot: a layer map (--layer or --z) or a section (--section-x "
                          f"or --section-y), got {' and '.join(given)}")
    if time_plot:
        given += [opt for opt, v in (("--at", at), ("--vmin", vmin), ("--vmax", vmax)) if v is not None]
        if given:
            raise LayoutError(f"--time draws temperature against time; it takes no {' or '.join(given)}")
    from ..results import load_result
    from .report import incomplete_note

    result = load_result(result_file)
    if time_plot and result.times is not None and result.probes is None:
        raise LayoutError(f"{result_file}: this transient stopped before its time series were "
                          "written; plot one of its stored fields instead (without --time)")
    try:
        written = save_plot(result, output, layer=layer, z=z, section_x=section_x,
                            section_y=section_y, dpi=dpi, cmap=cmap, time=time_plot,
                            source=result_file, vmin=vmin, vmax=vmax, at=at)
    except LayoutError as exc:
        raise renamed(exc, OPTIONS) from None
    click.echo(written)
    note = incomplete_note(result)
    if note:  # stdout is the path written, for scripts
        click.echo(f"note: {result_file}: {note}", err=True)
