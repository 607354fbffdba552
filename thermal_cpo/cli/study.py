"""``thermal-cpo study``: a design study (:func:`thermal_cpo.analysis.study.run_study`) run on
dask.distributed, its table written into a folder, resumable."""

from __future__ import annotations

import sys

import click

from .errors import user_errors


def _line(done: int, total: int, row: dict, params: list) -> None:
    """One progress line per finished variant: a bar, the variant's parameters, its wall time."""
    shown = ", ".join(f"{p} = {row.get(p)}" for p in params)
    tail = f"{row['wall_s']:.2f} s" if row["status"] == "ok" else f"{row['status']}: {row['error']}"
    bar = "#" * round(20 * done / total)
    click.echo(f"[{bar:<20}] {done}/{total} variant {row['variant']} ({shown}): {tail}", err=True)


@click.command("study")
@click.argument("study_file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(file_okay=False), required=True,
              help="The study's folder (table, variant layouts); rerun into it to resume.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Local worker processes (a dask LocalCluster; default 1).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on an existing dask scheduler (e.g. tcp://host:8786) instead.")
@click.option("--threads", type=click.IntRange(1), default=None,
              help="numba threads per worker (default: the cores over the local workers).")
@click.option("--fields", is_flag=True, help="Also store each variant's result file under fields/.")
@click.option("--no-superposition", is_flag=True,
              help="Solve every variant even where only powers vary on a linear package.")
@user_errors
def study_command(study_file, output, workers, scheduler, threads, fields, no_superposition):
    """Run the variants of STUDY_FILE (a base layout, parameters, a design, outputs)."""
    if workers is not None and scheduler is not None:
        from ..errors import LayoutError

        raise LayoutError("give --workers or --scheduler, not both", path="--scheduler")
    try:
        import distributed  # noqa: F401
    except ImportError:
        click.echo("error: studies run on dask.distributed, which is not installed "
                   "(pip install 'thermal_cpo[study]')", err=True)
        sys.exit(2)
    from ..analysis.study import run_study

    run = run_study(study_file, output, workers=workers, scheduler=scheduler, threads=threads,
                    fields=fields, superpose=not no_superposition, progress=_line)
    status = [r.get("status") for r in run.rows.values()]
    click.echo(f"{len(status)} variants in {run.folder}/results.csv and results.h5: {status.count('ok')} ok, "
               f"{status.count('failed')} failed, {status.count('invalid')} invalid; solved now {run.solved}, "
               f"finished before {run.skipped}; wall {run.wall_s:.1f} s; {run.method}")
    if status.count("failed"):
        sys.exit(1)
