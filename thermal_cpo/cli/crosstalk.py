"""``thermal-cpo crosstalk``: :func:`thermal_cpo.analysis.crosstalk` at the steady operating
point of a layout, printed (and saved with the steady result)."""

from __future__ import annotations

import sys

import click

from .errors import refuse_overwriting_the_layout, stop_on_sigterm, user_errors
from .options import solver_option


@click.command("crosstalk")
@click.argument("layout")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the steady result with the crosstalk matrix (HDF5).")
@solver_option
@click.option("--json", "as_json", is_flag=True, help="Print the matrices as JSON.")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB'.")
@user_errors
@stop_on_sigterm()  # `kill` stops it as Ctrl-C does: the earlier result file stays as it was
def crosstalk_command(layout, output, solver, as_json, memory_limit):
    """Thermal crosstalk Ψ_ij = ∂T_i/∂P_j between the powered components (K/W)."""
    from ..analysis import crosstalk
    from ..layout import load_layout
    from ..solve import solve_steady
    from .render import console, print_crosstalk, print_crosstalk_summary, print_written

    pkg = load_layout(layout)
    refuse_overwriting_the_layout(output, pkg)
    if output:
        from ..io.atomic import check_writable

        check_writable(output)  # refused now, not after the solves
    result = solve_steady(pkg, solver=solver, memory_limit=memory_limit)
    xt = crosstalk(result, solver=solver)
    result.crosstalk = xt
    if output:
        result.save(output, command_line="thermal-cpo " + " ".join(sys.argv[1:]))
    if as_json:
        import json

        click.echo(json.dumps(xt.as_dict(), indent=2, default=float))
        return
    out = console()
    print_crosstalk(xt.as_dict(), out)
    print_crosstalk_summary(xt, {n: result.component(n).power for n in xt.sources}, out)
    if output:
        print_written(output, out)
