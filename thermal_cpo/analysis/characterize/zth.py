"""The thermal impedance Zth(t) of a package: the junction's rise per watt after a power step
on it, with the case held isothermal (the transient tester's cold plate) [jedec-jesd5114-2010].

Times are log-spaced from below the junction cell's own diffusion time to where Zth has settled
on θJC (checked: the last value is within 0.1 % of the steady θJC, or the span is extended).
"""

from __future__ import annotations

import numpy as np

from ...errors import LayoutError, SolverError
from ...layout import Package
from ...operator import Operator
from ...results.junction import junction_temperatures
from ...solve.transient import solve_transient
from .cauer import CauerNetwork
from .jedec import FIXTURE_T
from .variants import isothermal_face, only_junction

#: stored times per decade of the Zth curve
PER_DECADE = 12
#: how close the last Zth must come to θJC (relative) for the span to count as settled
SETTLED = 1e-3


def _capacity_and_cell_time(op: Operator) -> tuple[float, float]:
    """Total heat capacity (J/K) and the shortest cell diffusion time ρc·dz²/k (s)."""
    mesh = op.mesh
    C = np.asarray(op.capacity).reshape(mesh.shape)
    rho_cp = C / mesh.cell_volumes()
    k = op.conductivity_at(0, np.arange(mesh.n_cells)).reshape(mesh.shape)
    return float(C.sum()), float(np.min(rho_cp * (mesh.dz ** 2)[:, None, None] / k))


def _junction_rise(op: Operator, field: np.ndarray, jid: int) -> float:
    return junction_temperatures(op, field).get(jid, (float(field[op.mesh.component == jid].max()),))[0]


def _steady(op: Operator, solver, T0: float) -> np.ndarray:
    """The steady field (°C) of the operator as it is (its conductivities frozen)."""
    from ...solve.system import system_solver

    lin = system_solver(op, solver, 1e-12).setup(op.system())
    x, _ = lin.solve(op.coupled_rhs(t_ref=T0), x0=None)
    return x[:op.mesh.n_cells].reshape(op.mesh.shape) + T0


def zth_package(pkg: Package, junction: str, environment: str = "own", case: str | None = None) -> Package:
    """The package a Zth run solves: only the junction powered, under the layout's own
    boundaries and cold plates (``environment="own"``) or with the case held at the fixture
    temperature (``"case"``); it starts uniform at the coldest boundary or inlet temperature."""
    test = only_junction(pkg, junction)
    if environment == "case":
        test = isothermal_face(test, "top", FIXTURE_T, case)
    elif environment != "own":
        raise LayoutError(f"expected 'own' or 'case', got {environment!r}", path="environment")
    data = test.to_dict()
    data.pop("initial", None)
    return Package.model_validate(data)


def model_ladder(pkg: Package, junction: str, environment: str = "own", case: str | None = None,
                 stages: int = 300, solver="auto") -> tuple[CauerNetwork, int]:
    """The model's own Cauer ladder from the junction (:func:`.lanczos.model_cauer`) in the
    environment of :func:`zth_package`, read as the power-weighted mean of the junction's cells,
    and the number of cells (a ladder of fewer stages is exact only near the junction)."""
    from ...mesh import voxelize
    from .lanczos import model_cauer

    mesh = voxelize(zth_package(pkg, junction, environment, case))
    T0 = float(Operator(mesh).reference_temperature())
    op = Operator(mesh, temperature=np.full(mesh.shape, T0))
    jid = next(c.id for c in mesh.components if c.name == junction)
    power = np.where(mesh.component == jid, mesh.power, 0.0)
    P = float(power.sum())
    rise = float(np.sum(power * (_steady(op, solver, T0) - T0))) / P ** 2
    return model_cauer(op, power / P, rise, stages), mesh.n_cells


def thermal_impedance(pkg: Package, junction: str, environment: str = "own", case: str | None = None,
                      t_start: float | None = None, t_end: float | None = None, rtol: float = 1e-4,
                      solver="auto") -> tuple[np.ndarray, np.ndarray, float]:
    """``(t, Zth, θ)``: times (s, log-spaced), the junction's rise per watt (K/W) after a step of
    its nominal power at t = 0 (from a uniform start at the coldest boundary or inlet
    temperature), and the steady rise per watt it tends to, in the environment of
    :func:`zth_package`. ``t_start``/``t_end`` (s) override the span."""
    from ...mesh import voxelize

    test = zth_package(pkg, junction, environment, case)
    mesh = voxelize(test)
    op = Operator(mesh)
    jid = next(c.id for c in mesh.components if c.name == junction)
    P = float(mesh.power[mesh.component == jid].sum())
    T0 = float(op.reference_temperature())
    # Zth is the response of the package linearised about its start: k(T) stays there
    op = Operator(mesh, temperature=np.full(mesh.shape, T0))
    theta = (_junction_rise(op, _steady(op, solver, T0), jid) - T0) / P
    C, tau_cell = _capacity_and_cell_time(op)
    t0 = t_start if t_start is not None else tau_cell  # earlier, the cells cannot resolve the heat front
    t1 = t_end if t_end is not None else 10.0 * theta * C
    for _ in range(4):
        times = np.logspace(np.log10(t0), np.log10(t1), int(PER_DECADE * np.log10(t1 / t0)) + 1)
        r = solve_transient(mesh, t_end=float(times[-1]), save_times=times, method="implicit", scheme="cn",
                            rtol=rtol, atol=1e-6 * P * theta, solver=solver, dt=0.5 * t0, adaptive=True,
                            initial=T0, follow_k=False)
        stored = np.asarray(r.times)
        z = np.array([(_junction_rise(op, T, jid) - T0) / P for T, s in zip(r.steps, stored) if s > 0])
        if t_end is not None or abs(z[-1] / theta - 1.0) <= SETTLED:
            return stored[stored > 0], z, theta
        t1 *= 10.0
    raise SolverError(f"Zth did not settle on its steady {theta:.4g} K/W by t = {t1:.3g} s")
