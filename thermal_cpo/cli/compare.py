"""``thermal-cpo compare``: :func:`thermal_cpo.analysis.compare.compare` of two result files."""

from __future__ import annotations

import json

import click

from ..errors import LayoutError
from .errors import user_errors

#: compare's keywords and the options they come from
OPTIONS = {"z": "--z", "output": "--output"}


def _cell(v, signed: bool = False) -> str:
    if v is None:
        return "—"
    return f"{v:+.3f}" if signed else f"{v:.3f}"


def table_text(cmp) -> str:
    """The comparison as a text table (°C; ΔT = B − A in K) with its lists and note."""
    qs = [q for q in ("T_max", "T_mean", "T_junction") if any(r[f"d{q}"] is not None for r in cmp.rows)]
    width = max([len("component")] + [len(r["name"]) for r in cmp.rows])
    head = f"{'component':<{width}}" + "".join(f"  {q + ' A':>12}  {q + ' B':>12}  {'Δ' + q:>11}" for q in qs)
    lines = [f"A: {cmp.a}", f"B: {cmp.b}", "temperatures in °C, Δ = B − A in K", head]
    for r in cmp.rows:
        lines.append(f"{r['name']:<{width}}" + "".join(
            f"  {_cell(r[q + '_a']):>12}  {_cell(r[q + '_b']):>12}  {_cell(r['d' + q], True):>11}" for q in qs))
    for label, names in (("only in A", cmp.only_in_a), ("only in B", cmp.only_in_b)):
        if names:
            lines.append(f"{label}: {', '.join(names)}")
    if cmp.difference is not None:
        d = cmp.difference
        lines.append(f"B − A at {cmp.where}: {d.min():+.3f} to {d.max():+.3f} K")
    if cmp.note:
        lines.append(f"note: {cmp.note}")
    return "\n".join(lines)


@click.command("compare")
@click.argument("a", metavar="A.h5")
@click.argument("b", metavar="B.h5")
@click.option("--z", "z", default=None, metavar="Z",
              help="Height of the difference map (µm, or with units: '1.2 mm'); default the cell "
                   "layer of the largest |B − A|.")
@click.option("-o", "--output", default=None, metavar="FILE.png",
              help="Save the map of B − A (.png, .pdf, .svg); only where the two grids are the same.")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@user_errors
def compare_command(a, b, z, output, as_json):
    """Compare two result files: per component T_max, T_mean (and T_junction) of A and B and
    ΔT = B − A; where the grids are the same, the map of B − A."""
    from ..analysis.compare import compare
    from ..viz.inputs import renamed

    try:
        cmp = compare(a, b, z=z, output=output)
    except LayoutError as exc:
        raise renamed(exc, OPTIONS) from None
    click.echo(json.dumps(cmp.as_dict(), indent=2) if as_json else table_text(cmp))
    if cmp.image:
        click.echo(f"wrote {cmp.image}", err=True)
    elif output is not None:
        click.echo(f"note: {output} not written: {cmp.note}", err=True)
