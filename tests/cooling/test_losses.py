"""Minor losses: sudden contraction and expansion against the handbook values and Kays and
London's chart, bends against Rennels' formula as published, warnings and refusals."""

from __future__ import annotations

import pytest

from thermal_cpo.cooling.losses import k_bend, k_contraction, k_expansion, minor_loss, minor_loss_warnings


def test_plenum_limits():
    """σ → 0: sharp entrance from and exit into a large plenum, K = 0.5 and K = 1 [crane-flow-2009];
    σ = 1: no area change, no loss."""
    assert k_contraction(0.0) == pytest.approx(0.5, abs=1e-15)
    assert k_expansion(0.0) == pytest.approx(1.0, abs=1e-15)
    assert k_contraction(1.0) == 0.0 and k_expansion(1.0) == 0.0
    assert k_contraction(1.0, "rennels") == pytest.approx(0.0, abs=1e-15)


def test_published_evaluations():
    """The documented examples of fluids [bell-fluids-nd] for the same published forms:
    contraction_sharp(1, 0.4) = 0.5301269161 (Rennels, σ = 0.16), contraction_sharp(3, 2, Crane)
    = 0.2777777 (σ = 4/9), bend_miter(150°) = 2.7128147734758103 (Rennels): agreement to the
    digits printed."""
    assert k_contraction(0.4 ** 2, "rennels") == pytest.approx(0.5301269161, rel=1e-9)
    assert k_contraction((2 / 3) ** 2, "crane") == pytest.approx(0.2777777, rel=1e-6)
    assert k_bend(150.0) == pytest.approx(2.7128147734758103, rel=1e-12)


def test_expansion_against_kays_and_london():
    """Kays and London's turbulent K_e for parallel-plate passages, σ = 0.4 at Re = 4000, read from
    their chart as 0.3542 [fchart-ees-minor-losses-nd] [kays-london-compact-1984], against
    Borda–Carnot's (1 − σ)² = 0.36: the chart's turbulent curves sit slightly below it (the
    velocity profile is not flat); tolerance 3 %, the reading accuracy of the chart
    (assumption)."""
    assert k_expansion(0.4) == pytest.approx(0.3542, rel=0.03)


def test_right_angle_bend():
    """K = 0.42 sin 45° + 2.56 sin³ 45° = 1.20 for a 90° mitre [rennels-pipe-2012]; 180° as two of them."""
    assert k_bend(90.0) == pytest.approx(1.20, abs=5e-3)
    assert k_bend() == k_bend(90.0)
    assert k_bend(180.0) == pytest.approx(2 * k_bend(90.0), rel=1e-15)
    ks = [k_bend(a) for a in (15.0, 30.0, 45.0, 60.0, 90.0, 120.0, 150.0)]
    assert all(b > a for a, b in zip(ks, ks[1:]))


@pytest.mark.parametrize("method", ["crane", "rennels"])
def test_losses_fall_with_the_area_ratio(method):
    sig = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0]
    kc = [k_contraction(s, method) for s in sig]
    ke = [k_expansion(s) for s in sig]
    assert all(b < a for a, b in zip(kc, kc[1:])) and all(b < a for a, b in zip(ke, ke[1:]))


def test_minor_loss_is_k_times_dynamic_pressure():
    assert minor_loss(1.5, 1000.0, 2.0) == pytest.approx(1.5 * 0.5 * 1000.0 * 4.0, rel=1e-15)


def test_validity_warnings():
    """Laminar flow with fully developed friction leaves the entrance excess out: said; with
    developing flow it is inside f_app: nothing to say; turbulent: nothing to say."""
    assert minor_loss_warnings(500.0, 0.5)
    assert minor_loss_warnings(500.0, 0.5, entrance_counted=True) == []
    assert minor_loss_warnings(1e4, 0.5) == []


@pytest.mark.parametrize("call", [lambda: k_contraction(-0.1), lambda: k_contraction(1.1), lambda: k_expansion(2.0),
                                  lambda: k_contraction(0.5, "idelchik"), lambda: k_bend(0.0), lambda: k_bend(170.0),
                                  lambda: k_bend(-90.0), lambda: minor_loss(-1.0, 1000.0, 1.0),
                                  lambda: minor_loss_warnings(0.0, 0.5), lambda: minor_loss_warnings(100.0, 1.5)])
def test_meaningless_inputs_are_refused(call):
    with pytest.raises(ValueError):
        call()
