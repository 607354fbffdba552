"""``thermal-cpo bench``: :func:`thermal_cpo.bench.bench_case` for each case, beside this
machine's STREAM-triad bandwidth."""

from __future__ import annotations

import click

from ..errors import LayoutError
from .errors import user_errors


@click.command("bench")
@click.argument("cases", nargs=-1)
@click.option("--no-amg", is_flag=True, help="Skip the pyamg baseline (it is slow on big grids).")
@click.option("--tol", type=float, default=1e-10, show_default=True, help="Relative residual of each solve.")
@click.option("--repeats", type=int, default=3, show_default=True, help="Timed repeats (medians are shown).")
@click.option("--threads", type=int, default=None, help="numba threads for the kernels.")
@click.option("--stream-mib", type=int, default=768, show_default=True,
              help="STREAM-triad working set (three arrays together), MiB; keep it ≫ the cache.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--whole", is_flag=True,
              help="Only a whole steady solve of each case (voxelize to result), once: its time "
                   "and peak memory. For grids too large to solve repeatedly (100 M cells).")
@user_errors
def bench(cases, no_amg, tol, repeats, threads, stream_mib, as_json, whole):
    """Solver speed on this machine, beside its STREAM-triad bandwidth and the pyamg baseline.

    CASES: "N" (a stack-like package of about N³ cells: µm films under mm layers, 1000:1
    contrast), "NxNZ" (N × N lateral, about NZ layers of cells) or a layout name or file.
    Default: 128 (2 million cells) and die-tim-lid. A solve's cost is also given in
    equivalent fine-grid sweeps (one sweep = one application of the operator, y = A x), and
    the sweep against its memory-bandwidth floor (48 B per cell at the triad bandwidth); then
    one implicit (backward-Euler, 1 ms) step with each solver.
    """
    import json

    from ..bench import TRIAD_BYTES_PER_ELEMENT, bench_case, parse_case, triad_bandwidth
    from ..kernels.jit import set_threads
    from ..mesh import voxelize
    from .render import console, print_bench

    if repeats < 1:
        raise LayoutError(f"--repeats must be ≥ 1, got {repeats}", path="repeats")
    if stream_mib < 1:
        raise LayoutError(f"--stream-mib must be ≥ 1, got {stream_mib}", path="stream-mib")
    threads = set_threads(threads)
    packages = [parse_case(c) for c in (cases or ("128", "die-tim-lid"))]  # bad names fail first
    if whole:
        return _whole(packages, threads, as_json)
    bw = triad_bandwidth(stream_mib * 2**20 // TRIAD_BYTES_PER_ELEMENT, repeats=max(5, repeats))
    solvers = ("multigrid",) if no_amg else ("multigrid", "amg")
    rows = []
    for name, pkg in packages:
        rows += bench_case(name, voxelize(pkg), solvers=solvers, bandwidth=bw, tol=tol, repeats=repeats)
    if as_json:
        click.echo(json.dumps({"threads": threads, "triad_GBps": bw, "tol": tol, "cases": rows}, indent=1))
        return
    machine = {"threads": threads, "triad_GBps": bw, "stream_mib": stream_mib, "repeats": repeats, "tol": tol}
    print_bench(rows, machine, console())


def _whole(packages, threads: int, as_json: bool) -> None:
    """``--whole``: one end-to-end steady solve of each case, after a small one that compiles."""
    import json

    from ..bench import full_solve_figures, stack
    from ..solve.steady import solve_steady
    from .render import LEFT, RIGHT, console, table

    solve_steady(stack(12))  # kernels compiled or loaded outside the figures
    rows = [dict(case=name, **full_solve_figures(pkg)) for name, pkg in packages]
    if as_json:
        click.echo(json.dumps({"threads": threads, "cases": rows}, indent=1))
        return
    body = [[r["case"], f"{r['cells']:,}", " × ".join(map(str, r["shape"][::-1])), f"{r['wall']:.1f}",
             r["iterations"], f"{r['energy_balance']:.1e}",
             "—" if r["peak_bytes"] is None else f"{r['peak_bytes'] / 2**30:.2f}",
             "—" if r["bytes_per_cell"] is None else f"{r['bytes_per_cell']:.0f}"] for r in rows]
    console().print(table(f"Whole steady solve, voxelize to result ({threads} threads)",
                          ["case", "cells", "nx × ny × nz", "wall [s]", "iterations", "energy balance",
                           "peak [GiB]", "B/cell"], body, [LEFT] + [RIGHT] * 7))
