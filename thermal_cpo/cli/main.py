"""The ``thermal-cpo`` command line: a thin shell over the Python API, one function per command.

Exit codes: 0 success, 1 solver or physics failure, 2 bad input or usage (never a traceback for
a user error).
"""

from __future__ import annotations

import functools
import sys

import click

from ..errors import LayoutError, SolverError, ThermalCPOError


def _user_errors(fn):
    """Map the project's errors to messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LayoutError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except SolverError as exc:
            click.echo(f"solver error: {exc}", err=True)
            sys.exit(1)
        except ThermalCPOError as exc:  # pragma: no cover - every error is one of the two above
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="thermal_cpo", prog_name="thermal-cpo")
def cli():
    """thermal-cpo: 3-D thermal solver for co-packaged-optics packages.

    LAYOUT is a TOML file or the name of a shipped layout (see `thermal-cpo layouts`).
    """


@cli.command()
@click.argument("layout")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB' (default: 80 % of available).")
@click.option("--json", "as_json", is_flag=True, help="Print the resolved layout (SI) as JSON.")
@_user_errors
def validate(layout, memory_limit, as_json):
    """Check a layout and show its layers, components, power and grid."""
    from ..mesh import voxelize
    from ..layout import load_layout
    from .render import console, fmt_len, table

    pkg = load_layout(layout)
    mesh = voxelize(pkg, memory_limit_bytes=memory_limit)
    if as_json:
        click.echo(pkg.to_json())
        return
    out = console()
    out.print(f"[bold]{_esc(pkg.name)}[/bold] — {_esc(pkg.source_path or 'built in Python')}")
    bounds = pkg.layer_bounds()
    dz = mesh.dz
    rows = []
    for layer, (z0, z1) in zip(pkg.layers, bounds):
        k0, k1 = (int(v) for v in _np().searchsorted(mesh.z, [z0 - 1e-12, z1 - 1e-12]))
        rows.append([layer.name, fmt_len(z0), fmt_len(layer.thickness), layer.material, k1 - k0,
                     fmt_len(dz[k0:k1].min())])
    out.print(table("Layers (bottom to top)", ["layer", "z bottom", "thickness", "material", "cells z",
                                               "min dz"], rows, ["left", "right", "right", "left", "right", "right"]))
    vols = mesh.component_volumes()
    rows = [[c.name, c.kind, c.material, f"{c.power:g}", c.power_at if c.power else "",
             f"{vols[c.id] * 1e9:.4g}"] for c in mesh.components]
    out.print(table("Components", ["component", "kind", "material", "power [W]", "power at",
                                   "volume [mm³]"], rows, ["left", "left", "left", "right", "left", "right"]))
    rows = []
    for face, bc in pkg.boundaries.items():
        if bc.active:
            where = ", ".join(f"{ax} {fmt_len(r[0])}–{fmt_len(r[1])}" for ax in "xyz"
                              if (r := getattr(bc, ax)) is not None) or "whole face"
            h, T = getattr(bc, "h", None), bc.reference_T
            rows.append([face, bc.type, "" if h is None else f"{h:g}", "" if T is None else f"{T:g}", where,
                         bc.describe()])
    out.print(table("Boundaries (other faces adiabatic)", ["face", "type", "h [W/(m²K)]", "T [°C]", "where",
                                                          "condition"], rows))
    if pkg.has_coolant:
        rows = []
        for cp in pkg.coldplates:
            g = cp.geometry(pkg.footprint)
            rows.append([cp.name, f"compact, {cp.face}", f"{g['n_channels']} × {fmt_len(cp.channel_width)} / "
                         f"{fmt_len(g['wall_width'])} × {fmt_len(cp.channel_height)}", cp.flow_direction,
                         f"{cp.flow_rate * 6e4:.4g}", f"{cp.inlet_T:g}", cp.coolant])
        from ..layout import channel_spans

        for layer in pkg.layers:
            ch = layer.channels
            if ch is not None:
                span = pkg.footprint.y if ch.axis == "x" else pkg.footprint.x
                n = len(channel_spans(ch.width, ch.wall, (0.0, span)))
                rows.append([layer.name, "resolved channels", f"{n} × {fmt_len(ch.width)} / {fmt_len(ch.wall)}"
                             f" × {fmt_len(layer.thickness)}", ch.direction, f"{ch.flow_rate * 6e4:.4g}",
                             f"{ch.inlet_T:g}", ch.coolant])
        out.print(table("Cooling", ["cold plate", "model", "channels × width / wall × height", "flow",
                                    "L/min", "T_in [°C]", "coolant"], rows))
    nz, ny, nx = mesh.shape
    out.print(f"total power {pkg.total_power:g} W; grid {mesh.summary()}; "
              f"cell sizes x {fmt_len(mesh.dx.min())}–{fmt_len(mesh.dx.max())}, "
              f"y {fmt_len(mesh.dy.min())}–{fmt_len(mesh.dy.max())}, "
              f"z {fmt_len(mesh.dz.min())}–{fmt_len(mesh.dz.max())}")
    active = [f for f, bc in pkg.boundaries.items() if bc.active]
    if not active and not pkg.has_coolant:
        out.print("[yellow]warning:[/yellow] every face is adiabatic: no steady state exists")


def _esc(text: str) -> str:
    """Text from a layout or the library, shown verbatim (never read as rich markup)."""
    from rich.markup import escape

    return escape(str(text))


def _np():
    import numpy

    return numpy


def print_report(rep: dict, out) -> None:
    """The report as `run` and `report` print it: components, photonics, balance, solver."""
    from .render import fmt_len, table

    rows = []
    for c in rep["components"]:
        x, y, z = c["location"]
        margin = f"{c['margin']:+.2f}" if c["margin"] is not None else ""
        rth = f"{c['R_th']:.4g}" if c["R_th"] is not None else ""
        rows.append([c["name"], f"{c['power']:g}", f"{c['T_max']:.3f}", f"{c['T_mean']:.3f}",
                     f"{c['T_min']:.3f}", f"{c['delta_T']:.3f}", margin, rth,
                     f"({fmt_len(x)}, {fmt_len(y)}, {fmt_len(z)})"])
    out.print(table(f"{rep['name']}: steady temperatures [°C] (R_th = (T_max - {rep['coolant_T']:g} °C)/P)",
                    ["component", "P [W]", "T_max", "T_mean", "T_min", "ΔT", "margin", "R_th [K/W]",
                     "T_max at (x, y, z)"], rows, ["left"] + ["right"] * 7 + ["left"]))
    if rep["photonics"]:
        rows = []
        for p in rep["photonics"]:
            hold = f"{p['heater_hold_total_mW']:.3g}" if "heater_hold_total_mW" in p else ""
            align = f"{p['heater_align_total_mW']:.3g}" if "heater_align_total_mW" in p else ""
            rows.append([p["component"], p["rings"] or "mean", f"{p['T_ref']:g}", f"{p['drift_mean_pm']:+.1f}",
                         f"{p['drift_max_pm']:+.1f}", f"{p['delta_T_bank']:.3f}", f"{p['spread_pm']:.1f}",
                         p["rings_above_T_ref"], hold, align])
        out.print(table("Photonics (drift = dλ/dT·(T − T_ref); heaters only heat)",
                        ["component", "rings", "T_ref", "drift mean [pm]", "drift max [pm]", "ΔT bank [K]",
                         "spread [pm]", "above T_ref", "hold [mW]", "align [mW]"], rows,
                        ["left"] + ["right"] * 9))
    if rep.get("coolant"):
        print_coolant(rep["coolant"], out)
    s = rep["solver"]
    its = s.get("iterations")
    picard = f", {s['picard_iterations']} Picard iterations for k(T)" if s.get("picard_iterations") else ""
    if s.get("n_coolant_nodes") and s.get("picard_iterations"):
        picard = (f", {s['picard_iterations']} outer iterations for the coolant properties (and k(T)); "
                  f"{s['n_coolant_nodes']:,} coolant nodes")
    out.print(f"energy balance |P_in - Q_out|/P_in = {s['energy_balance']:.2e} "
              f"(P_in {s['power_in']:.6g} W, Q_out {s['heat_out']:.6g} W)")
    worst = "largest relative residual of a step" if "steps" in s else "relative residual"
    out.print(f"solver {s['method']}: {its} iterations, {worst} {s['residual']:.1e}{picard}; "
              f"{s['n_cells']:,} cells; wall {s['wall_time']:.2f} s")
    if rep.get("crosstalk"):
        print_crosstalk(rep["crosstalk"], out)


def print_coolant(groups: list[dict], out) -> None:
    """Per cold plate / cavity: coolant, flow, inlet/outlet, bulk ΔT, Re, Nu, h, η_fin, h_eff, ΔP,
    pumping power; a flag where Re is past the laminar range of the correlations."""
    from .render import table

    rows = []
    for g in groups:
        eta = f"{g['eta_fin']:.3f}" if g.get("eta_fin") is not None else "resolved"
        heff = f"{g['h_eff']:.4g}" if g.get("h_eff") is not None else ""
        re = f"{g['Re']:.0f}" + (" TURBULENT" if g.get("turbulent") else "")
        rows.append([g["name"], g["coolant"], f"{g['flow_rate'] * 6e4:.4g}", f"{g['T_in']:.2f}",
                     f"{g['T_out']:.2f}", f"{g['delta_T']:.3f}", f"{g['heat']:.4g}", re, f"{g['Nu']:.3f}",
                     f"{g['h']:.4g}", eta, heff, f"{g['dP'] / 1e3:.4g}", f"{g['pumping_power']:.3g}"])
    out.print(table("Coolant (Shah–London laminar H1; T_out mixed-cup; ΔP fully developed friction only)",
                    ["cold plate", "coolant", "flow [L/min]", "T_in", "T_out", "ΔT bulk", "Q [W]", "Re",
                     "Nu", "h [W/m²K]", "η_fin", "h_eff [W/m²K]", "ΔP [kPa]", "pump [W]"], rows,
                    ["left", "left"] + ["right"] * 12))
    for g in groups:
        if g.get("turbulent"):
            out.print(f"warning: {g['name']}: Re = {g['Re']:.0f} is above 2300; the laminar "
                      "correlations (Nu, f·Re) do not hold there")


def print_crosstalk(xt: dict, out) -> None:
    """Ψ between the powered components (K/W, volume-mean target temperature), and the
    headline: from the strongest source to every other one."""
    from .render import table

    src = xt["sources"]
    idx = [xt["targets"].index(n) for n in src]
    psi = xt["psi_mean"]
    rows = [[xt["targets"][i]] + [f"{psi[i][j]:.4g}" for j in range(len(src))] for i in idx]
    out.print(table("Crosstalk Ψ_ij = ∂T_i/∂P_j [K/W] (row i: mean T of target; column j: source)",
                    ["target \\ source"] + src, rows, ["left"] + ["right"] * len(src)))


@cli.command()
@click.argument("layout")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the result file (HDF5) here, with its .xdmf sidecar.")
@click.option("--solver", default="auto", show_default=True,
              help="auto (= multigrid) | multigrid | amg (pyamg Ruge-Stüben CG) | amg-sa | direct.")
@click.option("--tol", type=float, default=None, help="Relative residual of the linear solve (default 1e-10).")
@click.option("--threads", type=int, default=None, help="numba threads for the kernels.")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB'.")
@click.option("--transient", is_flag=True, help="Solve in time (power traces, initial condition).")
@click.option("--t-end", default=None, help="Transient: end time (s, or with units: '10 ms').")
@click.option("--dt", default=None, help="Transient: step (explicit) or first/fixed step (implicit).")
@click.option("--method", default="auto", show_default=True, help="Transient: auto | implicit | explicit.")
@click.option("--scheme", default="be", show_default=True, help="Implicit: be (backward Euler) | cn (Crank-Nicolson).")
@click.option("--save-every", default=None, help="Transient: store the field every S seconds.")
@click.option("--rtol", type=float, default=1e-3, show_default=True, help="Implicit: relative step error.")
@click.option("--atol", type=float, default=1e-3, show_default=True, help="Implicit: absolute step error (K).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_user_errors
def run(layout, output, solver, tol, threads, memory_limit, transient, t_end, dt, method, scheme,
        save_every, rtol, atol, as_json, quiet):
    """Solve a layout (steady state, or --transient) and print the report."""
    from ..kernels.jit import set_threads
    from ..layout import load_layout
    from ..linalg import DEFAULT_TOL
    from .render import console

    if threads is not None:
        try:
            set_threads(threads)
        except ValueError as exc:
            raise LayoutError(str(exc), path="--threads") from None
    if tol is not None and not 0 < tol < 1:
        raise LayoutError(f"must be in (0, 1), got {tol}", path="--tol")
    pkg = load_layout(layout)
    command_line = "thermal-cpo " + " ".join(sys.argv[1:])
    if transient:
        result = _run_transient(pkg, output, solver, tol or DEFAULT_TOL, memory_limit, t_end, dt, method,
                                scheme, save_every, rtol, atol, quiet or as_json, command_line)
    else:
        for opt, val in (("--t-end", t_end), ("--dt", dt), ("--save-every", save_every)):
            if val is not None:
                raise LayoutError(f"{opt} needs --transient", path=opt)
        from ..solve.steady import solve_steady

        result = solve_steady(pkg, solver=solver, tol=tol or DEFAULT_TOL, memory_limit=memory_limit)
        if output:
            result.save(output, command_line=command_line)
    if quiet:
        return
    from ..analysis.report import report as make_report

    if as_json:
        import json

        click.echo(json.dumps(make_report(result), indent=2, default=float))
        return
    out = console()
    if transient:
        s = result.solver
        out.print(f"transient {s['method']}: {s['steps']} steps ({s['rejected_steps']} rejected) to "
                  f"t = {s['t_end']:g} s; {len(result.times)} fields stored; energy balance "
                  f"{s['energy_balance']:.1e}; explicit stable step {s['dt_stable_explicit']:.2e} s; "
                  f"wall {s['wall_time']:.2f} s")
        out.print("temperatures at the end time:")
        from .render import table

        rows = [[c.name, f"{c.power:g}", f"{c.T_max:.3f}", f"{c.T_mean:.3f}", f"{c.T_min:.3f}"]
                for c in result.components]
        out.print(table(f"{result.package.name} at t = {s['t_end']:g} s [°C]",
                        ["component", "P [W]", "T_max", "T_mean", "T_min"], rows,
                        ["left", "right", "right", "right", "right"]))
        if result.coolant is not None:  # at the end time; properties frozen at the initial state
            print_coolant(result.coolant["groups"], out)
    else:
        print_report(make_report(result), out)
    if output:
        from pathlib import Path

        out.print(f"wrote {_esc(output)} (open {_esc(Path(output).with_suffix('.xdmf'))} in ParaView)")


def _seconds(value, path):
    """A time option: bare seconds or a string with units ('10 ms')."""
    from .. import units

    return None if value is None else units.parse_plain(value, units.TIME, path)


def _run_transient(pkg, output, solver, tol, memory_limit, t_end, dt, method, scheme, save_every,
                   rtol, atol, quiet, command_line):
    from .render import console
    from ..solve.transient import solve_transient

    if t_end is None:
        raise LayoutError("--transient needs --t-end (s)", path="--t-end")
    kw = dict(t_end=_seconds(t_end, "t_end"), dt=_seconds(dt, "dt"), method=method, scheme=scheme,
              save_every=_seconds(save_every, "save_every"), rtol=rtol, atol=atol, solver=solver,
              tol=tol, output=output, memory_limit=memory_limit, command_line=command_line)
    if quiet or not sys.stderr.isatty():
        return solve_transient(pkg, **kw)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("simulated {task.fields[t]:.4g} s"), BarColumn(), TimeRemainingColumn(),
                  transient=True, console=console(stderr=True)) as bar:
        task = bar.add_task("transient", total=kw["t_end"], t=0.0)
        return solve_transient(pkg, progress=lambda t, te: bar.update(task, completed=t, t=t), **kw)


@cli.command("report")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_user_errors
def report_cmd(result_file, as_json):
    """Print the report of a saved result: temperatures, margins, R_th, photonics, crosstalk."""
    from ..analysis.report import report as make_report
    from ..results import load_result
    from .render import console

    rep = make_report(load_result(result_file))
    if as_json:
        import json

        click.echo(json.dumps(rep, indent=2, default=float))
    else:
        print_report(rep, console())


@cli.command("crosstalk")
@click.argument("layout")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the steady result with the crosstalk matrix (HDF5).")
@click.option("--solver", default="auto", show_default=True,
              help="auto (= multigrid) | multigrid | amg | amg-sa | direct.")
@click.option("--json", "as_json", is_flag=True, help="Print the matrices as JSON.")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB'.")
@_user_errors
def crosstalk_cmd(layout, output, solver, as_json, memory_limit):
    """Thermal crosstalk Ψ_ij = ∂T_i/∂P_j between the powered components (K/W)."""
    from ..analysis.report import crosstalk
    from ..layout import load_layout
    from ..solve.steady import solve_steady
    from .render import console

    pkg = load_layout(layout)
    result = solve_steady(pkg, solver=solver, memory_limit=memory_limit)
    xt = crosstalk(result, solver=solver)
    result.crosstalk = xt
    if output:
        result.save(output, command_line="thermal-cpo " + " ".join(sys.argv[1:]))
    if as_json:
        import json

        click.echo(json.dumps(xt.as_dict(), indent=2, default=float))
        return
    out = console()
    print_crosstalk(xt.as_dict(), out)
    strongest = max(xt.sources, key=lambda n: result.component(n).power)
    j = xt.sources.index(strongest)
    heads = sorted(((xt.psi_mean[xt.targets.index(n), j], n) for n in xt.sources if n != strongest), reverse=True)
    if heads:
        out.print(f"from {_esc(strongest)} ({result.component(strongest).power:g} W): " +
                  ", ".join(f"{_esc(n)} {v * 1e3:.3g} mK/W" for v, n in heads))
    st = xt.stats
    out.print(f"{len(xt.sources)} sources: {st['wall_time']:.2f} s (one preconditioner set-up, "
              f"{sum(i or 0 for i in st['iterations'])} CG iterations)"
              + ("; linearized at the operating point (k(T))" if st["linearized"] else ""))
    if output:
        out.print(f"wrote {_esc(output)}")


@cli.command()
@_user_errors
def layouts():
    """List the shipped layouts."""
    from ..layout import shipped_layouts
    from .render import console, table

    rows = [[name, desc] for name, desc in shipped_layouts().items()]
    console().print(table("Shipped layouts", ["name", "description"], rows))


@cli.command()
@click.argument("name", required=False)
@_user_errors
def materials(name):
    """List the material library, or show one material (and the coolants)."""
    from ..materials import coolants, get, library
    from .render import console, table

    out = console()
    if name:
        cool = coolants()
        if name in cool:
            c = cool[name]
            rows = [[f"{T:g}", f"{r:g}", f"{cp:g}", f"{k:g}", f"{mu * 1e3:.4g}"]
                    for T, r, cp, k, mu in zip(c.T, c.rho, c.cp, c.k, c.mu)]
            out.print(table(f"coolant {name}", ["T [°C]", "ρ [kg/m³]", "cp [J/(kg·K)]", "k [W/(m·K)]",
                                                  "μ [mPa·s]"], rows))
            out.print(f"source: {_esc(c.source)}")
            if c.notes:
                out.print(f"notes: {_esc(c.notes)}")
            return
        if name not in library():
            from ..errors import did_you_mean

            raise LayoutError(f"unknown material or coolant {name!r}"
                              f"{did_you_mean(name, [*library(), *cool])} "
                              "(`thermal-cpo materials` lists them all)")
        m = get(name)
        kx, ky, kz = m.k
        k = f"{kx:g}" if m.isotropic else f"[{kx:g}, {ky:g}, {kz:g}]"
        lines = [f"[bold]{_esc(name)}[/bold] ({_esc(m.category)})", f"k = {k} W/(m·K)",
                 f"rho = {m.rho:g} kg/m³", f"cp = {m.cp:g} J/(kg·K)"]
        if m.temperature_dependent:
            lines.append(f"k(T) = k·(T/T0)^-n with T0 = {m.T0 + 273.15:g} K, n = {m.n:g}")
        lines.append(f"source: {_esc(m.source)}")
        if m.notes:
            lines.append(f"notes: {_esc(m.notes)}")
        if m.assumed:
            lines.append("[yellow]contains assumed or unverified values[/yellow]")
        for line in lines:
            out.print(line)
        return
    rows = []
    for n, m in library().items():
        kx, ky, kz = m.k
        k = f"{kx:g}" if m.isotropic else f"{kx:g}/{ky:g}/{kz:g}"
        rows.append([n, m.category, k + (" k(T)" if m.temperature_dependent else ""), f"{m.rho:g}",
                     f"{m.cp:g}", "A" if m.assumed else "", m.source[:60]])
    out.print(table("Material library (k: kx/ky/kz when anisotropic; A = contains assumed values)",
                    ["name", "category", "k [W/(m·K)]", "ρ [kg/m³]", "cp [J/(kg·K)]", "", "source"], rows))
    rows = [[n, f"{c.T[0]:g}–{c.T[-1]:g}", c.source[:60]] for n, c in coolants().items()]
    out.print(table("Coolants", ["name", "T range [°C]", "source"], rows))


@cli.command()
@click.argument("cases", nargs=-1)
@click.option("--no-amg", is_flag=True, help="Skip the pyamg baseline (it is slow on big grids).")
@click.option("--tol", type=float, default=1e-10, show_default=True, help="Relative residual of each solve.")
@click.option("--repeats", type=int, default=3, show_default=True, help="Timed repeats (medians are shown).")
@click.option("--threads", type=int, default=None, help="numba threads for the kernels.")
@click.option("--stream-mib", type=int, default=768, show_default=True,
              help="STREAM-triad working set (three arrays together), MiB; keep it ≫ the cache.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@_user_errors
def bench(cases, no_amg, tol, repeats, threads, stream_mib, as_json):
    """Solver speed on this machine, beside its STREAM-triad bandwidth and the pyamg baseline.

    CASES: "N" (a stack-like package of about N³ cells: µm films under mm layers, 1000:1
    contrast), "NxNZ" (N × N lateral, about NZ layers of cells) or a layout name or file.
    Default: 128 (2 million cells) and die-tim-lid. A solve's cost is also given in
    equivalent fine-grid sweeps (one sweep = one application of the operator, y = A x), and
    the sweep against its memory-bandwidth floor (48 B per cell at the triad bandwidth); then
    one implicit (backward-Euler, 1 ms) step with each solver.
    """
    import json

    from ..bench import (TRIAD_BYTES_PER_ELEMENT, bench_case, parse_case, triad_bandwidth)
    from ..mesh import voxelize
    from ..kernels.jit import set_threads
    from .render import console, table

    if repeats < 1:
        raise LayoutError(f"--repeats must be ≥ 1, got {repeats}", path="repeats")
    if stream_mib < 1:
        raise LayoutError(f"--stream-mib must be ≥ 1, got {stream_mib}", path="stream-mib")
    threads = set_threads(threads)
    packages = [parse_case(c) for c in (cases or ("128", "die-tim-lid"))]  # bad names fail first
    n_stream = stream_mib * 2**20 // TRIAD_BYTES_PER_ELEMENT
    bw = triad_bandwidth(n_stream, repeats=max(5, repeats))
    solvers = ("multigrid",) if no_amg else ("multigrid", "amg")
    rows = []
    for name, pkg in packages:
        rows += bench_case(name, voxelize(pkg), solvers=solvers, bandwidth=bw, tol=tol, repeats=repeats)
    if as_json:
        click.echo(json.dumps({"threads": threads, "triad_GBps": bw, "tol": tol, "cases": rows}, indent=1))
        return
    out = console()
    out.print(f"machine: {threads} threads, STREAM triad {bw:.1f} GB/s "
              f"({stream_mib} MiB working set); medians of {repeats}; tolerance {tol:g}")
    body = []
    for r in rows:
        body.append([r["case"], f"{r['cells']:,}", r["solver"], f"{r['setup']:.3f}", f"{r['solve']:.3f}",
                     f"{r['total']:.3f}", r["iterations"], f"{r['residual']:.1e}",
                     f"{r['sweep'] * 1e3:.2f} / {r['sweep_floor'] * 1e3:.2f}", f"{r['sweeps']:.0f}"])
    out.print(table("Steady linear solve", ["case", "cells", "solver", "setup [s]", "solve [s]",
                                             "total [s]", "iterations", "residual",
                                             "sweep / floor [ms]", "= sweeps"],
                    body, ["left", "right", "left"] + ["right"] * 7))
    body = [[r["case"], f"{r['cells']:,}", r["solver"], f"{r['step']:.3f}", f"{r['step_iterations']:.0f}",
             f"{r['step'] / r['sweep']:.0f}"] for r in rows]
    out.print(table(f"Implicit step (backward Euler, Δt = {rows[0]['step_dt'] * 1e3:g} ms, heat-up)",
                    ["case", "cells", "solver", "step [s]", "iterations", "= sweeps"], body,
                    ["left", "right", "left"] + ["right"] * 3))
    if not no_amg:
        for name, _ in packages:
            t = {r["solver"]: r for r in rows if r["case"] == name}
            mg, amg = t["multigrid"], next(v for k, v in t.items() if k.startswith("amg"))
            out.print(f"{name}: multigrid {amg['total'] / mg['total']:.1f}× faster than pyamg-CG "
                      f"(steady), {amg['step'] / mg['step']:.1f}× (implicit step)")


@cli.command()
def info():
    """Versions, numba threads and cache directory."""
    import importlib.metadata as md
    import os
    import platform

    import numba

    from .. import __version__
    from ..mesh import available_memory
    from ..units import format_bytes

    click.echo(f"thermal_cpo {__version__}")
    click.echo(f"python {platform.python_version()} ({platform.machine()}, {platform.system()})")
    for dist in ("numpy", "scipy", "numba", "llvmlite", "h5py", "pydantic", "pint", "pyamg", "threadpoolctl",
                 "click", "rich"):
        try:
            click.echo(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            click.echo(f"{dist} not installed")
    click.echo(f"numba threads {numba.get_num_threads()} of {numba.config.NUMBA_NUM_THREADS} "
               f"(set with --threads or NUMBA_NUM_THREADS); threading layer "
               f"{numba.config.THREADING_LAYER}")
    from ..threads import blas_threads

    blas = ", ".join(f"{lib} {n} threads" for lib, n in blas_threads()) or "none loaded"
    click.echo(f"BLAS {blas} (one thread during solves: the kernels run in numba's threads)")
    cache = numba.config.CACHE_DIR or "next to the kernels' sources (__pycache__); set NUMBA_CACHE_DIR to move it"
    click.echo(f"numba cache {cache}")
    click.echo(f"cpus {os.cpu_count()}; memory available {format_bytes(available_memory())}")


@cli.command()
def schema():
    """Print the layout's JSON schema (for editors)."""
    import json

    from ..layout import Package

    click.echo(json.dumps(Package.json_schema(), indent=2))


@cli.command("export")
@click.argument("result_file", metavar="OUT.h5")
@click.option("-f", "--format", "fmt", required=True, metavar="vtr|vtu|xdmf",
              help="vtr (VTK rectilinear grid), vtu (VTK hexahedra; needs meshio) or xdmf "
                   "(rewrite the ParaView sidecar beside OUT.h5).")
@click.option("-o", "--output", default=None,
              help="Where to write (default: OUT with the format's suffix).")
@_user_errors
def export_command(result_file, fmt, output):
    """Convert a result file for ParaView/VisIt; prints the path written."""
    from ..io.vtk import export

    click.echo(export(result_file, fmt, output))


@cli.command("plot")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--layer", default=None, metavar="NAME", help="Map of this layer, at its mid-height.")
@click.option("--z", "z", default=None, metavar="Z",
              help="Map of the cell layer at height Z (µm, or with units: '2.5 mm').")
@click.option("--section-x", default=None, metavar="Y",
              help="Vertical section along x, cut at y = Y (µm, or with units).")
@click.option("--section-y", default=None, metavar="X",
              help="Vertical section along y, cut at x = X (µm, or with units).")
@click.option("-o", "--output", default=None, metavar="FILE.png",
              help="Image to write (.png, .pdf, .svg); default: beside OUT.h5, e.g. out.layer-die.png.")
@click.option("--dpi", type=int, default=110, show_default=True, help="Resolution of the image.")
@click.option("--cmap", default="inferno", show_default=True, help="matplotlib colour map.")
@click.option("--time", "time_plot", is_flag=True,
              help="Transient result: T_max against time of the powered components and probes.")
@_user_errors
def plot_command(result_file, layer, z, section_x, section_y, output, dpi, cmap, time_plot):
    """Draw a layer temperature map or a vertical section of a result; prints the path written.

    With no choice, maps the cell layer holding the hottest cell. Needs matplotlib
    (pip install thermal_cpo[viz]).
    """
    from .. import units as u
    from ..viz.plot import save_plot

    given = [opt for opt, v in (("--layer", layer), ("--z", z), ("--section-x", section_x),
                                ("--section-y", section_y)) if v is not None]
    if len(given) > 1:
        raise LayoutError(f"choose one plot: a layer map (--layer or --z) or a section (--section-x "
                          f"or --section-y), got {' and '.join(given)}")
    def length(v, opt):  # a bare number is µm, as in layouts; else a string with units
        if v is None:
            return None
        try:
            v = float(v)
        except ValueError:
            pass
        return u.parse_plain(v, u.LENGTH, opt)

    lengths = {opt: length(v, opt) for opt, v in (("--z", z), ("--section-x", section_x),
                                                   ("--section-y", section_y))}
    from ..results import load_result

    click.echo(save_plot(load_result(result_file), output, layer=layer, z=lengths["--z"],
                         section_x=lengths["--section-x"], section_y=lengths["--section-y"],
                         dpi=dpi, cmap=cmap, time=time_plot, source=result_file))


def main(argv=None):
    """Entry point of ``thermal-cpo`` and ``python -m thermal_cpo``."""
    try:
        cli.main(args=argv, prog_name="thermal-cpo", standalone_mode=True)
    except SystemExit as exc:
        raise SystemExit(exc.code) from None
