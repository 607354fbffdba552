"""Rectilinear grid and voxelization: Package → Mesh (the mesh stage of the pipeline).

Grid lines fall on every layer interface, block/box face and boundary-patch edge, so every
component and boundary rectangle is represented exactly (and on the pixel edges of a power map
that asks for them, ``map_grid_lines``). Between those lines cells are refined
to the largest allowed size (globally, per layer, per component) with the ratio of neighbouring
cell sizes kept at or below ``grid.grading`` everywhere, including across the fixed lines.
Every interval between fixed lines has at least one cell, so a 2 µm film keeps its own cells.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import LayoutError
from ..layout import Package, snap
from .power_maps import map_grid_lines


#: most samples of the size function in the uniform part of one interval: with the geometric
#: parts at its ends (at most ~16·ln(L/f)/β samples each) an interval's arrays stay a few MB
MAX_UNIFORM_SAMPLES = 2 ** 16
#: most cells one axis may get: beyond it the node array alone is near a GB, and no grid with
#: such an axis fits a memory limit (the memory guard refuses it long before this is reached)
MAX_AXIS_CELLS = 10 ** 8


# ---------------------------------------------------------------------------------------------
def growth_rate(grading: float) -> float:
    """The geometric growth rate β (per unit length over cell size) of the size function: cells
    grow by at most ``grading**0.9`` per cell, leaving a margin for the sampling of the size
    function and the capped interiors."""
    return 0.9 * math.log(grading)


def end_sizes(breaks, hmax) -> np.ndarray:
    """The cell size (m) the size function starts from at every fixed line before any grading
    repair: the smaller uniform cell of the two intervals the line bounds."""
    L = np.diff(breaks)
    uni = L / np.maximum(1, np.ceil(L / hmax - 1e-9))
    hp = np.empty(len(breaks))
    hp[0], hp[-1] = uni[0], uni[-1]
    hp[1:-1] = np.minimum(uni[:-1], uni[1:])
    return hp


def envelope(breaks, hp, beta) -> tuple[np.ndarray, np.ndarray]:
    """The size function's cones at every fixed line ``i``: ``(left, right)`` (m), the smallest
    ``hp[p] + beta·|breaks[i] - breaks[p]|`` over the lines ``p`` at or left of ``i``, and over
    those at or right of it (one sweep each way, so O(len(breaks)))."""
    left, right = np.array(hp, dtype=float), np.array(hp, dtype=float)
    gaps = beta * np.diff(breaks)
    for i in range(1, len(left)):
        left[i] = min(left[i], left[i - 1] + gaps[i - 1])
    for i in range(len(right) - 2, -1, -1):
        right[i] = min(right[i], right[i + 1] + gaps[i])
    return left, right


def _size_function(breaks, hp, hmax, beta):
    """Return f(x, interval) = min(H_interval, min_p(hp[p] + beta·|x - breaks[p]|)).

    No fixed line lies inside an interval, so every cone from the left of it is the left
    envelope at its start plus beta·(x - start), and likewise from the right: f is a tent of
    three lines per interval and costs O(len(x)) memory, whatever the number of fixed lines."""
    left, right = envelope(breaks, hp, beta)

    def f(x, i):
        up = left[i] + beta * (x - breaks[i])
        down = right[i + 1] + beta * (breaks[i + 1] - x)
        return np.minimum(hmax[i], np.minimum(up, down))

    f.beta = beta  # the growth rate travels with the function for the interval sampler
    return f


def _mesh_interval(a, b, f, i, n_min=1):
    """Nodes in [a, b] (a and b included) with cell sizes following f, n = ceil(∫dx/f)."""
    L = b - a
    # samples closer than a sixteenth of the local cell size, so ∫dx/f is accurate to well under
    # 1 %: geometric from both ends (where f grows linearly) and uniform where f is capped
    fa, fb = (float(v) for v in f(np.array([a, b]), i))
    fmax = float(f(np.array([0.5 * (a + b)]), i)[0])
    # (capped: where that would be more, f is small at an end and the geometric samples resolve
    # it; where f is capped at H it is constant and the trapezoid rule is exact at any spacing)
    h_uniform = min(fa, fb, fmax) if max(fa, fb) >= L else fmax
    parts = [np.linspace(a, b, int(min(MAX_UNIFORM_SAMPLES, 16 * L / max(h_uniform, 1e-15))) + 2)]
    for f0, sign, start in ((fa, 1.0, a), (fb, -1.0, b)):
        if f0 < L:
            beta = f.beta
            kmax = int(16 * math.log1p(beta * L / f0) / beta) + 2
            d = f0 * np.expm1(beta * np.arange(kmax) / 16.0) / beta
            parts.append(start + sign * d[d < L])
    xs = np.unique(np.clip(np.concatenate(parts + [np.array([a, b])]), a, b))
    fs = f(xs, i)
    phi_total = float(np.sum(0.5 * (1.0 / fs[1:] + 1.0 / fs[:-1]) * np.diff(xs)))
    n = max(n_min, int(math.ceil(phi_total - 1e-9)))
    if n == 1:
        return np.array([a, b])
    # cap the size function at lam so that ∫dx/min(f, lam) = n exactly: the rounding up of the
    # cell count is absorbed where cells are largest, leaving the cells at the ends as f says
    lo, hi = L / n, float(fs.max())

    def integral(lam):
        g = np.minimum(fs, lam)
        return float(np.sum(0.5 * (1.0 / g[1:] + 1.0 / g[:-1]) * np.diff(xs)))

    if integral(hi) < n:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            if integral(mid) > n:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-12 * hi:
                break
        lam = 0.5 * (lo + hi)
    else:
        lam = hi
    g = np.minimum(fs, lam)
    phi = np.concatenate([[0.0], np.cumsum(0.5 * (1.0 / g[1:] + 1.0 / g[:-1]) * np.diff(xs))])
    phi *= n / phi[-1]
    nodes = np.interp(np.arange(n + 1, dtype=float), phi, xs)
    nodes[0], nodes[-1] = a, b
    return nodes


def graded_axis(breaks, hmax, grading: float) -> np.ndarray:
    """Node coordinates (m) of a 1-D axis.

    ``breaks``: sorted fixed coordinates that must be nodes (first and last are the ends);
    ``hmax[i]``: largest cell size in ``[breaks[i], breaks[i+1]]``; ``grading``: the largest
    allowed ratio between neighbouring cell sizes (> 1).
    """
    breaks = np.asarray(breaks, dtype=float)
    hmax = np.asarray(hmax, dtype=float)
    L = np.diff(breaks)
    at_least = float(np.sum(np.maximum(1, np.ceil(L / hmax - 1e-9))))  # f ≤ hmax: a lower bound
    if at_least > MAX_AXIS_CELLS:
        raise LayoutError(f"an axis of the grid would get at least {at_least:,.0f} cells, more than "
                          f"the {MAX_AXIS_CELLS:,} an axis may have: coarsen grid.max_cell_xy / "
                          "grid.max_cell_z or the per-layer/per-block overrides", path="grid")
    hp = end_sizes(breaks, hmax)
    beta = growth_rate(grading)
    limit = grading * (1 + 1e-9)
    for _ in range(200):
        f = _size_function(breaks, hp, hmax, beta)
        pieces = [_mesh_interval(breaks[i], breaks[i + 1], f, i) for i in range(len(L))]
        first = np.array([p[1] - p[0] for p in pieces])
        last = np.array([p[-1] - p[-2] for p in pieces])
        ratio = np.maximum(last[:-1] / first[1:], first[1:] / last[:-1])
        bad = np.nonzero(ratio > grading ** 0.97)[0]
        if len(bad) == 0:
            break
        for k in bad:  # refine towards the fixed line between intervals k and k+1
            hp[k + 1] = 0.9 * min(last[k], first[k + 1], hp[k + 1])
    nodes = np.concatenate([pieces[0]] + [p[1:] for p in pieces[1:]])
    d = np.diff(nodes)
    if np.any(d <= 0) or np.any(np.maximum(d[1:] / d[:-1], d[:-1] / d[1:]) > limit):
        raise LayoutError(  # pragma: no cover - the construction above guarantees it
            "internal: could not build a graded axis; try a larger grid.grading", path="grid.grading")
    return nodes



def _axis_breaks(values, lo, hi):
    pts = {snap(lo), snap(hi)}
    pts.update(snap(v) for v in values if lo <= v <= hi)
    return np.array(sorted(pts))


def _interval_limits(breaks, base, overrides):
    """Per-interval max cell size: ``base`` everywhere, smaller ``(lo, hi, h)`` overrides inside."""
    hmax = np.full(len(breaks) - 1, float(base))
    mids = 0.5 * (breaks[1:] + breaks[:-1])
    for lo, hi, h in overrides:
        inside = (mids > lo) & (mids < hi)
        hmax[inside] = np.minimum(hmax[inside], h)
    return hmax


def axis_specs(pkg: Package):
    """The fixed lines and per-interval largest cell sizes of the three axes, before any grading:
    ``((breaks_x, hmax_x), (breaks_y, hmax_y), (breaks_z, hmax_z))`` (m). :func:`build_axes` grades
    these and the memory guard bounds the cell count from the same ones, so the two cannot differ."""
    layer_z = pkg.layer_bounds()
    g = pkg.grid
    xs, ys, zs = [], [], []
    ov_x, ov_y, ov_z = [], [], []
    for layer, (z0, z1) in zip(pkg.layers, layer_z):
        zs += [z0, z1]
        if layer.max_cell_z is not None:
            ov_z.append((z0, z1, layer.max_cell_z))
        for b in layer.blocks:
            xs += list(b.x) + map_grid_lines(b)[0]
            ys += list(b.y) + map_grid_lines(b)[1]
            if b.max_cell_xy is not None:
                ov_x.append((*b.x, b.max_cell_xy))
                ov_y.append((*b.y, b.max_cell_xy))
    for b in pkg.boxes:
        xs += list(b.x) + map_grid_lines(b)[0]
        ys += list(b.y) + map_grid_lines(b)[1]
        zs += list(b.z)
        if b.max_cell_xy is not None:
            ov_x.append((*b.x, b.max_cell_xy))
            ov_y.append((*b.y, b.max_cell_xy))
        if b.max_cell_z is not None:
            ov_z.append((*b.z, b.max_cell_z))
    for _, bc in pkg.boundaries.items():
        for rng, acc in ((bc.x, xs), (bc.y, ys), (bc.z, zs)):
            if rng is not None:
                acc += list(rng)
    # every cooling kind names the lines it needs (plate footprints, channel edges)
    lines = {"x": xs, "y": ys, "z": zs}
    coolings = [(cp, (0.0, layer_z[-1][1])) for cp in pkg.coldplates]
    coolings += [(layer.channels, zr) for layer, zr in zip(pkg.layers, layer_z) if layer.channels is not None]
    for spec, zr in coolings:
        for ax, vals in spec.grid_lines(pkg.footprint, zr).items():
            lines[ax] += list(vals)
    H = layer_z[-1][1]
    specs = []
    for vals, hi, base, ov in ((xs, pkg.footprint.x, g.max_cell_xy, ov_x),
                               (ys, pkg.footprint.y, g.max_cell_xy, ov_y),
                               (zs, H, g.max_cell_z, ov_z)):
        br = _axis_breaks(vals, 0.0, hi)
        specs.append((br, _interval_limits(br, base, ov)))
    return tuple(specs)


def build_axes(pkg: Package):
    """Node arrays ``(x, y, z)`` (m) for a package, before any cell array is allocated."""
    return tuple(graded_axis(br, hmax, pkg.grid.grading) for br, hmax in axis_specs(pkg))
