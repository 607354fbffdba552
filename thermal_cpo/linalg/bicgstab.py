"""Right-preconditioned BiCGSTAB on seven vectors, updated in place.

The coupled solid + coolant systems are large and not symmetric; BiCGSTAB's vectors are most of
what their solve holds beyond the operator. This one keeps ``x, r, r̃, p, v, p̂, t`` (the
preconditioned search direction and the stabilising one share ``p̂``), writes every operator
and preconditioner application into a given array and updates by BLAS axpy, so an iteration
allocates nothing of the grid's size (scipy's keeps nine and makes temporaries as it goes).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.linalg.blas import daxpy, ddot, dnrm2, dscal

#: ``(x, out)`` → ``out = A x`` (or ``M⁻¹ x``) for flat float64 vectors
Apply = Callable[[np.ndarray, np.ndarray], None]

#: |ρ| or |ω| below this (relative to the vectors they come from) is a breakdown
BREAKDOWN = np.finfo(float).eps ** 2


def bicgstab(matvec: Apply, psolve: Apply, b: np.ndarray, x0: np.ndarray | None, rtol: float,
             maxiter: int, callback: Callable[[float], None] | None = None) -> tuple[np.ndarray, bool]:
    """``(x, converged)`` with ``‖b − A x‖ ≤ rtol ‖b‖`` by the recursively updated residual.

    ``matvec(x, out)``: ``out = A x``; ``psolve(r, out)``: ``out ≈ A⁻¹ r`` (the preconditioner,
    applied on the right); ``b``: flat float64; ``x0``: where it starts (copied; None: zero).
    ``callback(rel)`` is called after each full iteration with the relative recursive residual
    ``‖r‖ / ‖b‖``. A breakdown returns the last iterate,
    not converged, for the caller's fallback.
    """
    b = np.ascontiguousarray(b, dtype=float)
    x = np.zeros_like(b) if x0 is None else np.array(x0, dtype=float).ravel()
    r = np.empty_like(b)
    if x0 is None:
        r[:] = b
    else:
        matvec(x, r)
        np.subtract(b, r, out=r)
    bn = float(dnrm2(b))
    if bn == 0.0:
        return np.zeros_like(b), True
    atol = rtol * bn
    if float(dnrm2(r)) <= atol:
        return x, True
    rt = r.copy()
    p, v, ph, t = (np.empty_like(b) for _ in range(4))
    rho_prev = alpha = omega = 1.0
    for it in range(maxiter):
        rho = float(ddot(rt, r))
        if abs(rho) < BREAKDOWN * bn * bn:
            return x, False
        if it == 0:
            p[:] = r
        else:
            daxpy(v, p, a=-omega)
            dscal((rho / rho_prev) * (alpha / omega), p)
            daxpy(r, p)
        psolve(p, ph)
        matvec(ph, v)
        rv = float(ddot(rt, v))
        if rv == 0.0:
            return x, False
        alpha = rho / rv
        daxpy(v, r, a=-alpha)  # r is now s
        daxpy(ph, x, a=alpha)
        rn = float(dnrm2(r))
        if rn <= atol:
            if callback:
                callback(rn / bn)
            return x, True
        psolve(r, ph)  # p̂ is free: ŝ goes there
        matvec(ph, t)
        tt = float(ddot(t, t))
        if tt == 0.0:
            return x, False
        omega = float(ddot(t, r)) / tt
        daxpy(ph, x, a=omega)
        daxpy(t, r, a=-omega)
        rho_prev = rho
        rn = float(dnrm2(r))
        if callback:
            callback(rn / bn)
        if rn <= atol:
            return x, True
        if abs(omega) < BREAKDOWN:
            return x, False
    return x, False
