"""Foster networks and their fit to a sampled thermal impedance."""

import numpy as np
import pytest

from thermal_cpo.analysis.characterize import FosterNetwork, fit_foster
from thermal_cpo.errors import LayoutError

# five pairs spanning four decades of time constant, unequal weights (K/W, s)
KNOWN = FosterNetwork(R=np.array([0.05, 0.20, 0.10, 0.30, 0.15]), tau=np.logspace(-4, 0, 5))
# log-spaced samples from a tenth of the fastest time constant to 30 of the slowest, where
# exp(-30) ~ 1e-13 makes the last sample the steady state
T = np.logspace(-5, np.log10(30.0), 100)


def test_zth_limits_and_capacities():
    net = KNOWN
    assert net.zth(0.0) == 0.0
    # far beyond every time constant the impedance is the sum of the resistances
    assert net.zth(1e6) == pytest.approx(net.r_total, rel=1e-15)
    np.testing.assert_allclose(net.C * net.R, net.tau, rtol=1e-15)
    # the step response is linear in the power
    np.testing.assert_allclose(net.step_response(T, power=2.5), 2.5 * net.zth(T), rtol=1e-15)
    # a heating curve only rises
    assert np.all(np.diff(net.zth(T)) > 0)


def test_pairs_are_sorted_by_time_constant():
    net = FosterNetwork(R=[1.0, 2.0], tau=[1.0, 0.1])
    np.testing.assert_array_equal(net.tau, [0.1, 1.0])
    np.testing.assert_array_equal(net.R, [2.0, 1.0])


def test_fit_reproduces_known_network_within_one_percent():
    z = KNOWN.zth(T)
    fit = fit_foster(T, z)
    net = fit.network
    rel = np.abs(net.zth(T) / z - 1.0)
    # the requirement is 1 % over the fitted range; the fit targets 0.5 % to keep a margin
    assert rel.max() <= 0.01
    assert fit.met_target and fit.max_rel_error == pytest.approx(rel.max(), rel=1e-12)
    assert fit.rms_rel_error <= fit.max_rel_error
    assert fit.n_terms == net.n_terms
    assert np.all(net.R > 0) and np.all(net.C > 0)
    # Zth(inf) is the sum of the resistances; the last sample is already the steady state
    assert net.r_total == pytest.approx(KNOWN.r_total, rel=0.01)


def test_fit_picks_the_smallest_network_that_meets_the_target():
    z = KNOWN.zth(T)
    fit = fit_foster(T, z, rtol=1e-3)
    assert fit.met_target
    if fit.n_terms > 1:
        fewer = fit_foster(T, z, rtol=1e-3, max_terms=fit.n_terms - 1)
        assert not fewer.met_target and fewer.max_rel_error > 1e-3


def test_tight_fit_recovers_the_time_constants():
    z = KNOWN.zth(T)
    # noise-free samples of a five-pair network: a tight fit must find exactly those pairs
    fit = fit_foster(T, z, rtol=1e-6)
    assert fit.n_terms == KNOWN.n_terms
    np.testing.assert_allclose(fit.network.tau, KNOWN.tau, rtol=1e-3)
    np.testing.assert_allclose(fit.network.R, KNOWN.R, rtol=1e-3)


@pytest.mark.parametrize("t, z, word", [
    (T[::-1], KNOWN.zth(T), "t must"),
    (np.concatenate([[-1.0], T[1:]]), KNOWN.zth(T), "t must"),
    (T, -KNOWN.zth(T), "zth must"),
    (T, KNOWN.zth(T)[:-1], "zth must"),
    (T[:4], KNOWN.zth(T[:4]), "t must"),
    (T, np.where(T > 1e-3, np.nan, KNOWN.zth(T)), "zth must"),
])
def test_fit_rejects_bad_samples(t, z, word):
    with pytest.raises(LayoutError, match=word):
        fit_foster(t, z)


def test_fit_rejects_bad_settings():
    z = KNOWN.zth(T)
    with pytest.raises(LayoutError, match="max_terms"):
        fit_foster(T, z, max_terms=0)
    with pytest.raises(LayoutError, match="rtol"):
        fit_foster(T, z, rtol=-1.0)


def test_network_rejects_non_positive_elements():
    with pytest.raises(LayoutError, match="R must"):
        FosterNetwork(R=[1.0, 0.0], tau=[1.0, 2.0])
    with pytest.raises(LayoutError, match="tau must"):
        FosterNetwork(R=[1.0, 1.0], tau=[1.0, -2.0])
    with pytest.raises(LayoutError, match="same"):
        FosterNetwork(R=[1.0], tau=[1.0, 2.0])
