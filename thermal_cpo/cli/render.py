"""Text rendering of tables for the command line: rich on a terminal, plain text otherwise."""

from __future__ import annotations

import sys


def console(stderr: bool = False):
    """A rich console writing to stdout (or stderr); colour only on a terminal."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=False,
                   width=None if stream.isatty() else 160)


def table(title: str, columns: list[str], rows: list[list], justify: list[str] | None = None):
    """A rich Table (rendered plainly when not on a terminal)."""
    from rich import box
    from rich.table import Table

    from rich.markup import escape as _esc

    t = Table(title=_esc(title), box=box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2,
              title_justify="left", pad_edge=False)
    from rich.markup import escape

    for i, c in enumerate(columns):
        t.add_column(escape(c), justify=(justify[i] if justify else "left"))
    for r in rows:  # data (names, notes, units in brackets) is text, never markup
        t.add_row(*[escape(str(x)) for x in r])
    return t


from ..units import format_length as fmt_len  # noqa: E402 - the tables' name for it
