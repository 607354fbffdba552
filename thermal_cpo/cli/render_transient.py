"""Text for the report of a transient result: which stored step the tables describe, and the run's
statistics in a transient's own terms (energy over the run, heat out against power in at the
last stored time). Figures from :func:`thermal_cpo.analysis.report`."""

from __future__ import annotations

import math

from ..results.steps import format_time, stored_range


def _known(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def print_transient_header(tr: dict, out) -> str:
    """The line saying which stored step the tables describe, among how many and over which
    range; returns the words for the component table's title ('temperatures at t = 2 ms')."""
    t = format_time(tr["t"])
    if tr["step"] == tr["n_steps"] - 1:
        which = "the last stored step"
    else:
        which = f"stored step {tr['step'] + 1} of {tr['n_steps']}"
    asked = tr.get("at")
    if asked is not None and format_time(asked) != t:
        which += f", the nearest to {format_time(asked)}"
    out.print(f"transient: {stored_range(tr['times_s'])}; the tables are at t = {t} ({which})")
    if tr.get("omitted"):
        out.print(f"not shown at t = {t}: {', '.join(tr['omitted'])} (stored for the last step only, "
                  f"t = {format_time(tr['t_end'])})")
    return f"temperatures at t = {t}"


def print_transient_solver(s: dict, t_last: float, out) -> None:
    """The energy balance over the run (J), heat out against power in at the last stored time
    ``t_last`` (s; near 100 % at steady state) and the stepping statistics; 'not recorded' where
    the run stopped before writing a figure."""
    if all(_known(s.get(k)) for k in ("energy_balance", "energy_in", "energy_out", "energy_stored")):
        out.print(f"energy balance |E_in - E_out - E_stored| / largest = {s['energy_balance']:.2e} "
                  f"(E_in {s['energy_in']:.6g} J, E_out {s['energy_out']:.6g} J, "
                  f"E_stored {s['energy_stored']:.6g} J)")
    else:
        out.print("energy balance not recorded (the run stopped before its statistics were written)")
    p_in, q_out = s.get("power_in"), s.get("heat_out")
    if _known(p_in) and _known(q_out):
        ratio = f" (Q_out/P_in = {100 * q_out / p_in:.3g} %; 100 % at steady state)" if p_in > 0 else ""
        out.print(f"at t = {format_time(t_last)}: P_in {p_in:.6g} W, Q_out {q_out:.6g} W{ratio}")
    steps = s.get("steps")
    counted = (f"{steps} time steps ({s.get('rejected_steps') or 0} rejected)" if steps is not None
               else "time steps not recorded")
    if s.get("linear_solves"):
        counted += (f", {s.get('iterations')} linear iterations, largest relative residual of a step "
                    f"{s['residual']:.1e}")
    out.print(f"solver {s.get('method', 'unknown')}: {counted}")
    dt = s.get("dt_stable_explicit")
    more = [f"{s['n_cells']:,} cells" if s.get("n_cells") is not None else None,
            f"explicit stable step {dt:.2e} s" if _known(dt) else None,
            f"wall {s['wall_time']:.2f} s" if _known(s.get("wall_time")) else None]
    if any(more):  # a line of its own: with the counts it would wrap a 160-column log
        out.print("; ".join(m for m in more if m))
