"""Coolant loops on the network: a loop's mass flow through its stages, its split among parallel
branches from their pressure-drop curves, and the figures a report gives per loop.

The whole mass flow ṁ passes every stage (mass is what a loop conserves: a branch's volume
flow is its ṁ over the density at its own mean coolant temperature). Within a stage of several
branches the split makes the branch pressure drops equal: each branch's ΔP_i(ṁ_i) is its own
correlation (friction and minor losses), evaluated at its properties. The split is Newton-like
on the local power law ΔP_i ∝ ṁ_i^n_i (n = 1 laminar, ≈ 1.75–2 turbulent or loss-dominated),
whose common ΔP is bracketed by the branch values, so each step keeps Σ ṁ_i = ṁ exactly and the
spread of the branch pressure drops falls to :data:`SPLIT_TOL`. A loop given a pressure finds
the ṁ whose stage pressure drops add up to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from scipy.optimize import brentq

from ..errors import SolverError

#: relative spread (max − min)/max of parallel branches' pressure drops at which a split stops
SPLIT_TOL = 1e-11
SPLIT_MAXITER = 60
#: relative tolerance on ΔP of a loop driven by a pressure
PRESSURE_TOL = 1e-11

#: ``dp(group, mdot)``: the pressure drop (Pa) of one group at mass flow ``mdot`` (kg/s)
PressureDrop = Callable[[int, float], float]


@dataclass
class LoopFlow:
    """A loop's solved flow: ``mdot`` (kg/s) through every stage, each group's mass flow
    (``group_mdot``, by group index), each stage's common pressure drop (``stage_dP``, Pa) and
    the largest relative spread of branch pressure drops in any stage (``balance``)."""

    mdot: float
    group_mdot: dict[int, float] = field(default_factory=dict)
    stage_dP: list[float] = field(default_factory=list)
    balance: float = 0.0

    @property
    def dP(self) -> float:
        """The loop's total pressure drop (Pa)."""
        return math.fsum(self.stage_dP)


def split(mdot: float, branches: list[int], dp: PressureDrop) -> tuple[np.ndarray, float, float]:
    """Mass flows (kg/s) of the parallel ``branches`` (group indices) sharing ``mdot`` with equal
    pressure drops: ``(flows, common ΔP (Pa), spread)``, the spread (max − min)/max of the
    branches' ΔP at those flows."""
    if len(branches) == 1:
        return np.array([mdot]), dp(branches[0], mdot), 0.0
    m = np.full(len(branches), mdot / len(branches))
    for _ in range(SPLIT_MAXITER):
        p = np.array([dp(b, mi) for b, mi in zip(branches, m)])
        spread = float((p.max() - p.min()) / p.max())
        if spread <= SPLIT_TOL:
            return m, float(np.dot(m, p) / mdot), spread
        eps = 1e-6
        p_up = np.array([dp(b, mi * (1 + eps)) for b, mi in zip(branches, m)])
        n = np.clip(np.log(p_up / p) / math.log1p(eps), 0.5, 4.0)  # local ΔP ∝ ṁ^n
        lp = np.log(p)

        def excess(lP, m=m, lp=lp, n=n):
            return float(np.sum(m * np.exp((lP - lp) / n)) - mdot)

        lP = brentq(excess, lp.min(), lp.max(), xtol=1e-15, rtol=1e-15)
        m = m * np.exp((lP - lp) / n)
        m *= mdot / m.sum()  # the mass balance exact, whatever the rounding of the step
    raise SolverError(f"the flow split among {len(branches)} parallel branches did not balance "
                      f"their pressure drops in {SPLIT_MAXITER} iterations (spread {spread:.2e})")


def at_mass_flow(stages: list[list[int]], mdot: float, dp: PressureDrop) -> LoopFlow:
    """The loop's flow with ``mdot`` (kg/s) through its ``stages`` (lists of group indices)."""
    out = LoopFlow(mdot)
    for branches in stages:
        m, p, spread = split(mdot, branches, dp)
        out.group_mdot.update({b: float(mi) for b, mi in zip(branches, m)})
        out.stage_dP.append(p)
        out.balance = max(out.balance, spread)
    return out


def at_pressure(stages: list[list[int]], pressure: float, dp: PressureDrop, mdot_guess: float) -> LoopFlow:
    """The loop's flow when its stages' pressure drops add up to ``pressure`` (Pa); the mass flow
    is bracketed from ``mdot_guess`` (kg/s) by factors of 4."""

    def excess(lm):
        return math.log(at_mass_flow(stages, math.exp(lm), dp).dP / pressure)

    lo = hi = math.log(mdot_guess)
    for _ in range(40):
        f_lo, f_hi = excess(lo), excess(hi)
        if f_lo <= 0.0 <= f_hi:
            break
        if f_lo > 0.0:
            lo -= math.log(4.0)
        if f_hi < 0.0:
            hi += math.log(4.0)
    else:
        raise SolverError(f"no flow gives a loop pressure drop of {pressure:.4g} Pa")
    lm = brentq(excess, lo, hi, xtol=PRESSURE_TOL, rtol=PRESSURE_TOL) if lo != hi else lo
    return at_mass_flow(stages, math.exp(lm), dp)


__all__ = ["LoopFlow", "split", "at_mass_flow", "at_pressure", "SPLIT_TOL"]
