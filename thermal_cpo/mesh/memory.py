"""The memory guard: how many bytes a solve needs per cell and how many this process may use."""

from __future__ import annotations

import math
import os

from .. import units as u
from ..errors import LayoutError
from ..layout import Package

#: Bytes a cell costs at the peak of a solve with the default solvers (the geometric multigrid;
#: with coolant the coupled system kept as the stencil plus small coolant blocks), by path. The
#: guard multiplies the cell count by it. Measured as the peak resident memory of the solve
#: above that of the process after imports and a warm-up solve (``benchmarks/memory_probe.py``),
#: per cell, and kept by ``tests/mesh/test_memory_figures.py``:
#:
#: - conduction, steady: 118 B (a stack, 11.4 M cells), 125 B (die-tim-lid --refine 2, 3.0 M);
#:   with k(T) (the operator rebuilt each Picard iteration) 155 B (quickstart --refine 8,
#:   3.28 M) and 174 B (oe-unit-cell, 5.44 M);
#: - with coolant, steady: 207 B (cpo-51t2-switch --refine 2, 4.17 M, compact plate), 236 B
#:   (gpu-hbm-cpo-2p5d, 0.71 M), 250 B (tuckerman-pease-1981 --refine 2, 0.51 M, resolved
#:   channels), 330 B (gpu-1k5-cpo, 0.72 M, leakage and laser power models);
#: - transient (implicit, BDF2, a few stored steps): 479 B (die-tim-lid, 0.38 M); with
#:   coolant 562 B (cpo-51t2-switch, 0.52 M).
#:
#: Each figure is the largest measured plus about 10 %.
PATH_BYTES = {"conduction": 140, "conduction k(T)": 190, "coolant": 370, "transient": 530,
              "coolant transient": 620}
#: The same with a matrix solver (pyamg's hierarchies beside a CSR of the system): 577 B
#: (oe-unit-cell), 634 B (die-tim-lid --refine 2), 653 B (the same, amg-sa); with coolant (the
#: whole coupled system as one CSR) 954 B (gpu-hbm-cpo-2p5d --refine 2), 989 B
#: (cpo-51t2-switch --refine 2) and 1197 B (gpu-1k5-cpo --refine 2). A sparse LU ("direct")
#: fills in far beyond these on a 3-D grid; it is chosen by itself only for small systems.
MATRIX_BYTES = {"conduction": 720, "conduction k(T)": 720, "coolant": 1300, "transient": 720,
                "coolant transient": 1300}
#: solver names that assemble the system as a matrix
MATRIX_SOLVERS = ("amg", "amg-rs", "amg-sa", "amg-coupled", "direct")
#: the steady figures, by the names the guard has always used
BYTES_PER_CELL = PATH_BYTES["conduction"]
BYTES_PER_CELL_COOLANT = PATH_BYTES["coolant"]


def available_memory() -> float:
    """Bytes of memory available to this process (MemAvailable, else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 8e9


def _positive(limit: float, given, where: str) -> float:
    if not (math.isfinite(limit) and limit > 0):
        raise LayoutError(f"a memory limit must be a finite size > 0 (e.g. '8 GB'), got {given!r}",
                          path=where)
    return limit


def memory_limit(pkg: Package, override=None) -> float:
    """The memory guard's limit in bytes: ``override``, else ``THERMAL_CPO_MEMORY_LIMIT``,
    else the layout's ``grid.memory_limit``, else 80 % of the memory available now."""
    if override is not None:
        return _positive(u.parse_plain(override, u.BYTES, "memory_limit"), override, "memory_limit")
    env = os.environ.get("THERMAL_CPO_MEMORY_LIMIT")
    if env:
        return _positive(u.parse_plain(env, u.BYTES, "THERMAL_CPO_MEMORY_LIMIT"), env,
                         "THERMAL_CPO_MEMORY_LIMIT")
    if pkg.grid.memory_limit is not None:
        return pkg.grid.memory_limit
    return 0.8 * available_memory()


def memory_path(pkg: Package, transient: bool = False) -> str:
    """The key of :data:`PATH_BYTES` for a solve of ``pkg``."""
    if transient:
        return "coolant transient" if pkg.has_coolant else "transient"
    if pkg.has_coolant:
        return "coolant"
    return "conduction k(T)" if _any_k_of_T(pkg) else "conduction"


def _any_k_of_T(pkg: Package) -> bool:
    """Whether a component's material has k(T); a material not resolved here (a density map's
    generated media) counts as one, the larger figure."""
    for name in {c.material for c in pkg.components() if c.material is not None}:
        try:
            if pkg.material(name).temperature_dependent:
                return True
        except KeyError:
            return True
    return False


def bytes_per_cell(pkg: Package, transient: bool = False, solver="auto") -> int:
    """The bytes a cell of ``pkg`` costs at the peak of a solve: steady or ``transient``, with
    or without coolant, with the default solvers or (``solver`` naming one) a matrix solver."""
    table = MATRIX_BYTES if isinstance(solver, str) and solver in MATRIX_SOLVERS else PATH_BYTES
    return table[memory_path(pkg, transient)]


def _limit_source(pkg: Package, override) -> str:
    if override is not None:
        return "set by --memory-limit"
    if os.environ.get("THERMAL_CPO_MEMORY_LIMIT"):
        return "set by the THERMAL_CPO_MEMORY_LIMIT environment variable"
    if pkg.grid.memory_limit is not None:
        return "set by grid.memory_limit"
    return "80 % of the memory available now"


def refuse_over_limit(pkg: Package, shape: tuple[int, int, int], override=None, *,
                      at_least: bool = False, path: str = "grid", why: str = "",
                      per_cell: int | None = None) -> None:
    """Raise the memory guard's error when ``shape`` (nz, ny, nx) cells need more than the memory
    limit; ``at_least``: the counts are lower bounds (the grid was not built), ``why`` a sentence
    naming the control that makes the grid so large."""
    nz, ny, nx = shape
    n = nx * ny * nz
    limit = memory_limit(pkg, override)
    need = float(n) * (bytes_per_cell(pkg) if per_cell is None else per_cell)
    if need <= limit:
        return
    least = "at least " if at_least else ""
    raise LayoutError(
        f"the grid has {least}{n:,} cells ({least}{nx} × {ny} × {nz}); solving it needs "
        f"{'at least' if at_least else 'about'} {u.format_bytes(need)}, above the memory limit of "
        f"{u.format_bytes(limit)} ({_limit_source(pkg, override)}). {why}"
        "Coarsen grid.max_cell_xy / grid.max_cell_z (or the per-layer/per-block overrides), "
        "or raise the limit: grid.memory_limit in the layout, --memory-limit on the command "
        "line, or THERMAL_CPO_MEMORY_LIMIT",
        path=path,
    )


def check_memory(pkg: Package, shape: tuple[int, int, int], override=None,
                 per_cell: int | None = None) -> None:
    """Refuse, before any cell array exists, a grid of ``shape`` (nz, ny, nx) whose solve would
    need more than the memory limit (see :func:`memory_limit`); the message says where the limit
    came from and what to change."""
    refuse_over_limit(pkg, shape, override, per_cell=per_cell)
