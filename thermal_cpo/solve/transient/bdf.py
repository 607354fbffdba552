"""Second-order implicit steps whose error estimate needs no second answer of the step.

- ``bdf2``: variable-step BDF2 [hairer-norsett-wanner-1993] (section III.5), one linear solve a
  step. Its local error is estimated by Milne's device from the difference between the answer
  and an explicit predictor, the quadratic through the last three fields extrapolated to the
  step's end (also where CG starts). BDF2 needs fields of one smooth stretch of the source:
  the run starts, and restarts after every breakpoint of the power traces and wherever the
  step would grow more than :data:`OMEGA_MAX` times, with a TR-BDF2 step; a restart first
  tries the length the last restart was accepted with, and after a TR-BDF2 step the next
  length is scaled by :data:`TR_TO_BDF2` (BDF2's error constant is the larger).
- ``tr-bdf2``: TR-BDF2 [bank-trbdf2-1985] with γ = 2 − √2, a trapezoidal stage to t + γh and a
  BDF2 stage to t + h, both on the matrix ``A + C/(d·h)`` with d = γ/2. Its embedded error
  estimate [hosea-shampine-1996] is filtered by that matrix (one more solve) so that stiff
  components do not inflate it: two solves per step, three when adaptive.

Energy: each scheme's heat leaving over a step is its own quadrature of the heat flow, and the
source over a step is combined from the exact step means of the power traces, so that the
stored energy follows ``ΔE = ∫P dt − ∫Q dt`` to the linear solver's tolerance (derived below).
TR-BDF2: heat ``h·(w·(Q_n + Q_γ) + d·Q_n+1)``, and the BDF2 stage's source is the extrapolation
``(2 − γ)·b̄₂ − (1 − γ)·b̄₁`` of the two stage means to t + h. BDF2 (step ratio ω = h/h_prev):
``C·(α x⁺ − (1 + ω) x + β x⁻) = h·(b̃ − A x⁺)`` with α = (1 + 2ω)/(1 + ω), β = ω²/(1 + ω), so
``α ΔE − β ΔE_prev = h (P̃ − Q⁺)``: with ``b̃ = α b̄ − ω/(1 + ω)·b̄_prev`` (the extrapolation of the
two step means to t + h) and heat ``(h Q⁺ + β·heat_prev)/α`` the balance of every step is exact
given the previous one's (errors decay by β/α < 1 for ω < 1 + √2).
"""

from __future__ import annotations

import math

import numpy as np

from .control import GROW, SAFETY, SHRINK, Step
from .system import System

GAMMA = 2.0 - math.sqrt(2.0)
D = GAMMA / 2.0  # both TR-BDF2 stages solve with A + C/(D·h)
W = math.sqrt(2.0) / 4.0  # the weight of the fluxes at t and t + γh in the step's answer
A_BDF, C_BDF = 1.0 / (GAMMA * (2.0 - GAMMA)), (1.0 - GAMMA) ** 2 / (GAMMA * (2.0 - GAMMA))
#: the embedded third-order weights (1 − w)/3, w + 1/3, d/3 [hosea-shampine-1996] less the
#: TR-BDF2 weights w, w, d: the error estimate's combination of the three fluxes (sums to 0)
E_N, E_G, E_1 = (1.0 - 4.0 * W) / 3.0, 1.0 / 3.0, -2.0 * D / 3.0
#: BDF2 takes steps at most this many times the previous one (variable-step BDF2 is zero-stable
#: for ratios below 1 + √2 [hairer-norsett-wanner-1993]); a larger jump restarts with TR-BDF2
OMEGA_MAX = 2.0
#: local error constants (per h³·x‴): TR-BDF2's (3γ² − 4γ + 2)/(12(2 − γ))
#: [hosea-shampine-1996] and constant-step BDF2's 2/9 [hairer-norsett-wanner-1993]; a BDF2
#: step after a TR-BDF2 one of the same error is this fraction as long (derived: 0.567)
TR_TO_BDF2 = ((3 * GAMMA ** 2 - 4 * GAMMA + 2) / (12 * (2 - GAMMA)) / (2.0 / 9.0)) ** (1.0 / 3.0)
SECOND_ORDER = ("bdf2", "tr-bdf2")


class _History:
    """What BDF2 needs of the step just taken: the field before it (flat), its length (s), its
    mean source (W, flat), its heat (J), and the last three (time s, field) points of the
    stretch for the predictor."""

    def __init__(self, x_prev, h, b, heat, points):
        self.x_prev, self.h, self.b, self.heat, self.points = x_prev, h, b, heat, points


def extrapolate(points, t: float) -> tuple[np.ndarray, float]:
    """The quadratic through three (time s, field) ``points`` at ``t`` (s), and the product
    ``∏(t − t_i)`` (s³) that sizes its error (−x‴/6 times it)."""
    (t0, x0), (t1, x1), (t2, x2) = points
    l0 = (t - t1) * (t - t2) / ((t0 - t1) * (t0 - t2))
    l1 = (t - t0) * (t - t2) / ((t1 - t0) * (t1 - t2))
    l2 = (t - t0) * (t - t1) / ((t2 - t0) * (t2 - t1))
    return l0 * x0 + l1 * x1 + l2 * x2, (t - t0) * (t - t1) * (t - t2)


class SecondOrder:
    """BDF2 (``multistep``) or TR-BDF2 steps under the error test ``atol + rtol·max|x|`` (K),
    or, not ``adaptive``, steps as long as offered. ``scheme``: a backward-Euler
    :class:`~.schemes.Theta`, whose solves ``(A + C/h) y = r`` both schemes use;
    ``breaks``: the breakpoints of the power traces (s)."""

    def __init__(self, scheme, system: System, rtol: float, atol: float, t_end: float, breaks,
                 multistep: bool, adaptive: bool = True):
        self.scheme, self.system, self.multistep, self.adaptive = scheme, system, multistep, adaptive
        self.rtol, self.atol, self.t_end = rtol, atol, t_end
        self.breaks = np.asarray(breaks, dtype=float)
        self.label = "implicit-bdf2" if multistep else "implicit-tr-bdf2"
        self.hist: _History | None = None
        self._pending = self._rejected = None
        self.h_restart = None  # the length of the last accepted first step after a (re)start
        self.tr_steps = 0  # accepted TR-BDF2 steps (in a BDF2 run: its starts and restarts)

    def start(self, x: np.ndarray) -> None:
        """A run starts from ``x``: no history yet."""
        self.hist = None

    def restart(self, x: np.ndarray, b_shift: np.ndarray) -> None:
        """The operator changed at ``x`` and its boundary terms by ``b_shift`` (W, flat): the
        history's fields stay (the predictor's points and ΔE_prev do not depend on the
        operator), its step-mean source is re-based to the new boundary terms, so that the
        next step's extrapolated source is the one a run with the new operator throughout would
        form and its energy identity holds as before."""
        if self.hist is not None:
            self.hist.b = self.hist.b + b_shift

    def attempt(self, x, t, h, h_nominal, lands, q_before) -> tuple[Step | None, float]:
        """One step of ``h`` (s) from ``x`` at ``t`` (s); returns (the step or None when its
        error is too large, the next nominal length s)."""
        use_bdf2 = self.multistep and self.hist is not None and h <= OMEGA_MAX * self.hist.h
        step, err, hist = (self._bdf2 if use_bdf2 else self._tr_bdf2)(x, t, h, q_before)
        restart = self.hist is None
        self._pending = (hist, t + h, not use_bdf2, h if restart else None)
        if not self.adaptive:
            return step, h_nominal
        allowed = self.atol + self.rtol * max(float(np.max(np.abs(step.x))), 1e-30)
        if err > allowed and h > 1e-15 * self.t_end:
            self._pending = None
            return None, h * max(SHRINK, self._shrink(t, h, err, allowed))
        self._rejected = None
        factor = SAFETY * (allowed / max(err, 1e-300)) ** (1.0 / 3.0)
        h_next = h * min(GROW, max(SHRINK, factor)) if not lands else max(h_nominal, h * min(GROW, factor))
        if self.multistep and not use_bdf2:
            h_next *= TR_TO_BDF2
        if lands and self._at_break(t + h) and self.h_restart is not None:
            h_next = min(h_next, self.h_restart)  # the next step restarts: as long as the last start
        return step, h_next

    def _shrink(self, t, h, err, allowed) -> float:
        """The factor on a rejected step. Just after a power step the error falls more slowly
        than h³ (the stiff components are still settling): from a second rejection at the same
        time on, the exponent is the one the two tries show, between 1/2 and 3."""
        p = 3.0
        if self._rejected is not None and self._rejected[0] == t:
            h0, e0 = self._rejected[1:]
            if h0 > h and e0 > err:
                p = min(3.0, max(0.5, math.log(e0 / err) / math.log(h0 / h)))
        self._rejected = (t, h, err)
        return SAFETY * (allowed / err) ** (1.0 / p)

    def _at_break(self, t: float) -> bool:
        """Whether ``t`` (s) is a breakpoint of the power traces."""
        return bool(np.any(np.abs(self.breaks - t) <= 1e-12 * self.t_end))

    def accepted(self, x_before: np.ndarray, h: float, x: np.ndarray) -> None:
        """The step of ``h`` (s) from ``x_before`` to ``x`` was taken; after a breakpoint the
        next step starts afresh."""
        hist, t_new, was_tr, h_start = self._pending
        self.tr_steps += int(was_tr)
        if h_start is not None:
            self.h_restart = h_start
        self.hist = None if (self._at_break(t_new) or not self.multistep) else hist

    def _bdf2(self, x, t, h, q_before):
        """A BDF2 step of ``h`` (s) from ``x`` (flat rise, K) at ``t`` (s): (the step, its error
        estimate K, the history it leaves). One solve, started from the predictor."""
        sc, sy, H = self.scheme, self.system, self.hist
        om = h / H.h
        alpha, beta = (1 + 2 * om) / (1 + om), om * om / (1 + om)
        b = sy.source(t, t + h)
        b_t = b if b is H.b else alpha * b - (om / (1 + om)) * H.b
        pred, spread = extrapolate(H.points, t + h)
        rhs = sc.C / h * ((1 + om) * x - beta * H.x_prev) + b_t
        x_new = sc.solve(h / alpha, rhs, pred.copy(), own_guess=True)
        q = sy.heat_out(x_new)
        heat = (h * q + beta * H.heat) / alpha
        err = 0.0
        if self.adaptive:
            # Milne: corrector error h³x'''(1+ω)²/(6ω(1+2ω)), predictor's −x'''/6·spread
            e_c = h ** 3 * (1 + om) ** 2 / (om * (1 + 2 * om))
            err = e_c / (e_c + spread) * float(np.max(np.abs(x_new - pred)))
        hist = _History(x, h, b, heat, [H.points[1], H.points[2], (t + h, x_new)])
        return Step(x_new, heat, q), err, hist

    def _tr_bdf2(self, x, t, h, q_before):
        """A TR-BDF2 step of ``h`` (s) from ``x`` (flat rise, K) at ``t`` (s), ``q_before`` (W)
        leaving at ``t``: (the step, its filtered error estimate K, the history it leaves)."""
        sc, sy = self.scheme, self.system
        hd, tg = D * h, t + GAMMA * h
        b1, b2 = sy.source(t, tg), sy.source(tg, t + h)
        b2t = b2 if b2 is b1 else (2.0 - GAMMA) * b2 - (1.0 - GAMMA) * b1
        f_n = b1 - sc.A @ x  # W
        c_hd = sc.C / hd
        guess = x if self.hist is None else x + (GAMMA * h / self.hist.h) * (x - self.hist.x_prev)
        xg = sc.solve(hd, c_hd * x + f_n + b1, guess.copy(), own_guess=True)
        q_g = sy.heat_out(xg)
        x_new = sc.solve(hd, c_hd * (A_BDF * xg - C_BDF * x) + b2t,
                         xg + ((1.0 - GAMMA) / GAMMA) * (xg - x), own_guess=True)
        q = sy.heat_out(x_new)
        heat = h * (W * (q_before + q_g) + D * q)
        err = 0.0
        if self.adaptive:
            # the stage fluxes as the stages imply them (no further products with A)
            f_g = c_hd * (xg - x) - f_n
            f_1 = c_hd * (x_new - A_BDF * xg + C_BDF * x)
            e = sc.solve(hd, (E_N * f_n + E_G * f_g + E_1 * f_1) / D, np.zeros_like(x), own_guess=True)
            err = float(np.max(np.abs(e)))
        hist = _History(x, h, sy.source(t, t + h), heat, [(t, x), (tg, xg), (t + h, x_new)])
        return Step(x_new, heat, q), err, hist
