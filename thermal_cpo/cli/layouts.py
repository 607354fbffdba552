"""``thermal-cpo layouts`` and ``thermal-cpo schema``: the shipped layouts and the layout's
JSON schema."""

from __future__ import annotations

import click

from .errors import user_errors


@click.command("layouts")
@user_errors
def layouts():
    """List the shipped layouts."""
    from ..layout import shipped_layouts
    from .render import console, print_layouts

    print_layouts(shipped_layouts(), console())


@click.command("schema")
def schema():
    """Print the layout's JSON schema (for editors)."""
    import json

    from ..layout import Package

    click.echo(json.dumps(Package.json_schema(), indent=2))
