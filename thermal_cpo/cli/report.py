"""``thermal-cpo report``: :func:`thermal_cpo.analysis.report` of a saved result, printed."""

from __future__ import annotations

import click

from .errors import user_errors


def incomplete_note(result) -> str | None:
    """For a transient that was interrupted: that the result is incomplete, and up to which
    time (s) it holds fields; None for a complete result."""
    if getattr(result, "complete", True) or getattr(result, "times", None) is None:
        return None
    t_end = result.solver.get("t_end")
    of = f" of {t_end:g} s" if isinstance(t_end, (int, float)) and t_end == t_end else ""
    n = len(result.times)
    return (f"incomplete: the transient was interrupted at t = {result.t_stop:g} s{of}; it holds "
            f"the {n} field{'s' if n != 1 else ''} stored up to then")


def select_components(rep: dict, powered: bool, limits_only: bool) -> tuple[dict, str | None]:
    """``rep`` with only the components asked for: dissipating power (``powered``, P > 0 W)
    and/or with a temperature limit (``limits_only``); also the line saying how many of all
    are shown (None when nothing is left out). Only the component table is cut: the other
    sections (photonics, coolant, crosstalk) keep every component they name."""
    if not (powered or limits_only):
        return rep, None
    rows = [c for c in rep["components"] if (not powered or c["power"] > 0)
            and (not limits_only or c.get("limit") is not None)]
    which = " and ".join(w for w, on in (("powered", powered), ("with a temperature limit", limits_only)) if on)
    line = (f"{len(rows)} of {len(rep['components'])} components shown ({which})" if rows else
            f"no component is {which} (of {len(rep['components'])})")
    return {**rep, "components": rows}, line


def json_ready(value):
    """``value`` as JSON takes it: numpy arrays and scalars as lists and numbers, tuples as lists,
    and a non-finite number (NaN: not recorded, inf) as null, as the result file's NaN reads back
    as None; strict JSON has no NaN, and scripts reading the report expect strict JSON."""
    import math

    import numpy as np

    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _time(value):
    """``--at``: bare seconds or a string with units ('2 ms'); None when not given."""
    from .. import units

    return None if value is None else units.parse_plain(value, units.TIME, "--at")


@click.command("report")
@click.argument("result_file", metavar="OUT.h5")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--powered", is_flag=True, help="Only the components that dissipate power.")
@click.option("--limits-only", is_flag=True, help="Only the components with a temperature limit.")
@click.option("--at", "at", default=None, metavar="TIME",
              help="Transient result: the tables at the stored step nearest TIME (s, or with units: "
                   "'2 ms'); default the last stored step.")
@user_errors
def report_command(result_file, as_json, powered, limits_only, at):
    """Print the report of a saved result: temperatures, margins, R_th, photonics, crosstalk.
    A component hotter than its limit (T_hot above it) is marked OVER LIMIT. A transient's report
    says at which stored time its tables are; --json adds the stored times and the time series
    of the powered components and probes."""
    from ..analysis import report
    from ..results import load_result
    from .render import console, print_report

    at = _time(at)  # refused before the file is read
    result = load_result(result_file)
    if at is not None:
        from ..results.steps import step_index

        step = step_index(result, at, "--at")  # the error names the option, not the argument
        rep = report(result, at=float(result.times[step]))
        rep["transient"]["at"] = at
    else:
        rep = report(result)
    rep, shown = select_components(rep, powered, limits_only)
    note = incomplete_note(result)
    if as_json:
        import json

        # first in the JSON, as the note is first in the text: nothing read later mistakes it
        rep = {"complete": result.complete, "t_stop": result.t_stop, "note": note, **rep}
        click.echo(json.dumps(json_ready(rep), indent=2, allow_nan=False, default=float))
    else:
        out = console()
        if note:
            out.print(note)
        if shown:
            out.print(shown)
        print_report(rep, out)
