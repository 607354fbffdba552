"""Second-order convergence on non-uniform grids (method of manufactured solutions), linearity,
symmetry, and the protections of the steady solve."""

import numpy as np
import pytest

from thermal_cpo import LayoutError, SolverError
from thermal_cpo.mesh import Mesh, component_infos, voxelize
from thermal_cpo.layout import Package
from thermal_cpo.operator import Operator
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.linalg import make_solver

LX, LY, H = 2e-3, 1.5e-3, 1e-3
KX, KY, KZ = 3.0, 2.0, 1.0  # anisotropic: each direction must use its own component
A, EPS = 10.0, 0.3


def _exact(x, y, z):
    """T = A·Z(z)·(1 + ε X(x) Y(y)), Z = z(2H − z)/H², X = cos(πx/LX), Y = cos(πy/LY):
    T = 0 at z = 0 (fixed), ∂T/∂n = 0 on every other face (adiabatic)."""
    return A * z * (2 * H - z) / H**2 * (1 + EPS * np.cos(np.pi * x / LX) * np.cos(np.pi * y / LY))


def _cell_source(x, y, z):
    """∫_cell −∇·(k∇T) dV, exactly (separable integrals of the manufactured source)."""
    def icos(n, L):  # ∫ cos(πs/L) ds over each cell
        return L / np.pi * np.diff(np.sin(np.pi * n / L))

    dx, dy, dz = np.diff(x), np.diff(y), np.diff(z)
    Iz = np.diff(z**2 * H - z**3 / 3) / H**2  # ∫ z(2H − z)/H² dz
    IX, IY = icos(x, LX), icos(y, LY)
    # −kz ∂²/∂z² of Z gives 2kz/H²; −kx ∂²/∂x² of X gives kx (π/LX)² X
    s = (2 * KZ / H**2) * (dz[:, None, None] * (dy[None, :, None] * dx[None, None, :]
                                                 + EPS * IY[None, :, None] * IX[None, None, :]))
    s += EPS * (KX * (np.pi / LX) ** 2 + KY * (np.pi / LY) ** 2) * (
        Iz[:, None, None] * IY[None, :, None] * IX[None, None, :])
    return A * s


def _stretched(L, n, s):
    """n cells on [0, L], smoothly stretched (ratio of neighbours → 1 as n grows)."""
    xi = np.linspace(0.0, 1.0, n + 1)
    return L * np.expm1(s * xi) / np.expm1(s)


def _mesh(n):
    pkg = Package.from_dict(dict(
        name="mms", length_unit="m", footprint=dict(x=LX, y=LY),
        materials={"aniso": dict(k=[KX, KY, KZ], rho=1000, cp=1000)},
        layers=[dict(name="block", thickness=H, material="aniso")],
        boundaries=dict(bottom=dict(type="fixed", T=0.0))))
    x, y, z = _stretched(LX, n, 1.5), _stretched(LY, n, -1.0), _stretched(H, n, 2.0)
    shape = (n, n, n)
    return Mesh(x, y, z, np.zeros(shape, np.uint16), np.zeros(shape, np.int32), np.zeros(shape),
                ("aniso",), (pkg.material("aniso"),), component_infos(pkg, x, y, z), pkg)


@pytest.mark.parametrize("solver", ["multigrid", "amg"])
def test_second_order_on_stretched_grids(solver):
    """Max-norm error at cell centres falls as h²: fitted log–log slope 2 ± 0.15 (with the
    multigrid and with the pyamg reference solving the larger grids)."""
    hs, errs = [], []
    for n in (8, 16, 32):
        mesh = _mesh(n)
        op = Operator(mesh)
        src = _cell_source(mesh.x, mesh.y, mesh.z)
        lin = make_solver("direct" if n <= 16 else solver, mesh.n_cells, tol=1e-13)
        T, _ = lin.setup(op.stencil()).solve(op.rhs(power=src))
        xc, yc, zc = mesh.centers()
        exact = _exact(xc[None, None, :], yc[None, :, None], zc[:, None, None])
        errs.append(np.max(np.abs(T.reshape(mesh.shape) - exact)))
        hs.append(max(mesh.dx.max(), mesh.dy.max(), mesh.dz.max()))
    slope = np.polyfit(np.log(hs), np.log(errs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.15), (hs, errs, slope)


def _two_sources(p1, p2, mirror=False):
    blocks = [dict(name="a", x=[1000, 3000], y=[1000, 2500], power=p1, power_at="bottom"),
              dict(name="b", x=[5500, 7000], y=[4000, 7000], power=p2, power_at="bottom")]
    if mirror:  # the mirror image in x of source a, so the layout is symmetric
        blocks[1] = dict(name="b", x=[5000, 7000], y=[1000, 2500], power=p2, power_at="bottom")
    return Package.from_dict(dict(
        name="two", footprint=dict(x=8000, y=8000), grid=dict(max_cell_xy=250, max_cell_z=100),
        # constant k: the library's silicon has k(T), which (rightly) breaks superposition
        materials={"si-const": dict(k=148, rho=2330, cp=705)},
        layers=[dict(name="die", thickness=300, material="si-const", blocks=blocks),
                dict(name="tim", thickness=30, material="thermal-grease"),
                dict(name="lid", thickness=1000, material="copper")],
        boundaries=dict(top=dict(type="convective", h=1e4, T=30.0, x=[500, 7500], y=[500, 7500]),
                        bottom=dict(type="convective", h=500, T=30.0))))


def test_superposition():
    """Rises add: T(a + b) − T_amb = (T(a) − T_amb) + (T(b) − T_amb) to 1e-8 of the rise."""
    kw = dict(solver="amg", tol=1e-13)
    ta = solve_steady(_two_sources(10.0, 0.0), **kw).temperature - 30.0
    tb = solve_steady(_two_sources(0.0, 25.0), **kw).temperature - 30.0
    tab = solve_steady(_two_sources(10.0, 25.0), **kw).temperature - 30.0
    assert np.max(np.abs(tab - (ta + tb))) <= 1e-8 * np.max(np.abs(tab))


def test_mirror_symmetric_layout_gives_mirror_symmetric_field():
    r = solve_steady(_two_sources(10.0, 10.0, mirror=True), solver="amg", tol=1e-12)
    x = r.mesh.x
    np.testing.assert_allclose(x, x[-1] - x[::-1], rtol=0, atol=1e-15)  # the grid mirrors too
    T = r.temperature - 30.0
    assert np.max(np.abs(T - T[:, :, ::-1])) <= 1e-9 * np.max(T)
    assert r.component("a").T_max == pytest.approx(r.component("b").T_max, rel=1e-9)


def test_floating_package_is_refused_before_solving():
    pkg = _two_sources(1.0, 1.0).model_copy(update={"boundaries": Package.model_fields["boundaries"].default})
    with pytest.raises(LayoutError) as err:
        solve_steady(pkg)
    msg = str(err.value)
    assert "no heat path" in msg and "die" in msg and "lid" in msg and err.value.path == "boundaries"


def test_non_convergence_raises_with_residual():
    with pytest.raises(SolverError, match=r"residual reached \d"):
        solve_steady(_two_sources(1.0, 1.0), solver="amg", tol=1e-12, maxiter=1)


def test_nan_from_a_user_solver_never_reaches_the_result():
    with pytest.raises(SolverError, match="NaN"):
        solve_steady(_two_sources(1.0, 1.0), solver=lambda A, b: np.full_like(b, np.nan))


def test_user_callable_solver_and_direct_agree_with_amg():
    import scipy.sparse.linalg as spla

    pkg = _two_sources(3.0, 4.0)
    mesh = voxelize(pkg)
    t_direct = solve_steady(mesh, solver="direct").temperature
    t_user = solve_steady(mesh, solver=lambda A, b: spla.spsolve(A.tocsc(), b)).temperature
    t_amg = solve_steady(mesh, solver="amg", tol=1e-12).temperature
    scale = np.max(t_direct - 30)
    assert np.max(np.abs(t_user - t_direct)) < 1e-10 * scale
    assert np.max(np.abs(t_amg - t_direct)) < 1e-8 * scale


def test_matrix_is_symmetric_and_matches_matrix_free_apply():
    op = Operator(voxelize(_two_sources(1.0, 1.0)))
    A = op.matrix()
    assert abs(A - A.T).max() == 0.0
    rng = np.random.default_rng(1)
    t = rng.standard_normal(op.mesh.shape)
    np.testing.assert_allclose(op.apply(t).ravel(), A @ t.ravel(), rtol=1e-12, atol=1e-12 * abs(A).max())
    # rows sum to the boundary conductance: internal conduction conserves heat
    np.testing.assert_allclose(np.asarray(A.sum(axis=1)).ravel(), op.diag_boundary.ravel(),
                               atol=1e-9 * abs(A).max())
