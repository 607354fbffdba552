"""Developing laminar flow in rectangular ducts: limits (long duct → Shah–London fully
developed; short duct → Shah's 3.44/√x⁺, Pohlhausen's flat plate, Lévêque's thermal entry),
Shah's published apparent-friction correlation, monotonicity, warnings and refusals."""

from __future__ import annotations

import math

import pytest

from thermal_cpo.cooling.correlations import f_re, nu_h1, nu_t
from thermal_cpo.cooling.developing import developing_warnings, fapp_re, fre_series, nu_developing

ALPHAS = [1.0, 0.5, 0.2, 0.1, 1e-3]


@pytest.mark.parametrize("alpha", ALPHAS)
def test_long_duct_tends_to_shah_london(alpha):
    """L → ∞ (x⁺ = x* = 1e6): f_app Re → f·Re, Nu_m → Nu_H1 / Nu_T [shah-london-1978]; the
    remaining entrance terms are below 1e-6 of them (derived: (3.44²/x⁺)/(2 f Re²) and
    (1.5 C₃ (f Re/x*)^(1/3)/Nu_fd)⁵ / 5)."""
    assert fapp_re(alpha, 1e6) == pytest.approx(f_re(alpha), rel=1e-6)
    assert nu_developing(alpha, 1e6, 5.0, "H") == pytest.approx(nu_h1(alpha), rel=1e-6)
    assert nu_developing(alpha, 1e6, 5.0, "T") == pytest.approx(nu_t(alpha), rel=1e-6)


@pytest.mark.parametrize("alpha", ALPHAS)
def test_short_duct_friction_is_shahs_limit(alpha):
    """x⁺ → 0: f_app Re → 3.44/√x⁺ [shah-apparent-1978] [muzychka-friction-2009]; at x⁺ = 1e-8 the
    fully developed part changes it by < 1e-6 (derived: (f Re √x⁺/3.44)²/2)."""
    x = 1e-8
    assert fapp_re(alpha, x) == pytest.approx(3.44 / math.sqrt(x), rel=1e-6)


@pytest.mark.parametrize("x_plus", [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.05, 0.1, 0.3, 1.0, 3.0])
def test_friction_model_against_shahs_correlation_for_the_tube(x_plus):
    """The blend with the circular tube's f·Re = 16 against Shah's published correlation
    f_app Re = 3.44/√x⁺ + [1.25/(4x⁺) + 16 − 3.44/√x⁺]/(1 + 0.00021 x⁺⁻²) (K(∞) = 1.25,
    C = 0.00021) [shah-apparent-1978] [shah-london-1978]: within the model's stated 10 %
    [muzychka-friction-2009]."""
    short = 3.44 / math.sqrt(x_plus)
    shah = short + (1.25 / (4 * x_plus) + 16 - short) / (1 + 0.00021 / x_plus ** 2)
    assert fapp_re(1.0, x_plus, fre_fd=16.0) == pytest.approx(shah, rel=0.10)


@pytest.mark.parametrize("alpha", [1.0, 0.5, 0.25, 0.125, 1e-3])
def test_one_term_series_against_shah_london(alpha):
    """The closed form 24/((1+α)²[1 − 192α/π⁵ tanh(π/2α)]) [muzychka-friction-2009] drops the
    series terms n ≥ 2: at most (192α/π⁵)(Σ_{n≥2}(2n−1)⁻⁵ = 0.0045)/bracket = 0.67 % (derived, at
    α = 1), plus the 0.05 % of the Shah–London polynomial [shah-london-1978]: 0.75 %."""
    assert fre_series(alpha) == pytest.approx(f_re(alpha), rel=0.0075)
    assert fre_series(alpha) <= f_re(alpha) * (1 + 5e-4)  # dropping positive terms lowers f·Re


@pytest.mark.parametrize("pr", [0.7, 1.0, 5.0])
def test_short_duct_heat_transfer_is_the_flat_plate(pr):
    """x* → 0 (T condition): the boundary-layer term, the mean laminar flat plate
    Nu_L = 0.664 Re_L^(1/2) Pr^(1/3) [bergman-heat-2011], on D_h 0.664 Pr^(-1/6)/√x* (derived).
    The model's Churchill–Ozoe f(Pr) tends to 0.564/1.664 = 0.339 instead of Pohlhausen's 0.332
    at large Pr (2.1 %) [muzychka-heat-2004]: tolerance 3 %."""
    x = 1e-8
    assert nu_developing(1.0, x, pr, "T") == pytest.approx(0.664 * pr ** (-1 / 6) / math.sqrt(x), rel=0.03)


@pytest.mark.parametrize("boundary, shah, nu_fd", [("T", lambda x: 1.615 * x ** (-1 / 3) - 0.7, 3.657),
                                                   ("H", lambda x: 1.953 * x ** (-1 / 3), 4.364)])
@pytest.mark.parametrize("x_star", [1e-4, 1e-3])
def test_thermal_entry_against_shahs_graetz_formulas(boundary, shah, nu_fd, x_star):
    """Large Pr, circular tube (f·Re = 16, Nu_T = 3.657, Nu_H = 4.364): the thermal-entry (Lévêque)
    term against Shah's mean Nusselt numbers of the thermal entrance, Nu_m,T = 1.615 x*^(-1/3) − 0.7
    (x* ≤ 0.005) and Nu_m,H = 1.953 x*^(-1/3) (x* ≤ 0.03) [shah-london-1978], within the model's
    stated 10 % [muzychka-heat-2004] (Pr = 1000: the boundary-layer term is negligible)."""
    nu = nu_developing(1.0, x_star, 1000.0, boundary, nu_fd=nu_fd, fre_fd=16.0)
    assert nu == pytest.approx(shah(x_star), rel=0.10)


@pytest.mark.parametrize("alpha", [1.0, 0.1])
@pytest.mark.parametrize("pr", [0.7, 5.0, 100.0])
def test_developing_values_fall_monotonically_to_the_limit(alpha, pr):
    xs = [10.0 ** k for k in range(-6, 3)]
    f = [fapp_re(alpha, x) for x in xs]
    nu = [nu_developing(alpha, x, pr, "H") for x in xs]
    assert all(b < a for a, b in zip(f, f[1:])) and all(v > f_re(alpha) for v in f)
    assert all(b < a for a, b in zip(nu, nu[1:])) and all(v > nu_h1(alpha) for v in nu)


def test_validity_warnings():
    assert developing_warnings(0.2, 500.0, 5.0) == []
    assert any("laminar" in w for w in developing_warnings(0.2, 3000.0, 5.0))
    assert any("Pr" in w for w in developing_warnings(0.2, 500.0, 0.01))
    assert any("Pr" in w for w in developing_warnings(0.2, 500.0, 5000.0))


@pytest.mark.parametrize("call", [lambda: fapp_re(0.0, 0.01), lambda: fapp_re(1.5, 0.01), lambda: fapp_re(0.5, 0.0),
                                  lambda: fapp_re(0.5, -1.0), lambda: nu_developing(0.5, 0.01, 0.0),
                                  lambda: nu_developing(0.5, -0.01, 5.0), lambda: nu_developing(0.5, 0.01, 5.0, "X"),
                                  lambda: developing_warnings(0.5, 0.0, 5.0), lambda: fre_series(0.0)])
def test_meaningless_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()
