"""``thermal-cpo crosstalk``: :func:`thermal_cpo.analysis.crosstalk` at the steady operating
point of a layout, printed (and saved with the steady result)."""

from __future__ import annotations

import os
import sys

import click

from .errors import refuse_overwriting_the_layout, stop_on_sigterm, user_errors
from .options import solver_option
from .progress import solve_progress


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
    with solve_progress(as_json) as progress:
        result = solve_steady(pkg, solver=solver, memory_limit=memory_limit, progress=progress)
        xt = crosstalk(result, solver=solver, progress=progress)
    result.crosstalk = xt
    if output:
        result.save(output, command_line="thermal-cpo " + " ".join(sys.argv[1:]))
    if as_json:
        import json

        from .report import json_ready

        click.echo(json.dumps(json_ready(xt.as_dict()), indent=2, allow_nan=False, default=float))
        return
    out = console()
    print_crosstalk(xt.as_dict(), out)
    print_crosstalk_summary(xt, {n: result.component(n).power for n in xt.sources}, out)
    if output:
        print_written(output, out)


#: Significant digits of a printed Ψ (mK/W): enough to tell neighbouring sources apart, and a
#: number that is never cut short, so what is read off the table is the value to 1 part in 2000.
PSI_DIGITS = 4


def table_width(out) -> int:
    """The characters a table may take: the console's width, and no more than ``COLUMNS`` when
    that is set (a console writing to a pipe keeps a fixed width of its own)."""
    columns = os.environ.get("COLUMNS", "")
    return min(out.width, int(columns)) if columns.isdigit() and int(columns) > 0 else out.width


def _matrix_table(title: str, xt: dict, cols: list[int]):
    """The rows of the sources ``cols`` (indices into ``xt['sources']``) as a table, Ψ in mK/W;
    no cell is ever ellipsized (a cell too wide for the terminal folds onto a second line)."""
    from .render import LEFT, RIGHT, table

    src, psi = xt["sources"], xt["psi_mean"]
    rows = []
    for name in src:
        i = xt["targets"].index(name)
        rows.append([name] + [f"{psi[i][j] * 1e3:.{PSI_DIGITS}g}" for j in cols])
    t = table(title, ["target \\ source"] + [src[j] for j in cols], rows, [LEFT] + [RIGHT] * len(cols))
    for column in t.columns:
        column.overflow = "fold"
    return t


def print_crosstalk_matrix(xt: dict, out) -> None:
    """Ψ between the powered components (``xt`` as :meth:`Crosstalk.as_dict`, K/W) printed in
    mK/W, in blocks of source columns that each fit :func:`table_width`, every row repeating
    its target so a block reads on its own."""
    from rich.measure import Measurement

    title = "Crosstalk Ψ_ij = ∂T_i/∂P_j [mK/W] (row i: mean T of target; column j: source)"
    n, width = len(xt["sources"]), table_width(out)
    unbounded = out.options.update_width(10 ** 6)  # the natural width, not one clamped to the console's

    def fits(cols):
        return Measurement.get(out, unbounded, _matrix_table("", xt, cols)).maximum <= width

    blocks, start = [], 0
    while start < n:
        stop = start + 1  # at least one source per block, however narrow the terminal
        while stop < n and fits(list(range(start, stop + 1))):
            stop += 1
        blocks.append((start, stop))
        start = stop
    for start, stop in blocks:
        part = f" — sources {start + 1}–{stop} of {n}" if len(blocks) > 1 else ""
        out.print(_matrix_table(title + part, xt, list(range(start, stop))), width=width)
