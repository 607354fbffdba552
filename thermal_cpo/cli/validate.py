"""``thermal-cpo validate``: :func:`thermal_cpo.analysis.describe` of a layout, printed."""

from __future__ import annotations

import click

from .errors import user_errors


@click.command("validate")
@click.argument("layout")
@click.option("--memory-limit", default=None, help="Memory guard, e.g. '8 GB' (default: 80 % of available).")
@click.option("--json", "as_json", is_flag=True, help="Print the resolved layout (SI) as JSON.")
@user_errors
def validate(layout, memory_limit, as_json):
    """Check a layout and show its layers, components, power and grid."""
    from ..analysis import describe
    from ..layout import load_layout
    from .render import console, print_description

    pkg = load_layout(layout)
    facts = describe(pkg, memory_limit=memory_limit)  # the grid is checked with --json too
    if as_json:
        click.echo(pkg.to_json())
        return
    print_description(facts, console())
