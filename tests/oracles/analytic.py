"""Exact solutions used by the tests, written from their closed forms (keys of docs/references.md)."""

from __future__ import annotations

import numpy as np


def slab_rise(z, layers, q, h):
    """1-D stack with flux ``q`` (W/m²) upward and convection ``h`` on top: T(z) − T_amb (K).

    ``layers``: list of (thickness m, k W/(m·K)) bottom to top; ``z`` in m from the bottom.
    """
    z = np.asarray(z, dtype=float)
    bounds = np.concatenate([[0.0], np.cumsum([t for t, _ in layers])])
    out = np.full(z.shape, q / h)
    for (t, k), z0, z1 in zip(layers, bounds[:-1], bounds[1:]):
        # resistance of the part of this layer above z
        above = np.clip(z1 - np.maximum(z, z0), 0.0, t)
        out += q * above / k
    return out


def _phi(zeta, t, k, h):
    th = np.tanh(zeta * t)
    r = h / (k * zeta)
    return (1 + r * th) / (th + r)


def rect_spreading(a, b, c, d, t, k, h, M=1500):
    """Centred rectangular source 2a × 2b on a plate 2c × 2d × t, convective (h) far face, other
    faces adiabatic: the exact series of [yovanovich-spreading-1999].

    Returns ``(R_1D, R_s_avg, R_s_centre)`` in K/W for Q = 1 W.
    """
    m = np.arange(1, M + 1)
    dm = m * np.pi / c
    ln = m * np.pi / d
    r1d = t / (4 * c * d * k) + 1 / (4 * c * d * h)
    s_avg = ((np.sin(a * dm) ** 2 / dm ** 3 * _phi(dm, t, k, h)).sum() / (2 * a * a * c * d * k)
             + (np.sin(b * ln) ** 2 / ln ** 3 * _phi(ln, t, k, h)).sum() / (2 * b * b * c * d * k))
    s_c = ((np.sin(a * dm) / dm ** 2 * _phi(dm, t, k, h)).sum() / (2 * a * c * d * k)
           + (np.sin(b * ln) / ln ** 2 * _phi(ln, t, k, h)).sum() / (2 * b * c * d * k))
    D, L = np.meshgrid(dm, ln, indexing="ij")
    B = np.hypot(D, L)
    ph = _phi(B, t, k, h)
    sa, sb = np.sin(a * D), np.sin(b * L)
    s_avg += (sa ** 2 * sb ** 2 / (D ** 2 * L ** 2 * B) * ph).sum() / (a * a * b * b * c * d * k)
    s_c += (sa * sb / (D * L * B) * ph).sum() / (a * b * c * d * k)
    return r1d, s_avg, s_c


def kirchhoff_slab(z, L, q, T_cold_K, k0, T0_K, n):
    """Slab 0 < z < L with k = k0 (T/T0)^-n, flux q entering at z = 0, T = T_cold at z = L:
    exact T(z) in kelvin from the Kirchhoff transform (derived: ∫k dT is linear in z)."""
    z = np.asarray(z, dtype=float)
    return (T_cold_K ** (1 - n) + (1 - n) * q * (L - z) / (k0 * T0_K ** n)) ** (1 / (1 - n))


def slab_flux_series(x, t, L, q, k, alpha, terms=2000):
    """Slab 0 < x < L, flux q (W/m²) into x = 0 from t = 0, T = T0 at x = L, initially T0:
    T(x, t) − T0 at any depth x [carslaw-jaeger-1959]."""
    x = np.asarray(x, dtype=float)
    m = 2 * np.arange(terms) + 1  # odd
    lam = m * np.pi / (2 * L)
    s = (8 / np.pi**2) * np.sum(np.exp(-(lam**2) * alpha * t)[None, :] / m[None, :] ** 2
                                * np.cos(np.outer(np.atleast_1d(x), lam)), axis=1)
    return (q * L / k) * ((1 - np.atleast_1d(x) / L) - s)


def semi_infinite_surface(t, q, k, alpha):
    """Surface rise of a semi-infinite solid under constant flux q from t = 0 [carslaw-jaeger-1959]."""
    return 2 * q * np.sqrt(alpha * t / np.pi) / k
