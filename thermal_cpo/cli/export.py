"""``thermal-cpo export``: :func:`thermal_cpo.io.vtk.export` of a result file to a registered
format."""

from __future__ import annotations

import click

from .errors import user_errors
from .options import EXPORT_FORMAT


@click.command("export")
@click.argument("result_file", metavar="OUT.h5")
@click.option("-f", "--format", "fmt", type=EXPORT_FORMAT, required=True,
              help="vtr (VTK rectilinear grid), vtu (VTK hexahedra; needs meshio) or xdmf "
                   "(rewrite the ParaView sidecar beside OUT.h5).")
@click.option("-o", "--output", default=None,
              help="Where to write (default: OUT with the format's suffix).")
@user_errors
def export_command(result_file, fmt, output):
    """Convert a result file for ParaView/VisIt; prints the path written."""
    from ..io.export import status
    from ..io.vtk import export
    from .report import incomplete_note

    click.echo(export(result_file, fmt, output))
    note = incomplete_note(status(result_file))
    if note:  # stdout is the path written, for scripts
        click.echo(f"note: {result_file}: {note}", err=True)
