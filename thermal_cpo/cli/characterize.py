"""``thermal-cpo characterize``: :func:`thermal_cpo.analysis.characterize` of a layout, printed
and written out (JSON, CSV, SPICE, figures)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .errors import user_errors


def _summary(ch, degraded=None, sep=None) -> list[str]:
    m = ch.metrics
    lines = [f"{ch.name}: junction {m.junction} ({m.power:.4g} W alone), case = top of {m.case}, board = bottom face",
             f"  θJC  {m.theta_jc:.5g} K/W   (case isothermal, all else adiabatic)",
             f"  θJB  {m.theta_jb:.5g} K/W   (board isothermal, all else adiabatic)",
             f"  ψJT  {m.psi_jt:.5g} K/W   ψJB {m.psi_jb:.5g} K/W   (the layout's own boundaries)",
             f"  two-resistor model: R_JC {m.theta_jc:.5g} K/W, R_JB {m.theta_jb:.5g} K/W"]
    if ch.compact is not None:
        c = ch.compact
        lines.append(f"  DELPHI-style network over {len(c.sets)} boundary sets: max junction-rise error "
                     f"{c.max_error:.1%} (two-resistor {c.max_error_two_resistor:.1%} on the adiabatic-sides sets)")
        lines.append("    " + ", ".join(f"{k} {v:.4g}" for k, v in c.R.items()) + " K/W")
    if ch.foster is not None:
        f = ch.foster
        lines.append(f"  Zth: {ch.t.size} times {ch.t[0]:.3g}–{ch.t[-1]:.3g} s ({ch.environment} environment), "
                     f"steady {ch.theta:.5g} K/W; Foster {f.n_terms} terms, max error {f.max_rel_error:.2%}")
        lines.append(f"  structure function (fitted): R_total {ch.structure.r_total:.5g} K/W, "
                     f"C_total {ch.structure.c_total:.4g} J/K")
    if ch.model_structure is not None:
        m = ch.model_structure
        lines.append(f"  structure function (the model's own ladder, {m.r_sum.size} stages): R_total {m.r_total:.5g} K/W, "
                     f"C_total {m.c_total:.4g} J/K")
    if degraded is not None:
        where = "do not separate" if sep is None else f"separate at R = {sep:.4g} K/W from the junction"
        lines.append(f"  with the degraded layer: θJC {degraded.metrics.theta_jc:.5g} K/W; the structure functions {where}")
    return lines + [f"  note: {n}" for n in ch.notes]


@click.command("characterize")
@click.argument("layout")
@click.option("--junction", default=None, help="The junction component (default: the most powerful).")
@click.option("--case", default=None, help="The layer whose top face is the case (default: the top layer).")
@click.option("-o", "--output", type=click.Path(file_okay=False), default=None,
              help="Write the JSON, CSV, SPICE subcircuits and figures into this folder.")
@click.option("--environment", type=click.Choice(["own", "case"]), default="own", show_default=True,
              help="Zth under the layout's own cooling, or with the case held isothermal.")
@click.option("--no-compact", is_flag=True, help="Skip the DELPHI-style network (16 steady solves).")
@click.option("--no-transient", is_flag=True, help="Skip Zth, the networks and the structure functions.")
@click.option("--degrade", "degrade", default=None, metavar="NAME",
              help="Also characterize with the layer or box NAME --factor times as thick and compare the "
                   "structure functions.")
@click.option("--factor", type=float, default=2.0, show_default=True, help="Thickness factor of --degrade.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@user_errors
def characterize_command(layout, junction, case, output, environment, no_compact, no_transient, degrade, factor,
                         as_json):
    """JEDEC metrics, compact models, Zth(t) and structure functions of a layout."""
    from ..analysis.characterize import characterize, separation, with_thicker_layer
    from ..layout import load_layout

    pkg = load_layout(layout)
    ch = characterize(pkg, junction, case, compact=not no_compact, transient=not no_transient,
                      environment=environment)
    degraded = sep = None
    if degrade is not None:
        degraded = characterize(with_thicker_layer(pkg, degrade, factor), ch.metrics.junction, case,
                                compact=False, transient=not no_transient, environment=environment)
        degraded.name = f"{pkg.name}, {degrade} ×{factor:g}"
        a, b = ((ch.model_structure, degraded.model_structure) if ch.model_structure is not None
                else (ch.structure, degraded.structure))
        if a is not None and b is not None:
            sep = separation(a, b)
    if output is not None:
        ch.write(output)
        if degraded is not None:
            degraded.write(Path(output) / f"{degrade}-x{factor:g}")
        _figures(ch, degraded, Path(output))
    if as_json:
        data = ch.to_dict()
        if degraded is not None:
            data["degraded"] = {"layer": degrade, "factor": factor, "characterization": degraded.to_dict(),
                                "separation_R": sep}
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo("\n".join(_summary(ch, degraded, sep)))


def _figures(ch, degraded, folder: Path) -> None:
    """Zth and structure-function figures, when matplotlib is installed and there is a Zth."""
    if ch.foster is None:
        return
    try:
        from ..analysis.characterize.plots import structure_figure, zth_figure
    except ImportError:  # matplotlib is the optional [viz] extra
        return
    import matplotlib.pyplot as plt

    from ..io.atomic import atomic

    runs = [ch] + ([degraded] if degraded is not None else [])
    for name, fig in (("zth.png", zth_figure(runs)), ("structure.png", structure_figure(runs))):
        with atomic(folder / name) as tmp:
            fig.savefig(tmp, dpi=120, format="png")
        plt.close(fig)
