"""The explicit (forward Euler) kernel: the same operator as Operator.apply / the CSR matrix,
conservation, positivity at the stable step, instability at twice it, degenerate grids."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_cpo.mesh import voxelize
from thermal_cpo.kernels.explicit import (explicit_step, explicit_step_parallel,
                                          explicit_step_serial, stable_dt, step)
from thermal_cpo.layout import load_layout
from thermal_cpo.operator import Operator

VARIANTS = {"serial": explicit_step_serial, "parallel": explicit_step_parallel}


@pytest.fixture(scope="module")
def op():
    return Operator(voxelize(load_layout("quickstart")))


def _random_field(shape, seed=0, lo=20.0, hi=120.0):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


def _checkerboard(shape):
    k, j, i = np.indices(shape)
    return np.where((i + j + k) % 2 == 0, 1.0, -1.0)


def _numpy_sum_g(gx, gy, gz, diag):
    """ΣG per cell (diag + face conductances) with numpy slices."""
    s = diag.copy()
    s[:, :, :-1] += gx
    s[:, :, 1:] += gx
    s[:, :-1, :] += gy
    s[:, 1:, :] += gy
    s[:-1] += gz
    s[1:] += gz
    return s


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_step_equals_operator_and_matrix(op, variant):
    shape = op.mesh.shape
    T = _random_field(shape)
    power = np.random.default_rng(1).uniform(0.0, 0.05, shape)
    t_ref = op.reference_temperature()
    b = op.rhs(power=power, t_ref=t_ref).reshape(shape)
    C = op.capacity
    dt = 0.9 * stable_dt(op.gx, op.gy, op.gz, op.diag_boundary, C)
    r = dt / C
    out = np.full(shape, np.nan)
    VARIANTS[variant](T, out, op.gx, op.gy, op.gz, op.diag_boundary, b, r)

    ref_apply = T + r * (b - op.apply(T))
    A = op.matrix()
    ref_csr = T + r * (b - (A @ T.ravel()).reshape(shape))
    for ref in (ref_apply, ref_csr):
        assert np.max(np.abs(out - ref)) <= 1e-12 * np.max(np.abs(ref))
    # the increment itself, to round-off of the terms it is made of
    scale = r * (np.abs(b) + (abs(A) @ np.abs(T).ravel()).reshape(shape))
    assert np.all(np.abs((out - T) - (ref_csr - T)) <= 1e-12 * scale)


def test_serial_and_parallel_agree_bitwise_and_dispatcher(op):
    shape = op.mesh.shape
    T = _random_field(shape, seed=3)
    b = op.rhs(t_ref=25.0).reshape(shape)
    r = np.full(shape, 1e-2) * 0.5 * stable_dt(op.gx, op.gy, op.gz, op.diag_boundary,
                                                 np.ones(shape))
    outs = []
    for f in (explicit_step_serial, explicit_step_parallel):
        out = np.empty(shape)
        f(T, out, op.gx, op.gy, op.gz, op.diag_boundary, b, r)
        outs.append(out)
    for parallel in (None, True, False):
        out = np.empty(shape)
        assert step(T, out, op.gx, op.gy, op.gz, op.diag_boundary, b, r, parallel=parallel) is out
        outs.append(out)
    assert explicit_step is step
    for o in outs[1:]:
        assert np.array_equal(o, outs[0])


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_adiabatic_step_conserves_energy(op, variant):
    shape = op.mesh.shape
    T = _random_field(shape, seed=4)
    zero = np.zeros(shape)
    C = op.capacity
    dt = stable_dt(op.gx, op.gy, op.gz, zero, C)
    out = np.empty(shape)
    x = T
    for _ in range(5):
        VARIANTS[variant](x, out, op.gx, op.gy, op.gz, zero, zero, dt / C)
        x, out = out, x.copy()
    e0, e1 = np.sum(C * T), np.sum(C * x)
    assert not np.array_equal(x, T)  # it did move heat around
    assert abs(e1 - e0) <= 1e-13 * np.sum(C * np.abs(T))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("with_boundary", [False, True])
def test_positivity_at_stable_dt(op, variant, with_boundary):
    """At dt = min C/ΣG a step is a convex combination of the old temperatures (and of 0, the
    ambient of b = 0): a field in [0, 1] stays in [0, 1], over many steps, even a checkerboard."""
    shape = op.mesh.shape
    diag = op.diag_boundary if with_boundary else np.zeros(shape)
    zero = np.zeros(shape)
    C = op.capacity
    dt = stable_dt(op.gx, op.gy, op.gz, diag, C)
    r = dt / C
    eps = 1e-14  # round-off of 1 − r·ΣG at the cell that sets the bound
    for T in (np.random.default_rng(5).random(shape), 0.5 + 0.5 * _checkerboard(shape)):
        x, out = T.copy(), np.empty(shape)
        for _ in range(50):
            VARIANTS[variant](x, out, op.gx, op.gy, op.gz, diag, zero, r)
            x, out = out, x
            assert x.min() >= -eps and x.max() <= 1.0 + eps


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_twice_stable_dt_grows_an_oscillation(op, variant):
    """The bound is the real one within a factor 2: at 2·min C/ΣG a checkerboard grows."""
    shape = op.mesh.shape
    zero = np.zeros(shape)
    C = op.capacity
    dt = stable_dt(op.gx, op.gy, op.gz, op.diag_boundary, C)
    x0 = _checkerboard(shape)
    for factor, grows in ((1.0, False), (2.0, True)):
        x, out = x0.copy(), np.empty(shape)
        for _ in range(30):
            VARIANTS[variant](x, out, op.gx, op.gy, op.gz, op.diag_boundary, zero, factor * dt / C)
            x, out = out, x
        growth = np.max(np.abs(x)) / np.max(np.abs(x0))
        assert (growth > 1e3) if grows else (growth <= 1.0 + 1e-12), (factor, growth)


def test_stable_dt_matches_numpy(op):
    C = op.capacity
    for diag in (op.diag_boundary, np.zeros(op.mesh.shape)):
        sg = _numpy_sum_g(op.gx, op.gy, op.gz, diag)
        want = np.min(C / sg)
        assert stable_dt(op.gx, op.gy, op.gz, diag, C) == pytest.approx(want, rel=1e-14)
    # the threaded reduction gives the same minimum on a grid above the size threshold
    rng = np.random.default_rng(6)
    shape = (40, 30, 33)
    nz, ny, nx = shape
    gx, gy, gz = rng.random((nz, ny, nx - 1)), rng.random((nz, ny - 1, nx)), rng.random((nz - 1, ny, nx))
    diag, C = rng.random(shape), rng.uniform(0.5, 2.0, shape)
    want = np.min(C / _numpy_sum_g(gx, gy, gz, diag))
    from thermal_cpo.kernels.explicit import _stable_dt_parallel, _stable_dt_serial

    assert _stable_dt_parallel(gx, gy, gz, diag, C) == pytest.approx(want, rel=1e-14)
    assert _stable_dt_serial(gx, gy, gz, diag, C) == pytest.approx(want, rel=1e-14)
    # no conductance anywhere: no bound
    one = np.ones((1, 1, 1))
    assert stable_dt(np.zeros((1, 1, 0)), np.zeros((1, 0, 1)), np.zeros((0, 1, 1)), 0 * one, one) == np.inf


def _numpy_step(T, gx, gy, gz, diag, b, r):
    """The update with numpy slices (reference for the synthetic grids)."""
    flux = diag * T
    fx = gx * (T[:, :, :-1] - T[:, :, 1:])
    flux[:, :, :-1] += fx
    flux[:, :, 1:] -= fx
    fy = gy * (T[:, :-1] - T[:, 1:])
    flux[:, :-1] += fy
    flux[:, 1:] -= fy
    fz = gz * (T[:-1] - T[1:])
    flux[:-1] += fz
    flux[1:] -= fz
    return T + r * (b - flux)


@pytest.mark.parametrize("shape", [(1, 1, 1), (1, 1, 5), (1, 4, 1), (3, 1, 1), (1, 3, 4),
                                   (3, 1, 4), (3, 4, 1), (2, 2, 2), (4, 5, 6), (7, 3, 9)])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_degenerate_and_small_grids(shape, variant):
    rng = np.random.default_rng(sum(shape))
    nz, ny, nx = shape
    gx, gy, gz = rng.random((nz, ny, nx - 1)), rng.random((nz, ny - 1, nx)), rng.random((nz - 1, ny, nx))
    T, diag, b, r = rng.random(shape), rng.random(shape), rng.random(shape), 0.1 * rng.random(shape)
    out = np.empty(shape)
    VARIANTS[variant](T, out, gx, gy, gz, diag, b, r)
    np.testing.assert_allclose(out, _numpy_step(T, gx, gy, gz, diag, b, r), rtol=1e-13, atol=0)


def test_dispatcher_refuses_bad_arguments(op):
    shape = op.mesh.shape
    T = np.zeros(shape)
    args = [op.gx, op.gy, op.gz, op.diag_boundary, np.zeros(shape), np.ones(shape)]
    with pytest.raises(ValueError, match="overlap"):
        step(T, T, *args)
    with pytest.raises(ValueError, match="gx must have shape"):
        step(T, np.empty(shape), op.gx[:, :, :-1].copy(), *args[1:])
    with pytest.raises(ValueError, match="C-contiguous float64"):
        step(T, np.empty(shape), *args[:4], np.zeros(shape, np.float32), args[5])
    with pytest.raises(ValueError, match="C-contiguous float64"):
        step(np.asfortranarray(T), np.empty(shape), *args)
