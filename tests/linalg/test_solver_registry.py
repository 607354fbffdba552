"""Linear solvers are found by name in a registry: a new one is one registration."""

import numpy as np
import pytest
import scipy.sparse.linalg as spla

from thermal_cpo.errors import LayoutError
from thermal_cpo.layout import load_layout
from thermal_cpo.linalg import (LinearSolver, check_solution, make_nonsymmetric_solver, make_solver,
                                register_solver, solver_names, unregister_solver)
from thermal_cpo.operator.stencil import as_csr
from thermal_cpo.solve.steady import solve_steady


class _PlainCG(LinearSolver):
    """Unpreconditioned CG: slow, but a different algorithm that must reach the same field."""

    name = "test-plain-cg"

    def solve(self, b, x0=None, A=None, overwrite_x0=False):
        A = as_csr(self.A if A is None else A)
        x, _ = spla.cg(A, b, x0=x0, rtol=self.tol, atol=0.0, maxiter=100_000)
        return x, {"iterations": None, "residual": check_solution(x, A, b, self.name)}


def test_a_registered_solver_is_used_by_name():
    register_solver("test-plain-cg", symmetric=lambda tol, maxiter, workspace=None: _PlainCG(tol=tol))
    try:
        assert "test-plain-cg" in solver_names(coupled=False)
        assert "test-plain-cg" not in solver_names(coupled=True)
        pkg = load_layout("die-tim-lid")
        ref = solve_steady(pkg, solver="multigrid")
        got = solve_steady(pkg, solver="test-plain-cg", tol=1e-12)
        rise = ref.temperature - ref.temperature.min()
        # both solve the same matrix to a relative residual of 1e-10 / 1e-12: the fields agree
        # within the error those residuals allow (the system's condition number times them)
        np.testing.assert_allclose(got.temperature - ref.temperature.min(), rise, atol=1e-6 * rise.max())
        assert got.solver["method"] == "test-plain-cg"
    finally:
        unregister_solver("test-plain-cg")
    assert "test-plain-cg" not in solver_names()


def test_unknown_names_list_the_registered_ones():
    with pytest.raises(LayoutError, match="did you mean 'multigrid'") as info:
        make_solver("multigird", 10)
    assert info.value.path == "solver"
    assert all(n in str(info.value) for n in solver_names(coupled=False))
    with pytest.raises(LayoutError, match="amg-coupled"):
        make_nonsymmetric_solver("amg-couple", 10)
