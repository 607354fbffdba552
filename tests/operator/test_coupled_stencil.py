"""The coupled solid + coolant operator in blocks against the same system assembled as one CSR.

The block operator and the assembled matrix are built from the same entries by different
routes (a stencil with a folded diagonal and three small blocks, against one CSR summed from
the solid's CSR), so they agree to round-off of a sum of a few terms per entry: 1e-13 of the
largest entry. A solve through the blocks is compared with a direct LU of the assembled matrix
at the solver's tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from catalogue import cavity_feeding_a_plate

from thermal_cpo.layout import Package
from thermal_cpo.linalg import make_nonsymmetric_solver
from thermal_cpo.mesh import voxelize
from thermal_cpo.operator import Operator
from thermal_cpo.operator.coupled import CoupledStencil
from thermal_cpo.solve.steady import solve_steady


def _plate(name):
    return {"name": name, "face": "top", "channel_width": 100, "wall_width": 100,
            "channel_height": 500, "material": "copper", "flow_direction": "+x"}


def _compact():
    return Package(name="compact", footprint={"x": 6000, "y": 4000},
                   grid={"max_cell_xy": 250, "max_cell_z": 100},
                   layers=[{"name": "die", "thickness": 400, "material": "silicon", "power_at": "bottom",
                            "blocks": [{"name": "hot", "x": [1000, 3000], "y": [1000, 3000], "power": 40.0}]}],
                   coldplates=[{**_plate("plate"), "flow_rate": "0.5 L/min", "inlet_T": 30}])


CASES = {"compact plate": _compact, "cavity feeding a plate": cavity_feeding_a_plate}


@pytest.fixture(scope="module", params=list(CASES))
def op(request):
    return Operator(voxelize(CASES[request.param]()))


def test_the_blocks_are_the_assembled_matrix(op):
    B = op.system()
    assert isinstance(B, CoupledStencil)
    A = op.coolant.coupled_matrix(op.matrix())
    scale = abs(A).max()
    assert abs(B.tocsr() - A).max() <= 1e-13 * scale
    x = np.random.default_rng(1).standard_normal(A.shape[0])
    assert np.max(np.abs(B @ x - A @ x)) <= 1e-13 * scale * np.max(np.abs(x)) * 8
    np.testing.assert_allclose(B.diagonal(), A.diagonal(), rtol=1e-13)
    add = np.random.default_rng(2).uniform(0.0, scale, A.shape[0])
    assert abs(B.with_extra(add).tocsr() - (A + sp.diags(add))).max() <= 1e-13 * 2 * scale


def test_the_cell_block_is_symmetric_and_the_coolant_block_triangular_in_flow_order(op):
    # the multigrid preconditions the cell block as an SPD stencil; the coolant block has no
    # cycle among its nodes (each depends on upstream ones only), so it is triangular in flow
    # order: the pattern of its off-diagonal part is nilpotent
    B = op.system()
    S = B.solid.tocsr()
    assert abs(S - S.T).max() == 0.0
    assert np.all(B.ff.diagonal() > 0)
    N = (B.ff - sp.diags(B.ff.diagonal())).tocsr()
    N.eliminate_zeros()
    N.data[:] = 1.0
    v = np.ones(B.n_nodes)
    for _ in range(B.n_nodes):
        v = N @ v
        if not v.any():
            break
    assert not v.any()
    # every coupled cell and node: the solid rows carry the couplings only where they exist
    assert B.rows.size == np.unique(np.concatenate([op.coolant.cpl_cell, op.coolant.slave_cell])).size


def test_a_solve_through_the_blocks_is_the_direct_solve_of_the_matrix(op):
    A = op.coolant.coupled_matrix(op.matrix())
    b = op.coupled_rhs(t_ref=0.0)
    exact = spla.spsolve(A.tocsc(), b)
    lin = make_nonsymmetric_solver("multigrid", A.shape[0], tol=1e-12, n_solid=op.mesh.n_cells,
                                   stencil=op.stencil()).setup(op.system())
    x, info = lin.solve(b)
    assert info["residual"] <= 1e-11
    # residual 1e-12 bounds the error by the condition number; 1e-9 of the rise is generous
    assert np.max(np.abs(x - exact)) <= 1e-9 * np.max(np.abs(exact))


def test_a_steady_package_solves_the_same_through_blocks_and_through_lu():
    pkg = cavity_feeding_a_plate()
    a = solve_steady(pkg)  # direct LU of the assembled matrix at this size
    b = solve_steady(pkg, solver="multigrid")
    assert a.solver["method"] == "direct-lu" and b.solver["method"] == "bicgstab-block-multigrid"
    assert np.max(np.abs(a.temperature - b.temperature)) <= 1e-8 * (a.temperature.max() - 20.0)
    assert b.energy_balance <= 1e-9
