"""Cauer ladders: the thermal impedance as a chain of resistances and capacities to ground,
the form whose elements follow the heat path from the junction outwards.

The ladder has nodes ``1 … N``; node 1 is the junction. Capacity ``C_i`` joins node ``i`` to
thermal ground (the ambient), resistance ``R_i`` joins node ``i`` to node ``i + 1``, and
``R_N`` leads from node ``N`` to the ambient. Its input admittance is the continued fraction
``Y(s) = s C_1 + 1 / (R_1 + 1 / (s C_2 + 1 / (R_2 + …)))``.

The conversion from a Foster network expands that continued fraction. In floating point the
expansion loses about a digit per term (the coefficients of the rational function span many
orders of magnitude and each step subtracts nearly equal numbers), so it is done in decimal
arithmetic of as many digits as it needs, on the exact values of the Foster floats; only the
results are rounded back to floats. (Exact fractions give the same elements but their
numerators grow so fast that 60 terms take minutes; a few hundred digits take milliseconds.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, MAX_EMAX, MIN_EMIN, localcontext

import numpy as np
from scipy.linalg import eigh_tridiagonal

from ...errors import LayoutError, SolverError
from .foster import FosterNetwork

#: working precision (decimal digits) of the expansion: a base plus a share per term, since
#: each term costs roughly a fixed number of digits to cancellation; doubled until it settles
DIGITS_BASE = 40
DIGITS_PER_TERM = 12
PRECISION_TRIES = 6
#: two precisions agree when their floats differ by a few units in the last place
AGREE = 1e-14


@dataclass(frozen=True)
class CauerNetwork:
    """A Cauer ladder of ``N`` stages from the junction to the ambient.

    ``R``: shape (N,), K/W, positive; ``R[i]`` joins node ``i`` to node ``i + 1`` (the last one
    to the ambient). ``C``: shape (N,), J/K, positive; ``C[i]`` joins node ``i`` to ground.
    Node 0 (index 0, node 1 of the module's description) is the junction.
    """

    R: np.ndarray
    C: np.ndarray

    def __post_init__(self):
        R = np.atleast_1d(np.asarray(self.R, dtype=float))
        C = np.atleast_1d(np.asarray(self.C, dtype=float))
        if R.ndim != 1 or R.shape != C.shape or R.size == 0:
            raise LayoutError(f"R and C must be 1-D arrays of the same non-zero length, got shapes "
                              f"{R.shape} and {C.shape}")
        if not (np.all(np.isfinite(R)) and np.all(R > 0)):
            raise LayoutError(f"R must be finite and positive (K/W), got {R}")
        if not (np.all(np.isfinite(C)) and np.all(C > 0)):
            raise LayoutError(f"C must be finite and positive (J/K), got {C}")
        object.__setattr__(self, "R", R)
        object.__setattr__(self, "C", C)

    @property
    def n_terms(self) -> int:
        """Number of stages ``N``."""
        return int(self.R.size)

    @property
    def r_total(self) -> float:
        """Junction-to-ambient resistance ``sum R`` (K/W)."""
        return float(np.sum(self.R))

    def to_foster(self) -> FosterNetwork:
        """The equivalent Foster network (same ``Zth(t)``), from the eigen-decomposition of the
        ladder's state matrix.

        With ``G`` the (tridiagonal) conductance matrix, the node temperatures obey
        ``C dT/dt = -G T + P e_0``. In the symmetric form ``M = C^-1/2 G C^-1/2`` with
        eigenpairs ``(lambda_j, v_j)`` the junction sees ``tau_j = 1/lambda_j`` and
        ``R_j = v_j[0]^2 / (C_0 lambda_j)``.
        """
        g = 1.0 / self.R
        diag = g.copy()
        diag[1:] += g[:-1]
        s = 1.0 / np.sqrt(self.C)
        lam, vec = eigh_tridiagonal(diag * s * s, -g[:-1] * s[:-1] * s[1:])
        if not np.all(lam > 0):
            raise SolverError(f"Cauer ladder has non-positive eigenvalues {lam[lam <= 0]}")
        R = vec[0] ** 2 / (self.C[0] * lam)
        keep = R > 0  # a mode the junction does not see carries no impedance
        return FosterNetwork(R=R[keep], tau=1.0 / lam[keep])

    def zth(self, t) -> np.ndarray:
        """Thermal impedance (K/W) at the junction at times ``t`` (s, any shape) after a unit
        power step; the result has the shape of ``t``."""
        return self.to_foster().zth(t)

    def step_response(self, t, power: float = 1.0) -> np.ndarray:
        """Junction temperature rise (K) at times ``t`` (s) after a step of ``power`` W."""
        return power * self.zth(t)


def _impedance_polynomials(R: list, tau: list) -> tuple[list, list]:
    """Numerator (degree N-1) and denominator (degree N) of ``Z(s) = sum R_i / (1 + s tau_i)``,
    ascending powers of ``s``, summed term by term: ``Z + R/(1 + a s)`` over ``den (1 + a s)``."""
    num, den = [R[0]], [Decimal(1), tau[0]]
    for r, a in zip(R[1:], tau[1:]):
        num = [x + y for x, y in zip(_times_linear(num, a), [r * d for d in den])]
        den = _times_linear(den, a)
    return num, den


def _times_linear(p: list, a: Decimal) -> list:
    """``p(s) (1 + a s)``, coefficients in ascending powers."""
    return [p[0]] + [p[k] + a * p[k - 1] for k in range(1, len(p))] + [a * p[-1]]


def _peel(high: list, low: list, shift: int) -> tuple[Decimal, list]:
    """One step of the continued fraction of ``high / low`` at infinite ``s``: the quotient ``q``
    of ``q s^shift`` and the remainder ``high - q s^shift low`` less its (cancelled) top term."""
    q = high[-1] / low[-1]
    rem = list(high[:-1])
    for k, c in enumerate(low[:len(rem) - shift]):
        rem[k + shift] -= q * c
    return q, rem


def _expand(R: list, tau: list) -> tuple[list, list]:
    """Cauer elements ``(R, C)`` of the Foster pairs, in the current decimal context."""
    num, den = _impedance_polynomials(R, tau)
    r_out, c_out = [], []
    # Y = den/num: peel s C_k off the admittance, then R_k off the impedance, and repeat
    for _ in range(len(R)):
        c, den = _peel(den, num, 1)
        r, num = _peel(num, den, 0)
        r_out.append(r)
        c_out.append(c)
    return r_out, c_out


def foster_to_cauer(foster: FosterNetwork) -> CauerNetwork:
    """The Cauer ladder with the same thermal impedance as ``foster``: ``N`` pairs with
    distinct time constants give ``N`` stages (pairs sharing one are one pole, one stage).

    The expansion runs in decimal arithmetic on the exact values of the floats, at a precision
    raised until two precisions agree to well below float resolution, so the elements are the
    exact ones rounded to floats. Every element of a positive Foster network is positive
    (the impedance is positive real); a non-positive one raises :class:`SolverError`.
    """
    if not isinstance(foster, FosterNetwork):
        raise LayoutError(f"foster must be a FosterNetwork, got {type(foster).__name__}")
    # pairs with one time constant are one pole: left apart they cancel a zero and the
    # expansion would stop short
    tau_u, inverse = np.unique(foster.tau, return_inverse=True)
    R = [Decimal(float(x)) for x in np.bincount(inverse.ravel(), weights=foster.R)]
    tau = [Decimal(float(x)) for x in tau_u]
    digits = DIGITS_BASE + DIGITS_PER_TERM * len(R)
    previous = None
    for _ in range(PRECISION_TRIES):
        with localcontext() as ctx:
            ctx.prec, ctx.Emax, ctx.Emin = digits, MAX_EMAX, MIN_EMIN
            try:
                r_out, c_out = _expand(R, tau)
            except ArithmeticError as exc:  # decimal's DivisionByZero and InvalidOperation
                raise SolverError(f"Foster-to-Cauer expansion broke down ({exc!r}); "
                                  f"the Foster network is degenerate") from exc
            current = np.array([float(x) for x in r_out + c_out])
        if previous is not None and np.all(np.abs(current - previous) <= AGREE * np.abs(current)):
            break
        previous, digits = current, 2 * digits
    else:
        raise SolverError(f"Foster-to-Cauer expansion did not settle at {digits // 2} digits")
    r_arr, c_arr = current[:len(R)], current[len(R):]
    if not (np.all(r_arr > 0) and np.all(c_arr > 0)):
        raise SolverError(f"Foster-to-Cauer conversion gave non-positive elements "
                          f"(R={r_arr}, C={c_arr}); the Foster network is not positive real")
    return CauerNetwork(R=r_arr, C=c_arr)
