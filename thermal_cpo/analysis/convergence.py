"""Grid convergence: the same package on nested grids, Richardson extrapolation and the
grid-convergence index of every reported temperature.

The procedure is Roache's GCI in the three-grid form that ASME V&V 20 adopts [celik-gci-2008]:
with grid ratios ``r21 = h2/h1`` and ``r32 = h3/h2`` (1 = finest) and the differences
``ε21 = f2 − f1``, ``ε32 = f3 − f2``, the observed order ``p`` solves
``p = |ln|ε32/ε21| + q(p)| / ln r21`` with ``q(p) = ln((r21^p − s)/(r32^p − s))``,
``s = sign(ε32/ε21)``; the extrapolated value is ``(r21^p f1 − f2)/(r21^p − 1)`` and the error
band of the finest value ``GCI = Fs |ε21| / (r21^p − 1)`` (K here, not relative: a temperature in
°C has no natural zero) with the safety factor ``Fs = 1.25``. Values that converge
oscillating, do not move at all, or whose observed order lies outside
:data:`ASYMPTOTIC_ORDERS` are marked instead of being given an error bar.
"""

from __future__ import annotations

import math

import numpy as np

from ..results import Result
from .photonics import photonics_report

#: safety factor of a three-grid study [celik-gci-2008]
SAFETY_FACTOR = 1.25
#: observed orders taken as asymptotic for the second-order scheme: 2 within a factor 1.5
ASYMPTOTIC_ORDERS = (2.0 / 1.5, 2.0 * 1.5)
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


def gci(f1: float, f2: float, f3: float, r21: float, r32: float) -> dict:
    """The study of one value from its finest (``f1``), middle and coarsest solutions: ``fine``,
    ``extrapolated``, ``order``, ``gci`` (K, the error band of ``fine``) and ``status``
    ("asymptotic", "oscillating", "order p outside …" or "grid-independent")."""
    out = {"fine": f1, "medium": f2, "coarse": f3, "extrapolated": None, "order": None, "gci": None}
    e21, e32 = f2 - f1, f3 - f2
    if abs(e21) <= FLAT and abs(e32) <= FLAT:
        return dict(out, extrapolated=f1, gci=0.0, status="grid-independent")
    if abs(e21) <= FLAT or abs(e32) <= FLAT:
        return dict(out, status="one step does not move: no order can be observed")
    p, s = observed_order(f1, f2, f3, r21, r32)
    out["order"] = p
    if s < 0:
        return dict(out, status="oscillating: no error bar")
    if not ASYMPTOTIC_ORDERS[0] <= p <= ASYMPTOTIC_ORDERS[1]:
        return dict(out, status=f"order {p:.2f} outside the asymptotic range "
                                f"{ASYMPTOTIC_ORDERS[0]:.2f}–{ASYMPTOTIC_ORDERS[1]:.2f}: no error bar")
    g = r21 ** p
    return dict(out, extrapolated=(g * f1 - f2) / (g - 1.0), gci=SAFETY_FACTOR * abs(e21) / (g - 1.0),
                status="asymptotic")


def _values(result: Result) -> dict[str, float]:
    """The reported temperatures of one solve (°C) by name: per powered or limited component
    T_max, T_mean and (face-powered) T_junction, per ring its temperature."""
    out = {}
    for c in result.components:
        if c.power > 0 or c.limit is not None:
            out[f"{c.name}.T_max"] = c.T_max
            out[f"{c.name}.T_mean"] = c.T_mean
            if c.T_junction is not None:
                out[f"{c.name}.T_junction"] = c.T_junction
    for bank in photonics_report(result):
        for i, T in enumerate(bank["T_rings"] if bank["rings"] else []):
            out[f"{bank['component']}.ring{i}"] = T
    return out


def convergence_table(results: list[Result], levels: list[int]) -> dict:
    """The study of solves on nested grids ``levels`` (refinement factors, coarsest first; three
    of them): ``rows`` (one per value, see :func:`gci`, with ``name``), ``levels``, ``cells``."""
    if len(results) != 3 or len(levels) != 3 or not levels[0] < levels[1] < levels[2]:
        raise ValueError("a convergence study takes three solves on increasingly fine nested grids")
    coarse, medium, fine = (_values(r) for r in results)
    r21, r32 = levels[2] / levels[1], levels[1] / levels[0]
    rows = [dict(name=k, **gci(fine[k], medium[k], coarse[k], r21, r32)) for k in fine if k in coarse]
    return {"levels": list(levels), "cells": [r.mesh.n_cells for r in results], "rows": rows,
            "safety_factor": SAFETY_FACTOR,
            "wall_times": [float(r.solver.get("wall_time", np.nan)) for r in results]}


def convergence_study(pkg, levels=(1, 2, 3), **solve_kw) -> tuple[Result, dict]:
    """Solve ``pkg`` on the nested grids ``levels`` (see :func:`thermal_cpo.solve_steady`'s
    ``refine``) and return the finest result, carrying the study as ``result.convergence``,
    and the study (:func:`convergence_table`)."""
    from ..solve import solve_steady

    results = [solve_steady(pkg, refine=n, **solve_kw) for n in levels]
    table = convergence_table(results, list(levels))
    results[-1].convergence = table
    return results[-1], table
