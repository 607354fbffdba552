"""Foster networks: thermal impedance as a sum of RC pairs, and their fit to a measured or
simulated heating curve.

A Foster network of ``N`` parallel RC pairs in series has the step-response thermal impedance
``Zth(t) = sum_i R_i (1 - exp(-t / tau_i))`` (K/W, ``t`` in s, ``tau_i = R_i C_i``). Its
elements have no physical location; :mod:`.cauer` turns it into the ladder that does.

The fit first solves a non-negative least-squares problem for a dense time-constant spectrum
(every ``R_i >= 0`` by construction), merges that spectrum into ``N`` terms and polishes them in
log-parameters, so that positivity of ``R`` and ``tau`` holds throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares, nnls

from ...errors import LayoutError

#: time constants of the spectrum per decade of time; 12 resolves the peaks of a layered stack
#: while keeping the NNLS problem small
SPECTRUM_PER_DECADE = 12
#: decades the spectrum reaches beyond the sampled times: a time constant well below the first
#: sample shows as a constant, one well above the last as a ramp, both still fittable
SPECTRUM_MARGIN_DECADES = 1.0
#: largest single R as a multiple of the largest sampled impedance
R_CAP = 1e4
#: fewest samples worth a fit: below this a handful of terms interpolate rather than fit
MIN_SAMPLES = 8


@dataclass(frozen=True)
class FosterNetwork:
    """``N`` parallel RC pairs in series (the Foster form of a thermal impedance).

    ``R``: shape (N,), K/W, positive. ``tau``: shape (N,), s, positive. The pairs are stored
    sorted by increasing ``tau``.
    """

    R: np.ndarray
    tau: np.ndarray

    def __post_init__(self):
        R = np.atleast_1d(np.asarray(self.R, dtype=float))
        tau = np.atleast_1d(np.asarray(self.tau, dtype=float))
        if R.ndim != 1 or R.shape != tau.shape or R.size == 0:
            raise LayoutError(f"R and tau must be 1-D arrays of the same non-zero length, got shapes "
                              f"{R.shape} and {tau.shape}")
        if not (np.all(np.isfinite(R)) and np.all(R > 0)):
            raise LayoutError(f"R must be finite and positive (K/W), got {R}")
        if not (np.all(np.isfinite(tau)) and np.all(tau > 0)):
            raise LayoutError(f"tau must be finite and positive (s), got {tau}")
        order = np.argsort(tau, kind="stable")
        object.__setattr__(self, "R", R[order])
        object.__setattr__(self, "tau", tau[order])

    @property
    def C(self) -> np.ndarray:
        """Capacities ``tau / R``, shape (N,), J/K."""
        return self.tau / self.R

    @property
    def n_terms(self) -> int:
        """Number of RC pairs ``N``."""
        return int(self.R.size)

    @property
    def r_total(self) -> float:
        """Steady-state thermal resistance ``Zth(inf) = sum R`` (K/W)."""
        return float(np.sum(self.R))

    def zth(self, t) -> np.ndarray:
        """Thermal impedance ``sum_i R_i (1 - exp(-t/tau_i))`` (K/W) at times ``t`` (s, any shape);
        the result has the shape of ``t``."""
        t = np.asarray(t, dtype=float)
        return np.sum(self.R * -np.expm1(-t[..., None] / self.tau), axis=-1)

    def step_response(self, t, power: float = 1.0) -> np.ndarray:
        """Junction temperature rise (K) at times ``t`` (s, any shape) after a power step of
        ``power`` W at ``t = 0`` from equilibrium: ``power * Zth(t)``."""
        return power * self.zth(t)


@dataclass(frozen=True)
class FosterFit:
    """The outcome of :func:`fit_foster`.

    ``network``: the fitted :class:`FosterNetwork`. ``n_terms``: its number of pairs.
    ``max_rel_error`` and ``rms_rel_error``: max and root-mean-square of
    ``|Zfit - Zth| / Zth`` over the fitted samples (dimensionless). ``met_target``: whether
    ``max_rel_error`` met the requested ``rtol`` (False when ``max_terms`` pairs were not enough).
    """

    network: FosterNetwork
    n_terms: int
    max_rel_error: float
    rms_rel_error: float
    met_target: bool


def _validated(t, zth) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(t, dtype=float)
    z = np.asarray(zth, dtype=float)
    if t.ndim != 1 or t.size < MIN_SAMPLES:
        raise LayoutError(f"t must be a 1-D array of at least {MIN_SAMPLES} times (s), got shape {t.shape}")
    if z.shape != t.shape:
        raise LayoutError(f"zth must have the shape of t {t.shape}, got {z.shape}")
    if not (np.all(np.isfinite(t)) and t[0] > 0 and np.all(np.diff(t) > 0)):
        raise LayoutError("t must be finite, positive and strictly increasing (s)")
    if not (np.all(np.isfinite(z)) and np.all(z > 0)):
        raise LayoutError("zth must be finite and positive (K/W)")
    return t, z


def _spectrum(t: np.ndarray, z: np.ndarray, per_decade: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-negative time-constant spectrum ``(tau, R)`` minimising the relative error."""
    lo = np.log10(t[0]) - SPECTRUM_MARGIN_DECADES
    hi = np.log10(t[-1]) + SPECTRUM_MARGIN_DECADES
    tau = np.logspace(lo, hi, int(np.ceil((hi - lo) * per_decade)) + 1)
    A = -np.expm1(-t[:, None] / tau) / z[:, None]
    R, _ = nnls(A, np.ones_like(z), maxiter=50 * tau.size)
    keep = R > 0
    return tau[keep], R[keep]


def _merge(tau: np.ndarray, R: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge a spectrum into ``n`` terms, joining the neighbours closest in log(tau)."""
    logt, R = list(np.log(tau)), list(R)
    while len(R) > n:
        k = int(np.argmin(np.diff(logt)))
        w = R[k] + R[k + 1]
        logt[k] = (R[k] * logt[k] + R[k + 1] * logt[k + 1]) / w
        R[k] = w
        del logt[k + 1], R[k + 1]
    return np.exp(logt), np.array(R)


def _polish(t, z, tau0, R0, bounds) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares polish of the relative error in log(R), log(tau)."""
    n = R0.size

    def residual(x):
        R, tau = np.exp(x[:n]), np.exp(x[n:])
        return (-np.expm1(-t[:, None] / tau) @ R) / z - 1.0

    def jacobian(x):
        R, tau = np.exp(x[:n]), np.exp(x[n:])
        e = np.exp(-t[:, None] / tau)
        return np.hstack([(1.0 - e) * R, -e * (t[:, None] / tau) * R]) / z[:, None]

    lo, hi = bounds
    # a pair can exceed the whole impedance only as a slow ramp R t/tau, and tau is bounded
    # to a couple of decades beyond the last sample: this cap keeps exp(x) finite
    r_hi = np.log(R_CAP * np.max(z))
    x0 = np.concatenate([np.minimum(np.log(R0), r_hi - 1e-9), np.clip(np.log(tau0), lo + 1e-9, hi - 1e-9)])
    lb = np.concatenate([np.full(n, -np.inf), np.full(n, lo)])
    ub = np.concatenate([np.full(n, r_hi), np.full(n, hi)])
    sol = least_squares(residual, x0, jac=jacobian, bounds=(lb, ub), method="trf",
                        x_scale="jac", xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=200 * n)
    return np.exp(sol.x[n:]), np.exp(sol.x[:n])


def _prune(t, z, tau, R, rtol) -> tuple[np.ndarray, np.ndarray]:
    """Drop the pairs the fit does not need to meet ``rtol``: a pair parked at a bound with a
    negligible ``R`` carries a spurious capacity ``tau/R`` into the Cauer ladder."""
    E = -np.expm1(-t[:, None] / tau) * R / z[:, None]
    keep = np.ones(R.size, dtype=bool)
    for j in np.argsort(np.max(E, axis=0)):
        trial = keep.copy()
        trial[j] = False
        if trial.any() and np.max(np.abs(E[:, trial].sum(axis=1) - 1.0)) <= rtol:
            keep = trial
    return tau[keep], R[keep]


def fit_foster(t, zth, *, max_terms: int = 30, rtol: float = 0.005,
               per_decade: int = SPECTRUM_PER_DECADE) -> FosterFit:
    """Fit a Foster network with positive ``R`` and ``C`` to a sampled thermal impedance.

    ``t``: shape (M,), s, positive and strictly increasing (log-spaced is the natural choice).
    ``zth``: shape (M,), K/W, positive. The number of pairs is the smallest ``N <= max_terms``
    whose maximum relative error ``|Zfit - Zth| / Zth`` over the samples is ``<= rtol``; when
    none is, the best fit found is returned with ``met_target=False``. ``per_decade`` sets the
    density of the intermediate time-constant spectrum (terms per decade of time); ``N`` is
    also at most the number of non-zero terms of that spectrum.
    """
    t, z = _validated(t, zth)
    if int(max_terms) < 1:
        raise LayoutError(f"max_terms must be a positive integer, got {max_terms!r}")
    if not (np.isfinite(rtol) and rtol > 0):
        raise LayoutError(f"rtol must be a positive relative error, got {rtol!r}")
    if int(per_decade) < 1:
        raise LayoutError(f"per_decade must be a positive integer, got {per_decade!r}")
    tau_s, R_s = _spectrum(t, z, int(per_decade))
    margin = np.log(10.0) * (SPECTRUM_MARGIN_DECADES + 1.0)
    bounds = (np.log(t[0]) - margin, np.log(t[-1]) + margin)
    best = None
    for n in range(1, min(int(max_terms), tau_s.size) + 1):
        tau, R = _polish(t, z, *_merge(tau_s, R_s, n), bounds)
        rel = np.abs(-np.expm1(-t[:, None] / tau) @ R / z - 1.0)
        fit = (float(rel.max()), float(np.sqrt(np.mean(rel ** 2))), tau, R)
        if best is None or fit[0] < best[0]:
            best = fit
        if fit[0] <= rtol:
            break
    err_max, err_rms, tau, R = best
    if err_max <= rtol:
        tau, R = _prune(t, z, tau, R, rtol)
        rel = np.abs(-np.expm1(-t[:, None] / tau) @ R / z - 1.0)
        err_max, err_rms = float(rel.max()), float(np.sqrt(np.mean(rel ** 2)))
    # a pair whose R underflowed to zero is no pair
    net = FosterNetwork(R=R[R > 0], tau=tau[R > 0])
    return FosterFit(network=net, n_terms=net.n_terms, max_rel_error=err_max,
                     rms_rel_error=err_rms, met_target=err_max <= rtol)
