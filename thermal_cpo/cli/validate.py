"""``thermal-cpo validate``: :func:`thermal_cpo.analysis.describe` of a layout, printed."""

from __future__ import annotations

import click

from .errors import user_errors


def overpaint_warnings(pkg) -> list[str]:
    """The warnings for powered components that later blocks or boxes cover in part (their
    power is squeezed into the rest), as `validate` and `run` print them."""
    from ..layout.overlap import overpainted

    return [f"warning: {o.message()}" for o in overpainted(pkg)]


@click.command("validate")
@click.argument("layout")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB' (default: 80 % of available).")
@click.option("--json", "as_json", is_flag=True, help="Print the resolved layout (SI) as JSON.")
@user_errors
def validate(layout, memory_limit, as_json):
    """Check a layout and show its layers, components, power and grid."""
    from ..analysis import describe
    from ..layout import load_layout
    from .render import console, esc, print_description

    pkg = load_layout(layout)
    facts = describe(pkg, memory_limit=memory_limit)  # the grid is checked with --json too
    warnings = overpaint_warnings(pkg)
    if as_json:
        click.echo(pkg.to_json())
        for w in warnings:  # stdout stays the JSON alone
            click.echo(w, err=True)
        return
    out = console()
    print_description(facts, out)
    for w in warnings:
        out.print(esc(w))
