"""``thermal-cpo materials``: the material library and the coolants."""

from __future__ import annotations

import click

from ..errors import LayoutError
from .errors import user_errors


@click.command("materials")
@click.argument("name", required=False)
@user_errors
def materials(name):
    """List the material library, or show one material (and the coolants)."""
    from ..materials import coolants, get, library
    from .render import console, print_coolant_properties, print_library, print_material

    out = console()
    if not name:
        print_library(library(), coolants(), out)
        return
    cool = coolants()
    if name in cool:
        print_coolant_properties(name, cool[name], out)
        return
    if name not in library():
        from ..errors import did_you_mean

        raise LayoutError(f"unknown material or coolant {name!r}"
                          f"{did_you_mean(name, [*library(), *cool])} "
                          "(`thermal-cpo materials` lists them all)")
    print_material(name, get(name), out)
