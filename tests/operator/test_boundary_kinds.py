"""Boundary kinds beyond convective and fixed: a prescribed heat flux and convection with a map
of h. Each against an exact solution or an exact invariant of the discretization."""

import numpy as np
import pytest

from thermal_cpo.errors import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.layout.boundaries import Boundary
from thermal_cpo.mesh import voxelize
from thermal_cpo.operator.boundaries import BoundaryModel
from thermal_cpo.operator.boundaries.convective_map import sample
from thermal_cpo.solve.steady import solve_steady

K = 20.0  # W/(m·K)


def _slab(bottom, top, layers=((400, "m"),), power=0.0, footprint=(1000, 1000), k=(K, K, K),
          max_xy=1000):
    mats = {"m": dict(k=list(k), rho=1000, cp=1000)}
    lay = [dict(name=f"l{i}", thickness=t, material=m) for i, (t, m) in enumerate(layers)]
    lay[0]["power"] = power
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=footprint[0], y=footprint[1]),
        grid=dict(max_cell_xy=max_xy, max_cell_z=50, grading=1.3), materials=mats, layers=lay,
        boundaries=dict(bottom=bottom, top=top)))


@pytest.mark.parametrize("q", [2e5, -5e4])
def test_flux_into_a_slab_is_the_exact_linear_profile(q):
    """q W/m² in at the bottom, top held at T0: T(z) = T0 + q (L − z)/k, which cell-centred FV
    with half-cell face resistances reproduces exactly (linear profile): round-off only."""
    T0, L = 30.0, 400e-6
    r = solve_steady(_slab(dict(type="flux", q=q), dict(type="fixed", T=T0)), solver="direct")
    zc = r.mesh.centers()[2]
    exact = T0 + q * (L - zc) / K
    np.testing.assert_allclose(r.temperature[:, 0, 0], exact, rtol=0, atol=1e-9 * abs(q * L / K))
    # the heat through the top is the flux times the area, out of a package with no power
    assert r.heat_out["top"] == pytest.approx(q * 1e-6, rel=1e-10)
    assert r.energy_balance < 1e-10


def test_flux_with_a_convective_top_adds_q_over_h():
    """Under a convective top, the surface sits q/h above the ambient: T(z) = T∞ + q/h + q(L−z)/k."""
    T_amb, h, q, L = 25.0, 5e3, 1e5, 400e-6
    r = solve_steady(_slab(dict(type="flux", q=q), dict(type="convective", h=h, T=T_amb)), solver="direct")
    zc = r.mesh.centers()[2]
    np.testing.assert_allclose(r.temperature[:, 0, 0], T_amb + q / h + q * (L - zc) / K, rtol=1e-11)


def test_flux_alone_has_no_steady_state():
    with pytest.raises(LayoutError, match="no heat path"):
        solve_steady(_slab(dict(type="flux", q=1e4), dict(type="adiabatic")))


def test_uniform_h_map_equals_the_convective_face(tmp_path):
    """A map holding one value everywhere is the convective condition, to round-off."""
    f = tmp_path / "h.csv"
    np.savetxt(f, np.full((3, 5), 4e3), delimiter=",")
    base = dict(bottom=dict(type="adiabatic"))
    a = solve_steady(_slab(base["bottom"], dict(type="convective", h=4e3, T=20), power=2.0,
                           footprint=(3000, 2000), max_xy=250), solver="direct")
    b = solve_steady(_slab(base["bottom"], dict(type="convective-map", h_map=str(f), T=20), power=2.0,
                           footprint=(3000, 2000), max_xy=250), solver="direct")
    np.testing.assert_allclose(b.temperature, a.temperature, rtol=1e-12)


def test_h_map_halves_are_independent_columns(tmp_path):
    """With no lateral conduction every column is its own 1-D problem: the columns under the
    h1 half of a map equal a package convective with h1 everywhere, those under h2 one with h2
    (a relative lateral coupling of 1e-12 bounds the difference)."""
    h1, h2 = 2e3, 3e4
    f = tmp_path / "h.npy"
    np.save(f, np.array([[h1, h2]]))  # one row (y), two columns (x): left half h1, right half h2
    kw = dict(power=1.0, footprint=(2000, 1000), k=(K * 1e-12, K * 1e-12, K), max_xy=250)
    mapped = solve_steady(_slab(dict(type="adiabatic"), dict(type="convective-map", h_map=str(f), T=20), **kw),
                          solver="direct")
    for h, cols in ((h1, slice(0, 4)), (h2, slice(4, 8))):
        ref = solve_steady(_slab(dict(type="adiabatic"), dict(type="convective", h=h, T=20), **kw),
                           solver="direct")
        rise = ref.temperature - 20
        np.testing.assert_allclose(mapped.temperature[:, :, cols] - 20, rise[:, :, cols], rtol=1e-9)
    assert mapped.energy_balance < 1e-10


def test_map_sampling_takes_the_pixel_under_each_centre():
    grid = np.arange(6.0).reshape(2, 3)  # rows along the first axis
    centres = (np.array([0.1, 0.6, 0.9]), np.array([0.05, 0.5, 0.95, 0.34]))
    got = sample(grid, centres, ((0.0, 1.0), (0.0, 1.0)))
    np.testing.assert_array_equal(got, grid[[0, 1, 1]][:, [0, 1, 2, 1]])


@pytest.mark.parametrize("content, match", [
    (None, "no such map file"), ("1, 2\n3, -1\n", ">= 0"), ("1, x\n", "not a 2-D grid"),
])
def test_bad_h_maps_name_the_field(tmp_path, content, match):
    f = tmp_path / "h.csv"
    if content is not None:
        f.write_text(content)
    pkg = _slab(dict(type="adiabatic"), dict(type="convective-map", h_map=str(f), T=20), power=1.0)
    with pytest.raises(LayoutError, match=match) as info:
        solve_steady(pkg)
    assert info.value.path == "boundaries.top.h_map"


def test_a_missing_key_and_an_unknown_type_are_named():
    with pytest.raises(LayoutError, match="needs q") as info:
        _slab(dict(type="flux"), dict(type="fixed", T=1))
    assert info.value.path == "boundaries.bottom.q"
    with pytest.raises(LayoutError, match="did you mean 'convective'") as info:
        _slab(dict(type="convectiv", h=1, T=1), dict(type="fixed", T=1))
    assert info.value.path == "boundaries.bottom.type"


def test_a_new_kind_is_one_schema_class_and_one_model_class():
    """A kind defined here, outside the package, is found by name in a layout and in the
    operator with no other change (a fixed temperature written as an offset, for the test)."""
    from typing import ClassVar, Literal

    class Offset(Boundary):
        kind: ClassVar[str] = "test-offset"
        type: Literal["test-offset"] = "test-offset"
        T: float = 0.0
        dT: float = 0.0

    class OffsetModel(BoundaryModel):
        kind = "test-offset"

        def patch(self, r_half, area):
            return self._patch(area / r_half, self.spec.T + self.spec.dT)

    try:
        fixed = solve_steady(_slab(dict(type="flux", q=1e5), dict(type="fixed", T=25)), solver="direct")
        offset = solve_steady(_slab(dict(type="flux", q=1e5), dict(type="test-offset", T=20, dT=5)),
                              solver="direct")
        assert type(offset.package.boundaries.top) is Offset
        np.testing.assert_array_equal(offset.temperature, fixed.temperature)
    finally:
        Boundary.registry.pop("test-offset")
        BoundaryModel.registry.pop("test-offset")
