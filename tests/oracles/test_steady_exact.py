"""Steady solve against the exact solutions of analytic.py: FV exactness in 1-D, spreading
series, nonlinear k(T), and conservation."""

import numpy as np
import pytest
from hypothesis import example, given, strategies as st

from analytic import kirchhoff_slab, rect_spreading, slab_rise
from thermal_cpo.layout import Package
from thermal_cpo.operator import Operator
from thermal_cpo.solve.steady import solve_steady

UM = 1e6  # layout lengths are µm


def _stack(layers, q_area_W, h, T_amb, heater_um=None, k_heater=None):
    """A 1 × 1 mm column: optional thin heater layer, then ``layers`` [(t m, k)], convective top."""
    mats = {f"m{i}": dict(k=k, rho=1000, cp=1000) for i, (_, k) in enumerate(layers)}
    lay = [dict(name=f"l{i}", thickness=t * UM, material=f"m{i}") for i, (t, _) in enumerate(layers)]
    lay[0]["power"] = q_area_W
    lay[0]["power_at"] = "bottom"
    return Package.from_dict(dict(
        name="column", footprint=dict(x=1000, y=1000),
        grid=dict(max_cell_xy=1000, max_cell_z=200, grading=1.3),
        materials=mats, layers=lay,
        boundaries=dict(top=dict(type="convective", h=h, T=T_amb))))


@given(
    layers=st.lists(st.tuples(st.floats(2e-6, 2e-3), st.floats(0.5, 400)), min_size=1, max_size=6),
    h=st.floats(1e2, 1e6),
    T_amb=st.floats(-20, 80),
)
@example(layers=[(1e-05, 167.0), (2e-06, 1.0), (2e-06, 1.0), (1e-05, 335.0)], h=100.0, T_amb=0.0)
def test_multilayer_column_is_exact(layers, h, T_amb):
    """1-D stacks: FV with series half-cell conductances reproduces the exact piecewise-linear
    profile at every cell centre above the source layer (round-off only: 1e-9 of the rise)."""
    P = 1e-6 * 1e4 * 50  # 50 W/cm² on 1 mm²
    pkg = _stack(layers, P, h, T_amb)
    r = solve_steady(pkg, solver="direct")
    zc = r.mesh.centers()[2]
    rise = r.temperature[:, 0, 0] - T_amb
    # geometry is snapped to 1 nm: the exact answer is for the stack as voxelized
    snapped = [(z1 - z0, k) for (z0, z1), (_, k) in zip(pkg.layer_bounds(), layers)]
    exact = slab_rise(zc, snapped, P / 1e-6, h)
    above = slice(1, None)  # cell 0 holds the source; everything above carries the flux exactly
    # Round-off only, but scaled by the column's conditioning: the top cell's diagonal holds the
    # boundary conductance G_b beside a face conductance g up to 1e6 times larger (µm films,
    # h = 100), so G_b — which sets the whole rise — is stored to ε·g/G_b, and the solve of this
    # M-matrix perturbs it by a few such units again (a drawn case: 1.3e-9 at g/G_b = 1.3e6).
    A = Operator(r.mesh).matrix()
    g_b = float((A @ np.ones(A.shape[0]))[-1])  # the top row's sum: its boundary conductance
    rtol = max(1e-9, 32 * np.finfo(float).eps * float(A.diagonal().max()) / g_b)
    np.testing.assert_allclose(rise[above], exact[above], rtol=rtol, atol=0)
    assert r.energy_balance < rtol  # the heat out is G_b times that same rise


def test_published_multilayer_M1():
    """Multilayer case M1 (q'' = 100 W/cm², coolant 35 °C): heated face of the die 110.96 °C
    (derived: 35 + q''·(Σ t/k + 1/h) with the layers below and h = 2e4 W/(m²·K)).

    The source sits in a 0.01 µm film at the die's face, so the cell centre differs from the
    face by q''·δ/(2k) ≈ 3e-5 K, far below the table's 0.01 K rounding.
    """
    q = 100e4
    layers = [(0.01e-6, 148), (775e-6 - 0.01e-6, 148), (150e-6, 86), (2e-3, 390), (50e-6, 5),
              (1.5e-3, 390)]
    pkg = _stack(layers, q * 1e-6, 2e4, 35.0)
    r = solve_steady(pkg, solver="direct")
    assert r.temperature[0, 0, 0] == pytest.approx(110.96, abs=0.006)


SPREADING = [  # half-widths a, b of the source, c, d of the plate; t, k, h [yovanovich-spreading-1999]
    ("R1", 5e-3, 5e-3, 15e-3, 15e-3, 2e-3, 390, 1e4, 0.25e-3, 0.2e-3),
    ("R2", 2.5e-3, 5e-3, 10e-3, 10e-3, 1e-3, 150, 2e4, 0.25e-3, 0.1e-3),
    ("R3", 10e-3, 10e-3, 20e-3, 20e-3, 0.5e-3, 150, 5e4, 0.25e-3, 0.05e-3),
]


@pytest.mark.parametrize("case", SPREADING, ids=[c[0] for c in SPREADING])
def test_rectangular_source_spreading(case):
    """Source-average and source-centre rise within 1 % of the exact series (quarter model:
    the symmetry planes are the adiabatic x = 0, y = 0 faces; the source is a 0.1 µm film)."""
    _, a, b, c, d, t, k, h, hxy, hz = case
    pkg = Package.from_dict(dict(
        name="spreading", footprint=dict(x=c * UM, y=d * UM),
        grid=dict(max_cell_xy=hxy * UM, max_cell_z=hz * UM, grading=1.2),
        materials={"plate": dict(k=k, rho=1000, cp=1000)},
        layers=[dict(name="heater", thickness=0.1, material="plate",
                     blocks=[dict(name="src", x=[0, a * UM], y=[0, b * UM], power=0.25)]),
                dict(name="plate", thickness=t * UM - 0.1, material="plate")],
        boundaries=dict(top=dict(type="convective", h=h, T=0.0))))
    r = solve_steady(pkg, tol=1e-11)
    m, T = r.mesh, r.temperature
    sel = m.component == m.component_id("src")
    w = m.cell_volumes()[sel]
    avg = float((T[sel] * w).sum() / w.sum())  # rise per 1 W total: T in °C above 0 °C
    r1d, s_avg, s_c = rect_spreading(a, b, c, d, t, k, h)
    assert avg == pytest.approx(r1d + s_avg, rel=0.01)
    # the corner cell of the quarter model is half a cell from the centre, where ∂T/∂x = ∂T/∂y = 0
    assert T[0, 0, 0] == pytest.approx(r1d + s_c, rel=0.01)
    assert r.energy_balance < 1e-6


KT_CASES = [  # L, q'', T_cold [K], T_hot [K] derived from the Kirchhoff-transform solution
    (0.775e-3, 100e4, 350.0, 356.423),
    (5.0e-3, 100e4, 300.0, 335.964),
    (2.0e-3, 200e4, 330.0, 362.231),
]


@pytest.mark.parametrize("L,q,Tc,Th", KT_CASES)
def test_silicon_k_of_T_matches_kirchhoff(L, q, Tc, Th):
    """k = 150 (T/300 K)^(-4/3): Picard-iterated FV within 0.01 K of the exact profile."""
    film = 0.01  # µm source film at z = 0
    pkg = Package.from_dict(dict(
        name="kT", footprint=dict(x=1000, y=1000),
        grid=dict(max_cell_xy=1000, max_cell_z=L * UM / 100, grading=1.3),
        materials={"si": dict(k=150, rho=2330, cp=705, k_model="power", T0="300 K", n=4 / 3)},
        layers=[dict(name="heater", thickness=film, material="si", power=q * 1e-6),
                dict(name="slab", thickness=L * UM - film, material="si")],
        boundaries=dict(top=dict(type="fixed", T=f"{Tc} K"))))
    r = solve_steady(pkg, solver="direct")
    assert r.solver["picard_iterations"] >= 2
    zc = r.mesh.centers()[2]
    exact = kirchhoff_slab(zc, L, q, Tc, 150, 300, 4 / 3) - 273.15
    assert np.max(np.abs(r.temperature[:, 0, 0] - exact)) < 0.01
    assert r.temperature[0, 0, 0] + 273.15 == pytest.approx(Th, abs=0.01)
    # a constant k at the cold-face value would miss by 0.08-2.6 K: the iteration matters
    assert r.energy_balance < 1e-6
