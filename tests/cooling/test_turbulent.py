"""Turbulent friction and heat transfer: the Colebrook solver against published values and
limits, Petukhov against Colebrook, Gnielinski against a published evaluation and against
Petukhov's Nusselt equation it modifies, validity warnings and refusals, and the transition
bridge."""

from __future__ import annotations

import math

import pytest

from thermal_cpo.cooling.turbulent import (bridge, colebrook_warnings, darcy_colebrook, darcy_petukhov, fanning,
                                           gnielinski_warnings, nu_gnielinski, petukhov_warnings,
                                           transition_weight)

RES = [4e3, 1e4, 3e4, 1e5, 1e6, 1e7, 1e8]
ROUGH = [0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05]


@pytest.mark.parametrize("re", RES + [1e3, 1e10, 1e14])
@pytest.mark.parametrize("e", ROUGH + [0.5])
def test_colebrook_solves_its_equation_everywhere(re, e):
    """The root satisfies the implicit equation to round-off, far beyond the chart's range too
    (robustness: no start value or iteration count tuned to a region)."""
    f = darcy_colebrook(re, e)
    assert 1.0 / math.sqrt(f) == pytest.approx(-2.0 * math.log10(e / 3.7 + 2.51 / (re * math.sqrt(f))),
                                               rel=1e-12)


def test_colebrook_published_value():
    """fluids' documented Colebrook(Re = 1e5, ε/D = 1e-4) = 0.018513866077471 [bell-fluids-nd]: the
    same equation solved exactly, so agreement to the 14 digits printed (rel 1e-12)."""
    assert darcy_colebrook(1e5, 1e-4) == pytest.approx(0.018513866077471, rel=1e-12)


@pytest.mark.parametrize("re", RES)
@pytest.mark.parametrize("e", ROUGH)
def test_colebrook_against_haaland(re, e):
    """Haaland's explicit 1/√f = −1.8 log₁₀[(ε/D/3.7)^1.11 + 6.9/Re] [haaland-friction-1983]
    differs from Colebrook by less than 2 % over 4e3–1e8, ε/D ≤ 0.05 [white-fluid-2011]."""
    haaland = (-1.8 * math.log10((e / 3.7) ** 1.11 + 6.9 / re)) ** -2
    assert darcy_colebrook(re, e) == pytest.approx(haaland, rel=0.02)


@pytest.mark.parametrize("re", [4e3, 1e5, 1e7])
def test_colebrook_smooth_limit_is_prandtls_law(re):
    """ε = 0: Prandtl's smooth-pipe law 1/√f = 2.0 log₁₀(Re √f) − 0.8 [white-fluid-2011]; Colebrook's
    2.51 is the same constant (2 log₁₀ 2.51 = 0.7993), so f agrees to 0.05 % (derived:
    Δ(1/√f) = 7e-4 on 1/√f ≥ 5)."""
    x = 5.0
    for _ in range(100):  # fixed point of Prandtl's law, a contraction for these Re
        x = 2.0 * math.log10(re / x) - 0.8
    assert darcy_colebrook(re, 0.0) == pytest.approx(x ** -2, rel=5e-4)


@pytest.mark.parametrize("e", [1e-4, 1e-2, 0.05])
def test_colebrook_fully_rough_limit(e):
    """Re → ∞: von Kármán's fully rough law 1/√f = −2 log₁₀(ε/(3.7 D)) [white-fluid-2011]; at
    Re = 1e13 the viscous term is < 1e-6 of ε/3.7 (derived)."""
    assert darcy_colebrook(1e13, e) == pytest.approx((-2.0 * math.log10(e / 3.7)) ** -2, rel=1e-5)


def test_roughness_raises_friction_monotonically():
    fs = [darcy_colebrook(1e5, e) for e in ROUGH]
    assert all(b > a for a, b in zip(fs, fs[1:]))


@pytest.mark.parametrize("re, tol", [(1e4, 0.02), (3e4, 0.02), (1e5, 0.02), (1e6, 0.02), (5e6, 0.02),
                                     (3000.0, 0.05), (4000.0, 0.05)])
def test_petukhov_agrees_with_smooth_colebrook(re, tol):
    """Both are fits to the smooth-pipe data (Nikuradse) [petukhov-turbulent-1970]
    [colebrook-turbulent-1939]. Tolerance (assumption, of the order of the data scatter): 2 %
    from 1e4 to 5e6, 5 % at the low end 3000–4000 where the log laws are extrapolated."""
    assert darcy_petukhov(re) == pytest.approx(darcy_colebrook(re, 0.0), rel=tol)


def test_fanning_is_a_quarter_of_darcy():
    """Laminar pipe: f_D = 64/Re, f_F = 16/Re (the conventions' definition)."""
    assert fanning(64.0 / 1000.0) == pytest.approx(16.0 / 1000.0, rel=1e-15)


def test_gnielinski_published_value():
    """ht's documented turbulent_Gnielinski(Re = 1e5, Pr = 1.2, f_D = 0.0185) = 254.62682749359632
    [bell-ht-nd]: the same closed form, so agreement to round-off (rel 1e-12)."""
    assert nu_gnielinski(1e5, 1.2, 0.0185) == pytest.approx(254.62682749359632, rel=1e-12)


@pytest.mark.parametrize("re", [1e4, 1e5, 1e6, 5e6])
@pytest.mark.parametrize("pr", [0.5, 1.0, 5.0, 50.0, 200.0])
def test_gnielinski_against_petukhov_nusselt(re, pr):
    """Gnielinski's equation is Petukhov's Nu = (f/8) Re Pr/(1.07 + 12.7 √(f/8)(Pr^(2/3) − 1))
    [petukhov-turbulent-1970] with 1.07 → 1 and Re → Re − 1000 [gnielinski-turbulent-1976]: they
    differ by at most the factor 1.07 at high Re and by the shift 1000/Re at 1e4 (derived),
    so within 10 % over Petukhov's range 1e4–5e6, Pr 0.5–200."""
    f = darcy_petukhov(re)
    petukhov = (f / 8) * re * pr / (1.07 + 12.7 * math.sqrt(f / 8) * (pr ** (2 / 3) - 1))
    assert nu_gnielinski(re, pr) == pytest.approx(petukhov, rel=0.10)


def test_gnielinski_sensible_trends():
    """Nu grows with Re and Pr; the entrance factor 1 + (D/L)^(2/3) → 1 for long ducts, and equals
    2 at L = D [gnielinski-turbulent-1976]."""
    nus = [nu_gnielinski(re, 5.0) for re in [3e3, 1e4, 1e5, 1e6, 5e6]]
    assert all(b > a for a, b in zip(nus, nus[1:]))
    assert nu_gnielinski(1e5, 7.0) > nu_gnielinski(1e5, 0.7)
    assert nu_gnielinski(1e5, 5.0, d_over_l=1e-9) == pytest.approx(nu_gnielinski(1e5, 5.0), rel=1e-5)
    assert nu_gnielinski(1e5, 5.0, d_over_l=1.0) == pytest.approx(2 * nu_gnielinski(1e5, 5.0), rel=1e-12)


def test_validity_warnings():
    assert gnielinski_warnings(1e5, 5.0) == [] and petukhov_warnings(1e5) == [] and colebrook_warnings(1e5, 1e-3) == []
    assert any("Re" in w for w in gnielinski_warnings(2500.0, 5.0))
    assert any("Pr" in w for w in gnielinski_warnings(1e5, 0.1))
    assert any("Pr" in w for w in gnielinski_warnings(1e5, 5000.0))
    assert any("L/D_h" in w for w in gnielinski_warnings(1e5, 5.0, l_over_d=0.5))
    assert petukhov_warnings(1e7) and colebrook_warnings(2000.0) and colebrook_warnings(1e5, 0.1)


@pytest.mark.parametrize("call", [lambda: darcy_colebrook(0.0), lambda: darcy_colebrook(-5.0),
                                  lambda: darcy_colebrook(1e5, -1e-3), lambda: darcy_petukhov(0.0),
                                  lambda: nu_gnielinski(1e5, 0.0), lambda: nu_gnielinski(1e5, -1.0),
                                  lambda: nu_gnielinski(900.0, 5.0), lambda: nu_gnielinski(1e5, 5.0, d_over_l=-1),
                                  lambda: darcy_colebrook(float("nan")), lambda: gnielinski_warnings(-1.0, 5.0)])
def test_meaningless_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()


def test_bridge_takes_the_branch_values_at_its_ends():
    """γ = 0 at 2300 and 1 at 4000 [gnielinski-tubes-2013], linear between."""
    assert transition_weight(2300.0) == 0.0 and transition_weight(4000.0) == 1.0
    assert transition_weight(3150.0) == pytest.approx(0.5, abs=1e-15)
    assert transition_weight(1000.0) == 0.0 and transition_weight(1e5) == 1.0
    assert bridge(2300.0, 4.0, 30.0) == 4.0 and bridge(4000.0, 4.0, 30.0) == 30.0
