"""An explicit random void map: circular voids placed at random over a component's footprint,
reproducibly by a seed, realised on the grid as void cells.

Placement: void centres are drawn uniformly over the footprint (``numpy.random.default_rng(seed)``;
a void may be cut by the footprint's edge) and painted on a raster of pixels at most D/16 across
(at most :data:`MAX_RASTER` per side), one after another, until the voids cover at least the
requested fraction of the raster; the last void overshoots by at most one void's area. The
placement depends on the seed, the footprint and the diameter only, never on the grid.

Realisation: each grid column's covered share is the area-weighted mean of the raster over it
(:func:`.power_maps.cell_means`); the columns are taken in order of decreasing covered
share (ties in index order) for as long as that brings their total area nearer the requested
fraction of the footprint, so the realised fraction is within half the largest column's share
of the footprint of the request (derived: a prefix sum steps by one column at a time) on any
grid, and the void cells are those the circles cover most.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import LayoutError
from .power_maps import cell_means

#: the most raster pixels along one side of a void map
MAX_RASTER = 4096
#: the most voids one map may place (far beyond a die: a 20 mm die at 30 % in 100 µm voids has ~15 000)
MAX_VOIDS = 2_000_000


def void_raster(extent, diameter: float, fraction: float, seed: int):
    """``(covered, x_edges, y_edges, n_voids)``: the boolean ``(ny, nx)`` raster (rows = y) of
    the voids over ``extent`` ``(x0, x1, y0, y1)`` (m), its pixel edges (m) and how many voids
    were placed; ``diameter`` in m, ``fraction`` in (0, 1), ``seed`` an integer."""
    x0, x1, y0, y1 = extent
    lx, ly = x1 - x0, y1 - y0
    target_voids = fraction * lx * ly / (math.pi * diameter ** 2 / 4.0)
    if target_voids > MAX_VOIDS / 4:
        raise LayoutError(f"voids: {target_voids:.3g} voids of {diameter * 1e6:g} µm would be needed, more "
                          f"than {MAX_VOIDS // 4:,}; give a larger diameter", path="voids.diameter")
    h = max(diameter / 16.0, max(lx, ly) / MAX_RASTER)
    nx, ny = max(1, math.ceil(lx / h - 1e-9)), max(1, math.ceil(ly / h - 1e-9))
    hx, hy = lx / nx, ly / ny
    xe, ye = x0 + hx * np.arange(nx + 1), y0 + hy * np.arange(ny + 1)
    xe[-1], ye[-1] = x1, y1
    r = 0.5 * diameter
    wx, wy = math.ceil(r / hx) + 1, math.ceil(r / hy) + 1
    covered = np.zeros((ny, nx), dtype=bool)
    need = math.ceil(fraction * nx * ny - 1e-9)
    count, placed = 0, 0
    rng = np.random.default_rng(seed)
    while count < need:
        if placed >= MAX_VOIDS:
            raise LayoutError(f"voids: {MAX_VOIDS:,} voids placed without covering {fraction:g} of the "
                              "footprint", path="voids.fraction")
        for cx, cy in rng.uniform((x0, y0), (x1, y1), size=(256, 2)):
            ic, jc = int((cx - x0) / hx), int((cy - y0) / hy)
            i0, i1 = max(0, ic - wx), min(nx, ic + wx + 1)
            j0, j1 = max(0, jc - wy), min(ny, jc + wy + 1)
            px = x0 + hx * (np.arange(i0, i1) + 0.5) - cx
            py = y0 + hy * (np.arange(j0, j1) + 0.5) - cy
            disc = (py[:, None] ** 2 + px[None, :] ** 2) <= r * r
            window = covered[j0:j1, i0:i1]
            count += int(np.count_nonzero(disc & ~window))
            window |= disc
            placed += 1
            if count >= need:
                break
    return covered, xe, ye, placed


def column_coverage(covered, xe, ye, x_nodes, y_nodes) -> np.ndarray:
    """The covered share (0–1) of every grid column ``(len(y_nodes) - 1, len(x_nodes) - 1)``:
    the area-weighted mean of the raster ``covered`` (pixel edges ``xe``, ``ye``, m) over it."""
    return cell_means(covered.astype(float), xe, ye, x_nodes, y_nodes)


def select_columns(coverage, x_nodes, y_nodes, fraction: float) -> tuple[np.ndarray, float]:
    """``(void, realised)``: the boolean ``(ny, nx)`` columns made void and their share of the
    columns' total area, nearest ``fraction`` (see the module docstring)."""
    area = np.diff(y_nodes)[:, None] * np.diff(x_nodes)[None, :]
    total = float(area.sum())
    order = np.argsort(-coverage.ravel(), kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(area.ravel()[order])])
    n = int(np.argmin(np.abs(cum - fraction * total)))
    void = np.zeros(coverage.size, dtype=bool)
    void[order[:n]] = True
    return void.reshape(coverage.shape), float(cum[n] / total)


__all__ = ["void_raster", "column_coverage", "select_columns", "MAX_RASTER", "MAX_VOIDS"]
