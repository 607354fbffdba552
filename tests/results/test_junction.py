"""Junction temperatures: the powered face reconstructed from the cell-centred field, exact in 1-D
and second order on the rectangular-source spreading series."""

from __future__ import annotations

import numpy as np
import pytest

from analytic import rect_spreading, slab_rise
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady

UM = 1e6


def test_face_temperature_of_a_1d_stack_is_exact():
    # 50 W/cm² into the bottom of a die / TIM / lid column, convective top: the face is the
    # exact profile's z = 0 value (the cell centre reads it half a cell lower)
    layers = [(300e-6, 148.0), (50e-6, 5.0), (1e-3, 390.0)]
    q, h = 50e4, 2e4
    mats = {f"m{i}": dict(k=k, rho=1000, cp=1000) for i, (_, k) in enumerate(layers)}
    lay = [dict(name=f"l{i}", thickness=t * UM, material=f"m{i}") for i, (t, _) in enumerate(layers)]
    lay[0].update(power=q * 1e-6, power_at="bottom")
    pkg = Package.from_dict(dict(name="column", footprint=dict(x=1000, y=1000), materials=mats, layers=lay,
                                 grid=dict(max_cell_xy=1000, max_cell_z=100, grading=1.3),
                                 boundaries=dict(top=dict(type="convective", h=h, T=25.0))))
    r = solve_steady(pkg, tol=1e-12)
    die = r.component("l0")
    exact = 25.0 + float(slab_rise(0.0, layers, q, h))
    assert die.T_junction == pytest.approx(exact, abs=1e-8 * (exact - 25.0))
    assert die.T_junction_mean == pytest.approx(exact, abs=1e-8 * (exact - 25.0))
    assert die.T_max < exact - 0.01  # half a cell of the die's gradient below the junction
    # every other face: the die / TIM and TIM / lid interfaces are exact too, and the lid's
    # hottest point is its face on the TIM, above its hottest cell centre
    z = np.cumsum([0.0] + [t for t, _ in layers])
    for name, at in (("l1", z[1]), ("l2", z[2])):
        face = 25.0 + float(slab_rise(at, layers, q, h))
        assert r.component(name).T_surface == pytest.approx(face, abs=1e-8 * (face - 25.0)), name
    assert r.component("l2").T_hot == r.component("l2").T_surface > r.component("l2").T_max
    # the margin to a limit and R_th are taken at the junction, not at the cooler cell centre
    from thermal_cpo.analysis import report

    row = next(c for c in report(r)["components"] if c["name"] == "l0")
    assert row["T_hot"] == die.T_junction
    assert row["R_th"] == pytest.approx((die.T_junction - 25.0) / (q * 1e-6))


def test_junction_converges_at_second_order_on_the_spreading_series():
    # quarter model of a 5 × 10 mm source on a 20 × 20 × 1 mm plate, k 150, h 2e4 to 0 °C
    a, b, c, d, t, k, h = 2.5e-3, 5e-3, 10e-3, 10e-3, 1e-3, 150.0, 2e4
    pkg = Package.from_dict(dict(
        name="spreading", footprint=dict(x=c * UM, y=d * UM), grid=dict(max_cell_xy=500, max_cell_z=200, grading=1.2),
        materials={"plate": dict(k=k, rho=1000, cp=1000)},
        layers=[dict(name="plate", thickness=t * UM, material="plate",
                     blocks=[dict(name="src", x=[0, a * UM], y=[0, b * UM], power=0.25, power_at="bottom")])],
        boundaries=dict(top=dict(type="convective", h=h, T=0.0))))
    r1d, s_avg, s_c = rect_spreading(a, b, c, d, t, k, h)  # K/W for 1 W on the full source
    err_j, err_mean, err_cell = [], [], []
    for n in (1, 2, 4):
        src = solve_steady(pkg, refine=n, tol=1e-12).component("src")
        err_j.append(abs(src.T_junction - (r1d + s_c)))  # the source centre is the quarter's corner
        err_mean.append(abs(src.T_junction_mean - (r1d + s_avg)))
        err_cell.append(abs(src.T_max - (r1d + s_c)))
    order = lambda e: np.polyfit(np.log([1.0, 0.5, 0.25]), np.log(e), 1)[0]  # noqa: E731
    assert order(err_j) == pytest.approx(2.0, abs=0.2), err_j
    # the mean over the face: the source edge cuts the field's kink, slightly below 2 (1.8 measured)
    assert order(err_mean) == pytest.approx(2.0, abs=0.3), err_mean
    assert order(err_cell) == pytest.approx(1.0, abs=0.2), err_cell  # the cell centre: first order
    assert err_j[-1] < 0.05 * err_cell[-1]
