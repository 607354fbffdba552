"""Transient solve: exact slab solutions [carslaw-jaeger-1959], energy, steady limit, temporal order."""

import numpy as np
import pytest
from click.testing import CliRunner

from analytic import semi_infinite_surface, slab_flux_series
from thermal_cpo import LayoutError
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.solve.transient import solve_transient

K, RHO, CP = 148.0, 2330.0, 705.0
ALPHA = K / (RHO * CP)
L = 775e-6
Q = 1e6  # W/m² (100 W/cm²)
TAU = 4 * L**2 / (np.pi**2 * ALPHA)  # first time constant, 2.70 ms


def _slab(nz=100, trace=None):
    """1 × 1 mm silicon column: flux Q into the bottom cell layer, T = 0 °C fixed on top.

    In finite volumes a source in the bottom cell and a flux through the bottom face are the
    same equation, so this is the flux-in/fixed-T slab of tests/oracles/analytic.py (slab_flux_series) on a grid of nz cells."""
    layer = dict(name="slab", thickness=L * 1e6, material="si", power=Q * 1e-6, power_at="bottom")
    if trace is not None:
        layer["trace"] = trace
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=1000, y=1000),
        grid=dict(max_cell_xy=1000, max_cell_z=L * 1e6 / nz),
        materials={"si": dict(k=K, rho=RHO, cp=CP)},
        layers=[layer], initial=dict(T=0.0),
        boundaries=dict(top=dict(type="fixed", T=0.0))))


TIMES = [0.1 * TAU, TAU, 3 * TAU, 10 * TAU]


def _surface(result, i):
    """Surface temperature from the bottom cell: T_0 + q·(dz/2)/k (the face flux is q)."""
    dz0 = result.mesh.dz[0]
    return result.steps[i][0, 0, 0] + Q * dz0 / (2 * K)


@pytest.mark.parametrize("method", ["implicit", "explicit"])
def test_slab_surface_temperature_matches_fourier_series(method):
    kw = dict(method=method, save_times=TIMES)
    if method == "implicit":
        kw.update(scheme="cn", rtol=1e-5, atol=1e-6)
    r = solve_transient(_slab(), t_end=10 * TAU, **kw)
    assert r.solver["method"].startswith(method)
    for i, t in enumerate(TIMES, start=1):
        assert r.times[i] == pytest.approx(t, rel=1e-12)
        exact = slab_flux_series(0.0, t, L, Q, K, ALPHA)[0]
        assert _surface(r, i) == pytest.approx(exact, rel=0.005), (method, t)
        # and the cell centre against the exact profile at its own height
        zc = 0.5 * r.mesh.dz[0]
        assert r.steps[i][0, 0, 0] == pytest.approx(slab_flux_series(zc, t, L, Q, K, ALPHA)[0], rel=0.005)


def test_slab_early_times_match_semi_infinite():
    early = [20e-6, 100e-6]
    r = solve_transient(_slab(nz=200), t_end=100e-6, method="implicit", scheme="cn", save_times=early,
                        rtol=1e-5, atol=1e-6)
    for i, t in enumerate(early, start=1):
        assert _surface(r, i) == pytest.approx(semi_infinite_surface(t, Q, K, ALPHA), rel=0.01)


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


@pytest.mark.parametrize("scheme", ["be", "cn"])
def test_energy_balance_over_steps_and_ramps(scheme):
    """∫P dt = ΔE_stored + ∫Q_out dt to 1e-6 over a trace with a fast edge, a ramp and a jump."""
    r = solve_transient(_package(STEPS_AND_RAMPS), t_end=0.4, scheme=scheme)
    s = r.solver
    assert s["energy_balance"] < 1e-6
    assert 0.0 < s["residual"] <= s["tolerance"]  # the worst step's linear solve, as reported
    # step doubling: a full step and two half steps for every step tried
    assert s["linear_solves"] == 3 * (s["steps"] + s["rejected_steps"])
    # ∫P dt itself is exact: 2 W constant plus the piecewise-linear core trace
    t, P = np.array(STEPS_AND_RAMPS).T
    exact_in = 2.0 * 0.4 + np.trapezoid(np.append(P, 40.0), np.append(t, 0.4))
    assert s["energy_in"] == pytest.approx(exact_in, rel=1e-12)
    assert s["steps"] < 500  # adaptive: tens to hundreds of steps, not millions


def test_step_trace_edges_are_hit_exactly():
    trace = [[0, 0], [0.01, 10], [0.02, 0]]
    r = solve_transient(_package(trace, kind="step"), t_end=0.03, save_every=0.005)
    hit = 1e-12 * 0.03  # outputs and edges are hit to round-off of the end time
    assert np.allclose(r.times, np.arange(0, 0.0301, 0.005), rtol=0, atol=hit)
    times = r.probes["time"]
    assert np.any(np.isclose(times, 0.01, rtol=0, atol=hit))
    assert np.any(np.isclose(times, 0.02, rtol=0, atol=hit))
    i = int(np.argmin(np.abs(times - 0.01)))
    core = r.probes["components"].index("core")
    assert r.probes["power"][i, core] == 10.0 and r.probes["power"][i - 1, core] == 0.0


def test_long_time_limit_is_the_steady_solution():
    pkg = _package()
    steady = solve_steady(pkg, solver="direct")
    # backward Euler's fixed point is the steady solution: once the steps are long, the field
    # converges to it whatever the accuracy of the early transient (default tolerances)
    r = solve_transient(pkg, t_end=200.0)
    rise_s, rise_t = steady.temperature - 30.0, r.temperature - 30.0
    assert np.max(np.abs(rise_t - rise_s)) <= 1e-6 * np.max(rise_s)


def test_explicit_and_implicit_agree():
    """Same problem, both methods: they differ by less than their own error estimates."""
    pkg = _package([[0, 0], [0.001, 20]])
    t_end = 0.004
    ex = solve_transient(pkg, t_end=t_end, method="explicit")
    im = solve_transient(pkg, t_end=t_end, method="implicit", scheme="cn", rtol=1e-5, atol=1e-6)
    rise = np.max(im.temperature - 30.0)
    # explicit Euler's global error ≈ dt/2 · |d²T/dt²| · t; bounded here by 1e-3 of the rise
    assert np.max(np.abs(ex.temperature - im.temperature)) < 1e-3 * rise
    assert ex.solver["steps"] >= t_end / ex.solver["dt_stable_explicit"]  # explicit: bounded step


@pytest.mark.parametrize("scheme,order", [("be", 1.0), ("cn", 2.0)])
def test_temporal_order(scheme, order):
    """Fixed steps on the slab with a smooth (ramped) source: error vs a fine reference."""
    pkg = _slab(nz=40, trace=[[0, 0], [TAU, Q * 1e-6]])
    t_end = TAU
    ref = solve_transient(pkg, t_end=t_end, method="implicit", scheme="cn", dt=t_end / 4096,
                          adaptive=False).temperature
    errs, dts = [], []
    for n in (8, 16, 32, 64):
        r = solve_transient(pkg, t_end=t_end, method="implicit", scheme=scheme, dt=t_end / n, adaptive=False)
        errs.append(np.max(np.abs(r.temperature - ref)))
        dts.append(t_end / n)
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(order, abs=0.15), (errs, slope)


def test_bad_inputs_are_layout_errors():
    pkg = _package()
    with pytest.raises(LayoutError, match="t_end"):
        solve_transient(pkg, t_end=0.0)
    with pytest.raises(LayoutError, match="stability bound"):
        solve_transient(pkg, t_end=0.01, method="explicit", dt=1.0)
    with pytest.raises(LayoutError, match="increase strictly"):
        _package([[0, 1], [0.01, 2], [0.005, 3]])
    with pytest.raises(LayoutError, match="negative"):
        _package([[-1, 1], [0.01, 2]])


def _write(tmp_path, pkg, extra=""):
    from thermal_cpo.layout import dump_toml

    f = tmp_path / "pkg.toml"
    f.write_text(extra + dump_toml(pkg))  # top-level keys go before the first table
    return f


def test_cli_transient_writes_steps_and_bad_inputs_exit_2(tmp_path):
    f = _write(tmp_path, _package([[0, 0], [0.001, 20]]))
    out = tmp_path / "tr.h5"
    res = CliRunner().invoke(cli, ["run", str(f), "--transient", "--t-end", "0.01", "--save-every", "0.005",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    from thermal_cpo.results import load_result

    back = load_result(out)
    assert np.allclose(back.times, [0, 0.005, 0.01])
    for args, word in ((["--t-end", "0"], "--t-end"), (["--t-end", "0.01", "--method", "explicit", "--dt", "1"],
                                                      "stability")):
        res = CliRunner().invoke(cli, ["run", str(f), "--transient", *args])
        assert res.exit_code == 2 and word in res.stderr and "Traceback" not in res.stderr
    csv = tmp_path / "p.csv"
    csv.write_text("t,cor\n0,1\n1,2\n")
    g = _write(tmp_path, _package(), 'trace_file = "p.csv"\n')
    res = CliRunner().invoke(cli, ["run", str(g), "--transient", "--t-end", "0.01"])
    assert res.exit_code == 2 and "'cor'" in res.stderr and "did you mean 'core'" in res.stderr


def _probed_run(tmp_path):
    from thermal_cpo.layout import Package as P

    d = _package([[0, 0], [0.002, 20]]).to_dict()
    d["probes"] = [dict(name="centre", x=3e-3, y=3e-3, z=1e-4)]
    out = tmp_path / "p.h5"
    return solve_transient(P.from_dict(d), t_end=0.01, output=out), out


def test_probes_are_stored(tmp_path):
    from thermal_cpo.results import load_result

    r, out = _probed_run(tmp_path)
    back = load_result(out)
    for key in ("time", "T_max", "T_mean", "points", "power"):
        np.testing.assert_array_equal(back.probes[key], r.probes[key])
    core = r.probes["components"].index("core")
    # T_max of the core at the last step equals the component table's
    assert r.probes["T_max"][-1, core] == pytest.approx(r.component("core").T_max, rel=1e-12)
    assert r.probes["points"].shape == (len(r.probes["time"]), 1)


def test_probes_are_plotted(tmp_path):
    pytest.importorskip("matplotlib")  # the viz extra
    from thermal_cpo.results import load_result
    from thermal_cpo.viz.plot import plot_time

    _, out = _probed_run(tmp_path)
    res = CliRunner().invoke(cli, ["plot", str(out), "--time"])
    assert res.exit_code == 0, res.output
    png = tmp_path / "p.time.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig = plot_time(load_result(out))
    lines = fig.axes[0].get_lines()
    assert any(ln.get_label() == "core T_max" for ln in lines)
    assert any(ln.get_label() == "probe centre" for ln in lines)


def test_interrupted_run_keeps_stored_steps(tmp_path, monkeypatch):
    """Ctrl-C part way: the file holds the steps already stored, marked incomplete."""
    import thermal_cpo.solve.transient as tr
    from thermal_cpo.results import load_result

    calls = []

    def progress(t, t_end):
        calls.append(t)
        if len(calls) == 5:
            raise KeyboardInterrupt

    out = tmp_path / "cut.h5"
    with pytest.raises(KeyboardInterrupt):
        tr.solve_transient(_package([[0, 0], [0.001, 20]]), t_end=0.01, dt=1e-3, adaptive=False,
                           method="implicit", save_every=1e-3, output=out, progress=progress)
    back = load_result(out)
    assert back.complete is False and len(back.steps) == 6  # t = 0 and the five steps done
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.h5", "cut.xdmf"]


def test_a_solver_answering_in_place_keeps_every_step():
    """The right-hand side's buffer is reused by every implicit step: a user solver that solves
    in place and returns its ``b`` must still leave each step's answer intact."""
    import scipy.sparse.linalg as spla

    def in_place(A, b):
        b[:] = spla.spsolve(A.tocsc(), b)
        return b

    pkg = _slab(nz=30)  # adaptive steps: the full step must survive its two half steps
    ref = solve_transient(pkg, t_end=TAU, method="implicit", solver="direct", save_times=TIMES[:2])
    got = solve_transient(pkg, t_end=TAU, method="implicit", solver=in_place, save_times=TIMES[:2])
    assert got.solver["steps"] == ref.solver["steps"]
    assert got.solver["rejected_steps"] == ref.solver["rejected_steps"]
    for a, b in zip(ref.steps, got.steps):
        assert np.allclose(a, b, rtol=0, atol=1e-9)


def test_step_caches_keep_the_most_recently_used_entries():
    """The implicit stepper's caches (systems, preconditioners, C/Δt) drop the least recently
    used entry first, so the two step sizes of step doubling stay while old ones go."""
    from thermal_cpo.solve.transient.schemes import recent as _recent

    cache: dict = {}
    for key in [1, 2, 3, 1, 4, 5]:
        if _recent(cache, key, 3) is None:
            cache[key] = str(key)
    assert list(cache) == [1, 4, 5]
    assert _recent(cache, 4, 3) == "4" and list(cache) == [1, 5, 4]


def test_a_user_recorder_sees_every_step_and_the_stored_fields_are_its_own():
    """A recorder passed in sees t = 0 and every accepted step, at the times of the history,
    with the fields the result stores at the output times."""
    from thermal_cpo.solve.transient import Recorder

    class Keep(Recorder):
        def __init__(self):
            self.t, self.T = [], []

        def step(self, t, T):
            self.t.append(t)
            self.T.append(T.copy())

    keep = Keep()
    r = solve_transient(_slab(nz=20, trace=[[0, 0.0], [TAU, Q * 1e-6]]), t_end=2 * TAU,
                        save_times=[TAU], recorders=[keep])
    np.testing.assert_array_equal(keep.t, r.probes["time"])
    assert len(keep.t) == r.solver["steps"] + 1
    for t, field in zip(r.times, r.steps):
        np.testing.assert_array_equal(keep.T[keep.t.index(t)], field)


@pytest.mark.parametrize("field, value", [("rtol", 0.0), ("rtol", float("nan")), ("atol", -1e-3),
                                          ("atol", float("inf"))])
def test_step_error_tolerances_must_be_finite_and_positive(field, value):
    with pytest.raises(LayoutError) as exc:
        solve_transient(_slab(nz=10), t_end=TAU, **{field: value})
    assert exc.value.path == field


def test_a_fixed_implicit_run_longer_than_max_steps_is_refused_before_stepping():
    calls = []
    with pytest.raises(LayoutError) as exc:
        solve_transient(_slab(nz=10), t_end=1.0, method="implicit", dt=1e-6, adaptive=False,
                        max_steps=1000, progress=lambda t, t_end: calls.append(t))
    assert exc.value.path == "dt" and "1e+06 steps" in str(exc.value)
    assert not calls  # no step was taken
