"""The memory guard: how many bytes a solve needs per cell and how many this process may use."""

from __future__ import annotations

import math
import os

from .. import units as u
from ..errors import LayoutError
from ..layout import Package

#: Bytes a cell costs at the peak of a steady solve (operator, preconditioner hierarchy,
#: Krylov vectors, result); the memory guard multiplies the cell count by it. The guard does not
#: know the solver, so this covers the heaviest iterative one: peak RSS of ``thermal-cpo run
#: LAYOUT -o FILE`` above that of a small run in the same process (imports, compiled kernels),
#: per cell, was 137 B (die-tim-lid --refine 2, 3.16 M cells), 223 B (quickstart --refine 8,
#: 3.28 M, k(T)) and 269 B (oe-unit-cell, 2.68 M) with the default multigrid, but 577 B
#: (oe-unit-cell), 634 B (die-tim-lid --refine 2) and 653 B (the same, amg-sa) with pyamg;
#: 653 B plus 10 %.
BYTES_PER_CELL = 720
#: The same with coolant (the coupled, non-symmetric system beside the solid one, BiCGSTAB's
#: longer recurrence, the outer iterations for coolant properties and power models), measured
#: the same way with the default solver: 954 B (gpu-hbm-cpo-2p5d --refine 2, 5.72 M cells),
#: 989 B (cpo-51t2-switch --refine 2, 4.17 M) and 1197 B (gpu-1k5-cpo --refine 2, 2.27 M, with
#: leakage and laser models); 1197 B plus 9 %.
BYTES_PER_CELL_COOLANT = 1300


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


def bytes_per_cell(pkg: Package) -> int:
    """The bytes a cell of ``pkg`` costs at the peak of a solve (with or without coolant)."""
    return BYTES_PER_CELL_COOLANT if pkg.has_coolant else BYTES_PER_CELL


def _limit_source(pkg: Package, override) -> str:
    if override is not None:
        return "set by --memory-limit"
    if os.environ.get("THERMAL_CPO_MEMORY_LIMIT"):
        return "set by the THERMAL_CPO_MEMORY_LIMIT environment variable"
    if pkg.grid.memory_limit is not None:
        return "set by grid.memory_limit"
    return "80 % of the memory available now"


def refuse_over_limit(pkg: Package, shape: tuple[int, int, int], override=None, *,
                      at_least: bool = False, path: str = "grid", why: str = "") -> None:
    """Raise the memory guard's error when ``shape`` (nz, ny, nx) cells need more than the memory
    limit; ``at_least``: the counts are lower bounds (the grid was not built), ``why`` a sentence
    naming the control that makes the grid so large."""
    nz, ny, nx = shape
    n = nx * ny * nz
    limit = memory_limit(pkg, override)
    need = float(n) * bytes_per_cell(pkg)
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


def check_memory(pkg: Package, shape: tuple[int, int, int], override=None) -> None:
    """Refuse, before any cell array exists, a grid of ``shape`` (nz, ny, nx) whose solve would
    need more than the memory limit (see :func:`memory_limit`); the message says where the limit
    came from and what to change."""
    refuse_over_limit(pkg, shape, override)
