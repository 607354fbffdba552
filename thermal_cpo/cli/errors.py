"""How the command line reports the project's errors: one line on stderr and an exit code
(0 success, 1 solver or physics failure, 2 bad input or usage; never a traceback)."""

from __future__ import annotations

import functools
import sys

import click

from ..errors import LayoutError, SolverError, ThermalCPOError


class InputError(click.ClickException):
    """Bad input found while click reads an option: shown as a command shows a
    :class:`~thermal_cpo.errors.LayoutError` (``error: ...`` on stderr, exit 2)."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def user_errors(fn):
    """Map the project's errors raised by a command to messages and exit codes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except LayoutError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except SolverError as exc:
            click.echo(f"solver error: {exc}", err=True)
            sys.exit(1)
        except ThermalCPOError as exc:  # pragma: no cover - every error is one of the two above
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def refuse_overwriting_the_layout(output, pkg, sidecar_suffix: str | None = ".xdmf") -> None:
    """An input error when the result file ``output`` (or its sidecar) would replace the layout
    file the package was read from."""
    from pathlib import Path

    where = pkg.source_path
    if not output or not where or where.startswith("shipped:"):
        return
    layout = Path(where).resolve()
    targets = [Path(output)] + ([Path(output).with_suffix(sidecar_suffix)] if sidecar_suffix else [])
    for target in targets:
        if target.resolve() == layout:
            raise LayoutError(f"{target} is the layout file itself; write the result elsewhere "
                              "(e.g. -o result.h5)", path="--output")
