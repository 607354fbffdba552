"""A grid to a target error: local refinement of the components whose error bands miss it.

Each round is a full three-grid study (:func:`~thermal_cpo.analysis.convergence.convergence_study`)
of a package, so every band it reports is that of a nested study. Between rounds the package's
own cell controls change: the components whose reported values miss the target, and the blocks
and boxes touching them (the heat a hot spot sheds crosses them first), get cells half the size
of the largest they had. The grading control then carries the finer cells into their
surroundings, and the rest of the package keeps its grid — where a tensor grid allows: the
lines of a refined block run across the package, graded back out from it.
"""

from __future__ import annotations

import math

from ..errors import LayoutError
from ..layout import Package
from .convergence import convergence_study, study_levels, worst_band

#: the most rounds of local refinement: each halves the cells of what misses the target, so six
#: rounds shrink them 64 times, beyond what a package's memory guard lets a tensor grid take
MAX_ROUNDS = 6
#: a round must shrink the largest band at least this much (relative) to go on: local refinement
#: that no longer pays says so rather than spending the memory guard
MIN_GAIN = 0.1


def _regions(pkg: Package) -> list[tuple[str, tuple, tuple, tuple[float, float], tuple]]:
    """``(name, kind, x, y, z ranges in m, where)`` of every layer, block and box; ``where``
    locates it in :meth:`Package.to_dict` (("layers", i), ("layers", i, j), ("boxes", j))."""
    fx, fy = pkg.footprint.x, pkg.footprint.y
    out = []
    for i, (layer, zr) in enumerate(zip(pkg.layers, pkg.layer_bounds())):
        out.append((layer.name, "layer", (0.0, fx), (0.0, fy), zr, ("layers", i)))
        out += [(b.name, "block", b.x, b.y, zr, ("layers", i, j)) for j, b in enumerate(layer.blocks)]
    out += [(b.name, "box", b.x, b.y, b.z, ("boxes", j)) for j, b in enumerate(pkg.boxes)]
    return out


def _largest_cell(nodes, lo: float, hi: float) -> float:
    """The widest cell (m) of an axis whose centre lies in ``[lo, hi]`` (m)."""
    widths = [b - a for a, b in zip(nodes[:-1], nodes[1:]) if lo <= 0.5 * (a + b) <= hi]
    return max(widths) if widths else 0.0


def _touch(a, b) -> bool:
    """Do two boxes of ``(x, y, z)`` ranges (m) overlap or share a face, edge or corner?"""
    return all(p[0] <= q[1] and q[0] <= p[1] for p, q in zip(a, b))


def neighbours(pkg: Package, names) -> set[str]:
    """``names`` with the blocks and boxes touching any of them (whole layers are left out: a
    layer touches everything above and below it)."""
    regions = {r[0]: r for r in _regions(pkg)}
    out = set(names)
    for name in names:
        here = regions[name][2:5]
        out |= {n for n, (_, kind, *box, _w) in regions.items()
                if kind != "layer" and _touch(here, tuple(box))}
    return out


def refine_locally(pkg: Package, names) -> tuple[Package, dict]:
    """``pkg`` with cells half the size of the largest it has inside each named component: a
    block's or box's ``max_cell_xy`` (and a box's ``max_cell_z``; a block's layer's), a layer's
    ``max_cell_z`` and — a layer spans the footprint — ``grid.max_cell_xy``. Returns the new
    package and the controls set, ``{name: {"max_cell_xy": m, "max_cell_z": m}}``."""
    from ..mesh.axes import build_axes

    ax, ay, az = build_axes(pkg)
    data = pkg.to_dict()
    controls: dict[str, dict] = {}
    for name, kind, xr, yr, zr, where in _regions(pkg):
        if name not in names:
            continue
        dxy = 0.5 * float(max(_largest_cell(ax, *xr), _largest_cell(ay, *yr)))
        dz = 0.5 * float(_largest_cell(az, *zr))
        layer = data["layers"][where[1]] if kind != "box" else None
        entry = layer if kind == "layer" else (data["boxes"][where[1]] if kind == "box"
                                               else layer["blocks"][where[2]])
        if kind == "layer":
            data["grid"]["max_cell_xy"] = min(data["grid"]["max_cell_xy"], dxy)
        else:
            entry["max_cell_xy"] = min(entry.get("max_cell_xy") or math.inf, dxy)
        z_entry = layer if kind != "box" else entry
        z_entry["max_cell_z"] = min(z_entry.get("max_cell_z") or math.inf, dz)
        controls[name] = {"max_cell_xy": dxy, "max_cell_z": dz}
    return Package.from_dict(data), controls


def _missing(table: dict, target: float) -> set[str]:
    """The components whose reported values (``comp.T_hot``, ``comp.T_mean``, ``comp.ringN``)
    have a band (the GCI, else the spread) above ``target`` (K)."""
    out = set()
    for r in table["rows"]:
        band = r["gci"] if r["gci"] is not None else r["spread"]
        if band is None or not band <= target:
            out.add(r["name"].rsplit(".", 1)[0])
    return out


def refine_to_target(pkg, target: float | None = None, memory_limit=None, **solve_kw):
    """Refine ``pkg``'s grid where its error bands miss ``target`` (K; default the layout's
    ``grid.target_error``) until every reported temperature of a study's finest grid
    (:func:`worst_band`) is within it, the next study's grids are beyond the memory guard, a
    round shrinks the largest band by less than :data:`MIN_GAIN`, or after :data:`MAX_ROUNDS`.

    Returns the finest result of the last study (its package: the refined layout) with the study
    as ``result.convergence`` — plus ``target``, ``met``, ``worst`` and ``worst_value`` (the band,
    K, and its value), ``rounds`` and ``refined`` (per component the cell controls set, m), and
    ``stopped`` (why, when not met)."""
    target = pkg.grid.target_error if target is None else float(target)
    if target is None or not target > 0:
        raise LayoutError("a target error needs a temperature difference > 0, e.g. '0.2 K'",
                          path="grid.target_error")
    refined: dict[str, dict] = {}
    result, table = convergence_study(pkg, memory_limit=memory_limit, **solve_kw)
    rounds, stopped = 0, None
    while True:
        worst, name = worst_band(table)
        if worst <= target:
            break
        if rounds == MAX_ROUNDS:
            stopped = f"after {rounds} rounds of local refinement"
            break
        finer, controls = refine_locally(pkg, neighbours(pkg, _missing(table, target)))
        try:
            levels = study_levels(finer, memory_limit=memory_limit)
        except LayoutError as err:
            stopped = f"the next refinement's study is beyond the memory guard ({err})"
            break
        result2, table2 = convergence_study(finer, levels=levels, memory_limit=memory_limit, **solve_kw)
        rounds += 1
        if not worst_band(table2)[0] < (1.0 - MIN_GAIN) * worst:
            stopped = (f"refining {', '.join(sorted(controls))} shrank the largest band by less "
                       f"than {MIN_GAIN:.0%} ({worst:.3g} K to {worst_band(table2)[0]:.3g} K)")
            break
        pkg, result, table = finer, result2, table2
        refined.update(controls)
    worst, name = worst_band(table)
    table.update(target=target, worst=worst, worst_value=name, met=worst <= target, rounds=rounds,
                 refined=refined)
    if stopped:
        table["stopped"] = (f"target {target:g} K not met: {name} has a band of {worst:.3g} K on "
                            f"the ×{table['levels'][-1]:g} grid; stopped: {stopped}")
    result.convergence = table
    return result, table
