"""Transient solve: power traces, explicit and implicit (θ-method) stepping, stored fields, probes.

The semi-discrete system is ``C dT/dt = b(t) − A T`` with the steady operator ``A`` (W/K), the
cell capacities ``C = ρ c_p V`` (J/K) and ``b = P(t) + Σ G_b T_b``. Over each step the source is
the exact average of the power traces over the step, so the discrete energy balance
``ΔE = ∫P dt − ∫Q_out dt`` holds to the linear solver's tolerance, ramps and steps included.

- implicit (default for anything longer than microseconds): θ-method, backward Euler (θ = 1) or
  Crank–Nicolson (θ = ½), adaptive step by step doubling, every trace breakpoint and every
  requested output time hit exactly; the preconditioner is set up once per octave of step
  size and reused (CG runs on the exact matrix of each step), warm-started from the last field;
- explicit: forward Euler with the numba stencil kernel, at a fraction of the positivity bound
  ``min C/ΣG``; a requested step above the bound is refused with the bound in the message.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..errors import LayoutError, SolverError
from ..mesh import Mesh, unit_power_map, voxelize
from ..linalg import NONSYMMETRIC_DIRECT_MAX_UNKNOWNS
from ..operator.stencil import Stencil
from ..layout import Package
from ..operator import Operator
from ..results import Result, component_table
from .steady import system_solver
from ..threads import solve_entry

#: fraction of the explicit positivity bound min C/ΣG used as the explicit step
EXPLICIT_SAFETY = 0.9
#: Implicit stepping keeps, least recently used dropped first: the systems A + C/(θΔt) of this
#: many step sizes (an extra array and a diagonal each, 16 B/cell), the preconditioners of this
#: many octaves of step size (a multigrid hierarchy is ~36 B/cell) and C/Δt for this many
#: sizes. Step doubling uses two sizes at a time; with 9, 7 and 5 kept, a 2 M-cell adaptive run
#: peaked at 956 B/cell, over the memory guard's 600.
SYSTEMS_KEPT = 4
PRECONDITIONERS_KEPT = 3
C_DT_KEPT = 3
#: "auto" picks explicit only when the whole run takes at most this many explicit steps
EXPLICIT_MAX_AUTO_STEPS = 20_000
METHODS = ("auto", "implicit", "explicit")
SCHEMES = {"be": 1.0, "backward-euler": 1.0, "cn": 0.5, "crank-nicolson": 0.5}


# ---------------------------------------------------------------------------------------------
# power traces
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PowerTrace:
    """Power of one component against time: piecewise linear or steps (s, W). Before the first
    point it holds the first power; after the last point, the last."""

    t: np.ndarray
    P: np.ndarray
    kind: str = "linear"

    @classmethod
    def constant(cls, P: float) -> "PowerTrace":
        return cls(np.array([0.0]), np.array([float(P)]), "step")

    def at(self, t: float) -> float:
        """Power (W) at time t (s); at a step edge the new value."""
        if self.kind == "step":
            i = int(np.searchsorted(self.t, t, side="right")) - 1
            return float(self.P[max(i, 0)])
        return float(np.interp(t, self.t, self.P))

    def integral(self, a: float, b: float) -> float:
        """∫_a^b P dt (J), exact for both kinds."""
        if b <= a:
            return 0.0
        knots = self.t[(self.t > a) & (self.t < b)]
        pts = np.concatenate([[a], knots, [b]])
        if self.kind == "step":
            vals = np.array([self.at(x) for x in pts[:-1]])
            return float(np.sum(vals * np.diff(pts)))
        vals = np.interp(pts, self.t, self.P)
        return float(np.sum(0.5 * (vals[1:] + vals[:-1]) * np.diff(pts)))

    @property
    def breakpoints(self) -> np.ndarray:
        return self.t


def read_trace_csv(path: Path, names: list[str]) -> dict[str, PowerTrace]:
    """Traces from a CSV: a time column (``t`` or ``time``, s) and one column per component (W),
    linear between rows."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LayoutError(f"{path}: cannot read the trace file ({exc.strerror})", path="trace_file") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) < 2:
        raise LayoutError(f"{path}: a trace file needs a header and at least one row", path="trace_file")
    header = [h.strip() for h in lines[0].split(",")]
    if header[0].lower() not in ("t", "time"):
        raise LayoutError(f"{path}: the first column must be the time ('t' or 'time', s), got "
                          f"{header[0]!r}", path="trace_file")
    from ..errors import did_you_mean

    for h in header[1:]:
        if h not in names:
            raise LayoutError(f"{path}: column {h!r} names no component{did_you_mean(h, names)}",
                              path="trace_file")
    try:
        data = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]])
    except ValueError as exc:
        raise LayoutError(f"{path}: not a number ({exc})", path="trace_file") from None
    if data.shape[1] != len(header) or not np.all(np.isfinite(data)):
        raise LayoutError(f"{path}: every row needs {len(header)} finite numbers", path="trace_file")
    t = data[:, 0]
    if np.any(t < 0) or np.any(np.diff(t) <= 0):
        raise LayoutError(f"{path}: times must be >= 0 and increase strictly", path="trace_file")
    if np.any(data[:, 1:] < 0):
        raise LayoutError(f"{path}: powers must be >= 0", path="trace_file")
    return {h: PowerTrace(t, data[:, c + 1], "linear") for c, h in enumerate(header[1:])}


def component_traces(pkg: Package, mesh: Mesh) -> list[PowerTrace]:
    """A trace for every component (constant at its declared power when it has none)."""
    traces = []
    for c, obj in zip(mesh.components, pkg.components()):
        if obj.trace is not None:
            t, P = zip(*obj.trace)
            traces.append(PowerTrace(np.array(t), np.array(P), obj.trace_kind))
        else:
            traces.append(PowerTrace.constant(c.power))
    if pkg.trace_file:
        base = Path(pkg.source_path).parent if pkg.source_path and not pkg.source_path.startswith(
            "shipped:") else Path(".")
        path = Path(pkg.trace_file)
        csv = read_trace_csv(path if path.is_absolute() else base / path, [c.name for c in mesh.components])
        for i, c in enumerate(mesh.components):
            if c.name in csv:
                traces[i] = csv[c.name]
    return traces


class Sources:
    """P(t) on the grid: component traces times each component's unit distribution."""

    def __init__(self, pkg: Package, mesh: Mesh):
        self.traces = component_traces(pkg, mesh)
        self.unit = unit_power_map(mesh)
        self.comp = mesh.component
        for c, tr in zip(mesh.components, self.traces):
            if np.any(tr.P > 0) and not np.any(self.comp == c.id):
                raise LayoutError(f"component {c.name!r} has a power trace but no visible cell")

    def breakpoints(self, t_end: float) -> np.ndarray:
        pts = np.concatenate([tr.breakpoints for tr in self.traces])
        return np.unique(pts[(pts > 0) & (pts < t_end)])

    def powers_at(self, t: float) -> np.ndarray:
        return np.array([tr.at(t) for tr in self.traces])

    def mean_powers(self, a: float, b: float) -> np.ndarray:
        """Average power of every component over [a, b] (W)."""
        return np.array([tr.integral(a, b) for tr in self.traces]) / (b - a)

    def field(self, powers: np.ndarray) -> np.ndarray:
        """(nz, ny, nx) W per cell for the given component powers."""
        return self.unit * powers[self.comp]


# ---------------------------------------------------------------------------------------------
# the driver
# ---------------------------------------------------------------------------------------------
class _Implicit:
    """θ-method steps with preconditioners cached per octave of step size.

    A step solves ``(A + C/(θ·Δt)) T⁺ = [C/Δt·T − (1 − θ)·A·T + b̄] / θ`` (the θ-weighted system
    divided by θ, so the stencil keeps the operator's own conductance arrays and only the
    diagonal grows by the capacity term).
    """

    def __init__(self, op: Operator, C: np.ndarray, theta: float, solver, tol: float, adaptive: bool):
        self.op, self.theta, self.tol, self.solver = op, theta, tol, solver
        # with coolant: cells then coolant nodes, a non-symmetric matrix (advection)
        self.A = op.system()
        self.C = C.ravel()
        self.cache: dict[int, object] = {}
        self.systems: dict[float, object] = {}
        self.c_dt: dict[float, np.ndarray] = {}
        self.setups = 0
        self.iterations = 0
        self.max_residual = 0.0  # the largest relative residual any step's solve reported
        self.solves = 0
        self.n = self.A.shape[0]
        self._rhs = None  # the right-hand side's buffer, reused by every step
        self.workspace: dict = {}  # Krylov work vectors, shared by the solvers of every step size
        from ..kernels import vector
        from ..kernels.jit import use_parallel

        self._vec = vector.threaded if use_parallel(self.n) else vector.serial

    def _c_dt(self, dt):
        """C/Δt (W/K per unknown), kept for the last few step sizes."""
        v = _recent(self.c_dt, dt, C_DT_KEPT)
        if v is None:
            v = self.c_dt[dt] = self.C / dt
        return v

    def _system(self, dt):
        M = _recent(self.systems, dt, SYSTEMS_KEPT)
        if M is None:
            c_dt = self._c_dt(dt)  # with_extra copies: the cached C/Δt is not modified
            add = c_dt if self.theta == 1.0 else c_dt / self.theta
            M = self.A.with_extra(add) if isinstance(self.A, Stencil) else (self.A + sp.diags(add)).tocsr()
            self.systems[dt] = M
        return M

    def _solver(self, dt, M):
        small_coupled = (self.op.coolant is not None and self.solver == "auto"
                         and self.n <= NONSYMMETRIC_DIRECT_MAX_UNKNOWNS)
        if not isinstance(self.solver, str) or self.solver == "direct" or small_coupled:
            key = ("exact", dt)  # a factorization is exact for one matrix only
        else:
            key = int(math.floor(math.log2(dt)))
        lin = _recent(self.cache, key, PRECONDITIONERS_KEPT)
        if lin is None:
            lin = system_solver(self.op, self.solver, self.tol, workspace=self.workspace).setup(M)
            self.cache[key] = lin
            self.setups += 1
        return lin

    def step(self, T, dt, b_mean, AT=None, guess=None, own_guess=False):
        """T (flat, rise) → T after dt with the θ-weighted operator and the step-mean source.

        ``guess``: where CG starts (default ``T``): a predicted field saves iterations;
        ``own_guess``: the guess is a scratch array the solver may turn into the answer.
        """
        M = self._system(dt)
        if self._rhs is None or self._rhs.shape != T.shape:
            self._rhs = np.empty_like(T, dtype=float)
        rhs = self._rhs  # the solvers read it and keep nothing of it
        if self.theta == 1.0:  # backward Euler: A·T is not needed
            self._vec["scale_add"](self._c_dt(dt), T, b_mean, rhs)
        else:
            AT = self.A @ T if AT is None else AT
            rhs[...] = (self.C / dt * T - (1 - self.theta) * AT + b_mean) / self.theta
        lin = self._solver(dt, M)
        if guess is None:
            guess, own_guess = T, False
        x, info = lin.solve(rhs, x0=guess, A=M, overwrite_x0=own_guess)
        if np.may_share_memory(x, rhs):  # a user solver that answered in b: the next step reuses it
            x = x.copy()
        self.iterations += int(info["iterations"] or 0)
        self.solves += 1
        self.max_residual = max(self.max_residual, float(info["residual"] or 0.0))
        return x

    def predict(self, x, x_old, h, h_old):
        """Linear prediction of the field a step ``h`` after ``x`` from the step before (flat,
        a new array), or None without a step before."""
        if x_old is None:
            return None
        out = np.empty_like(x)
        self._vec["extrapolate"](x, x_old, h / h_old, out)
        return out


def _recent(cache: dict, key, kept: int):
    """``cache[key]`` made the most recent entry, or None after dropping the least recently
    used entries down to ``kept − 1`` (room for the one the caller adds)."""
    if key in cache:
        cache[key] = cache.pop(key)
        return cache[key]
    while len(cache) >= kept:
        cache.pop(next(iter(cache)))
    return None


def _explicit_kernel():
    from ..kernels.explicit import stable_dt, step

    return step, stable_dt


@solve_entry
def solve_transient(pkg: Package, t_end: float, dt: float | None = None, method: str = "auto",
                    save_every: float | None = None, save_times=None, scheme: str = "be",
                    rtol: float = 1e-3, atol: float = 1e-3, solver="auto", tol: float = 1e-10,
                    adaptive: bool | None = None, output=None, initial=None, progress=None,
                    memory_limit=None, command_line: str | None = None,
                    max_steps: int = 10_000_000) -> Result:
    """Transient temperature fields of a package (°C) from t = 0 to ``t_end`` (s).

    ``method``: ``"implicit"`` (θ-method; ``scheme`` ``"be"`` backward Euler or ``"cn"``
    Crank–Nicolson), ``"explicit"`` (forward Euler at ≤ the stable step), or ``"auto"``
    (explicit only when it needs at most :data:`EXPLICIT_MAX_AUTO_STEPS` steps). ``dt``: fixed
    step for explicit; for implicit the first step, and with ``adaptive=False`` a fixed step.
    Adaptive implicit steps keep the step-doubling error estimate below ``atol + rtol·|rise|``
    (K). ``save_every`` (s) / ``save_times`` choose the stored fields (t = 0 and t_end always);
    ``output`` streams them to an HDF5 result file. ``initial``: None (the layout's
    ``[initial]``, else the coldest boundary temperature), a number (°C), ``"steady"``, a result
    file path, or an (nz, ny, nx) array. ``progress(t, t_end)`` is called after every step.
    Returns a :class:`Result` with ``times``, ``steps`` (stored fields) and ``probes``.
    """
    t_wall = time.perf_counter()
    if not (isinstance(t_end, (int, float)) and math.isfinite(t_end) and t_end > 0):
        raise LayoutError(f"must be > 0 s, got {t_end!r}", path="t_end")
    if method not in METHODS:
        from ..errors import did_you_mean

        raise LayoutError(f"unknown method {method!r}{did_you_mean(str(method), METHODS)}; expected "
                          f"one of {', '.join(METHODS)}", path="method")
    if scheme not in SCHEMES:
        raise LayoutError(f"unknown scheme {scheme!r}; expected be (backward Euler) or cn "
                          "(Crank-Nicolson)", path="scheme")
    if dt is not None and not (math.isfinite(dt) and dt > 0):
        raise LayoutError(f"must be > 0 s, got {dt!r}", path="dt")
    if save_every is not None and not (math.isfinite(save_every) and save_every > 0):
        raise LayoutError(f"must be > 0 s, got {save_every!r}", path="save_every")
    theta = SCHEMES[scheme]

    mesh = pkg if isinstance(pkg, Mesh) else voxelize(pkg, memory_limit_bytes=memory_limit)
    pkg = mesh.package
    op = Operator(mesh)
    src = Sources(pkg, mesh)
    C = op.capacity
    coolant_T = None
    t_ref = op.reference_temperature() if op.has_heat_path else 0.0

    # -- initial condition ----------------------------------------------------------------------
    T0 = _initial_field(pkg, mesh, op, src, initial, t_ref, solver, tol)
    nodes0 = None
    if op.coolant is not None:
        # coolant properties frozen for the run (stated in stats): at the steady means for
        # initial = steady (or a result file with coolant), else at each stream's mean temperature
        # estimated from the energy balance with the run's mean power (as the steady first guess)
        T0, nodes0, coolant_T = T0 if isinstance(T0, tuple) else (T0, None, None)
        if coolant_T is None:
            from .steady import _clamp

            p_mean = sum(tr.integral(0.0, t_end) for tr in src.traces) / t_end
            mcp = sum(g.perf["mcp"] for g in op.coolant.groups)
            coolant_T = {g.name: _clamp(op, g, g.T_in + 0.5 * p_mean / mcp) for g in op.coolant.groups}
    if op.temperature_dependent or coolant_T is not None:  # k(T): frozen at the initial field
        op = Operator(mesh, temperature=T0 if op.temperature_dependent else None, coolant_T=coolant_T)
    b_bnd = op.coupled_rhs(power=np.zeros(mesh.shape), t_ref=t_ref)  # Σ G_b (T_b − t_ref) + inlets
    n_cells = mesh.n_cells
    if op.coolant is not None:
        C = op.coolant.coupled_capacity(C)
        if nodes0 is None:
            T0 = np.array(T0, dtype=float)
            nodes0 = _initial_nodes(op, T0)

    # -- method ---------------------------------------------------------------------------------
    step_k, stable_dt = _explicit_kernel()
    C_cells = C[:n_cells].reshape(mesh.shape) if op.coolant is not None else C
    C_cells = np.where(C_cells > 0, C_cells, np.inf) if op.coolant is not None else C_cells  # tied fluid cells
    gsum_dt = float(stable_dt(op.gx, op.gy, op.gz, op.diag_boundary, C_cells))
    dt_stable = EXPLICIT_SAFETY * gsum_dt
    if op.coolant is not None:
        if method == "explicit":
            raise LayoutError("explicit stepping does not support coolant (cold plates or channels: "
                              "the coupled system is solved implicitly); use method='implicit'",
                              path="method")
        method = "implicit"
    if method == "auto":
        method = "explicit" if t_end / dt_stable <= EXPLICIT_MAX_AUTO_STEPS and dt is None else "implicit"
        if dt is not None:
            method = "explicit" if dt <= gsum_dt else "implicit"
    if method == "explicit":
        if dt is not None and dt > gsum_dt:
            raise LayoutError(f"dt = {dt:.3e} s is above the explicit stability bound "
                              f"min C/ΣG = {gsum_dt:.3e} s; use a smaller dt or method='implicit'",
                              path="dt")
        dt_nom = dt if dt is not None else dt_stable
        if t_end / dt_nom > max_steps:
            raise LayoutError(f"explicit stepping would need {t_end / dt_nom:.3g} steps of {dt_nom:.2e} s "
                              f"(limit {max_steps:,}); use method='implicit'", path="method")
    if adaptive is None:
        adaptive = method == "implicit" and dt is None
    implicit = _Implicit(op, C, theta, solver, tol, adaptive) if method == "implicit" else None

    # -- times that must be hit -----------------------------------------------------------------
    outputs = [0.0, t_end]
    if save_every is not None:
        n_save = int(math.floor(t_end / save_every + 1e-9))
        if n_save > 100_000:
            raise LayoutError(f"save_every = {save_every} s would store {n_save:,} fields", path="save_every")
        outputs += [save_every * i for i in range(1, n_save + 1)]
    if save_times is not None:
        st = np.asarray(save_times, dtype=float)
        if np.any(st < 0) or np.any(st > t_end):
            raise LayoutError(f"save_times must lie in [0, {t_end}] s", path="save_times")
        outputs += list(st)
    outputs = np.unique(np.clip(np.array(outputs, dtype=float), 0.0, t_end))
    # times closer than 1e-12·t_end are one output (save_every·i may land a rounding off t_end)
    outputs = outputs[np.concatenate([[True], np.diff(outputs) > 1e-12 * t_end])]
    hits = np.unique(np.concatenate([outputs[outputs > 0], src.breakpoints(t_end)]))

    # -- probes ---------------------------------------------------------------------------------
    probe_cells = []
    for pr in pkg.probes:
        probe_cells.append(tuple(
            int(np.clip(np.searchsorted(ax, v, side="right") - 1, 0, len(ax) - 2))
            for ax, v in ((mesh.z, pr.z), (mesh.y, pr.y), (mesh.x, pr.x))))
    from ..kernels.assemble import component_stats

    n_comp = len(mesh.components)
    st_max, st_min, st_sum, st_vol = (np.empty(n_comp) for _ in range(4))
    st_arg = np.empty(n_comp, dtype=np.int64)
    hist_t, hist_max, hist_mean, hist_pts, hist_P = [], [], [], [], []

    def record(t, Tabs):
        component_stats(Tabs, mesh.component, mesh.dx, mesh.dy, mesh.dz, n_comp, st_max, st_min,
                        st_sum, st_vol, st_arg)
        hist_t.append(t)
        hist_max.append(st_max.copy())
        hist_mean.append(st_sum / np.where(st_vol > 0, st_vol, 1.0))
        hist_pts.append([Tabs[c] for c in probe_cells])
        hist_P.append(src.powers_at(t))

    b_cache: dict = {}

    def source(a, b):
        """Step-mean source (flat): cached while the component powers stay the same."""
        powers = src.mean_powers(a, b)
        key = powers.tobytes()
        if key not in b_cache:
            if len(b_cache) > 4:
                b_cache.clear()
            f = src.field(powers).ravel()
            if len(b_bnd) > n_cells:
                f = np.concatenate([f, np.zeros(len(b_bnd) - n_cells)])
            b_cache[key] = f + b_bnd
        return b_cache[key]

    dtC_cache: dict = {}

    writer = None
    if output is not None:
        from ..io.hdf5 import TransientWriter

        writer = TransientWriter(output, mesh, command_line=command_line)
    stored_t, stored_T = [], []

    def store(t, Tabs):
        stored_t.append(t)
        stored_T.append(Tabs.copy())
        if writer is not None:
            writer.add(t, Tabs)

    # -- stepping -------------------------------------------------------------------------------
    x = (T0 - t_ref).ravel().copy()  # rise above t_ref, flat (then the coolant nodes)
    if op.coolant is not None:
        x = np.concatenate([x, nodes0 - t_ref])
    x0_all = x.copy()
    t = 0.0
    E_in = E_out = 0.0
    n_steps = rejected = 0
    # A·T enters the right-hand side only when θ < 1 (Crank–Nicolson)
    need_AT = method == "implicit" and theta < 1.0
    AT = implicit.A @ x if need_AT else None
    x_old = h_old = None  # the field before the last step, and that step's length
    q_prev = _heat_out(op, x, t_ref)
    store(0.0, T0)
    record(0.0, T0)
    out_i = 1 if outputs[0] == 0.0 else 0
    spare = None
    h = dt if dt is not None else (dt_nom if method == "explicit" else min(t_end / 100.0, max(dt_stable, 1e-9) * 10))
    try:
        while t < t_end * (1 - 1e-12):
            future = hits[hits > t + 1e-12 * t_end]
            nxt = float(future[0]) if len(future) else t_end
            h_try = min(h, nxt - t)
            last = h_try >= nxt - t - 1e-12 * max(t_end, 1.0)
            if last:
                h_try = nxt - t
            b_mean = source(t, t + h_try)
            if method == "explicit":
                if h_try not in dtC_cache:
                    dtC_cache.clear()
                    dtC_cache[h_try] = h_try / C
                x_new = spare if spare is not None else np.empty_like(x)
                step_k(x.reshape(mesh.shape), x_new.reshape(mesh.shape), op.gx, op.gy, op.gz,
                       op.diag_boundary, b_mean.reshape(mesh.shape), dtC_cache[h_try])
                q_int = q_prev * h_try
            elif not adaptive:
                x_new = implicit.step(x, h_try, b_mean, AT, guess=implicit.predict(x, x_old, h_try, h_old),
                                      own_guess=True)
                q_int = None
            else:
                # CG starts from predictions: the full step from the last two fields, the half
                # steps from the full step's answer (they differ by the local error only)
                full = implicit.step(x, h_try, b_mean, AT, guess=implicit.predict(x, x_old, h_try, h_old),
                                     own_guess=True)
                b1 = source(t, t + h_try / 2)
                b2 = source(t + h_try / 2, t + h_try)
                half = implicit.step(x, h_try / 2, b1, AT, guess=0.5 * (x + full), own_guess=True)
                q_half = _heat_out(op, half, t_ref)
                AT_half = implicit.A @ half if need_AT else None
                x_new = implicit.step(half, h_try / 2, b2, AT_half, guess=full)
                scale = max(float(np.max(np.abs(x_new))), 1e-30)
                err = float(np.max(np.abs(x_new - full)))
                allowed = atol + rtol * scale
                order = 1.0 if theta == 1.0 else 2.0
                factor = 0.9 * (allowed / max(err, 1e-300)) ** (1.0 / (order + 1.0))
                if err > allowed and h_try > 1e-15 * t_end:
                    h = h_try * max(0.2, factor)
                    rejected += 1
                    continue
                h = h_try * min(2.0, max(0.2, factor)) if not last else max(h, h_try * min(2.0, factor))
                q_new = _heat_out(op, x_new, t_ref)
                q_int = 0.5 * h_try * (theta * q_half + (1 - theta) * q_prev) \
                    + 0.5 * h_try * (theta * q_new + (1 - theta) * q_half)
            if (n_steps % 64 == 0 or method != "explicit") and not np.all(np.isfinite(x_new)):
                raise SolverError(f"non-finite temperatures at t = {t + h_try:.4e} s")
            if not adaptive or method == "explicit":  # the adaptive branch has it already
                q_new = _heat_out(op, x_new, t_ref)
            if q_int is None:
                q_int = h_try * (theta * q_new + (1 - theta) * q_prev)
            E_in += float(sum(tr.integral(t, t + h_try) for tr in src.traces))
            E_out += q_int
            t = nxt if last else t + h_try
            spare = x if method == "explicit" else None  # two buffers swap: no allocation per step
            x_old, h_old = (x, h_try) if method == "implicit" else (None, None)
            x = x_new
            if method == "implicit":
                AT = implicit.A @ x if need_AT else None
            q_prev = q_new
            n_steps += 1
            if n_steps > max_steps:
                raise SolverError(f"more than {max_steps:,} steps; loosen rtol/atol or raise max_steps")
            Tabs = x[:n_cells].reshape(mesh.shape) + t_ref
            record(t, Tabs)
            if out_i < len(outputs) and outputs[out_i] <= t + 1e-12 * t_end:
                store(t, Tabs)  # every output time is a hit, so t is that time
                while out_i < len(outputs) and outputs[out_i] <= t + 1e-12 * t_end:
                    out_i += 1
            if progress is not None:
                progress(t, t_end)
    except BaseException as exc:
        # Ctrl-C or a failure: keep the steps stored so far (marked incomplete), or nothing
        if writer is not None:
            writer.__exit__(type(exc), exc, exc.__traceback__)
        raise

    T = x[:n_cells].reshape(mesh.shape) + t_ref
    if op.coolant is not None:
        op.coolant.T_nodes = x[n_cells:] + t_ref
    E_stored = float(np.sum(C.ravel() * (x - x0_all)))
    balance = abs(E_in - E_out - E_stored) / max(abs(E_in), abs(E_out), abs(E_stored), 1e-300)
    stats = {
        "method": f"implicit-{'be' if theta == 1.0 else 'cn'}" if method == "implicit" else "explicit",
        "steps": n_steps, "rejected_steps": rejected, "adaptive": bool(adaptive),
        "dt_stable_explicit": gsum_dt, "wall_time": time.perf_counter() - t_wall,
        "energy_in": E_in, "energy_out": E_out, "energy_stored": E_stored, "energy_balance": balance,
        "preconditioner_setups": implicit.setups if implicit else 0,
        "iterations": implicit.iterations if implicit else 0, "tolerance": tol,
        "linear_solves": implicit.solves if implicit else 0,
        "t_end": t_end, "n_cells": mesh.n_cells, "k_frozen_at_initial": bool(op.temperature_dependent), "power_in": float(src.powers_at(t_end).sum()),
        "heat_out": float(sum(op.heat_out(T).values())), "residual": implicit.max_residual if implicit else 0.0,  # explicit steps solve nothing
    }
    if op.coolant is not None:
        stats["coolant_properties_at"] = {g.name: g.T_mean for g in op.coolant.groups}
        stats["n_coolant_nodes"] = op.coolant.n_nodes
    probes = {
        "time": np.array(hist_t), "power": np.array(hist_P), "T_max": np.array(hist_max),
        "T_mean": np.array(hist_mean), "points": np.array(hist_pts).reshape(len(hist_t), len(probe_cells)),
        "components": [c.name for c in mesh.components], "point_names": [p.name for p in pkg.probes],
    }
    result = Result(mesh=mesh, temperature=T, components=component_table(mesh, T), solver=stats,
                    heat_out=op.heat_out(T), times=np.array(stored_t), steps=stored_T, probes=probes,
                    coolant=_coolant_result(op))
    if writer is not None:
        writer.close(result)
    return result


def _heat_out(op: Operator, x_flat: np.ndarray, t_ref: float) -> float:
    """Heat leaving through every boundary and with the coolant (W) for the rise field x (K above
    t_ref; with coolant the node rises follow the cells)."""
    n = op.mesh.n_cells
    T = x_flat[:n].reshape(op.mesh.shape) + t_ref
    q = float(sum(p.heat_out(T) for p in op.patches))
    if op.coolant is not None:
        q += float(sum(op.coolant.heat_out(x_flat[n:] + t_ref).values()))
    return q


def _coolant_result(op: Operator):
    if op.coolant is None:
        return None
    from .steady import coolant_result

    return coolant_result(op)


def _initial_nodes(op: Operator, T0: np.ndarray) -> np.ndarray:
    """Initial coolant node temperatures (°C) for an initial cell field without coolant data: the
    mean temperature of the cells each node is coupled to (the inlet T where it touches none)."""
    net = op.coolant
    n = net.n_nodes
    wsum = np.bincount(net.cpl_node, weights=net.cpl_G, minlength=n)
    tsum = np.bincount(net.cpl_node, weights=net.cpl_G * T0.ravel()[net.cpl_cell], minlength=n)
    out = np.where(wsum > 0, tsum / np.where(wsum > 0, wsum, 1.0), net.T_in)
    if len(net.slave_cell):
        T0.ravel()[net.slave_cell] = out[net.slave_node]  # the tied fluid cells follow their node
    return out


def _initial_field(pkg, mesh, op, src, initial, t_ref, solver, tol) -> np.ndarray:
    spec = initial
    if spec is None and pkg.initial is not None:
        spec = pkg.initial.T if pkg.initial.T is not None else pkg.initial.from_
    if spec is None:
        return np.full(mesh.shape, t_ref)
    if isinstance(spec, np.ndarray):
        if spec.shape != mesh.shape:
            raise LayoutError(f"initial field has shape {spec.shape}, the grid {mesh.shape}", path="initial")
        return spec.astype(float)
    if isinstance(spec, (int, float)):
        return np.full(mesh.shape, float(spec))
    if spec == "steady":
        from .steady import solve_steady

        steady_mesh = Mesh(mesh.x, mesh.y, mesh.z, mesh.material, mesh.component,
                           src.field(src.powers_at(0.0)), mesh.material_names, mesh.materials,
                           mesh.components, mesh.package)
        r = solve_steady(steady_mesh, solver=solver, tol=tol)
        return r.temperature if r.coolant is None else _with_coolant(r)
    from ..results import load_result

    path = Path(spec)
    if pkg.source_path and not path.is_absolute() and not pkg.source_path.startswith("shipped:"):
        cand = Path(pkg.source_path).parent / path
        path = cand if cand.exists() else path
    prev = load_result(path)
    if prev.temperature.shape != mesh.shape:
        raise LayoutError(f"{path}: its grid {prev.temperature.shape} differs from this layout's "
                          f"{mesh.shape}", path="initial.from")
    if prev.coolant is not None and op.coolant is not None:
        return _with_coolant(prev)
    return prev.temperature


def _with_coolant(r: Result):
    """(cell field, node temperatures, coolant-property temperatures) of a result with coolant."""
    streams = r.coolant["streams"]
    nodes = np.concatenate([np.asarray(streams[g["name"]], dtype=float).ravel() for g in r.coolant["groups"]])
    return r.temperature, nodes, {g["name"]: g["T_mean_properties"] for g in r.coolant["groups"]}
