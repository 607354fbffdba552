"""Grid convergence: the same package on nested grids, Richardson extrapolation and the
grid-convergence index of every reported temperature.

The procedure is Roache's GCI in the three-grid form that ASME V&V 20 adopts [celik-gci-2008]:
with grid ratios ``r21 = h2/h1`` and ``r32 = h3/h2`` (1 = finest) and the differences
``ε21 = f2 − f1``, ``ε32 = f3 − f2``, the observed order ``p`` solves
``p = |ln|ε32/ε21| + q(p)| / ln r21`` with ``q(p) = ln((r21^p − s)/(r32^p − s))``,
``s = sign(ε32/ε21)``; the extrapolated value is ``(r21^p f1 − f2)/(r21^p − 1)`` and the error
band of the finest value ``GCI = Fs |ε21| / (r21^p − 1)`` (K here, not relative: a temperature in
°C has no natural zero) with the safety factor ``Fs = 1.25``. A value whose observed order is
not the formal one within a factor :data:`ASYMPTOTIC_SPAN` gets the conservative band of
[oberkampf-roy-vv-2010] (Fs 3, the order limited to 0.5 … formal) and no extrapolated value; values that converge oscillating or do
not move are marked instead of being given an error bar, their spread shown.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..results import Result
from .photonics import photonics_report

#: safety factor of a three-grid study [celik-gci-2008]
SAFETY_FACTOR = 1.25
#: the formal order of the conduction scheme (cell-centred finite volumes, harmonic face
#: conductances); a package with coolant streams is first order: each coolant node's balance is
#: upwind, its outlet temperature standing for the whole node (thermal_cpo.cooling.network)
FORMAL_ORDER = 2.0
COOLANT_ORDER = 1.0
#: observed orders taken as asymptotic: the formal order within a factor 1.5
ASYMPTOTIC_SPAN = 1.5
#: safety factor of a band outside the asymptotic range [oberkampf-roy-vv-2010]
CONSERVATIVE_FACTOR = 3.0
#: differences below this (K) are round-off of the linear solves, not discretisation error
FLAT = 1e-9


def observed_order(f1: float, f2: float, f3: float, r21: float, r32: float) -> tuple[float, int]:
    """The observed order ``p`` and the sign ``s`` of ``ε32/ε21`` (fixed-point iteration)."""
    e21, e32 = f2 - f1, f3 - f2
    s = 1 if e32 / e21 > 0 else -1
    ratio = abs(e32 / e21)
    p = abs(math.log(ratio)) / math.log(r21)
    for _ in range(200):
        q = math.log((r21 ** p - s) / (r32 ** p - s)) if r21 != r32 else 0.0
        p_new = abs(math.log(ratio) + q) / math.log(r21)
        if abs(p_new - p) < 1e-12:
            return p_new, s
        p = p_new
    return p, s


def gci(f1: float, f2: float, f3: float, r21: float, r32: float, formal: float = FORMAL_ORDER) -> dict:
    """The study of one value from its finest (``f1``), middle and coarsest solutions: ``fine``,
    ``extrapolated`` (asymptotic values only), ``order`` (observed), ``gci`` (K, the error band
    of ``fine``), ``bands`` (K, the bands of fine, medium and coarse) and ``status``
    ("asymptotic", "conservative: …", "oscillating: …", "grid-independent").

    A value converging monotonically at an order outside ``formal`` (the scheme's order) within
    a factor :data:`ASYMPTOTIC_SPAN` is not in the asymptotic range: its band takes the safety
    factor :data:`CONSERVATIVE_FACTOR` and the order ``min(max(0.5, p), formal)``
    [oberkampf-roy-vv-2010], and no extrapolated value is given.
    """
    out = {"fine": f1, "medium": f2, "coarse": f3, "extrapolated": None, "order": None, "gci": None,
           "bands": None}
    e21, e32 = f2 - f1, f3 - f2
    if abs(e21) <= FLAT and abs(e32) <= FLAT:
        return dict(out, extrapolated=f1, gci=0.0, bands=[0.0, 0.0, 0.0], status="grid-independent")
    if abs(e21) <= FLAT or abs(e32) <= FLAT:
        return dict(out, status="one step does not move: no order can be observed")
    p, s = observed_order(f1, f2, f3, r21, r32)
    out["order"] = p
    if s < 0:
        return dict(out, status="oscillating: no error bar (see the spread)")
    lo, hi = formal / ASYMPTOTIC_SPAN, formal * ASYMPTOTIC_SPAN
    asymptotic = lo <= p <= hi
    p_band, fs = (p, SAFETY_FACTOR) if asymptotic else (min(max(0.5, p), formal), CONSERVATIVE_FACTOR)
    f_ext = f1 - e21 / (r21 ** p_band - 1.0)  # the limit the band is measured from
    bands = [fs * abs(f - f_ext) for f in (f1, f2, f3)]
    if asymptotic:
        return dict(out, extrapolated=f_ext, gci=bands[0], bands=bands, status="asymptotic")
    return dict(out, gci=bands[0], bands=bands,
                status=f"conservative: order {p:.2f} outside the asymptotic range "
                       f"{lo:.2f}–{hi:.2f}, band with Fs "
                       f"{fs:g} and p {p_band:.2f}")


def _values(result: Result) -> dict[str, float]:
    """The reported temperatures of one solve (°C) by name: per powered or limited component
    ``T_hot`` — the hottest of its cell centres, its junction and its other faces, the value
    margins are taken to (the hottest cell centre alone sits half a cell from a hottest point on
    the surface and converges at first order) — and ``T_mean``; per ring its temperature."""
    out = {}
    for c in result.components:
        if c.power > 0 or c.limit is not None:
            out[f"{c.name}.T_hot"] = c.T_hot
            out[f"{c.name}.T_mean"] = c.T_mean
    for bank in photonics_report(result):
        for i, T in enumerate(bank["T_rings"] if bank["rings"] else []):
            out[f"{bank['component']}.ring{i}"] = T
    return out


def convergence_table(results: list[Result], levels) -> dict:
    """The study of solves on nested grids ``levels`` (refinement factors of the layout's grid,
    coarsest first; three of them): ``rows`` (one per value, see :func:`gci`, with ``name``,
    ``spread`` = the largest minus the smallest of the three values, K, and ``gci_default``,
    the band of the layout's own grid where it is one of the three), ``levels``, ``cells`` and
    ``formal_order`` (:data:`COOLANT_ORDER` with coolant streams, else :data:`FORMAL_ORDER`)."""
    levels = [float(v) for v in levels]
    if len(results) != 3 or len(levels) != 3 or not levels[0] < levels[1] < levels[2]:
        raise ValueError("a convergence study takes three solves on increasingly fine nested grids")
    coarse, medium, fine = (_values(r) for r in results)
    # the levels' own ratios, not Celik's (V/N)^(1/3): an interval a merged level cannot coarsen
    # (one cell — a film or a narrow gap) holds no error a cell count could weigh, as in a 1-D
    # stack whose lateral cells never change
    r21, r32 = levels[2] / levels[1], levels[1] / levels[0]
    formal = COOLANT_ORDER if any(r.coolant for r in results) else FORMAL_ORDER
    rows = []
    for k in fine:
        if k not in coarse:
            continue
        row = dict(name=k, **gci(fine[k], medium[k], coarse[k], r21, r32, formal))
        vals = (coarse[k], medium[k], fine[k])
        row["spread"] = max(vals) - min(vals)
        row["gci_default"] = (row["bands"][::-1][levels.index(1.0)]
                              if 1.0 in levels and row["bands"] else None)
        rows.append(row)
    return {"levels": levels, "cells": [r.mesh.n_cells for r in results], "rows": rows,
            "safety_factor": SAFETY_FACTOR, "formal_order": formal,
            "wall_times": [float(r.solver.get("wall_time", np.nan)) for r in results]}


#: the studies tried, cheapest first, as levels of the layout's grid (thermal_cpo.mesh.levels):
#: the half grid, the default and the doubled one, nested (9× the default's cells in all); with
#: an even ``grid.refine`` the half grid is exact base cells and, where ×2 is beyond memory,
#: ×1½ splits them too (uniform ratios, 4.5×, though the default's nodes are not all ×1½ nodes);
#: the last resort makes the default the finest of three, below it the half and quarter grids
EVEN_LEVELS = ((0.5, 1.0, 2.0), (0.5, 1.0, 1.5), (0.25, 0.5, 1.0))
ODD_LEVELS = ((0.5, 1.0, 2.0), (0.25, 0.5, 1.0))


def study_levels(pkg, refine=1, memory_limit=None) -> tuple[float, float, float]:
    """The three grids of a study of ``pkg`` (refinements of its own grid, times ``refine``):
    the first of :data:`EVEN_LEVELS` (even ``grid.refine``) or :data:`ODD_LEVELS` whose finest
    grid passes the memory guard; raises the guard's LayoutError when none does."""
    from ..errors import LayoutError
    from ..mesh.axes import build_axes
    from ..mesh.memory import check_memory
    from ..mesh.levels import level_splits

    base = level_splits(pkg, refine)
    n_base = [len(a) - 1 for a in build_axes(pkg)]
    choices = EVEN_LEVELS if base % 2 == 0 else ODD_LEVELS
    for levels in choices:
        m = float(base * Fraction(levels[-1]))  # the finest grid's cells per base cell
        try:
            check_memory(pkg, tuple(int(math.ceil(m * n)) for n in reversed(n_base)), memory_limit)
        except LayoutError as err:
            last = err
            continue
        return tuple(refine * v for v in levels)
    raise LayoutError(f"a grid-convergence study needs a finer grid than memory allows: {last}",
                      path="--convergence")


def convergence_study(pkg, levels=None, refine=1, **solve_kw) -> tuple[Result, dict]:
    """Solve ``pkg`` on three nested grids and return the finest result, carrying the study as
    ``result.convergence``, and the study (:func:`convergence_table`). ``levels``: refinements
    of the layout's grid (see :func:`thermal_cpo.solve_steady`'s ``refine``), by default
    :func:`study_levels` (times ``refine``)."""
    from ..solve import solve_steady

    if levels is None:
        levels = study_levels(pkg, refine, solve_kw.get("memory_limit"))
    results = [solve_steady(pkg, refine=n, **solve_kw) for n in levels]
    table = convergence_table(results, levels)
    results[-1].convergence = table
    return results[-1], table


def worst_band(study: dict) -> tuple[float, str]:
    """The largest error band (K) of a study's finest values and the value it belongs to: the
    GCI where there is one, else the spread of the three solves (oscillating or unmoved values);
    ``(inf, name)`` for a value that gives neither."""
    worst, name = 0.0, ""
    for r in study["rows"]:
        band = r["gci"] if r["gci"] is not None else r["spread"]
        if band is None or not math.isfinite(band):
            return math.inf, r["name"]
        if band > worst:
            worst, name = band, r["name"]
    return worst, name
