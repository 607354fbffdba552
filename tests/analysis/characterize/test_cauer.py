"""Cauer ladders: the conversion from a Foster network and back."""

import numpy as np
import pytest
from scipy.linalg import expm

from thermal_cpo.analysis.characterize import CauerNetwork, FosterNetwork, foster_to_cauer
from thermal_cpo.errors import LayoutError

FIVE = FosterNetwork(R=np.array([0.05, 0.20, 0.10, 0.30, 0.15]), tau=np.logspace(-4, 0, 5))
T = np.logspace(-6, 2, 200)


def _many(n, seed=3):
    """A positive Foster network of ``n`` pairs over seven decades, jittered so that no two
    time constants sit on a regular grid."""
    rng = np.random.default_rng(seed)
    tau = np.logspace(-6, 1, n) * rng.uniform(0.8, 1.25, n)
    return FosterNetwork(R=rng.uniform(0.01, 1.0, n), tau=tau)


def _zth_by_matrix_exponential(ladder, t):
    """Junction response of the ladder's state equations C dT/dt = -G T + e0, integrated with
    the matrix exponential: T(t) = (I - exp(-A t)) A^-1 C^-1 e0 with A = C^-1 G."""
    g = 1.0 / ladder.R
    n = ladder.n_terms
    G = np.diag(g + np.concatenate([[0.0], g[:-1]])) - np.diag(g[:-1], 1) - np.diag(g[:-1], -1)
    A = G / ladder.C[:, None]
    b = np.zeros(n)
    b[0] = 1.0 / ladder.C[0]
    steady = np.linalg.solve(A, b)
    return np.array([(steady - expm(-A * ti) @ steady)[0] for ti in t])


def test_cauer_of_few_pairs_has_the_same_impedance():
    ladder = foster_to_cauer(FIVE)
    assert ladder.n_terms == FIVE.n_terms
    assert np.all(ladder.R > 0) and np.all(ladder.C > 0)
    # a five-stage ladder's eigen-decomposition is accurate to round-off; 1e-9 of Zth(inf)
    # leaves six orders of margin
    assert np.max(np.abs(ladder.zth(T) - FIVE.zth(T))) <= 1e-9 * FIVE.r_total
    assert ladder.r_total == pytest.approx(FIVE.r_total, rel=1e-12)


def test_ladder_impedance_matches_its_state_equations():
    ladder = foster_to_cauer(FIVE)
    t = np.logspace(-5, 1, 13)
    # independent of the eigen-decomposition: the matrix exponential, accurate to ~1e-12 here
    np.testing.assert_allclose(ladder.zth(t), _zth_by_matrix_exponential(ladder, t),
                               rtol=1e-8, atol=1e-12 * ladder.r_total)


def test_junction_capacity_is_the_high_frequency_limit():
    ladder = foster_to_cauer(FIVE)
    # as s -> inf the Foster impedance tends to sum(1/(s C_i)), the ladder's to 1/(s C_1)
    assert ladder.C[0] == pytest.approx(1.0 / np.sum(1.0 / FIVE.C), rel=1e-12)


@pytest.mark.parametrize("n", [30, 40])
def test_long_networks_stay_positive_and_exact(n):
    foster = _many(n)
    ladder = foster_to_cauer(foster)
    assert ladder.n_terms == n
    assert np.all(ladder.R > 0) and np.all(ladder.C > 0)
    # the expansion is exact; what remains is the float eigen-decomposition of a ladder whose
    # time constants span seven decades, good to ~1e-12; the requirement is 1e-6
    assert np.max(np.abs(ladder.zth(T) - foster.zth(T))) <= 1e-6 * foster.r_total


def test_cauer_foster_cauer_round_trip_recovers_the_ladder():
    ladder = CauerNetwork(R=np.array([0.01, 0.03, 0.02, 0.2, 0.05, 0.5]),
                          C=np.array([0.002, 0.05, 0.01, 0.3, 1.0, 4.0]))
    back = foster_to_cauer(ladder.to_foster())
    # the conversion is exact; the float eigen-decomposition feeds it errors of ~1e-14 that
    # the (ill-conditioned) expansion of six stages amplifies by well under 1e5
    np.testing.assert_allclose(back.R, ladder.R, rtol=1e-8)
    np.testing.assert_allclose(back.C, ladder.C, rtol=1e-8)


def test_pairs_with_one_time_constant_count_as_one():
    split = FosterNetwork(R=[0.1, 0.2, 0.3], tau=[1e-3, 1e-2, 1e-2])
    joined = FosterNetwork(R=[0.1, 0.5], tau=[1e-3, 1e-2])
    ladder = foster_to_cauer(split)
    np.testing.assert_allclose(ladder.R, foster_to_cauer(joined).R, rtol=1e-14)
    np.testing.assert_allclose(ladder.C, foster_to_cauer(joined).C, rtol=1e-14)


def test_bad_inputs():
    with pytest.raises(LayoutError, match="foster must"):
        foster_to_cauer(CauerNetwork(R=[1.0], C=[1.0]))
    with pytest.raises(LayoutError, match="C must"):
        CauerNetwork(R=[1.0, 1.0], C=[1.0, 0.0])
