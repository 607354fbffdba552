"""``thermal-cpo report``: :func:`thermal_cpo.analysis.report` of a saved result, printed."""

from __future__ import annotations

import click

from .errors import user_errors


@click.command("report")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@user_errors
def report_command(result_file, as_json):
    """Print the report of a saved result: temperatures, margins, R_th, photonics, crosstalk."""
    from ..analysis import report
    from ..results import load_result
    from .render import console, print_report

    rep = report(load_result(result_file))
    if as_json:
        import json

        click.echo(json.dumps(rep, indent=2, default=float))
    else:
        print_report(rep, console())
