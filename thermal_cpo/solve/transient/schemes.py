"""Time-stepping schemes for ``C dx/dt = b − A x``: one step of length ``h`` (s) from ``x``.

- :class:`ForwardEuler`: the numba stencil kernel, stable (and positivity-preserving) for
  ``h ≤ min C/ΣG`` (:func:`explicit_limit`);
- :class:`Theta`: the θ-method, backward Euler (θ = 1) or Crank–Nicolson (θ = ½), unconditionally
  stable; each step solves ``(A + C/(θh)) x⁺ = [C/h·x − (1 − θ)·A·x + b̄] / θ`` (the θ-weighted
  system divided by θ, so the stencil keeps the operator's own conductance arrays and only the
  diagonal grows by the capacity term).

A scheme's ``theta`` weights the heat leaving over a step: ``∫Q dt ≈ h·(θ Q⁺ + (1 − θ) Q)``,
which makes the discrete energy balance exact for the scheme (forward Euler: θ = 0).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ...linalg import NONSYMMETRIC_DIRECT_MAX_UNKNOWNS
from ..system import system_solver
from .system import System

#: Implicit stepping keeps, least recently used dropped first: the systems A + C/(θh) of this
#: many step lengths (an extra array and a diagonal each, 16 B/cell), the preconditioners of
#: this many octaves of step length (a multigrid hierarchy is ~36 B/cell) and C/h for this many
#: lengths. Step doubling uses two lengths at a time, BDF2 one per step (its lengths change
#: every step, so more kept systems would never be reused); with 9, 7 and 5 kept, a 2 M-cell
#: adaptive run peaked at 956 B/cell, over the memory guard's 600.
SYSTEMS_KEPT = 2
PRECONDITIONERS_KEPT = 2
C_DT_KEPT = 2
THETAS = {"be": 1.0, "backward-euler": 1.0, "cn": 0.5, "crank-nicolson": 0.5}


def recent(cache: dict, key, kept: int):
    """``cache[key]`` made the most recent entry, or None after dropping the least recently
    used entries down to ``kept − 1`` (room for the one the caller adds)."""
    if key in cache:
        cache[key] = cache.pop(key)
        return cache[key]
    while len(cache) >= kept:
        cache.pop(next(iter(cache)))
    return None


def explicit_limit(system: System) -> float:
    """The forward-Euler positivity bound ``min C/ΣG`` (s) over the cells."""
    from ...kernels.explicit import stable_dt

    op = system.op
    return float(stable_dt(op.gx, op.gy, op.gz, op.diag_boundary, system.cell_capacity))


class ForwardEuler:
    """Explicit steps; two buffers swap, so nothing is allocated per step."""

    name = "explicit"
    theta = 0.0
    order = 1

    def __init__(self, system: System):
        from ...kernels.explicit import step

        self.system, self._kernel = system, step
        self._dt_over_C: dict[float, np.ndarray] = {}
        self._spare = None

    def step(self, x: np.ndarray, h: float, b: np.ndarray, **_) -> np.ndarray:
        """``x`` (flat rise, K) after ``h`` (s) with the step-mean source ``b`` (W, flat)."""
        if h not in self._dt_over_C:
            self._dt_over_C.clear()
            self._dt_over_C[h] = h / self.system.C
        op, shape = self.system.op, self.system.mesh.shape
        out = self._spare if self._spare is not None else np.empty_like(x)
        self._kernel(x.reshape(shape), out.reshape(shape), op.gx, op.gy, op.gz, op.diag_boundary,
                     b.reshape(shape), self._dt_over_C[h])
        return out

    def predict(self, x, x_before, h, h_before):
        """No prediction: an explicit step solves nothing."""
        return None

    def accepted(self, x_before: np.ndarray) -> None:
        """The step from ``x_before`` was taken: its buffer takes the next step's answer."""
        self._spare = x_before


class Theta:
    """θ-method steps with preconditioners kept per octave of step length, CG warm-started."""

    name = "implicit"

    def __init__(self, system: System, theta: float, solver, tol: float, octaves: int = 1):
        self.system, self.theta, self.tol, self.solver = system, theta, tol, solver
        self.octaves = octaves  # the span of step lengths (in octaves) one preconditioner serves
        self.order = 1 if theta == 1.0 else 2
        self.op = system.op
        self.A = system.op.system()  # with coolant: cells then nodes, non-symmetric (advection)
        self.C = system.C.ravel()
        self.n = self.A.shape[0]
        self.cache: dict = {}
        self.systems: dict[float, object] = {}
        self.c_dt: dict[float, np.ndarray] = {}
        self.setups = self.iterations = self.solves = 0
        self.max_residual = 0.0  # the largest relative residual any step's solve reported
        self._rhs = None  # the right-hand side's buffer, reused by every step
        self.workspace: dict = {}  # Krylov work vectors, shared by the solvers of every length
        from ...kernels import vector
        from ...kernels.jit import use_parallel

        self._vec = vector.threaded if use_parallel(self.n) else vector.serial

    def rebuild(self) -> None:
        """The system's operator was rebuilt (k(T) followed): its systems go; the iterative
        preconditioners stay (they serve a nearby operator as well), factorizations go (each is
        exact for one matrix only)."""
        self.op = self.system.op
        self.A = self.op.system()
        self.systems.clear()
        self.cache = {k: v for k, v in self.cache.items() if not (isinstance(k, tuple) and k[0] == "exact")}

    def _c_dt(self, h):
        """C/h (W/K per unknown), kept for the last few step lengths."""
        v = recent(self.c_dt, h, C_DT_KEPT)
        if v is None:
            v = self.c_dt[h] = self.C / h
        return v

    def _system(self, h):
        M = recent(self.systems, h, SYSTEMS_KEPT)
        if M is None:
            c_dt = self._c_dt(h)  # with_extra copies: the cached C/h is not modified
            add = c_dt if self.theta == 1.0 else c_dt / self.theta
            M = self.A.with_extra(add) if hasattr(self.A, "with_extra") else (self.A + sp.diags(add)).tocsr()
            self.systems[h] = M
        return M

    def _solver(self, h, M):
        small_coupled = (self.op.coolant is not None and self.solver == "auto"
                         and self.n <= NONSYMMETRIC_DIRECT_MAX_UNKNOWNS)
        if not isinstance(self.solver, str) or self.solver == "direct" or small_coupled:
            key = ("exact", h)  # a factorization is exact for one matrix only
        else:
            key = int(math.floor(math.log2(h) / self.octaves))
        lin = recent(self.cache, key, PRECONDITIONERS_KEPT)
        if lin is None:
            lin = system_solver(self.op, self.solver, self.tol, workspace=self.workspace).setup(M)
            self.cache[key] = lin
            self.setups += 1
        return lin

    def step(self, x, h, b, Ax=None, guess=None, own_guess=False):
        """``x`` (flat rise, K) after ``h`` (s) with the step-mean source ``b`` (W, flat).

        ``Ax``: ``A·x`` when the caller has it (Crank–Nicolson needs it); ``guess``: where CG
        starts (default ``x``), a predicted field saves iterations; ``own_guess``: the guess is
        a scratch array the solver may turn into the answer.
        """
        if self._rhs is None or self._rhs.shape != x.shape:
            self._rhs = np.empty_like(x, dtype=float)
        rhs = self._rhs  # the solvers read it and keep nothing of it
        if self.theta == 1.0:  # backward Euler: A·x is not needed
            self._vec["scale_add"](self._c_dt(h), x, b, rhs)
        else:
            Ax = self.A @ x if Ax is None else Ax
            rhs[...] = (self.C / h * x - (1 - self.theta) * Ax + b) / self.theta
        if guess is None:
            guess, own_guess = x, False
        return self.solve(h, rhs, guess, own_guess)

    def solve(self, h, rhs, guess, own_guess=False):
        """``y`` (flat) solving ``(A + C/(θh)) y = rhs`` (``rhs`` in W, ``h`` in s), CG from
        ``guess``; the multistep schemes build their own right-hand sides on this."""
        M = self._system(h)
        lin = self._solver(h, M)
        out, info = lin.solve(rhs, x0=guess, A=M, overwrite_x0=own_guess)
        if np.may_share_memory(out, rhs):  # a user solver that answered in b: the next step reuses it
            out = out.copy()
        self.iterations += int(info["iterations"] or 0)
        self.solves += 1
        self.max_residual = max(self.max_residual, float(info["residual"] or 0.0))
        return out

    def predict(self, x, x_before, h, h_before):
        """Linear prediction of the field a step ``h`` after ``x`` from the step ``h_before``
        that led to it from ``x_before`` (flat, a new array), or None without one."""
        if x_before is None:
            return None
        out = np.empty_like(x)
        self._vec["extrapolate"](x, x_before, h / h_before, out)
        return out

    def accepted(self, x_before: np.ndarray) -> None:
        """Nothing to keep: the field before is the stepping control's to remember."""
