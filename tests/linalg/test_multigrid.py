"""The geometric multigrid: its parts (line smoother, coarse operators, V-cycle) and the whole
solver against the pyamg reference and a direct factorization."""

import numpy as np
import pytest

from thermal_cpo import LayoutError
from thermal_cpo.bench import stack
from thermal_cpo.mesh import voxelize
from thermal_cpo.layout import load_layout, shipped_layouts
from thermal_cpo.linalg import MultigridSolver, make_solver
from thermal_cpo.linalg.hierarchy import Hierarchy, _aggregates
from thermal_cpo.operator import Operator
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.operator.stencil import Stencil

RNG = np.random.default_rng(7)


def _random_stencil(nz, ny, nx, contrast=1e3, hx=None, hy=None):
    """Positive random conductances spanning ``contrast``, some boundary terms, SPD."""
    def g(shape):
        return np.exp(RNG.uniform(0, np.log(contrast), shape))

    extra = np.zeros((nz, ny, nx))
    extra[-1] = g((ny, nx))
    return Stencil(g((nz, ny, nx - 1)), g((nz, ny - 1, nx)), g((nz - 1, ny, nx)), extra, hx, hy)


def _mesh(n, nz=None):
    return voxelize(stack(n, nz=nz))


# -- parts -----------------------------------------------------------------------------------------
def test_stencil_matches_the_csr_matrix():
    A = _random_stencil(5, 7, 6)
    x = RNG.normal(size=A.shape[0])
    assert np.allclose(A @ x, A.tocsr() @ x, rtol=1e-13, atol=0)
    assert np.allclose(A.diagonal().ravel(), A.tocsr().diagonal(), rtol=1e-14)
    C = A.tocsr()
    assert abs(C - C.T).max() == 0.0


def test_line_smoother_solves_a_single_column_exactly():
    """With one column (nx = ny = 1) a z-line relaxation is the tridiagonal solve itself."""
    from thermal_cpo.kernels.multigrid import serial

    A = _random_stencil(40, 1, 1, contrast=1e6)
    b = RNG.normal(size=(40, 1, 1))
    x = np.zeros_like(b)
    serial["line_relax"](A.gx, A.gy, A.gz, A.diagonal(), b, x, 0, 1, False)
    r = b.ravel() - A @ x.ravel()
    # the Thomas algorithm is backward stable for this diagonally dominant matrix: every residual
    # entry is round-off of the products it sums, |r| ≤ c·ε·(|A|·|x|) with a small c
    bound = abs(A.tocsr()) @ np.abs(x.ravel())
    assert np.all(np.abs(r) <= 16 * np.finfo(float).eps * bound)


def test_aggregation_pairs_by_cell_size():
    c, s = _aggregates(np.ones(7), 2.0)  # uniform: pairs, the last one a triple
    assert list(s) == [0, 2, 4, 7] and list(c) == [0, 0, 1, 1, 2, 2, 2]
    h = np.array([300, 300, 5, 5, 5, 5, 5, 300, 300.0])
    c, s = _aggregates(h, 2.0 * 5)  # only the fine strip is merged while y cells are 5 wide
    assert list(s) == [0, 1, 2, 4, 7, 8, 9]
    c, s = _aggregates(np.array([3.0, 1.0, 3.0]), 2.0)  # a lone small cell stays single
    assert list(s) == [0, 1, 2, 3]


def test_coarse_operator_is_the_rediscretised_one_on_a_uniform_grid():
    """Uniform cells and one material: merging 2 × 2 columns gives exactly the conductances of
    the grid with doubled x and y cells (not the 2× too stiff plain sum), and z faces and
    boundary terms add up."""
    nz, ny, nx = 3, 8, 6
    k, dx, dy, dz = 2.0, 1e-4, 1e-4, 5e-5
    gx = np.full((nz, ny, nx - 1), k * dy * dz / dx)
    gy = np.full((nz, ny - 1, nx), k * dx * dz / dy)
    gz = np.full((nz - 1, ny, nx), k * dx * dy / dz)
    extra = RNG.uniform(0, 1, (nz, ny, nx))
    h = Hierarchy(Stencil(gx, gy, gz, extra, np.full(nx, dx), np.full(ny, dy)), coarsest_cells=1)
    c = h.levels[1]
    assert c.shape == (nz, ny // 2, nx // 2)
    assert np.allclose(c.gx, k * (2 * dy) * dz / (2 * dx), rtol=1e-14)
    assert np.allclose(c.gy, k * (2 * dx) * dz / (2 * dy), rtol=1e-14)
    assert np.allclose(c.gz, k * (2 * dx) * (2 * dy) / dz, rtol=1e-14)
    assert c.extra.sum() == pytest.approx(extra.sum(), rel=1e-14)
    assert np.allclose(c.hx, 2 * dx) and np.allclose(c.hy, 2 * dy)


def test_coarse_conductance_sees_a_resistive_layer_inside_an_aggregate():
    """A nearly insulating face inside an aggregate pair lowers the coarse conductance (series
    path), but never below half the conductance summed over the shared face."""
    nz, ny, nx = 1, 2, 4
    gx = np.ones((nz, ny, nx - 1))
    gx[..., 0] = 1e-6  # inside aggregate 0
    A = Stencil(gx, np.ones((nz, ny - 1, nx)), np.zeros((0, ny, nx)), np.ones((nz, ny, nx)))
    c = Hierarchy(A, coarsest_cells=1).levels[1]
    g_face = 2.0
    assert c.gx[0, 0, 0] == pytest.approx(0.5 * g_face)


def test_vcycle_is_a_symmetric_positive_definite_preconditioner():
    A = _random_stencil(6, 19, 23)
    h = Hierarchy(A, coarsest_cells=50)
    assert len(h.levels) >= 3
    shape = A.grid_shape
    u, v = RNG.normal(size=shape), RNG.normal(size=shape)
    Mu, Mv = np.empty(shape), np.empty(shape)
    h.vcycle(u, Mu)
    h.vcycle(v, Mv)
    scale = np.linalg.norm(u) * np.linalg.norm(Mv)
    assert abs(np.vdot(u, Mv) - np.vdot(v, Mu)) <= 1e-12 * scale
    assert np.vdot(u, Mu) > 0 and np.vdot(v, Mv) > 0


@pytest.mark.parametrize("shape", [(7, 37, 23), (1, 13, 29), (4, 1, 31), (9, 2, 3)])
def test_any_grid_size_matches_a_direct_solve(shape):
    A = _random_stencil(*shape)
    b = RNG.normal(size=A.shape[0])
    x_ref, _ = make_solver("direct", A.shape[0]).setup(A).solve(b)
    x, info = MultigridSolver(tol=1e-12, coarsest_cells=16).setup(A).solve(b)
    assert info["residual"] <= 1e-11
    assert np.max(np.abs(x - x_ref)) <= 1e-9 * np.max(np.abs(x_ref))


def test_overwrite_x0_answers_in_the_guess_and_only_when_allowed():
    """An implicit step lets CG turn its predicted field into the answer (no copy, no fresh
    array); the arithmetic is the same, so the answer is bit for bit the copied-guess one."""
    A = _random_stencil(5, 17, 19)
    b = RNG.normal(size=A.shape[0])
    guess = RNG.normal(size=A.shape[0])
    lin = MultigridSolver(tol=1e-10, coarsest_cells=50).setup(A)
    kept = guess.copy()
    x_copy, _ = lin.solve(b, x0=guess)
    assert np.array_equal(guess, kept) and not np.shares_memory(x_copy, guess)
    x_own, info = lin.solve(b, x0=guess, overwrite_x0=True)
    assert np.shares_memory(x_own, guess) and info["residual"] <= 1e-10
    assert np.array_equal(x_own, x_copy)


def _decaying_system():
    """A capacity term 1e4× the conductances (a tiny implicit step): the answer to a unit
    source in one corner cell falls by ~1e-4 per cell, through single precision's subnormal
    range (< 1.2e-38) within ten cells and to 1e-160 across the grid."""
    A = _random_stencil(40, 12, 12, contrast=10.0)
    A = A.with_extra(np.full(A.shape[0], 1e4))
    b = np.zeros(A.shape[0])
    b[0] = 1.0
    return A, b


def test_answers_spanning_the_subnormal_range_are_solved_without_subnormals():
    A, b = _decaying_system()
    x_ref, _ = make_solver("direct", A.shape[0]).setup(A).solve(b)
    assert np.abs(x_ref[x_ref != 0]).min() < 1e-60  # the case does reach far below 1e-38
    lin = MultigridSolver(tol=1e-10, coarsest_cells=50).setup(A)
    x, info = lin.solve(b)
    assert info["residual"] <= 1e-10
    assert np.max(np.abs(x - x_ref)) <= 1e-9 * np.max(np.abs(x_ref))
    # every single-precision array the V-cycle wrote holds normal numbers or zeros (a subnormal
    # costs ~100 cycles per operation)
    tiny = np.finfo(np.float32).tiny
    arrays = [lin.hierarchy.b0, lin.hierarchy.x0] + [a for lev in lin.hierarchy.levels[1:]
                                                     for a in (lev.b, lev.x)]
    for a in arrays:
        assert np.all((a == 0) | (np.abs(a) >= tiny))


@pytest.mark.parametrize("scale", [1e-35, 1e35])
def test_vcycle_in_single_precision_is_linear_in_the_scale_of_its_input(scale):
    """The single-precision cycle runs on its input scaled to unit mean square, so a problem in
    units whose numbers lie near float32's range limits (3.4e38, 1.2e-38) is preconditioned
    as well as any other."""
    A = _random_stencil(6, 19, 23)
    h = Hierarchy(A, coarsest_cells=50, dtype=np.float32)
    u = RNG.normal(size=A.grid_shape)
    Mu, Mu_s = np.empty(A.grid_shape), np.empty(A.grid_shape)
    h.vcycle(u, Mu)
    h.vcycle(u * scale, Mu_s)
    assert np.all(np.isfinite(Mu_s))
    assert np.allclose(Mu_s / scale, Mu, rtol=1e-6, atol=1e-6 * np.abs(Mu).max())


def test_cells_without_conduction_stay_out_of_the_coarse_diagonal():
    """Resolved fluid cells keep only their tie to the coolant node (no conducting face); the
    smoother solves them exactly, so a coarse cell's diagonal term is that of its conducting
    cells alone, and the isolated cells' own where an aggregate has nothing else."""
    A = _random_stencil(3, 8, 8)
    iso = np.zeros(A.grid_shape, dtype=bool)
    iso[1, 2:4, :] = True   # a strip two cells wide: whole aggregates of isolated cells
    iso[1, 5, :] = True     # a strip one cell wide: isolated cells beside conducting ones
    gx, gy, gz, extra = A.gx.copy(), A.gy.copy(), A.gz.copy(), A.extra.copy()
    for k, j, i in zip(*np.nonzero(iso)):
        if i > 0:
            gx[k, j, i - 1] = 0.0
        if i < 7:
            gx[k, j, i] = 0.0
        if j > 0:
            gy[k, j - 1, i] = 0.0
        if j < 7:
            gy[k, j, i] = 0.0
        gz[k - 1, j, i] = gz[k, j, i] = 0.0
    extra[iso] = 1e3  # a tie much stiffer than the conductances around it
    h = Hierarchy(Stencil(gx, gy, gz, extra), coarsest_cells=1)
    fine, coarse = h.levels[0], h.levels[1]
    expected = np.zeros(coarse.shape)
    isolated_only = np.zeros(coarse.shape)
    conducting = np.zeros(coarse.shape, dtype=bool)
    for (k, j, i), e in np.ndenumerate(extra):
        c = (k, fine.cy[j], fine.cx[i])
        if iso[k, j, i]:
            isolated_only[c] += e
        else:
            expected[c] += e
            conducting[c] = True
    expected = np.where(conducting, expected, isolated_only)
    assert (~conducting).any() and (conducting & (isolated_only > 0)).any()  # both cases occur
    np.testing.assert_allclose(coarse.extra, expected, rtol=1e-12)
    assert all(np.all(lev.d > 0) for lev in h.levels)


def test_multigrid_needs_a_stencil():
    A = _random_stencil(3, 4, 5).tocsr()
    with pytest.raises(LayoutError, match="stencil"):
        MultigridSolver().setup(A)
    # a general matrix under "auto" gets a matrix method
    assert make_solver("auto", A.shape[0], stencil=False).name == "direct"


# -- the solver ------------------------------------------------------------------------------------
def test_iterations_do_not_grow_with_the_lateral_grid():
    """CPO-like stack (2 µm film of k 0.4 between silicon and copper, 1000:1 contrast, cell
    aspect ratios up to 1:300): iterations to a 1e-8 relative residual stay within ±3 from
    16² to 128² lateral cells (the benchmarks extend this to 512²)."""
    its = []
    for n in (16, 32, 64, 128):
        op = Operator(_mesh(n, nz=40))
        _, info = MultigridSolver(tol=1e-8).setup(op.stencil()).solve(op.rhs(t_ref=25.0))
        its.append(info["iterations"])
    assert max(its) - min(its) <= 3, its
    assert max(its) <= 15, its


@pytest.fixture(scope="module")
def amg_reference():
    return {}


@pytest.mark.parametrize("name", sorted(shipped_layouts()))
def test_same_answer_as_pyamg_on_every_shipped_layout(name):
    """Both to a 1e-10 residual (k(T) by Picard to 1e-6 K... tighter here): the fields agree to
    1e-7 of the temperature rise, and the multigrid needs few iterations per linear solve."""
    from thermal_cpo.mesh.axes import build_axes

    pkg = load_layout(name)
    # a layout of millions of cells (oe-unit-cell, 5.4 M) on its nested half grid: the same
    # films, rings and materials, and pyamg in seconds rather than minutes
    cells = np.prod([len(a) - 1 for a in build_axes(pkg)])
    mg = solve_steady(pkg, solver="multigrid", picard_tol=1e-9, refine=0.5 if cells > 2e6 else 1)
    amg = solve_steady(mg.mesh, solver="amg", picard_tol=1e-9)
    rise = np.max(amg.temperature) - Operator(mg.mesh).reference_temperature()
    assert np.max(np.abs(mg.temperature - amg.temperature)) <= 1e-7 * rise
    per_solve = mg.solver["iterations"] / mg.solver["linear_solves"]
    assert per_solve <= 25, mg.solver


def test_single_precision_vcycle_is_nearly_symmetric_and_converges_alike():
    """The default hierarchy is float32 (half the bytes per sweep): symmetric to float32
    round-off (≈1e-7 relative, asserted at 1e-5), and CG reaches the same residual in the same
    number of iterations (±1) as with the double-precision hierarchy."""
    A = _random_stencil(6, 19, 23)
    h = Hierarchy(A, coarsest_cells=50, dtype=np.float32)
    shape = A.grid_shape
    u, v = RNG.normal(size=shape), RNG.normal(size=shape)
    Mu, Mv = np.empty(shape), np.empty(shape)
    uMu = h.vcycle(u, Mu)
    h.vcycle(v, Mv)
    assert uMu == pytest.approx(np.vdot(u, Mu), rel=1e-12)
    scale = np.linalg.norm(u) * np.linalg.norm(Mv)
    assert abs(np.vdot(u, Mv) - np.vdot(v, Mu)) <= 1e-5 * scale
    b = RNG.normal(size=A.shape[0])
    its = {}
    for prec in (np.float64, np.float32):
        x, info = MultigridSolver(tol=1e-10, coarsest_cells=50, precision=prec).setup(A).solve(b)
        assert info["residual"] <= 1e-10
        its[prec] = info["iterations"]
    assert abs(its[np.float64] - its[np.float32]) <= 1, its
