"""Text the command line prints: rich tables on a terminal, plain ASCII tables otherwise.

Every function here takes what a public function returned (the analysis functions' dicts, a
Result, a Material) and a console, and computes no figure itself. Names and notes from a layout
or the library are text, never rich markup.
"""

from __future__ import annotations

import sys

import click

from ..units import format_bytes
from ..units import format_length as fmt_len

LEFT, RIGHT = "left", "right"


def console(stderr: bool = False):
    """A rich console writing to stdout (or stderr); colour only on a terminal."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=False,
                   width=None if stream.isatty() else 160)


def esc(text) -> str:
    """``text`` shown verbatim (never read as rich markup)."""
    from rich.markup import escape

    return escape(str(text))


def table(title: str, columns: list[str], rows: list[list], justify: list[str] | None = None):
    """A rich Table (rendered plainly when not on a terminal)."""
    from rich import box
    from rich.table import Table

    t = Table(title=esc(title), box=box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2,
              title_justify="left", pad_edge=False)
    for i, c in enumerate(columns):
        t.add_column(esc(c), justify=(justify[i] if justify else LEFT))
    for r in rows:  # data (names, notes, units in brackets) is text, never markup
        t.add_row(*[esc(x) for x in r])
    return t


def num(value, spec: str, scale: float = 1.0) -> str:
    """``value × scale`` formatted with ``spec``; blank when there is no value (None)."""
    return "" if value is None else format(value * scale, spec)


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------
def _declared_power(c: dict) -> str:
    """A component's power before a solve; a power model's is its value at the model's T_ref."""
    return f"{c['power_W']:g}" + (f" ({c['power_model']} at T_ref)" if c.get("power_model") else "")


def _where(ranges: dict) -> str:
    return ", ".join(f"{ax} {fmt_len(r[0])}–{fmt_len(r[1])}" for ax, r in ranges.items()) or "whole face"


def _cooling_row(c: dict) -> list:
    model = "resolved channels" if c["resolved"] else f"{c['model']}, {c['face']}"
    edges = f", edge walls {fmt_len(c['edge_walls_m'][0])} / {fmt_len(c['edge_walls_m'][1])}" \
        if c.get("edge_walls_m") else ""
    geometry = c.get("summary") or (f"{c['n_channels']} × {fmt_len(c['channel_width_m'])} / "
                                    f"{fmt_len(c['wall_width_m'])} × {fmt_len(c['channel_height_m'])}{edges}")
    return [c["name"], model, geometry, c["flow_direction"],
            *_fed(c), c["coolant"]]


def _fed(c: dict) -> list[str]:
    """The flow (L/min) and inlet (°C) columns of a cooling: its own, or the loop's."""
    if c.get("loop") is not None:
        return [f"loop {c['loop']}", "loop"]
    return [f"{c['flow_rate_m3_s'] * 6e4:.4g}", f"{c['inlet_T_C']:g}"]


def print_description(d: dict, out) -> None:
    """The facts of :func:`thermal_cpo.analysis.describe` as `validate` prints them."""
    out.print(f"[bold]{esc(d['name'])}[/bold] — {esc(d['source'] or 'built in Python')}")
    rows = [[r["name"], fmt_len(r["z_bottom_m"]), fmt_len(r["thickness_m"]), r["material"], r["cells_z"],
             fmt_len(r["min_dz_m"])] for r in d["layers"]]
    out.print(table("Layers (bottom to top)", ["layer", "z bottom", "thickness", "material", "cells z",
                                               "min dz"], rows, [LEFT, RIGHT, RIGHT, LEFT, RIGHT, RIGHT]))
    rows = [[c["name"], c["kind"], c["material"], _declared_power(c), c["power_at"] or "",
             f"{c['volume_m3'] * 1e9:.4g}"] for c in d["components"]]
    out.print(table("Components", ["component", "kind", "material", "power [W]", "power at",
                                   "volume [mm³]"], rows, [LEFT, LEFT, LEFT, RIGHT, LEFT, RIGHT]))
    rows = [[b["face"], b["type"], num(b["h_W_m2K"], "g"), num(b["T_C"], "g"), _where(b["ranges_m"]),
             b["condition"]] for b in d["boundaries"]]
    out.print(table("Boundaries (other faces adiabatic)", ["face", "type", "h [W/(m²K)]", "T [°C]", "where",
                                                          "condition"], rows))
    if d["coolings"]:
        out.print(table("Cooling", ["cold plate", "model", "geometry", "flow",
                                    "L/min", "T_in [°C]", "coolant"], [_cooling_row(c) for c in d["coolings"]]))
    for lp in d.get("loops") or []:
        feed = (f"{lp['flow_rate_m3_s'] * 6e4:.4g} L/min" if lp["flow_rate_m3_s"] is not None
                else f"{lp['pressure_Pa'] / 1e5:.4g} bar")
        path = " → ".join(" ∥ ".join(stage) for stage in lp["path"])
        out.print(f"loop {esc(lp['name'])}: {lp['coolant']}, {feed} at {lp['inlet_T_C']:g} °C: {esc(path)}")
    g = d["grid"]
    (x0, x1), (y0, y1), (z0, z1) = g["dx_m"], g["dy_m"], g["dz_m"]
    out.print(f"total power {d['total_power_W']:g} W; grid {g['nx']} × {g['ny']} × {g['nz']} = "
              f"{g['n_cells']:,} cells; cell sizes x {fmt_len(x0)}–{fmt_len(x1)}, "
              f"y {fmt_len(y0)}–{fmt_len(y1)}, z {fmt_len(z0)}–{fmt_len(z1)}")
    if d["all_adiabatic"]:
        out.print("[yellow]warning:[/yellow] every face is adiabatic: no steady state exists")


# ---------------------------------------------------------------------------------------------
# run, report, crosstalk
# ---------------------------------------------------------------------------------------------
def _margin(c: dict) -> str:
    """The margin (K), and OVER LIMIT where the hottest reported temperature (T_hot, else
    T_max) is above the limit: a negative margin alone is easy to read past in a long table."""
    limit, hot = c.get("limit"), c.get("T_hot", c["T_max"])
    over = limit is not None and hot is not None and hot > limit
    return num(c["margin"], "+.2f") + (" OVER LIMIT" if over else "")


def _component_rows(rep: dict) -> list[list]:
    rows = []
    for c in rep["components"]:
        x, y, z = c["location"]
        rows.append([c["name"], f"{c['power']:g}", f"{c['T_max']:.3f}", num(c.get("T_junction"), ".3f"),
                     f"{c['T_mean']:.3f}",
                     f"{c['T_min']:.3f}", f"{c['delta_T']:.3f}", _margin(c), num(c["R_th"], ".4g"),
                     f"({fmt_len(x)}, {fmt_len(y)}, {fmt_len(z)})"])
    return rows


def _print_photonics(banks: list[dict], out) -> None:
    rows = [[p["component"], p["rings"] or "mean", f"{p['T_ref']:g}", f"{p['drift_mean_pm']:+.1f}",
             f"{p['drift_max_pm']:+.1f}", f"{p['delta_T_bank']:.3f}", f"{p['spread_pm']:.1f}",
             p["rings_above_T_ref"], num(p.get("heater_hold_total_mW"), ".3g"),
             num(p.get("heater_align_total_mW"), ".3g")] for p in banks]
    out.print(table("Photonics (drift = dλ/dT·(T − T_ref); heaters only heat)",
                    ["component", "rings", "T_ref", "drift mean [pm]", "drift max [pm]", "ΔT bank [K]",
                     "spread [pm]", "above T_ref", "hold [mW]", "align [mW]"], rows, [LEFT] + [RIGHT] * 9))


def _print_solver(s: dict, out) -> None:
    picard = f", {s['picard_iterations']} Picard iterations for k(T)" if s.get("picard_iterations") else ""
    if s.get("n_coolant_nodes") and s.get("picard_iterations"):
        picard = (f", {s['picard_iterations']} outer iterations for the coolant properties (and k(T)); "
                  f"{s['n_coolant_nodes']:,} coolant nodes")
    out.print(f"energy balance |P_in - Q_out|/P_in = {s['energy_balance']:.2e} "
              f"(P_in {s['power_in']:.6g} W, Q_out {s['heat_out']:.6g} W)")
    worst = "largest relative residual of a step" if "steps" in s else "relative residual"
    out.print(f"solver {s['method']}: {s.get('iterations')} iterations, {worst} {s['residual']:.1e}{picard}; "
              f"{s['n_cells']:,} cells; wall {s['wall_time']:.2f} s")
    if s.get("power_iterations"):
        out.print(f"temperature-dependent powers: {s['power_iterations']} outer iterations, driving "
                  f"temperatures consistent to {s['power_mismatch']:.1e} K")


def print_report(rep: dict, out) -> None:
    """The report of :func:`thermal_cpo.analysis.report` as `run` and `report` print it:
    components, photonics, coolant, balance, solver, crosstalk; a transient's first says which
    stored step they describe (see :mod:`.render_transient`)."""
    from .render_transient import print_transient_header, print_transient_solver

    tr = rep.get("transient")
    when = "steady temperatures" if tr is None else print_transient_header(tr, out)
    out.print(table(f"{rep['name']}: {when} [°C] (margin and R_th = (T_hot - {rep['coolant_T']:g} °C)/P "
                    "from the hotter of T_max and T_junction)",
                    ["component", "P [W]", "T_max", "T_junction", "T_mean", "T_min", "ΔT", "margin",
                     "R_th [K/W]", "T_max at (x, y, z)"], _component_rows(rep), [LEFT] + [RIGHT] * 8 + [LEFT]))
    from .render_powers import print_heaters, print_powers
    from .render_solidus import print_above_solidus
    print_above_solidus(rep.get("above_solidus") or [], out)

    print_powers(rep.get("powers") or [], out)
    if rep["photonics"]:
        _print_photonics(rep["photonics"], out)
        print_heaters(rep["photonics"], out)
    if rep.get("coolant"):
        from .render_coolant import print_coolant, print_loops
        print_coolant(rep["coolant"], out)
        print_loops(rep.get("loops") or [], out)
    if tr is None:
        _print_solver(rep["solver"], out)
    else:
        print_transient_solver(rep["solver"], tr["t_end"], out)
    if rep.get("crosstalk"):
        print_crosstalk(rep["crosstalk"], out)
    if rep.get("convergence"):
        from .render_convergence import print_convergence

        print_convergence(rep["convergence"], out)


def print_crosstalk(xt: dict, out) -> None:
    """Ψ between the powered components (K/W, volume-mean target temperature), printed in mK/W
    in column blocks that fit the terminal (see :func:`.crosstalk.print_crosstalk_matrix`)."""
    from .crosstalk import print_crosstalk_matrix

    print_crosstalk_matrix(xt, out)


def print_crosstalk_summary(xt, powers: dict[str, float], out) -> None:
    """Below the matrix: from the strongest source (of ``powers``, W) to every other one (mK/W),
    and the cost of the computation."""
    strongest = max(xt.sources, key=lambda n: powers[n])
    j = xt.sources.index(strongest)
    heads = sorted(((xt.psi_mean[xt.targets.index(n), j], n) for n in xt.sources if n != strongest), reverse=True)
    if heads:
        out.print(f"from {esc(strongest)} ({powers[strongest]:g} W): " +
                  ", ".join(f"{esc(n)} {v * 1e3:.3g} mK/W" for v, n in heads))
    st = xt.stats
    out.print(f"{len(xt.sources)} sources: {st['wall_time']:.2f} s (one preconditioner set-up, "
              f"{sum(i or 0 for i in st['iterations'])} CG iterations)"
              + ("; linearized at the operating point (k(T))" if st["linearized"] else ""))


def print_transient(result, out) -> None:
    """A transient result: the run's statistics and the temperatures at the end time (°C)."""
    from ..results.steps import format_time

    s = result.solver
    out.print(f"transient {s['method']}: {s['steps']} steps ({s['rejected_steps']} rejected) to "
              f"t = {format_time(s['t_end'])}; {len(result.times)} fields stored; energy balance "
              f"{s['energy_balance']:.1e}; explicit stable step {s['dt_stable_explicit']:.2e} s; "
              f"wall {s['wall_time']:.2f} s")
    out.print("temperatures at the end time:")
    rows = [[c.name, f"{c.power:g}", f"{c.T_max:.3f}", f"{c.T_mean:.3f}", f"{c.T_min:.3f}"]
            for c in result.components]
    out.print(table(f"{result.package.name} at t = {format_time(s['t_end'])} [°C]",
                    ["component", "P [W]", "T_max", "T_mean", "T_min"], rows, [LEFT] + [RIGHT] * 4))
    if result.coolant is not None:  # at the end time; properties frozen at the initial state
        from .render_coolant import print_coolant, print_loops
        print_coolant(result.coolant["groups"], out)
        print_loops(result.coolant.get("loops") or [], out)


def print_written(path, out, sidecar=None) -> None:
    """The file a command wrote (and the ParaView sidecar to open, when there is one)."""
    tail = f" (open {esc(sidecar)} in ParaView)" if sidecar is not None else ""
    out.print(f"wrote {esc(path)}{tail}")


# ---------------------------------------------------------------------------------------------
# layouts, materials, bench
# ---------------------------------------------------------------------------------------------
def print_layouts(shipped: dict[str, str], out) -> None:
    """The shipped layouts: name → description."""
    out.print(table("Shipped layouts", ["name", "description"], [[n, d] for n, d in shipped.items()]))


def print_coolant_properties(name: str, c, out) -> None:
    """A coolant's property table against temperature (°C; μ in mPa·s), its source and notes."""
    rows = [[f"{T:g}", f"{r:g}", f"{cp:g}", f"{k:g}", f"{mu * 1e3:.4g}"]
            for T, r, cp, k, mu in zip(c.T, c.rho, c.cp, c.k, c.mu)]
    out.print(table(f"coolant {name}", ["T [°C]", "ρ [kg/m³]", "cp [J/(kg·K)]", "k [W/(m·K)]", "μ [mPa·s]"],
                    rows))
    out.print(f"source: {esc(c.source)}")
    if c.notes:
        out.print(f"notes: {esc(c.notes)}")


def print_material(name: str, m, out) -> None:
    """One material: k (W/(m·K); per axis when anisotropic), ρ, cp, k(T), solidus, voids, notes."""
    kx, ky, kz = m.k
    k = f"{kx:g}" if m.isotropic else f"[{kx:g}, {ky:g}, {kz:g}]"
    lines = [f"[bold]{esc(name)}[/bold] ({esc(m.category)})", f"k = {k} W/(m·K)",
             f"rho = {m.rho:g} kg/m³", f"cp = {m.cp:g} J/(kg·K)"]
    if m.temperature_dependent:
        lines.append(f"k(T) = k·(T/T0)^-n with T0 = {m.T0 + 273.15:g} K, n = {m.n:g}")
    from .render_solidus import material_lines
    lines += material_lines(m)
    lines.append(f"source: {esc(m.source)}")
    if m.notes:
        lines.append(f"notes: {esc(m.notes)}")
    if m.assumed:
        lines.append("[yellow]contains assumed or unverified values[/yellow]")
    for line in lines:
        out.print(line)


def print_library(library: dict, coolants: dict, out) -> None:
    """The material library and the coolants, one row each."""
    rows = []
    for n, m in library.items():
        kx, ky, kz = m.k
        k = f"{kx:g}" if m.isotropic else f"{kx:g}/{ky:g}/{kz:g}"
        rows.append([n, m.category, k + (" k(T)" if m.temperature_dependent else ""), f"{m.rho:g}",
                     f"{m.cp:g}", "A" if m.assumed else "", m.source[:60]])
    out.print(table("Material library (k: kx/ky/kz when anisotropic; A = contains assumed values)",
                    ["name", "category", "k [W/(m·K)]", "ρ [kg/m³]", "cp [J/(kg·K)]", "", "source"], rows))
    rows = [[n, f"{c.T[0]:g}–{c.T[-1]:g}", c.source[:60]] for n, c in coolants.items()]
    out.print(table("Coolants", ["name", "T range [°C]", "source"], rows))


def print_bench(rows: list[dict], machine: dict, out) -> None:
    """The bench figures: the machine (``threads``, ``triad_GBps``, ``stream_mib``, ``repeats``,
    ``tol``), the steady solves and the implicit steps (s), and multigrid against pyamg."""
    out.print(f"machine: {machine['threads']} threads, STREAM triad {machine['triad_GBps']:.1f} GB/s "
              f"({machine['stream_mib']} MiB working set); medians of {machine['repeats']}; "
              f"tolerance {machine['tol']:g}")
    body = [[r["case"], f"{r['cells']:,}", r["solver"], f"{r['setup']:.3f}", f"{r['solve']:.3f}",
             f"{r['total']:.3f}", r["iterations"], f"{r['residual']:.1e}",
             f"{r['sweep'] * 1e3:.2f} / {r['sweep_floor'] * 1e3:.2f}", f"{r['sweeps']:.0f}"] for r in rows]
    out.print(table("Steady linear solve", ["case", "cells", "solver", "setup [s]", "solve [s]", "total [s]",
                                             "iterations", "residual", "sweep / floor [ms]", "= sweeps"],
                    body, [LEFT, RIGHT, LEFT] + [RIGHT] * 7))
    body = [[r["case"], f"{r['cells']:,}", r["solver"], f"{r['step']:.3f}", f"{r['step_iterations']:.0f}",
             f"{r['step'] / r['sweep']:.0f}"] for r in rows]
    out.print(table(f"Implicit step (backward Euler, Δt = {rows[0]['step_dt'] * 1e3:g} ms, heat-up)",
                    ["case", "cells", "solver", "step [s]", "iterations", "= sweeps"], body,
                    [LEFT, RIGHT, LEFT] + [RIGHT] * 3))
    for name in dict.fromkeys(r["case"] for r in rows):
        t = {r["solver"]: r for r in rows if r["case"] == name}
        amg = next((v for k, v in t.items() if k.startswith("amg")), None)
        if amg is not None and "multigrid" in t:
            mg = t["multigrid"]
            out.print(f"{name}: multigrid {amg['total'] / mg['total']:.1f}× faster than pyamg-CG "
                      f"(steady), {amg['step'] / mg['step']:.1f}× (implicit step)")


def print_environment(env: dict) -> None:
    """The facts of :func:`thermal_cpo.cli.environment`, one per line (plain text, no markup)."""
    click.echo(f"thermal_cpo {env['version']}")
    click.echo(f"python {env['python']} ({env['machine']}, {env['system']})")
    for dist, version in env["distributions"].items():
        click.echo(f"{dist} {version}" if version is not None else f"{dist} not installed")
    click.echo(f"numba threads {env['numba_threads']} of {env['numba_max_threads']} "
               f"(set with --threads or NUMBA_NUM_THREADS); threading layer {env['threading_layer']}")
    blas = ", ".join(f"{lib} {n} threads" for lib, n in env["blas"]) or "none loaded"
    click.echo(f"BLAS {blas} (one thread during solves: the kernels run in numba's threads)")
    cache = env["numba_cache_dir"] or "next to the kernels' sources (__pycache__); set NUMBA_CACHE_DIR to move it"
    click.echo(f"numba cache {cache}")
    click.echo(f"cpus {env['cpus']}; memory available {format_bytes(env['memory_available_bytes'])}")
