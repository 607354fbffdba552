"""The memory guard: how many bytes a solve needs per cell and how many this process may use."""

from __future__ import annotations

import math
import os

from .. import units as u
from ..errors import LayoutError
from ..layout import Package

#: Bytes a cell costs at the peak of a steady solve (operator, preconditioner hierarchy,
#: Krylov vectors, result); the memory guard multiplies the cell count by it.
BYTES_PER_CELL = 600
#: The same with coolant: the coupled (non-symmetric) matrix beside the solid one and BiCGSTAB's
#: longer recurrence; measured 770 B/cell on the 1.7 M-cell resolved-cavity benchmark.
BYTES_PER_CELL_COOLANT = 800


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


def check_memory(pkg: Package, shape: tuple[int, int, int], override=None) -> None:
    """Refuse, before any cell array exists, a grid of ``shape`` (nz, ny, nx) whose solve would
    need more than the memory limit (see :func:`memory_limit`); the message says where the limit
    came from and what to change."""
    nz, ny, nx = shape
    n = nx * ny * nz
    memory_limit_bytes = override
    limit = memory_limit(pkg, memory_limit_bytes)
    need = float(n) * (BYTES_PER_CELL_COOLANT if pkg.has_coolant else BYTES_PER_CELL)
    if need > limit:
        if memory_limit_bytes is not None:
            source = "set by --memory-limit"
        elif os.environ.get("THERMAL_CPO_MEMORY_LIMIT"):
            source = "set by the THERMAL_CPO_MEMORY_LIMIT environment variable"
        elif pkg.grid.memory_limit is not None:
            source = "set by grid.memory_limit"
        else:
            source = "80 % of the memory available now"
        raise LayoutError(
            f"the grid has {n:,} cells ({nx} × {ny} × {nz}); solving it needs about "
            f"{u.format_bytes(need)}, above the memory limit of {u.format_bytes(limit)} ({source}). "
            "Coarsen grid.max_cell_xy / grid.max_cell_z (or the per-layer/per-block overrides), "
            "or raise the limit: grid.memory_limit in the layout, --memory-limit on the command "
            "line, or THERMAL_CPO_MEMORY_LIMIT",
            path="grid",
        )

