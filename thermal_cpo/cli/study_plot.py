"""``thermal-cpo study-plot``: :func:`thermal_cpo.viz.study.save_study_plots` of a study folder."""

from __future__ import annotations

import click

from ..errors import LayoutError
from .errors import user_errors

#: save_study_plots' keywords and the options (or argument) they come from: an error on a value
#: names what the user typed
OPTIONS = {"folder": "DIR", "output": "--output", "kind": "--kind", "variants": "--variants", "z": "--z",
           "out_dir": "-o", "dpi": "--dpi"}


@click.command("study-plot")
@click.argument("folder", metavar="DIR")
@click.option("--output", default=None, metavar="NAME",
              help="Only this output column (e.g. die.T_max); default every output.")
@click.option("--kind", type=click.Choice(["curves", "tornado", "maps"]), default="curves", show_default=True,
              help="curves: each output against each parameter; tornado: swings of a one-at-a-time "
                   "study; maps: one layer of chosen variants on one colour scale (needs study --fields).")
@click.option("--variants", default=None, metavar="0,3",
              help="maps: the variants to draw (default every variant with a field file).")
@click.option("--z", "z", default=None, metavar="Z",
              help="maps: the height of the layer (µm, or with units: '1.2 mm'); default the hottest "
                   "cell's height in the first variant drawn.")
@click.option("-o", "--out-dir", default=None, metavar="FIGDIR",
              help="Folder of the images (created); default DIR/plots.")
@click.option("--dpi", type=int, default=110, show_default=True, help="Resolution of the images.")
@user_errors
def study_plot_command(folder, output, kind, variants, z, out_dir, dpi):
    """Draw the plots of the design study in DIR (written by thermal-cpo study -o DIR) as PNGs;
    prints the paths written. Needs matplotlib (pip install thermal_cpo[viz])."""
    from ..viz.inputs import renamed
    from ..viz.study import save_study_plots

    try:
        written = save_study_plots(folder, out_dir, kind=kind, output=output, variants=variants, z=z, dpi=dpi)
    except LayoutError as exc:
        raise renamed(exc, OPTIONS) from None
    for path in written:
        click.echo(path)
