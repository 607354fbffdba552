"""Running a study on dask.distributed: a :class:`~distributed.LocalCluster` of worker processes
on this machine, or any running scheduler by address.

Every variant's layout is built and validated before any solve: a parameter path that does not
resolve stops the study (the study is malformed), a variant the layout checks refuse is recorded
as ``invalid`` with its message and the others go on; so is a variant whose solve fails
(``failed``). Workers keep their process between variants, so the numba kernels compile once per
worker. Each local worker runs numba on ``threads`` threads and BLAS on one, so that workers ×
threads stays within the cores (two solves sharing a core each slow down far more than twice).
"""

from __future__ import annotations

import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ...errors import LayoutError, SolverError
from ...layout import load_layout
from ...layout.toml import parse_toml
from .design import variant_text, variants
from .outputs import expand, extract
from .spec import load_study
from .sweep import PowerSweep, power_components, variant_powers
from .table import StudyFolder


def solve_variant(text: str, origin: str, cols, threads: int | None, field_path: str | None) -> dict:
    """Solve one variant's layout ``text`` (steady) and return its outputs (``cols`` from
    :func:`.outputs.expand`), ``energy_balance``, ``wall_s`` and ``worker``; a failed solve
    gives ``status = "failed"`` and its ``error``. Runs on a worker (a plain function of plain
    arguments, so it pickles)."""
    from ...solve.steady import solve_steady

    if threads:
        from ...kernels.jit import set_threads

        set_threads(threads)
    t0 = time.perf_counter()
    out = {"worker": f"{os.uname().nodename}:{os.getpid()}"}
    try:
        result = solve_steady(parse_toml(text, origin))
        out.update(extract(result, cols))
        if field_path is not None:
            result.save(field_path)
        out.update(status="ok", energy_balance=result.energy_balance, error="")
    except (SolverError, LayoutError) as exc:
        out.update(status="failed", error=_one_line(exc))
    out["wall_s"] = time.perf_counter() - t0
    return out


def _one_line(exc: Exception) -> str:
    """An error's message on one line (a table cell)."""
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())


@dataclass
class StudyRun:
    """What a study run did: the folder, the rows by variant, how many variants were solved now,
    skipped (finished before) and refused (``invalid``), and the wall time (s)."""

    folder: Path
    rows: dict = field(default_factory=dict)
    solved: int = 0
    skipped: int = 0
    invalid: int = 0
    wall_s: float = 0.0
    method: str = "one solve per variant"


def _client(workers: int | None, scheduler: str | None, threads: int | None):
    """``(client, cluster or None, numba threads per worker)``."""
    from distributed import Client, LocalCluster

    if scheduler is not None:
        return Client(scheduler, timeout="20s"), None, threads
    n = workers or 1
    per = threads or max(1, (os.cpu_count() or 1) // n)
    env = {"NUMBA_NUM_THREADS": str(per), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                           env=env, silence_logs=40)
    return Client(cluster), cluster, per


def _prepare(study, folder: StudyFolder):
    """The base package, output columns, and ``(variant, text or None, error)`` per variant."""
    base_ref = study.base
    candidate = Path(study.folder) / base_ref
    pkg = load_layout(candidate if candidate.suffix == ".toml" or candidate.exists() else base_ref)
    origin = pkg.source_path or "<base>"
    cols = expand(study.outputs, pkg)
    prepared = []
    for v in variants(study):
        text = variant_text(pkg.source_text, study, v)  # a bad path: the study is malformed
        try:
            parse_toml(text, origin)
            prepared.append((v, text, None))
        except LayoutError as exc:
            prepared.append((v, None, _one_line(exc)))
    return pkg, origin, cols, prepared


def run_study(source, out, workers: int | None = None, scheduler: str | None = None,
              threads: int | None = None, fields: bool = False, superpose: bool = True,
              progress: Callable[[int, int, dict, list], None] | None = None) -> StudyRun:
    """Run the study ``source`` (a file, dict or :class:`Study`) into the folder ``out``; see the
    module's docstring. ``workers``: local worker processes (default 1); ``scheduler``: the
    address of a running dask scheduler instead; ``threads``: numba threads per worker (default
    the cores over the workers); ``fields``: also store each variant's result file under
    ``fields/``; ``superpose``: where only component powers vary on a linear package, every
    variant from one solve per varied component (:mod:`.sweep`; False: solve each);
    ``progress(done, total, row, params)`` is called as each variant finishes (``params``: the
    parameters' paths)."""
    study = load_study(source)
    spec = study.model_dump(mode="json")
    folder = StudyFolder(out, spec, [v.path for v in study.vary])
    t0 = time.perf_counter()
    pkg, origin, cols, prepared = _prepare(study, folder)
    run = StudyRun(folder.path)
    by_power = power_components(study, pkg, tomllib.loads(pkg.source_text)) if superpose else None
    todo = []
    for v, text, error in prepared:
        base = {"variant": v.index, "key": v.key, **{p: str(x) for p, x in v.params.items()}}
        if folder.finished(v):
            run.skipped += 1
            continue
        if text is None:
            folder.add({**base, "status": "invalid", "error": error})
            run.invalid += 1
            continue
        folder.write_variant(v, text)
        todo.append((v, text, base))
    if todo and by_power is not None:
        _superpose(pkg, todo, folder, origin, cols, by_power, fields, run, progress)
    elif todo:
        _solve_all(todo, folder, origin, cols, workers, scheduler, threads, fields, run, progress)
    folder.write_h5()
    run.rows, run.wall_s = folder.rows, time.perf_counter() - t0
    return run


def _superpose(pkg, todo, folder, origin, cols, by_power, fields, run, progress):
    """Every variant of a power-only study on a linear package from 1 + (varied components)
    solves (:mod:`.sweep`), in this process."""
    sweep = PowerSweep(pkg, sorted(set(by_power.values())))
    run.method = (f"superposition: {sweep.solves} solves for {len(todo)} variants (only powers vary "
                  "and the package is linear)")
    if fields:
        (folder.path / "fields").mkdir(exist_ok=True)
    for v, text, base in todo:
        result = sweep.result(variant_powers(text, origin, by_power))
        if fields:
            result.save(folder.path / "fields" / f"{v.index:04d}.h5")
        row = {**base, **extract(result, cols), "status": "ok", "energy_balance": result.energy_balance,
               "wall_s": result.solver["wall_time"], "worker": "superposition", "error": ""}
        folder.add(row)
        run.solved += 1
        if progress is not None:
            progress(run.solved, len(todo), row, folder.params)


def _solve_all(todo, folder, origin, cols, workers, scheduler, threads, fields, run, progress):
    from distributed import as_completed

    client, cluster, per = _client(workers, scheduler, threads)
    try:
        if fields:
            (folder.path / "fields").mkdir(exist_ok=True)
        futures = {}
        for v, text, base in todo:
            fpath = str(folder.path / "fields" / f"{v.index:04d}.h5") if fields else None
            fut = client.submit(solve_variant, text, origin, cols, per, fpath, key=f"variant-{v.index}-{v.key}",
                                pure=False)
            futures[fut] = base
        for fut in as_completed(list(futures)):
            row = {**futures[fut], **fut.result()}
            folder.add(row)
            run.solved += 1
            if progress is not None:
                progress(run.solved, len(todo), row, folder.params)
    finally:
        folder.write_h5()
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = ["run_study", "solve_variant", "StudyRun"]
