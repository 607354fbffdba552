"""Step control: which times a run must hit, how long each step is, when a step is rejected.

Every output time and every breakpoint of the power traces is hit exactly (:class:`Clock`).
:class:`FixedSteps` takes each step as long as offered (explicit runs, fixed-step implicit runs);
:class:`StepDoubling` compares one step of ``h`` with two of ``h/2`` and keeps the local error
below ``atol + rtol·max|x|`` (K), growing or shrinking ``h`` by the scheme's order. BDF2 and
TR-BDF2 have their own control (:mod:`.bdf`), with the same error test and step limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import LayoutError
from .system import System

#: most stored fields a run may ask for
MAX_OUTPUTS = 100_000
#: step doubling: safety factor on the optimal length, and its largest shrink and growth
SAFETY, SHRINK, GROW = 0.9, 0.2, 2.0


def output_times(t_end: float, save_every: float | None, save_times) -> np.ndarray:
    """The times (s) whose fields are stored: 0, ``t_end``, every ``save_every`` and each of
    ``save_times``, sorted; times closer than ``1e-12·t_end`` are one."""
    out = [0.0, t_end]
    if save_every is not None:
        n_save = int(math.floor(t_end / save_every + 1e-9))
        if n_save > MAX_OUTPUTS:
            raise LayoutError(f"save_every = {save_every} s would store {n_save:,} fields", path="save_every")
        out += [save_every * i for i in range(1, n_save + 1)]
    if save_times is not None:
        st = np.asarray(save_times, dtype=float)
        if np.any(st < 0) or np.any(st > t_end):
            raise LayoutError(f"save_times must lie in [0, {t_end}] s", path="save_times")
        out += list(st)
    out = np.unique(np.clip(np.array(out, dtype=float), 0.0, t_end))
    # save_every·i may land a rounding off t_end
    return out[np.concatenate([[True], np.diff(out) > 1e-12 * t_end])]


class Clock:
    """The times a run must land on: ``hits`` (s, sorted, > 0) and ``t_end``. With ``balance``,
    a hit less than two steps away is reached in two equal steps rather than a full step and
    a short remainder (a multistep scheme then keeps its step ratio near 1)."""

    def __init__(self, t_end: float, hits: np.ndarray, balance: bool = False):
        self.t_end, self.hits, self.balance = t_end, hits, balance
        self.eps = 1e-12 * t_end

    def running(self, t: float) -> bool:
        return t < self.t_end * (1 - 1e-12)

    def offer(self, t: float, h: float) -> tuple[float, bool, float]:
        """The step to try from ``t`` with nominal length ``h``: (length, whether it lands on
        the next hit, that hit's time)."""
        future = self.hits[self.hits > t + self.eps]
        nxt = float(future[0]) if len(future) else self.t_end
        h_try = min(h, nxt - t)
        if self.balance and h < nxt - t < 2 * h:
            h_try = 0.5 * (nxt - t)
        lands = h_try >= nxt - t - 1e-12 * max(self.t_end, 1.0)
        return (nxt - t if lands else h_try), lands, nxt


@dataclass
class Step:
    """A step taken: the field after it (flat rise), the heat (J) that left over it and the
    heat flow (W) leaving at its end."""

    x: np.ndarray
    heat: float
    q_end: float


class FixedSteps:
    """Steps as long as offered; the next nominal length is the same."""

    adaptive = False

    def __init__(self, scheme, system: System):
        self.scheme, self.system = scheme, system
        self.needs_Ax = scheme.theta not in (0.0, 1.0)  # Crank–Nicolson's right-hand side
        self.before = None  # (field, length) of the step that led to the current field
        self.Ax = None

    def start(self, x: np.ndarray) -> None:
        self.Ax = self.scheme.A @ x if self.needs_Ax else None

    def restart(self, x: np.ndarray, b_shift: np.ndarray) -> None:
        """The operator changed at ``x`` (its boundary terms by ``b_shift``, which a one-step
        scheme does not carry over): what was computed with the old one is redone."""
        self.start(x)

    def _guess(self, x, h):
        if self.before is None:
            return None
        x_before, h_before = self.before
        return self.scheme.predict(x, x_before, h, h_before)

    def attempt(self, x, t, h, h_nominal, lands, q_before) -> tuple[Step | None, float]:
        """One step of ``h`` (s) from ``x`` at ``t``; returns (the step, the next nominal length)."""
        b = self.system.source(t, t + h)
        x_new = self.scheme.step(x, h, b, Ax=self.Ax, guess=self._guess(x, h), own_guess=True)
        q = self.system.heat_out(x_new)
        theta = self.scheme.theta
        return Step(x_new, h * (theta * q + (1 - theta) * q_before), q), h_nominal

    def accepted(self, x_before: np.ndarray, h: float, x: np.ndarray) -> None:
        """The step of ``h`` from ``x_before`` to ``x`` was taken."""
        self.scheme.accepted(x_before)
        self.before = (x_before, h)
        self.start(x)


class StepDoubling(FixedSteps):
    """One step of ``h`` against two of ``h/2``; the two half steps are kept."""

    adaptive = True

    def __init__(self, scheme, system: System, rtol: float, atol: float, t_end: float):
        super().__init__(scheme, system)
        self.rtol, self.atol, self.t_end = rtol, atol, t_end

    def attempt(self, x, t, h, h_nominal, lands, q_before) -> tuple[Step | None, float]:
        """As :meth:`FixedSteps.attempt`; None (and a shorter length) when the error is too large.
        CG starts from predictions: the full step from the last two fields, the half steps from
        the full step's answer (they differ by the local error only)."""
        sc, sy, theta = self.scheme, self.system, self.scheme.theta
        full = sc.step(x, h, sy.source(t, t + h), Ax=self.Ax, guess=self._guess(x, h), own_guess=True)
        b1, b2 = sy.source(t, t + h / 2), sy.source(t + h / 2, t + h)
        half = sc.step(x, h / 2, b1, Ax=self.Ax, guess=0.5 * (x + full), own_guess=True)
        q_half = sy.heat_out(half)
        x_new = sc.step(half, h / 2, b2, Ax=sc.A @ half if self.needs_Ax else None, guess=full)
        scale = max(float(np.max(np.abs(x_new))), 1e-30)
        err = float(np.max(np.abs(x_new - full)))
        allowed = self.atol + self.rtol * scale
        factor = SAFETY * (allowed / max(err, 1e-300)) ** (1.0 / (sc.order + 1.0))
        if err > allowed and h > 1e-15 * self.t_end:
            return None, h * max(SHRINK, factor)
        h_next = h * min(GROW, max(SHRINK, factor)) if not lands else max(h_nominal, h * min(GROW, factor))
        q = sy.heat_out(x_new)
        heat = 0.5 * h * (theta * q_half + (1 - theta) * q_before) + 0.5 * h * (theta * q + (1 - theta) * q_half)
        return Step(x_new, heat, q), h_next
