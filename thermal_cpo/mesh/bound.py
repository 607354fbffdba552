"""The memory guard's first look: the cell count bounded from the grid controls alone, before any
axis is graded.

Grading an axis samples a size function in every interval between fixed lines, with work and
memory that grow with its cell count, so a grid control typed a million times too small (a bare
``max_cell_xy = 0.001`` is 1 nm) would take minutes and gigabytes before the exact check of
:func:`~.memory.check_memory` could refuse it. This module bounds the count first.

Which bound refuses: a *lower* one. The graded axis gives interval ``i`` ``max(1, ceil(∫dx/f))``
cells, where on a first pass ``f`` is a tent, ``min(hmax_i, A + β·s, B + β·(L − s))``, with
``A, B`` the size function's values at the interval's ends; its grading repair then only lowers
``f`` (it shrinks the sizes at fixed lines), so the first pass's count, computed here in closed
form, can never exceed the real one. An upper bound cannot be had as cheaply: how far the repair
shrinks the sizes has no analytic floor (on random axes it lowers them to a tenth and raises the
count up to four times the first pass), so any honest upper bound is loose by far more than the
factor two that would keep a legitimate grid from being refused. The lower bound is within 13 %
of the real count per axis (23 % for a whole grid) on the shipped layouts, where the repair adds
little, and a grid refused on it is over the limit for certain.

When to refuse on it: only when the axes are long (:data:`EXACT_AXIS_CELLS`). A grid over the
limit whose axes are short is graded and refused by the exact check, so its message gives the
exact count, as it always has; grading short axes costs milliseconds, and only absurd controls
make axes long.
"""

from __future__ import annotations

import math

import numpy as np

from ..layout import Package
from .axes import axis_specs, end_sizes, envelope, growth_rate
from .memory import bytes_per_cell, memory_limit, refuse_over_limit

#: cells (all three axes together, refined) up to which the axes are graded even when the lower
#: bound is over the memory limit, so that the refusal states the exact count: grading axes of a
#: million cells in all takes about 0.1 s and under 100 MB (measured: 0.07 s for 700 000 cells)
EXACT_AXIS_CELLS = 10 ** 6


def _side_cells(A, s, H, beta):
    """∫_0^s dt / min(H, A + beta·t): cells of a size growing from A (m) at rate beta, capped at H."""
    t = np.clip((H - A) / beta, 0.0, s)
    return np.log1p(beta * t / A) / beta + (s - t) / H


def axis_lower_bound(breaks, hmax, grading: float) -> np.ndarray:
    """A lower bound on the cells :func:`~.axes.graded_axis` gives each interval between the
    fixed lines ``breaks`` (m) with largest sizes ``hmax`` (m) and ``grading``: the exact count
    of its first pass, before the grading repair (which only adds cells)."""
    breaks = np.asarray(breaks, dtype=float)
    hmax = np.asarray(hmax, dtype=float)
    beta = growth_rate(grading)
    left, right = envelope(breaks, end_sizes(breaks, hmax), beta)
    L = np.diff(breaks)
    A, B = np.minimum(left[:-1], hmax), np.minimum(right[1:], hmax)
    peak = np.clip((B - A + beta * L) / (2.0 * beta), 0.0, L)  # where the two slopes meet
    phi = _side_cells(A, peak, hmax, beta) + _side_cells(B, L - peak, hmax, beta)
    # the sampled integral is never below the exact one (1/f is convex, the trapezoid rule
    # overestimates it); the slack only covers rounding, and lowering a lower bound is safe
    return np.maximum(1.0, np.ceil(phi - 1e-6))


def cell_count_lower_bound(pkg: Package, splits=1) -> tuple[int, int, int]:
    """Lower bounds on the cells per axis, ``(nx, ny, nz)``, of the grid ``pkg`` gets with
    ``splits`` cells per cell of its base grid and direction (a whole number splits cells, a
    half merges pairs, never to fewer than ``splits`` times the cells; see :mod:`.levels`)."""
    g = pkg.grid.grading
    base = [int(np.sum(axis_lower_bound(br, hmax, g))) for br, hmax in axis_specs(pkg)]
    return tuple(max(1, math.floor(n * splits)) for n in base)


def _culprit(pkg: Package, axis: int) -> tuple[str, float]:
    """The grid control (path, value in m) behind the most cells on ``axis`` (0, 1, 2 = x, y, z)."""
    br, hmax = axis_specs(pkg)[axis]
    i = int(np.argmax(axis_lower_bound(br, hmax, pkg.grid.grading)))
    mid, h = 0.5 * (br[i] + br[i + 1]), float(hmax[i])
    key = "max_cell_z" if axis == 2 else "max_cell_xy"
    layer_z = pkg.layer_bounds()
    owners = []
    for li, (layer, zr) in enumerate(zip(pkg.layers, layer_z)):
        if axis == 2:
            owners.append((f"layers[{li}]", layer, zr))
        owners += [(f"layers[{li}].blocks[{j}]", b, (b.x, b.y)[axis]) for j, b in enumerate(layer.blocks)
                   if axis < 2]
    owners += [(f"boxes[{j}]", b, (b.x, b.y, b.z)[axis]) for j, b in enumerate(pkg.boxes)]
    for path, obj, (lo, hi) in owners:
        value = getattr(obj, key, None)
        if value is not None and lo < mid < hi and math.isclose(value, h, rel_tol=1e-9):
            return f"{path}.{key}", value
    return f"grid.{key}", getattr(pkg.grid, key)


def check_cell_bound(pkg: Package, splits=1, override=None, per_cell: int | None = None) -> None:
    """Refuse, before any axis is graded, a grid that is certainly over the memory limit and
    whose axes are long to grade (see the module's note). ``splits``: cells per base-grid cell
    and direction (:func:`~.levels.level_splits`); ``override``: the memory limit as for
    :func:`~.voxelize.voxelize`. Grids it lets through still meet the exact check."""
    nx, ny, nz = cell_count_lower_bound(pkg, splits)
    per_cell = bytes_per_cell(pkg) if per_cell is None else per_cell
    if nx + ny + nz <= EXACT_AXIS_CELLS or float(nx) * ny * nz * per_cell <= memory_limit(pkg, override):
        return
    base = cell_count_lower_bound(pkg)
    if splits > 1 and float(np.prod(base)) * per_cell <= memory_limit(pkg, override):
        path = "refine"
        why = f"At {float(splits):g} cells per cell of the layout's grid and direction it does not fit; "
        why += "the grid itself would. "
    else:
        axis = int(np.argmax(base))
        path, value = _culprit(pkg, axis)
        why = f"Its largest share of cells comes from {path} = {value * 1e6:g} µm, along {'xyz'[axis]}. "
    refuse_over_limit(pkg, (nz, ny, nx), override, at_least=True, path=path, why=why, per_cell=per_cell)
