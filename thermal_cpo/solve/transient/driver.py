"""The transient driver: set the run up, step it to ``t_end``, assemble the result.

The semi-discrete system ``C dT/dt = b(t) − A T`` (:mod:`.system`) is stepped by a scheme
(:mod:`.schemes`) under a step control (:mod:`.control`), starting from an initial state
(:mod:`.initial`), while recorders (:mod:`.recorders`) keep what the result holds. Over each step
the source is the exact average of the power traces over the step, so the discrete energy
balance ``ΔE = ∫P dt − ∫Q_out dt`` holds to the linear solver's tolerance, ramps and steps
included.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ...errors import LayoutError, SolverError, did_you_mean
from ...layout import Package
from ...mesh import Mesh, voxelize
from ...operator import Operator
from ...operator.sources import Sources
from ...results import Result, component_table
from ...threads import solve_entry
from .atomic import uninterrupted
from .bdf import SECOND_ORDER, SecondOrder
from .control import Clock, FixedSteps, StepDoubling, output_times
from .initial import coolant_property_temperatures, initial_nodes, initial_state
from .recorders import Fields, History, Progress
from .refresh import KRefresh
from .schemes import THETAS, ForwardEuler, Theta, explicit_limit
from .system import System

#: fraction of the explicit positivity bound min C/ΣG taken as the explicit step
EXPLICIT_SAFETY = 0.9
#: "auto" picks explicit only when the whole run takes at most this many explicit steps
EXPLICIT_MAX_AUTO_STEPS = 20_000
METHODS = ("auto", "implicit", "explicit")
#: BDF2 and TR-BDF2 set a preconditioner up per this many octaves of step length: CG starts from
#: the predictor and needs a few iterations, so a preconditioner up to 4x off the step costs less
#: than a new set-up (a start and every restart after a breakpoint climb through the lengths)
PRECONDITIONER_OCTAVES = 2
#: explicit runs check the field for NaN/Inf every this many steps (implicit ones every step)
FINITE_CHECK_EVERY = 64


def _check_arguments(t_end, dt, method, scheme, save_every, rtol, atol) -> None:
    if not (isinstance(t_end, (int, float)) and math.isfinite(t_end) and t_end > 0):
        raise LayoutError(f"must be > 0 s, got {t_end!r}", path="t_end")
    if method not in METHODS:
        raise LayoutError(f"unknown method {method!r}{did_you_mean(str(method), METHODS)}; expected "
                          f"one of {', '.join(METHODS)}", path="method")
    if scheme not in THETAS and scheme not in SECOND_ORDER:
        raise LayoutError(f"unknown scheme {scheme!r}; expected be (backward Euler) or cn "
                          "(Crank-Nicolson), both with step doubling, bdf2 (one solve a step) or "
                          "tr-bdf2", path="scheme")
    for name, v in (("dt", dt), ("save_every", save_every)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise LayoutError(f"must be > 0 s, got {v!r}", path=name)
    for name, v, unit in (("rtol", rtol, ""), ("atol", atol, " K")):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            raise LayoutError(f"must be a finite number > 0{unit}, got {v!r}", path=name)


def _choose_method(method: str, dt, limit: float, t_end: float, coolant: bool, max_steps: int) -> str:
    """``"explicit"`` or ``"implicit"`` for the requested ``method`` and step ``dt`` (s), given
    the explicit bound ``limit`` = min C/ΣG (s)."""
    if coolant:
        if method == "explicit":
            raise LayoutError("explicit stepping does not support coolant (cold plates or channels: "
                              "the coupled system is solved implicitly); use method='implicit'",
                              path="method")
        return "implicit"
    if method == "auto":
        if dt is not None:
            method = "explicit" if dt <= limit else "implicit"
        else:
            auto_steps = t_end / (EXPLICIT_SAFETY * limit)
            method = "explicit" if auto_steps <= EXPLICIT_MAX_AUTO_STEPS else "implicit"
    if method == "explicit":
        if dt is not None and dt > limit:
            raise LayoutError(f"dt = {dt:.3e} s is above the explicit stability bound "
                              f"min C/ΣG = {limit:.3e} s; use a smaller dt or method='implicit'", path="dt")
        h = dt if dt is not None else EXPLICIT_SAFETY * limit
        if t_end / h > max_steps:
            raise LayoutError(f"explicit stepping would need {t_end / h:.3g} steps of {h:.2e} s "
                              f"(limit {max_steps:,}); use method='implicit'", path="method")
    return method


def _system(mesh: Mesh, sources: Sources, initial, t_end, solver, tol):
    """The system with its operator built at the initial state: the coolant properties are
    taken there for the run, k(T) too in an explicit run; an implicit one follows k(T)
    (:mod:`.refresh`). Both are stated in the result's solver statistics."""
    op = Operator(mesh)
    t_ref = op.reference_temperature() if op.has_heat_path else 0.0
    state = initial_state(mesh, op, sources, initial, t_ref, solver, tol)
    coolant_T = state.coolant_T
    if op.coolant is not None and coolant_T is None:
        coolant_T = coolant_property_temperatures(op, sources, t_end)
    if op.temperature_dependent or coolant_T is not None:
        op = Operator(mesh, temperature=state.cells if op.temperature_dependent else None, coolant_T=coolant_T)
    if op.coolant is not None and state.nodes is None:
        state.cells = np.array(state.cells, dtype=float)
        state.nodes = initial_nodes(op, state.cells)
    return System(op, sources, t_ref), state


def _first_step(dt, method: str, limit: float, t_end: float) -> float:
    """The first nominal step (s): ``dt`` when given; explicit: the safe fraction of the bound;
    implicit: ten explicit steps, at most a hundredth of the run."""
    if dt is not None:
        return dt
    if method == "explicit":
        return EXPLICIT_SAFETY * limit
    return min(t_end / 100.0, max(EXPLICIT_SAFETY * limit, 1e-9) * 10)


class _Tally:
    """Counts and energies (J) of a run as it steps."""

    def __init__(self, x0: np.ndarray):
        self.x0 = x0.copy()
        self.x = x0  # the state at t: what a run stopped early ends with
        self.t = self.energy_in = self.energy_out = 0.0
        self.steps = self.rejected = 0


def _step_to_end(control, clock: Clock, system: System, x: np.ndarray, h: float, recorders,
                 max_steps: int, tally: _Tally, refresh: KRefresh | None = None) -> np.ndarray:
    """Step ``x`` (flat rise) from ``tally.t`` to the clock's end; the final ``x``. ``refresh``:
    rebuilds the operator as k(T) moves (between steps)."""
    implicit = control.scheme.name == "implicit"
    control.start(x)
    q_before = system.heat_out(x)
    t = tally.t
    while clock.running(t):
        h_try, lands, t_hit = clock.offer(t, h)
        step, h = control.attempt(x, t, h_try, h, lands, q_before)
        if step is None:
            tally.rejected += 1
            continue
        if (implicit or tally.steps % FINITE_CHECK_EVERY == 0) and not np.all(np.isfinite(step.x)):
            raise SolverError(f"non-finite temperatures at t = {t + h_try:.4e} s")
        energy_in = tally.energy_in + system.sources.energy(t, t + h_try)
        t = t_hit if lands else t + h_try
        control.accepted(x, h_try, step.x)
        x, q_before = step.x, step.q_end
        # the step's state and its recording together: a run stopped early keeps a state, time,
        # energies and recorded step of one and the same step
        with uninterrupted():
            tally.t, tally.x, tally.energy_in, tally.energy_out, tally.steps = (
                t, x, energy_in, tally.energy_out + step.heat, tally.steps + 1)
            T = system.cells(x)
            for r in recorders:
                r.step(t, T)
        if refresh is not None and clock.running(t) and refresh.due(system, x):
            refresh.apply(system, control, x)
            q_before = system.heat_out(x)
        if tally.steps > max_steps:
            raise SolverError(f"more than {max_steps:,} steps; loosen rtol/atol or raise max_steps")
    return x


def _refresh_figures(system: System, refresh: KRefresh | None) -> dict:
    """How k(T) was taken: followed (``k_refreshes`` rebuilds, each once a cell moved
    ``k_refresh_K``), or frozen at the initial field (an explicit run)."""
    if refresh is not None:
        return {"k_frozen_at_initial": False, "k_refreshes": refresh.count, "k_refresh_K": refresh.threshold}
    return {"k_frozen_at_initial": bool(system.op.temperature_dependent), "k_refreshes": 0}


def _label(control) -> str:
    """The statistics' name of an implicit run's scheme."""
    if isinstance(control, SecondOrder):
        return control.label
    return f"implicit-{'be' if control.scheme.theta == 1.0 else 'cn'}"


def _statistics(system: System, control, tally: _Tally, x, T, nodes, limit, t_end, tol, t_wall) -> dict:
    """The solver statistics of a transient result."""
    op, scheme = system.op, control.scheme
    implicit = scheme.name == "implicit"
    stored = system.stored(x, tally.x0)
    e_in, e_out = tally.energy_in, tally.energy_out
    balance = abs(e_in - e_out - stored) / max(abs(e_in), abs(e_out), abs(stored), 1e-300)
    stats = {
        "method": _label(control) if implicit else "explicit",
        "steps": tally.steps, "rejected_steps": tally.rejected, "adaptive": bool(control.adaptive),
        "dt_stable_explicit": limit, "wall_time": time.perf_counter() - t_wall,
        "energy_in": e_in, "energy_out": e_out, "energy_stored": stored, "energy_balance": balance,
        "preconditioner_setups": scheme.setups if implicit else 0,
        "iterations": scheme.iterations if implicit else 0, "tolerance": tol,
        "linear_solves": scheme.solves if implicit else 0,
        "t_end": t_end, "n_cells": system.n_cells,
        "power_in": float(system.sources.powers_at(t_end).sum()),
        "heat_out": float(sum(op.heat_out(T, nodes).values())),
        "residual": scheme.max_residual if implicit else 0.0,  # explicit steps solve nothing
    }
    if op.coolant is not None:
        stats["coolant_properties_at"] = {g.name: g.T_mean for g in op.coolant.groups}
        stats["n_coolant_nodes"] = op.coolant.n_nodes
    return stats


def _refuse_power_models(mesh: Mesh) -> None:
    """Temperature-dependent powers are solved in steady state only: a transient would need the
    power to follow the temperature inside every step, and a silently constant one is wrong."""
    for c in mesh.components:
        what = ("power_model" if c.power_model is not None else
                "photonics.heater" if c.photonics is not None and c.photonics.heater is not None else None)
        if what:
            raise LayoutError(
                f"{c.name!r} has a {what}: temperature-dependent powers are solved in steady state "
                "only. For a transient, give it the power of its operating point (run the steady "
                "solve, read the component table's power) as power or a trace", path=f"{c.name}.{what}")


@solve_entry
def solve_transient(pkg: Package | Mesh, t_end: float, dt: float | None = None, method: str = "auto",
                    save_every: float | None = None, save_times=None, scheme: str = "bdf2",
                    rtol: float = 1e-3, atol: float = 1e-3, solver="auto", tol: float = 1e-10,
                    adaptive: bool | None = None, output=None, initial=None, progress=None,
                    memory_limit=None, command_line: str | None = None,
                    max_steps: int = 10_000_000, recorders=(), follow_k: bool = True) -> Result:
    """Transient temperature fields of a package (°C) from t = 0 to ``t_end`` (s).

    ``method``: ``"implicit"`` (``scheme``: ``"bdf2"``, variable-step BDF2, one linear solve a
    step; ``"tr-bdf2"``; or the θ-method under step doubling, ``"be"`` backward Euler or ``"cn"``
    Crank–Nicolson), ``"explicit"`` (forward Euler at ≤ the stable step), or ``"auto"``
    (explicit only when it needs at most :data:`EXPLICIT_MAX_AUTO_STEPS` steps). ``dt`` (s): the
    step for explicit; for implicit the first step, and with ``adaptive=False`` a fixed step.
    Adaptive implicit steps keep the scheme's local error estimate (BDF2: against its
    predictor; TR-BDF2: embedded; be/cn: step doubling) below ``atol + rtol·max|rise|`` (K).
    ``save_every`` (s) / ``save_times`` choose the stored fields (t = 0 and t_end always);
    ``output`` streams them to an HDF5 result file. ``initial``: None (the layout's
    ``[initial]``, else the coldest boundary temperature), a number (°C), ``"steady"``, a result
    file path, or an (nz, ny, nx) array. ``progress(t, t_end)`` is called after every step.
    ``recorders``: more :class:`~.recorders.Recorder` objects, shown the cell temperatures (°C,
    ``(nz, ny, nx)``, not to be kept without a copy) at t = 0 and after every step.
    ``follow_k``: an implicit run rebuilds its operator as k(T) moves (:mod:`.refresh`); False
    keeps k(T) at the initial field (a linearisation about it, as a thermal impedance needs).
    Returns a :class:`Result` with ``times``, ``steps`` (stored fields) and ``probes``.
    """
    t_wall = time.perf_counter()
    _check_arguments(t_end, dt, method, scheme, save_every, rtol, atol)
    mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg, memory_limit_bytes=memory_limit, transient=True,
                                                       solver=solver)
    _refuse_power_models(mesh)
    sources = Sources(mesh)
    system, state = _system(mesh, sources, initial, t_end, solver, tol)
    limit = explicit_limit(system)
    method = _choose_method(method, dt, limit, t_end, system.has_coolant, max_steps)
    adaptive = (method == "implicit" and dt is None) if adaptive is None else adaptive
    if method == "implicit" and not adaptive:
        h = _first_step(dt, method, limit, t_end)
        if t_end / h > max_steps:  # refused before stepping, as an explicit run is
            raise LayoutError(f"fixed implicit steps of {h:.2e} s would need {t_end / h:.3g} steps "
                              f"(limit {max_steps:,}); use a larger dt or adaptive steps", path="dt")
    if method == "explicit":
        control = FixedSteps(ForwardEuler(system), system)
    elif scheme in SECOND_ORDER:
        be = Theta(system, 1.0, solver, tol, octaves=PRECONDITIONER_OCTAVES)
        control = SecondOrder(be, system, rtol, atol, t_end, sources.breakpoints(t_end),
                              multistep=scheme == "bdf2", adaptive=adaptive)
    else:
        theta = Theta(system, THETAS[scheme], solver, tol)
        control = StepDoubling(theta, system, rtol, atol, t_end) if adaptive else FixedSteps(theta, system)
    outputs = output_times(t_end, save_every, save_times)
    clock = Clock(t_end, np.unique(np.concatenate([outputs[outputs > 0], sources.breakpoints(t_end)])),
                  balance=isinstance(control, SecondOrder))
    history = History(mesh, sources.powers_at)
    fields = Fields(mesh, outputs, output, command_line, sources)
    recorders = [history, fields, *recorders] + ([Progress(progress, t_end)] if progress is not None else [])
    x = system.rise(state.cells, state.nodes)
    tally = _Tally(x)
    refresh = (KRefresh(system) if follow_k and method == "implicit" and system.op.temperature_dependent
               else None)
    for r in recorders:
        r.start(0.0, state.cells)
    try:
        x = _step_to_end(control, clock, system, x, _first_step(dt, method, limit, t_end), recorders,
                         max_steps, tally, refresh)
    except BaseException as exc:  # Ctrl-C or a failure: the stored steps are kept, marked incomplete
        fields.keep(tally.t, system.cells(tally.x))
        fields.partial = _so_far(system, control, tally, history, fields, (limit, t_end, tol, t_wall), exc)
        for r in recorders:
            r.abort(exc)
        raise
    stats = _statistics(system, control, tally, x, system.cells(x), system.nodes(x), limit, t_end, tol, t_wall)
    stats.update(_refresh_figures(system, refresh))
    result = _result(system, x, stats, history, fields)
    fields.close(result)
    return result


def _result(system: System, x: np.ndarray, stats: dict, history, fields, complete: bool = True) -> Result:
    """The result of a run that reached the state ``x`` (flat rise)."""
    mesh, op = system.mesh, system.op
    T, nodes = system.cells(x), system.nodes(x)
    coolant = None
    if op.coolant is not None:
        from ..system import coolant_result

        coolant = coolant_result(op, nodes)
    result = Result(mesh=mesh, temperature=T, components=component_table(mesh, T), solver=stats,
                    heat_out=op.heat_out(T, nodes), times=np.array(fields.times), steps=fields.fields,
                    probes=history.table(), coolant=coolant, complete=complete,
                    step_power=fields.powers)
    return result


def _so_far(system: System, control, tally: _Tally, history, fields, run, exc) -> Result | None:
    """The result of a run stopped early by ``exc`` at ``tally.t``, for the kept file: the
    statistics of the steps taken, with ``interrupted``, ``t_stop`` (s) and ``stopped_by``.
    ``run``: (explicit limit s, t_end s, tol, wall-clock start). None where it cannot be had
    (the stored steps are kept all the same)."""
    limit, t_end, tol, t_wall = run
    try:
        x = tally.x
        stats = _statistics(system, control, tally, x, system.cells(x), system.nodes(x), limit, t_end,
                            tol, t_wall)
        stats.update(interrupted=True, t_stop=tally.t, stopped_by=type(exc).__name__,
                     power_in=float(system.sources.powers_at(tally.t).sum()))
        return _result(system, x, stats, history, fields, complete=False)
    except Exception:  # a failure of the run's own state: no tables, the steps stay readable
        return None
