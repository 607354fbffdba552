"""Grid levels: the layout's grid refined (split) or coarsened (merged), nested either way, for
grid-convergence studies.

A level is a number of cells per cell of the layout's own grid and direction. Whole numbers
split every cell into equal cells. Half numbers merge pairs: the grid at twice the level with
every other node of each interval between fixed lines removed, so the coarser grid's nodes are
all nodes of the finer ones; quarters merge pairs twice. An interval with an odd number of cells keeps one cell unmerged, and
an interval of one cell (a film, a narrow gap) is not coarsened at all: there the local ratio is
1, not 2. Through a source-free film that costs nothing — the scheme carries 1-D conduction
across a cell exactly — but a study whose observed order leaves the asymptotic range on a
merged level says so rather than giving an error bar.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..errors import LayoutError
from ..layout import Package
from .axes import axis_specs, graded_axis


def refine_axis(nodes: np.ndarray, refine: int) -> np.ndarray:
    """Node coordinates (m) with every cell of ``nodes`` split into ``refine`` equal cells: the
    old nodes are all kept (nested grids), so the new axis has ``refine·(len(nodes) − 1) + 1``
    nodes and every neighbour ratio of the old cells is kept across the old nodes."""
    nodes = np.asarray(nodes, dtype=float)
    if refine == 1:
        return nodes
    frac = np.arange(refine) / refine
    inner = nodes[:-1, None] + np.diff(nodes)[:, None] * frac[None, :]
    inner[:, 0] = nodes[:-1]  # exactly the old nodes
    return np.concatenate([inner.ravel(), nodes[-1:]])


def coarsen_axis(nodes: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Node coordinates (m) with neighbouring cells of ``nodes`` merged in pairs inside every
    interval between the fixed lines ``breaks`` (which stay nodes); an interval of an odd
    number of cells keeps its last cell whole."""
    nodes = np.asarray(nodes, dtype=float)
    breaks = np.asarray(breaks, dtype=float)
    at = np.minimum(np.searchsorted(nodes, breaks), len(nodes) - 1)
    if not np.array_equal(nodes[at], breaks):  # pragma: no cover - every axis is built on its breaks
        raise LayoutError("internal: a fixed grid line is not a node of the axis", path="grid")
    keep = [np.arange(i0, i1, 2) for i0, i1 in zip(at[:-1], at[1:])]
    return nodes[np.concatenate(keep + [at[-1:]])]


def level_splits(pkg: Package, refine=1) -> Fraction:
    """Cells per cell of the base grid (the ``[grid]`` controls before ``grid.refine``) and
    direction: ``grid.refine × refine``, a whole, half or quarter number > 0 (else a
    LayoutError)."""
    if isinstance(refine, bool) or not isinstance(refine, (int, np.integer, float, Fraction)) \
            or not (math.isfinite(refine) and refine > 0):
        raise LayoutError(f"refine must be a number > 0 of cells per cell and direction, got {refine!r}",
                          path="refine")
    base = pkg.grid.refine
    total = Fraction(refine).limit_denominator(64) * base
    if total.denominator not in (1, 2, 4) or abs(float(total) - float(refine) * base) > 1e-9:
        raise LayoutError(
            f"refine {refine!r} (on the layout's grid.refine = {base}) must make a whole, half or "
            "quarter number of cells per base cell: whole numbers split cells, halves and "
            "quarters merge pairs", path="refine")
    return total


def level_axes(pkg: Package, refine=1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node arrays ``(x, y, z)`` (m) of ``pkg``'s grid at the level ``refine`` (see the module)."""
    total = level_splits(pkg, refine)
    specs = axis_specs(pkg)  # once: the merging needs the fixed lines the grading starts from
    axes = tuple(refine_axis(graded_axis(br, hmax, pkg.grid.grading), int(total * total.denominator))
                 for br, hmax in specs)
    for _ in range(total.denominator.bit_length() - 1):  # merge pairs once per halving
        axes = tuple(coarsen_axis(a, br) for a, (br, _) in zip(axes, specs))
    return axes
