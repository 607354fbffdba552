"""``thermal-cpo run``: :func:`thermal_cpo.solve_steady` (or, with ``--transient``,
:func:`thermal_cpo.solve_transient`) of a layout, then its report."""

from __future__ import annotations

import sys

import click

from ..errors import LayoutError
from .errors import refuse_overwriting_the_layout, stop_on_sigterm, user_errors
from .options import T_END, solver_option
from .progress import compile_notice, solve_progress


def _check_threads_and_tol(threads, tol) -> None:
    from ..kernels.jit import set_threads

    if threads is not None:
        try:
            set_threads(threads)
        except ValueError as exc:
            raise LayoutError(str(exc), path="--threads") from None
    if tol is not None and not 0 < tol < 1:
        raise LayoutError(f"must be in (0, 1), got {tol}", path="--tol")


def _seconds(value, path):
    """A time option: bare seconds or a string with units ('10 ms')."""
    from .. import units

    return None if value is None else units.parse_plain(value, units.TIME, path)


def _kept(output):
    """A recorder that, when the run stops early, tells the interruption's message (exception
    attribute ``detail``) up to which time the steps were kept in ``output``."""
    from ..solve.transient.recorders import Recorder

    class Kept(Recorder):
        t = 0.0

        def step(self, t, T):
            self.t = t

        def abort(self, exc):  # called after the result file was kept, incomplete
            if output and isinstance(exc, KeyboardInterrupt):
                exc.detail = (f"stopped at t = {self.t:g} s; the fields stored up to then are in "
                              f"{output}, marked incomplete")

    return Kept()


def _solve_transient(pkg, quiet: bool, **opts):
    """The transient solve, with a progress bar on a terminal (stderr) unless ``quiet``."""
    from ..solve import solve_transient
    from .render import console

    if opts["t_end"] is None:
        raise LayoutError("--transient needs --t-end (s)", path="--t-end")
    for key in ("t_end", "dt", "save_every"):
        opts[key] = _seconds(opts[key], key)
    opts["recorders"] = (_kept(opts["output"]),)
    if quiet or not sys.stderr.isatty():
        return solve_transient(pkg, **opts)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("simulated {task.fields[t]:.4g} s"), BarColumn(), TimeRemainingColumn(),
                  transient=True, console=console(stderr=True)) as bar:
        task = bar.add_task("transient", total=opts["t_end"], t=0.0)
        return solve_transient(pkg, progress=lambda t, te: bar.update(task, completed=t, t=t), **opts)


def _solve_steady(pkg, output, solver, tol, memory_limit, command_line, refine=1, convergence=False,
                  quiet=False, **transient_only):
    from ..solve import solve_steady

    for key, val in transient_only.items():
        if val is not None:
            opt = "--" + key.replace("_", "-")
            raise LayoutError(f"{opt} needs --transient", path=opt)
    if pkg.grid.target_error is not None:
        from ..analysis import refine_to_target

        if refine != 1:
            raise LayoutError("--refine and the layout's grid.target_error both set the grid: give "
                              "one of them", path="--refine")
        result, _ = refine_to_target(pkg, solver=solver, tol=tol, memory_limit=memory_limit)
    elif convergence:
        from ..analysis import convergence_study

        result, _ = convergence_study(pkg, refine=refine, solver=solver, tol=tol,
                                      memory_limit=memory_limit)
    else:
        with solve_progress(quiet) as progress:
            result = solve_steady(pkg, solver=solver, tol=tol, memory_limit=memory_limit, refine=refine,
                                  progress=progress)
    if output:
        result.save(output, command_line=command_line)
    return result


def _print(result, transient: bool, output, as_json: bool) -> None:
    import json

    from ..analysis import report
    from .render import console, print_report, print_transient, print_written

    if as_json:
        from .report import json_ready

        # strict JSON, as `report --json` prints: a figure not recorded (NaN) is null
        click.echo(json.dumps(json_ready(report(result)), indent=2, allow_nan=False, default=float))
        return
    out = console()
    if transient:
        print_transient(result, out)
    else:
        print_report(report(result), out)
    if output:
        from pathlib import Path

        print_written(output, out, sidecar=Path(output).with_suffix(".xdmf"))


@click.command("run")
@click.argument("layout")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the result file (HDF5) here, with its .xdmf sidecar.")
@solver_option
@click.option("--tol", type=float, default=None, help="Relative residual of the linear solve (default 1e-10).")
@click.option("--threads", type=int, default=None, help="numba threads for the kernels.")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB'.")
@click.option("--refine", type=int, default=1, show_default=True,
              help="Split every cell of the default grid N times per direction (nested; steady only).")
@click.option("--convergence", is_flag=True,
              help="Solve on three nested grids (×½, ×1, ×2 of the --refine grid; ×1½ or ×3 as the "
                   "finest where memory or an even grid.refine call for it) and report each "
                   "temperature's extrapolated value, observed order and GCI; the result is the "
                   "finest. A layout's grid.target_error refines further until its bands meet it.")
@click.option("--transient", is_flag=True, help="Solve in time (power traces, initial condition).")
@click.option("--t-end", type=T_END, default=None, help="Transient: end time (s, or with units: '10 ms').")
@click.option("--dt", default=None, help="Transient: step (explicit) or first/fixed step (implicit).")
@click.option("--method", default="auto", show_default=True, help="Transient: auto | implicit | explicit.")
@click.option("--scheme", default="bdf2", show_default=True,
              help="Implicit: bdf2 (one solve per step) | tr-bdf2 | be (backward Euler, step doubling) | "
                   "cn (Crank-Nicolson, step doubling).")
@click.option("--save-every", default=None, help="Transient: store the field every S seconds.")
@click.option("--rtol", type=float, default=1e-3, show_default=True, help="Implicit: relative step error.")
@click.option("--atol", type=float, default=1e-3, show_default=True, help="Implicit: absolute step error (K).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@user_errors
@stop_on_sigterm()  # a transient stopped by `kill` keeps its steps, as with Ctrl-C
def run(layout, output, solver, tol, threads, memory_limit, refine, convergence, transient, t_end, dt, method, scheme,
        save_every, rtol, atol, as_json, quiet):
    """Solve a layout (steady state, or --transient) and print the report."""
    from ..layout import load_layout
    from ..linalg import DEFAULT_TOL

    _check_threads_and_tol(threads, tol)
    pkg = load_layout(layout)
    refuse_overwriting_the_layout(output, pkg)
    if not quiet:
        from .validate import overpaint_warnings

        for w in overpaint_warnings(pkg):  # on stderr: before a long solve, and out of the JSON
            click.echo(w, err=True)
    if output:
        from ..io.atomic import check_writable

        check_writable(output)  # refused now, not after a long solve
    command_line = "thermal-cpo " + " ".join(sys.argv[1:])
    if transient and convergence:
        raise LayoutError("--convergence is for steady solves", path="--convergence")
    if transient and refine != 1:
        raise LayoutError("--refine is for steady solves; refine a transient's grid with its "
                          "[grid] and per-component cell controls", path="--refine")
    with compile_notice(quiet):
        if transient:
            result = _solve_transient(pkg, quiet or as_json, t_end=t_end, dt=dt, method=method,
                                      scheme=scheme, save_every=save_every, rtol=rtol, atol=atol,
                                      solver=solver, tol=tol or DEFAULT_TOL, output=output,
                                      memory_limit=memory_limit, command_line=command_line)
        else:
            result = _solve_steady(pkg, output, solver, tol or DEFAULT_TOL, memory_limit,
                                   command_line, refine=refine, convergence=convergence,
                                   quiet=quiet or as_json, t_end=t_end, dt=dt, save_every=save_every)
    if not quiet:
        _print(result, transient, output, as_json)
