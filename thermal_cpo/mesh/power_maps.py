"""Conservative resampling of a component's power map onto the grid.

Each map pixel's power is split among the grid columns by overlap area: with the separable
(sparse) overlap matrices ``Ox`` ``(ncells_x, npix_x)`` and ``Oy`` ``(ncells_y, npix_y)`` (the
fraction of pixel ``p`` lying in cell ``i``), the fraction of the map's power falling in column
``(j, i)`` is ``F = Oy @ (P / ΣP) @ Ox.T``, ``(ny, nx)`` over the component's cell index box
(rows = y). Every pixel lies within the component, so ``ΣF = 1`` to rounding, for maps finer or
coarser than the grid and offset against it. The same matrices, weighted by pixel over cell
length, give the area-weighted (conservative) mean of any pixel map over the cells
(:func:`cell_means`: copper-density and void maps). The z distribution (volume or one face) and the
renormalisation over the cells left visible after painting are :func:`.voxelize.distribute`'s.
"""

from __future__ import annotations

import numpy as np


def overlap_fractions(nodes: np.ndarray, edges: np.ndarray):
    """Sparse ``(len(nodes) - 1, len(edges) - 1)`` (CSR): the fraction of pixel ``p`` (edges in
    m, increasing) lying in cell ``i`` (nodes in m, increasing); a column sums to 1 where the
    pixel lies within the nodes. Only the cells a pixel touches are stored, so the matrix has
    about ``npix + ncells`` entries however fine either side is."""
    from scipy.sparse import csr_matrix

    n, p = len(nodes) - 1, len(edges) - 1
    first = np.clip(np.searchsorted(nodes, edges[:-1], side="right") - 1, 0, n - 1)
    last = np.clip(np.searchsorted(nodes, edges[1:], side="left") - 1, first, n - 1)
    counts = last - first + 1
    cols = np.repeat(np.arange(p), counts)
    rows = np.repeat(first, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    lo = np.maximum(nodes[rows], edges[cols])
    hi = np.minimum(nodes[rows + 1], edges[cols + 1])
    frac = np.clip(hi - lo, 0.0, None) / np.diff(edges)[cols]
    return csr_matrix((frac, (rows, cols)), shape=(n, p))


def lateral_weights(comp, x: np.ndarray, y: np.ndarray, index, rows=None) -> np.ndarray | None:
    """The fraction of the map's power in each grid column of the component's index box
    ``(k0, k1, j0, j1, i0, i1)``: ``(j1 - j0, i1 - i0)``, rows = y; None without a map (the
    power is uniform in x and y). ``comp``: the layout block or box; ``x``, ``y``: node arrays (m);
    ``rows``: another of its maps (default its ``power_map``)."""
    if getattr(comp, "power_map", None) is None:
        return None
    _, _, j0, j1, i0, i1 = index
    pixels = comp.map_pixel_powers(rows)
    total = pixels.sum()
    if not total > 0:  # an all-zero map in W/mm^2: no power, nothing to spread
        return np.zeros((j1 - j0, i1 - i0))
    xe, ye = comp.map_pixel_edges(rows)
    ox = overlap_fractions(np.asarray(x[i0:i1 + 1], dtype=float), xe)
    oy = overlap_fractions(np.asarray(y[j0:j1 + 1], dtype=float), ye)
    return np.asarray((ox @ (oy @ (pixels / total)).T).T)  # Oy P Ox^T


def step_weights(comp, x: np.ndarray, y: np.ndarray, index) -> tuple | None:
    """``((t_k, lateral_k), ...)`` for the later maps (k ≥ 1) of a component whose map changes
    in a transient (``power_maps`` with ``map_times``), each as :func:`lateral_weights`; None
    without such maps."""
    steps = getattr(comp, "power_maps", None)
    if not steps or len(steps) < 2:
        return None
    return tuple((float(t), lateral_weights(comp, x, y, index, rows))
                 for t, rows in zip(comp.map_times[1:], steps[1:]))


def cell_means(values, xe, ye, x_nodes, y_nodes) -> np.ndarray:
    """Area-weighted means ``(ny, nx)`` over the grid columns (nodes in m) of a pixel map
    ``values`` ``(ny_map, nx_map)`` with pixel edges ``xe``, ``ye`` (m) tiling the columns."""
    xn, yn = np.asarray(x_nodes, dtype=float), np.asarray(y_nodes, dtype=float)
    ox = overlap_fractions(xn, xe).multiply(np.diff(xe)[None, :]).multiply(1.0 / np.diff(xn)[:, None]).tocsr()
    oy = overlap_fractions(yn, ye).multiply(np.diff(ye)[None, :]).multiply(1.0 / np.diff(yn)[:, None]).tocsr()
    return np.asarray((ox @ (oy @ np.asarray(values, dtype=float)).T).T)


def map_grid_lines(comp) -> tuple[list[float], list[float]]:
    """The pixel edges ``(xs, ys)`` (m) a component asks to be grid lines (``map_grid_lines``)."""
    if getattr(comp, "power_map", None) is None or not comp.map_grid_lines:
        return [], []
    xe, ye = comp.map_pixel_edges()
    return list(xe), list(ye)
