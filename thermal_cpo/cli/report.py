"""``thermal-cpo report``: :func:`thermal_cpo.analysis.report` of a saved result, printed."""

from __future__ import annotations

import click

from .errors import user_errors


def incomplete_note(result) -> str | None:
    """For a transient that was interrupted: that the result is incomplete, and up to which
    time (s) it holds fields; None for a complete result."""
    if getattr(result, "complete", True) or getattr(result, "times", None) is None:
        return None
    t_end = result.solver.get("t_end")
    of = f" of {t_end:g} s" if isinstance(t_end, (int, float)) and t_end == t_end else ""
    n = len(result.times)
    return (f"incomplete: the transient was interrupted at t = {result.t_stop:g} s{of}; it holds "
            f"the {n} field{'s' if n != 1 else ''} stored up to then")


@click.command("report")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@user_errors
def report_command(result_file, as_json):
    """Print the report of a saved result: temperatures, margins, R_th, photonics, crosstalk."""
    from ..analysis import report
    from ..results import load_result
    from .render import console, print_report

    result = load_result(result_file)
    rep = report(result)
    note = incomplete_note(result)
    if as_json:
        import json

        # first in the JSON, as the note is first in the text: nothing read later mistakes it
        rep = {"complete": result.complete, "t_stop": result.t_stop, "note": note, **rep}
        click.echo(json.dumps(rep, indent=2, default=float))
    else:
        out = console()
        if note:
            out.print(note)
        print_report(rep, out)
