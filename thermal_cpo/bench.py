"""Benchmarks a user can run on their own machine (``thermal-cpo bench``): the stack-like test
packages (µm films under mm layers, 1000:1 conductivity contrast), the STREAM-triad
yardstick, and the solver figures set beside it."""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from .layout import Package
from .threads import solve_entry

FOOT = 20_000.0  # µm


def stack(n: int, nz: int | None = None) -> Package:
    """About n × n × n cells (n × n × ``nz`` when given): a 20 × 20 mm die (k 148) with a 2 µm
    BEOL-like film (k 0.4), a 20 µm TIM (k 4) and a 2 mm copper lid (k 400); 300 W over the
    centre, convective top. The material values are the cited library-like ones, rounded."""
    thickness = [500.0, 2.0, 20.0, 2000.0]
    # z: the film and TIM and their graded neighbourhoods take ~24 cells; the rest is uniform
    max_z = sum(thickness) / max((n if nz is None else nz) - 24, 4)
    return Package.from_dict(dict(
        name=f"stack-{n}", footprint=dict(x=FOOT, y=FOOT),
        grid=dict(max_cell_xy=FOOT / n, max_cell_z=max_z, grading=1.3),
        materials={
            "die": dict(k=148, rho=2330, cp=705, source="[flexcompute-cpoheat-nd]"),
            "film": dict(k=0.4, rho=2200, cp=703, source="[flexcompute-cpoheat-nd] (porous low-k BEOL)"),
            "tim": dict(k=4, rho=2500, cp=1000, source="[huang-hotspot-2006] HotSpot default TIM"),
            "lid": dict(k=400, rho=8960, cp=385, source="[huang-hotspot-2006] HotSpot copper"),
        },
        layers=[
            dict(name="die", thickness=thickness[0], material="die",
                 blocks=[dict(name="core", x=[5000, 15000], y=[5000, 15000], power=300,
                              power_at="bottom")]),
            dict(name="film", thickness=thickness[1], material="film"),
            dict(name="tim", thickness=thickness[2], material="tim"),
            dict(name="lid", thickness=thickness[3], material="lid"),
        ],
        boundaries=dict(top=dict(type="convective", h=2e4, T=25.0)),
    ))


# ---------------------------------------------------------------------------------------------
# STREAM triad: the machine's memory bandwidth
# ---------------------------------------------------------------------------------------------
#: default elements per array (2^25 × 8 B = 256 MiB per array, 768 MiB for the three)
DEFAULT_N = 1 << 25
#: bytes moved per element of the triad (read b, read c, write a; STREAM does not count the
#: write-allocate read of a)
TRIAD_BYTES_PER_ELEMENT = 3 * 8


def llc_bytes() -> int | None:
    """Size of the largest CPU cache the OS reports (bytes), or None where it cannot be read.

    In a VM this is the host's shared cache, of which a guest usually gets only part."""
    best = None
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for entry in os.listdir(base):
            path = os.path.join(base, entry, "size")
            if not os.path.exists(path):
                continue
            with open(path) as fh:
                txt = fh.read().strip()
            mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(txt[-1].upper(), 1)
            size = int(txt.rstrip("KkMmGg")) * mult
            best = size if best is None else max(best, size)
    except (OSError, ValueError):
        return None
    return best


def triad_samples(n: int = DEFAULT_N, repeats: int = 10, scalar: float = 3.0) -> list[float]:
    """Seconds per triad over ``n``-element arrays, ``repeats`` timings after a warm-up call."""
    from .kernels.stream import first_touch, triad

    a, b, c = np.empty(n), np.empty(n), np.empty(n)
    first_touch(a, 0.0)
    first_touch(b, 1.0)
    first_touch(c, 2.0)
    triad(a, b, c, scalar)  # compile / load from cache, fault the pages in
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        triad(a, b, c, scalar)
        out.append(time.perf_counter() - t0)
    if a[0] != 1.0 + scalar * 2.0 or a[-1] != a[0]:
        raise AssertionError("triad produced a wrong value")
    return out


def triad_bandwidth(n: int = DEFAULT_N, repeats: int = 10) -> float:
    """Median STREAM-triad bandwidth (GB/s, 10^9 B/s) over ``repeats`` timed calls on ``n``
    elements per array, counting 3 × 8 B per element; compilation stays outside the timing."""
    t = statistics.median(triad_samples(n, repeats))
    return TRIAD_BYTES_PER_ELEMENT * n / t / 1e9


# ---------------------------------------------------------------------------------------------
# solver figures, in seconds and in fine-grid sweeps
# ---------------------------------------------------------------------------------------------
#: bytes one operator sweep ``out = A x`` moves per cell, counted like STREAM: read gx, gy, gz,
#: the diagonal and x, write out (6 × 8 B)
SWEEP_BYTES_PER_CELL = 6 * 8


def median_time(fn, repeats: int, warm: bool = True) -> float:
    """Median wall seconds of ``repeats`` calls of ``fn`` (after one untimed call if ``warm``:
    compiling or loading kernels and faulting pages in stay out of the timing)."""
    if warm:
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def sweep_seconds(A, repeats: int = 10) -> float:
    """Median seconds of one fine-grid operator application ``A x`` (the unit of solve cost)."""
    x = np.ones(A.grid_shape)
    out = np.empty(A.grid_shape)
    return median_time(lambda: A.matvec(x, out), repeats)


def solve_figures(mesh, solver: str, tol: float = 1e-10, repeats: int = 3) -> dict:
    """Median set-up and solve seconds, iterations and residual of one linear steady solve."""
    from .linalg import make_solver
    from .operator import Operator

    op = Operator(mesh)
    A, b = op.stencil(), op.rhs(t_ref=op.reference_temperature())
    A.diagonal()
    if solver != "multigrid":
        A.tocsr()  # the matrix is the input of a matrix method, not part of its timing
    setups, solves, info = [], [], {}
    for _ in range(repeats + 1):  # the first round compiles/loads kernels and is discarded
        lin = make_solver(solver, mesh.n_cells, tol=tol)
        t0 = time.perf_counter()
        lin.setup(A)
        t1 = time.perf_counter()
        _, info = lin.solve(b)
        t2 = time.perf_counter()
        setups.append(t1 - t0)
        solves.append(t2 - t1)
    setup, solve = statistics.median(setups[1:]), statistics.median(solves[1:])
    return {"solver": lin.name, "setup": setup, "solve": solve, "total": setup + solve,
            "iterations": info["iterations"], "residual": info["residual"]}


#: The implicit step the bench times (s): a millisecond, the scale of package power transients.
IMPLICIT_DT = 1e-3


def implicit_step_figures(mesh, solver: str, dt: float = IMPLICIT_DT, tol: float = 1e-10,
                          repeats: int = 3) -> dict:
    """Median seconds and iterations of one backward-Euler step of ``dt`` (s) through the
    heat-up of ``mesh`` from its reference temperature, as ``solve_transient`` takes it (CG from
    the linear prediction of the last two fields); two untimed steps first set the step size's
    preconditioner up and give the prediction its history."""
    from .operator import Operator
    from .operator.sources import Sources
    from .solve.transient import System, Theta

    op = Operator(mesh)
    t_ref = op.reference_temperature()
    imp = Theta(System(op, Sources(mesh), t_ref), 1.0, solver, tol)
    b = op.rhs(t_ref=t_ref)
    x, old = np.zeros(mesh.n_cells), None
    times, its = [], []
    for i in range(repeats + 2):
        i0, t0 = imp.iterations, time.perf_counter()
        new = imp.step(x, dt, b, guess=imp.predict(x, old, dt, dt), own_guess=True)
        if i >= 2:
            times.append(time.perf_counter() - t0)
            its.append(imp.iterations - i0)
        old, x = x, new
    return {"step": statistics.median(times), "step_iterations": statistics.median(its), "step_dt": dt}


@solve_entry
def bench_case(name: str, mesh, solvers=("multigrid", "amg"), bandwidth: float | None = None,
               tol: float = 1e-10, repeats: int = 3) -> list[dict]:
    """Figures of every solver on one mesh — the steady linear solve, also as equivalent
    fine-grid sweeps and against the bandwidth floor of a sweep (``SWEEP_BYTES_PER_CELL`` at
    ``bandwidth`` GB/s), and an implicit step (:func:`implicit_step_figures`)."""
    from .operator import Operator

    t_sweep = sweep_seconds(Operator(mesh).stencil())
    floor = SWEEP_BYTES_PER_CELL * mesh.n_cells / (bandwidth * 1e9) if bandwidth else None
    rows = []
    for s in solvers:
        f = solve_figures(mesh, s, tol=tol, repeats=repeats)
        f.update(implicit_step_figures(mesh, s, tol=tol, repeats=repeats))
        f.update(case=name, cells=mesh.n_cells, shape=list(mesh.shape), sweep=t_sweep,
                 sweep_floor=floor, sweeps=f["total"] / t_sweep,
                 floor_sweeps=f["total"] / floor if floor else None)
        rows.append(f)
    return rows


def parse_case(text: str):
    """``"128"`` → stack(128); ``"450x40"`` → stack(450, nz=40); anything else is a layout."""
    from .layout import load_layout

    n, _, nz = text.partition("x")
    if n.isdigit() and (nz == "" or nz.isdigit()):
        return f"stack-{text}", stack(int(n), nz=int(nz) if nz else None)
    return text, load_layout(text)


# ---------------------------------------------------------------------------------------------
# a whole steady solve: time and peak memory
# ---------------------------------------------------------------------------------------------
def status_bytes(key: str) -> int | None:
    """A ``/proc/self/status`` figure in bytes (None where there is none: not Linux)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return None


def reset_peak() -> bool:
    """Reset the resident high-water mark (Linux: 5 into clear_refs); whether it could."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:  # pragma: no cover - not Linux, or not allowed
        return False


def full_solve_figures(pkg: Package) -> dict:
    """One steady solve of ``pkg`` from voxelizing to the result, as ``solve_steady`` runs it:
    ``cells``, ``wall`` (s), ``iterations``, ``energy_balance`` and ``peak_bytes``, the peak
    resident memory above the process's before it (None where the system cannot say), with
    ``bytes_per_cell``. Call it after a small solve, so that compiling and imports are not in
    the figures."""
    import gc

    from .mesh import voxelize
    from .solve.steady import solve_steady

    gc.collect()
    base = status_bytes("VmRSS") if reset_peak() else None
    t0 = time.perf_counter()
    r = solve_steady(voxelize(pkg))
    wall = time.perf_counter() - t0
    peak = status_bytes("VmHWM")
    extra = peak - base if base is not None and peak is not None else None
    return {"cells": r.mesh.n_cells, "shape": list(r.mesh.shape), "wall": wall,
            "iterations": r.solver["iterations"], "energy_balance": r.energy_balance,
            "peak_bytes": extra, "bytes_per_cell": extra / r.mesh.n_cells if extra is not None else None}
