"""Voids in a material (``void_fraction`` φ): the Maxwell–Eucken conductivity of a matrix with
non-conducting spheres, k·2(1 − φ)/(2 + φ) [wang-effective-2006] (the Hashin–Shtrikman bound
with the matrix continuous [hashin-shtrikman-1962]), density × (1 − φ), c_p per mass unchanged;
bad fractions refused by name; a 1-D stack through a voided TIM against the exact series
resistance."""

from __future__ import annotations

import math

import numpy as np
import pytest

import thermal_cpo as tc
from thermal_cpo.errors import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.materials import Material, get
from thermal_cpo.materials.effective import maxwell_eucken, voided

K, RHO, CP = 82.0, 7310.0, 233.0  # the library's indium, W/(m·K), kg/m³, J/(kg·K)


def closed_form(phi: float) -> float:
    return K * 2.0 * (1.0 - phi) / (2.0 + phi)


@pytest.mark.parametrize("phi", [0.0, 0.1, 0.3])
def test_the_effective_material_is_the_closed_form(phi):
    m = Material(k=K, rho=RHO, cp=CP, void_fraction=phi)
    # a few roundings of double arithmetic: 1e-14 relative
    assert m.k == pytest.approx((closed_form(phi),) * 3, rel=1e-14)
    assert m.rho == pytest.approx(RHO * (1.0 - phi), rel=1e-14)
    assert m.cp == CP
    assert m.k_matrix == (K, K, K) and m.rho_matrix == RHO
    assert maxwell_eucken(phi, 0.0, K) == pytest.approx(closed_form(phi), rel=1e-14)


@pytest.mark.parametrize("phi", [0.05, 0.2, 0.5])
def test_maxwell_eucken_is_the_hashin_shtrikman_bound_and_stays_between_series_and_parallel(phi):
    k_i = 0.3 * K
    # Hashin–Shtrikman with the matrix continuous: k_m + φ / (1/(k_i − k_m) + (1 − φ)/(3 k_m))
    hs = K + phi / (1.0 / (k_i - K) + (1.0 - phi) / (3.0 * K))
    me = maxwell_eucken(phi, k_i, K)
    assert me == pytest.approx(hs, rel=1e-13)
    assert 1.0 / (phi / k_i + (1 - phi) / K) < me < phi * k_i + (1 - phi) * K
    assert maxwell_eucken(phi, K, K) == pytest.approx(K, rel=1e-15)  # no contrast, no change


def test_an_anisotropic_matrix_keeps_its_ratio():
    k, rho = voided(0.2, (700.0, 700.0, 15.0), 1000.0)
    f = 2 * 0.8 / 2.2
    assert k == pytest.approx((700 * f, 700 * f, 15 * f), rel=1e-15) and rho == pytest.approx(800.0)


@pytest.mark.parametrize("phi", [-0.1, 1.0, 1.5, math.nan, math.inf])
def test_a_fraction_out_of_range_is_refused_by_name(phi):
    with pytest.raises(LayoutError, match="void_fraction"):
        Material(k=K, rho=RHO, cp=CP, void_fraction=phi)


def layout(tim: dict, power: float = 2.0) -> dict:
    """Power on the bottom face of a voided 50 µm TIM under a 1 mm copper lid, top held at 40 °C."""
    return dict(name="voided", footprint=dict(x=1000, y=1000), grid=dict(max_cell_xy=1000, max_cell_z=10),
                materials={"voided-indium": tim},
                layers=[dict(name="tim", thickness=50, material="voided-indium", power=power, power_at="bottom"),
                        dict(name="lid", thickness=1000, material="copper")],
                boundaries={"top": {"type": "fixed", "T": 40.0}})


def test_a_layout_material_out_of_range_names_the_field():
    with pytest.raises(LayoutError) as err:
        Package.from_dict(layout(dict(k=K, rho=RHO, cp=CP, void_fraction=1.2)))
    assert "void_fraction" in str(err.value) and "voided-indium" in str(err.value)


def test_a_package_round_trip_applies_the_voids_once():
    pkg = Package.from_dict(layout(dict(k=K, rho=RHO, cp=CP, void_fraction=0.3)))
    again = Package.from_dict(pkg.to_dict())
    assert again.material("voided-indium").k == pkg.material("voided-indium").k
    assert again.material("voided-indium").k[0] == pytest.approx(closed_form(0.3), rel=1e-14)
    assert again == pkg


def test_the_1d_drop_across_a_voided_tim_is_that_of_the_effective_k():
    phi, power, area = 0.3, 2.0, 1e-6
    r = tc.solve_steady(Package.from_dict(layout(dict(k=K, rho=RHO, cp=CP, void_fraction=phi), power)),
                        solver="direct")
    q, k_tim, k_cu = power / area, closed_form(phi), get("copper").k[2]
    t_tim, t_lid = 50e-6, 1000e-6
    z = 0.5 * (r.mesh.z[:-1] + r.mesh.z[1:])
    # exact series profile: linear in each layer, the whole flux through both
    exact = np.where(z > t_tim, 40.0 + q * (t_tim + t_lid - z) / k_cu,
                     40.0 + q * t_lid / k_cu + q * (t_tim - z) / k_tim)
    T = r.temperature[:, 0, 0]
    rise = exact[0] - 40.0
    # piecewise-linear in z, so the two-point flux (harmonic face k) is exact at the cell
    # centres: only the direct solve's rounding is left, far below 1e-9 of the rise
    assert np.max(np.abs(T - exact)) <= 1e-9 * rise
    # the drop between the TIM's lowest and highest cell centres is q·Δz/k_eff, not q·Δz/k
    in_tim = z < t_tim
    dz = z[in_tim][-1] - z[in_tim][0]
    drop = T[in_tim][0] - T[in_tim][-1]
    assert drop == pytest.approx(q * dz / k_tim, rel=1e-9)
    assert drop > 1.2 * q * dz / K  # the voids raise it by (2 + φ)/(2(1 − φ)) = 1.64


def test_the_material_card_shows_the_voids_and_the_dense_matrix():
    from thermal_cpo.cli.render_solidus import material_lines

    (line,) = material_lines(Material(k=K, rho=RHO, cp=CP, void_fraction=0.1))
    assert "void fraction = 0.1" in line and "k = 82 W/(m·K)" in line and "rho = 7310 kg/m³" in line
