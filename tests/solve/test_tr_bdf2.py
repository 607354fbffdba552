"""Second-order steps with a free error estimate: BDF2 with a predictor [hairer-norsett-wanner-1993]
and TR-BDF2 [bank-trbdf2-1985] [hosea-shampine-1996], against exact solutions.

The exact solution of the semi-discrete system ``C x' = b(t) − A x`` (the one the time stepper
integrates) is the matrix exponential of the 40-cell slab, so the temporal error is measured
alone; the spatial error is checked separately against the slab series [carslaw-jaeger-1959].
"""

import numpy as np
import pytest
import scipy.linalg as sl

from thermal_cpo import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.mesh import voxelize
from thermal_cpo.operator.sources import Sources
from thermal_cpo.solve.transient import solve_transient
from thermal_cpo.solve.transient.bdf import SecondOrder, _History
from thermal_cpo.solve.transient.driver import _system
from thermal_cpo.solve.transient.schemes import Theta

# the slab and the small package of test_transient.py (its helpers cannot be imported under
# --import-mode=importlib)
K, RHO, CP = 148.0, 2330.0, 705.0
ALPHA = K / (RHO * CP)
L = 775e-6
Q = 1e6  # W/m² (100 W/cm²)
TAU = 4 * L**2 / (np.pi**2 * ALPHA)  # first time constant, 2.70 ms


def _slab(nz=100, trace=None):
    """1 × 1 mm silicon column: flux Q into the bottom cell layer, T = 0 °C fixed on top.

    In finite volumes a source in the bottom cell and a flux through the bottom face are the
    same equation, so this is the flux-in/fixed-T slab of the series on a grid of nz cells."""
    layer = dict(name="slab", thickness=L * 1e6, material="si", power=Q * 1e-6, power_at="bottom")
    if trace is not None:
        layer["trace"] = trace
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=1000, y=1000),
        grid=dict(max_cell_xy=1000, max_cell_z=L * 1e6 / nz),
        materials={"si": dict(k=K, rho=RHO, cp=CP)},
        layers=[layer], initial=dict(T=0.0),
        boundaries=dict(top=dict(type="fixed", T=0.0))))


def _package(trace=None, kind="linear"):
    """A small 3-D package with a die, a TIM and a lid, convective top: time constants of ms–s."""
    core = dict(name="core", x=[1500, 4500], y=[1500, 4500], power=20.0, power_at="bottom")
    if trace is not None:
        core["trace"] = trace
        core["trace_kind"] = kind
    return Package.from_dict(dict(
        name="small", footprint=dict(x=6000, y=6000), grid=dict(max_cell_xy=500, max_cell_z=200),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=500, material="si",
                     blocks=[core, dict(name="side", x=[5000, 5800], y=[200, 1000], power=2.0)]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        initial=dict(T=30.0),
        boundaries=dict(top=dict(type="convective", h=2e4, T=30.0), bottom=dict(type="convective", h=200, T=30.0))))


STEPS_AND_RAMPS = [[0, 0], [0.01, 0], [0.011, 30], [0.05, 30], [0.2, 5], [0.3, 40]]
NZ = 40
RAMP = [[0, 0], [TAU, Q * 1e-6]]  # the flux ramps from 0 to Q over one time constant


def _semi_discrete(trace=None):
    """The slab's System, its dense A (W/K) and C (J/K), the initial rise and the source at
    full power (W): what the exact solutions below are built from."""
    mesh = voxelize(_slab(nz=NZ, trace=trace))
    system, state = _system(mesh, Sources(mesh), None, TAU, "direct", 1e-13)
    x0 = system.rise(state.cells, state.nodes)
    n = len(x0)
    A = np.column_stack([system.op.system() @ col for col in np.eye(n)])
    sources = system.sources
    b_full = sources.field(sources.powers_at(TAU)).ravel() + system.b_boundary
    return system, A, system.C.ravel(), x0, b_full


def _exact_ramp(A, C, x0, b_full, t):
    """The exact rise at ``t`` (s) under the source ramping as b_full·t/TAU (the top is held at
    the reference temperature, so the boundary adds nothing): the augmented system [x, s, 1]
    with x' = J x + g s, s' = 1."""
    n = len(x0)
    M = np.zeros((n + 2, n + 2))
    M[:n, :n] = -A / C[:, None]
    M[:n, n] = b_full / C / TAU
    M[n, n + 1] = 1.0
    return (sl.expm(M * t) @ np.concatenate([x0, [0.0, 1.0]]))[:n]


def _ramp_series(z, t):
    """The slab series [carslaw-jaeger-1959] under the ramped flux Q·t/TAU, by Duhamel's theorem
    (the time integral of the constant-flux response over TAU), term by term."""
    m = 2 * np.arange(2000) + 1
    lam = m * np.pi / (2 * L)
    settled = (1 - np.exp(-(lam**2) * ALPHA * t)) / (lam**2 * ALPHA)  # ∫ e^(−λ²αs) ds over [0, t]
    s = (8 / np.pi**2) * np.sum(settled * np.cos(lam * z) / m**2)
    return (Q * L / K) * ((1 - z / L) * t - s) / TAU


@pytest.mark.parametrize("scheme", ["bdf2", "tr-bdf2"])
def test_observed_order_is_two_against_the_exact_solution(scheme):
    """Fixed steps τ/8 … τ/64 under the ramp: the error at τ against the exact semi-discrete
    solution falls as dt² (fitted slope 2 ± 0.15, the band the θ-method test uses)."""
    _, A, C, x0, b_full = _semi_discrete()
    exact = _exact_ramp(A, C, x0, b_full, TAU)
    errs, dts = [], []
    for n in (8, 16, 32, 64):
        r = solve_transient(_slab(nz=NZ, trace=RAMP), t_end=TAU, method="implicit", scheme=scheme,
                            dt=TAU / n, adaptive=False, solver="direct")
        errs.append(np.max(np.abs(r.temperature.ravel() - exact)))
        dts.append(TAU / n)
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.15), (errs, slope)
    # and the finest run against the continuous slab: the bottom cell centre within the 0.5 %
    # the θ-method slab tests allow for the 40-cell grid's spatial error
    zc = 0.5 * L / NZ
    assert r.temperature[0, 0, 0] == pytest.approx(_ramp_series(zc, TAU), rel=0.005)


def _exact_constant(A, C, x0, b, t):
    """The exact rise at ``t`` (s) under the constant source ``b`` (W) from ``x0``."""
    xs = np.linalg.solve(A, b)
    return xs + sl.expm(-A / C[:, None] * t) @ (x0 - xs)


@pytest.mark.parametrize("multistep", [False, True], ids=["tr-bdf2", "bdf2"])
def test_error_estimate_tracks_the_true_local_error(multistep):
    """One step from the exact state at t0 = τ/2 (BDF2: with an exact history), steps τ/10 …
    τ/80: the estimate against the step's true local error. Both estimates are asymptotically
    exact (the embedded pair's and Milne's device's own errors are a power of h smaller), so
    the ratio tends to 1: within 20 % at the shortest step. Over the sweep the estimate is
    never below 0.8 of the true error (else the control would accept steps worse than asked)
    and at most 4 times it: Milne's predictor does not damp stiff components, which can only
    inflate it, costing at most 4^(1/3) = 1.6 in step length."""
    system, A, C, x0, b = _semi_discrete()
    t0 = 0.5 * TAU
    ratios = []
    for h in TAU * np.array([0.1, 0.05, 0.025, 0.0125]):
        ctl = SecondOrder(Theta(system, 1.0, "direct", 1e-13), system, 1e-3, 1e-3, TAU, [],
                          multistep=multistep)
        x = _exact_constant(A, C, x0, b, t0)
        if multistep:
            points = [(t0 - 2 * h, _exact_constant(A, C, x0, b, t0 - 2 * h)),
                      (t0 - h, _exact_constant(A, C, x0, b, t0 - h)), (t0, x)]
            ctl.hist = _History(points[1][1], h, system.source(t0 - h, t0), 0.0, points)
            step, err, _ = ctl._bdf2(x, t0, h, system.heat_out(x))
        else:
            step, err, _ = ctl._tr_bdf2(x, t0, h, system.heat_out(x))
        true = np.max(np.abs(step.x - _exact_constant(A, C, x0, b, t0 + h)))
        ratios.append(err / true)
    assert ratios[-1] == pytest.approx(1.0, abs=0.2), ratios
    assert min(ratios) >= 0.8 and max(ratios) <= 4.0, ratios


@pytest.mark.parametrize("scheme", ["bdf2", "tr-bdf2"])
def test_energy_balance_is_exact_over_steps_and_ramps(scheme):
    """∫P dt = ΔE_stored + ∫Q_out dt to 1e-6 (the θ-method test's bound) over a fast edge, a ramp
    and a jump; ∫P dt itself exact. BDF2 takes about one solve a step: ≤ 1.3 per step tried
    (its starts and restarts after the five breakpoints cost three each)."""
    r = solve_transient(_package(STEPS_AND_RAMPS), t_end=0.4, scheme=scheme)
    s = r.solver
    assert s["method"] == f"implicit-{scheme}"
    assert s["energy_balance"] < 1e-6
    t, P = np.array(STEPS_AND_RAMPS).T
    assert s["energy_in"] == pytest.approx(2.0 * 0.4 + np.trapezoid(np.append(P, 40.0), np.append(t, 0.4)),
                                           rel=1e-12)
    tried = s["steps"] + s["rejected_steps"]
    if scheme == "bdf2":
        assert s["linear_solves"] <= 1.3 * tried
    else:  # two stages and the filtered estimate
        assert s["linear_solves"] == 3 * tried


def test_bdf2_is_more_accurate_than_step_doubling_for_fewer_solves():
    """Same rtol/atol (1e-3): against a tight Crank–Nicolson reference (rtol = atol = 1e-9),
    BDF2's error over the stored fields is below backward Euler step doubling's, with under half
    its linear solves (a second-order method at one solve a step against a first-order one at
    three)."""
    pkg = _package(STEPS_AND_RAMPS)
    ref = solve_transient(pkg, t_end=0.4, scheme="cn", rtol=1e-9, atol=1e-9, save_every=0.02)

    def error(r):
        return max(np.max(np.abs(a - b)) for a, b in zip(r.steps, ref.steps))

    be = solve_transient(pkg, t_end=0.4, scheme="be", save_every=0.02)
    bdf2 = solve_transient(pkg, t_end=0.4, scheme="bdf2", save_every=0.02)
    assert error(bdf2) < error(be)
    assert bdf2.solver["linear_solves"] < 0.5 * be.solver["linear_solves"]


@pytest.mark.parametrize("scheme", ["bdf2", "tr-bdf2"])
def test_breakpoints_are_hit_and_restart_the_steps(scheme):
    """Step edges and output times are hit exactly; after each edge the run restarts with a
    TR-BDF2 step (its history ends at the edge), so the power jumps between two stored steps."""
    trace = [[0, 0], [0.01, 10], [0.02, 0]]
    r = solve_transient(_package(trace, kind="step"), t_end=0.03, save_every=0.005, scheme=scheme)
    hit = 1e-12 * 0.03
    assert np.allclose(r.times, np.arange(0, 0.0301, 0.005), rtol=0, atol=hit)
    times = r.probes["time"]
    core = r.probes["components"].index("core")
    for edge, before, after in ((0.01, 0.0, 10.0), (0.02, 10.0, 0.0)):
        i = int(np.argmin(np.abs(times - edge)))
        assert abs(times[i] - edge) <= hit
        assert r.probes["power"][i, core] == after and r.probes["power"][i - 1, core] == before
    assert r.solver["energy_balance"] < 1e-6


def test_step_doubling_stays_selectable():
    """scheme='be' and 'cn' are the θ-method under step doubling: three solves per step tried."""
    for scheme in ("be", "cn"):
        s = solve_transient(_package([[0, 0], [0.001, 20]]), t_end=0.01, method="implicit",
                            scheme=scheme).solver
        assert s["method"] == f"implicit-{scheme}"
        assert s["linear_solves"] == 3 * (s["steps"] + s["rejected_steps"])


def test_an_unknown_scheme_is_a_layout_error():
    with pytest.raises(LayoutError) as exc:
        solve_transient(_package(), t_end=0.01, scheme="bdf3")
    assert exc.value.path == "scheme" and "bdf2" in str(exc.value)
