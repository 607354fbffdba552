"""``thermal-cpo import hotspot|3dice``: a peer's deck written as a commented layout, and on
request solved and written back as the peer's own per-block table."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import user_errors


def _write_text(path: Path, text: str) -> None:
    """``text`` into ``path`` through a temporary beside it, so an existing file is never left
    half written."""
    from ..io.atomic import atomic, check_target

    check_target(path)
    with atomic(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


def _finish(imported, output, table, quiet) -> None:
    for w in imported.warnings:
        click.echo(f"warning: {w}", err=True)
    if output is None:
        click.echo(imported.toml, nl=False)
    else:
        _write_text(Path(output), imported.toml)
        if not quiet:
            click.echo(f"wrote {output}: {len(imported.package.layers)} layers, "
                       f"{sum(c.nominal_power for c in _components(imported.package)):.6g} W", err=True)
    if table is not None:
        from ..analysis.peer_tables import peer_table
        from ..solve.steady import solve_steady

        result = solve_steady(imported.package)
        _write_text(Path(table), peer_table(result, imported))
        if not quiet:
            click.echo(f"wrote {table}: {len(imported.regions)} regions in {imported.peer}'s format "
                       f"(energy balance {result.energy_balance:.1e})", err=True)


def _components(pkg):
    for layer in pkg.layers:
        yield layer
        yield from layer.blocks
    yield from pkg.boxes


_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                       help="Write the layout here (default: print it).")
_TABLE = click.option("--table", type=click.Path(dir_okay=False), default=None,
                      help="Also solve it (steady) and write the per-block table in the peer's own format.")
_QUIET = click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")


@click.group("import")
def import_group():
    """Turn a HotSpot or 3D-ICE deck into a layout (every value commented with its deck line)."""


@import_group.command("hotspot")
@click.option("--config", "config", required=True, type=click.Path(), help="HotSpot configuration (-name value lines).")
@click.option("--flp", "flp", required=True, type=click.Path(), help="The chip's floorplan (.flp).")
@click.option("--lcf", "lcf", default=None, type=click.Path(), help="Layer file of the grid model (.lcf).")
@click.option("--ptrace", "ptrace", default=None, type=click.Path(), help="Power trace (.ptrace).")
@_OUTPUT
@_TABLE
@_QUIET
@user_errors
def hotspot(config, flp, lcf, ptrace, output, table, quiet):
    """A HotSpot deck: configuration, floorplan, layer file, power trace."""
    from ..layout.decks import import_hotspot

    _finish(import_hotspot(config, flp, lcf=lcf, ptrace=ptrace), output, table, quiet)


@import_group.command("3dice")
@click.argument("stk", type=click.Path())
@_OUTPUT
@_TABLE
@_QUIET
@user_errors
def threedice(stk, output, table, quiet):
    """A 3D-ICE stack file (.stk) and the floorplans it names."""
    from ..layout.decks import import_3dice

    _finish(import_3dice(stk), output, table, quiet)
