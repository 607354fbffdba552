"""How the command line reports the project's errors: one line on stderr and an exit code
(0 success, 1 solver or physics failure, 2 bad input or usage, 128 + N stopped by signal N, as
130 for Ctrl-C; never a traceback)."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading

import click

from ..errors import LayoutError, SolverError, ThermalCPOError


class InputError(click.ClickException):
    """Bad input found while click reads an option: shown as a command shows a
    :class:`~thermal_cpo.errors.LayoutError` (``error: ...`` on stderr, exit 2)."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a batch system's time limit), raised where Ctrl-C raises
    KeyboardInterrupt, so that a run stops the same way: a transient keeps its stored steps."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def stop_on_sigterm():
    """Within the block SIGTERM raises :class:`Terminated` (unless it is ignored, e.g. under
    nohup); the earlier handler is back afterwards. Only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is signal.SIG_IGN:
        yield
        return

    def stop(signum, frame):
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def exit_interrupted(exc: KeyboardInterrupt, detail: str | None = None):
    """One line on stderr (``interrupted`` or ``terminated by SIGTERM``, then ``detail``) and
    the shell's exit code for the signal: 130 for Ctrl-C, 143 for SIGTERM."""
    signum = getattr(exc, "signum", signal.SIGINT)
    what = "interrupted" if signum == signal.SIGINT else f"terminated by {signal.Signals(signum).name}"
    detail = detail or getattr(exc, "detail", None)  # set on the way up, e.g. what a run kept
    click.echo(f"{what}: {detail}" if detail else what, err=True)
    sys.exit(128 + int(signum))


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
        except KeyboardInterrupt as exc:
            exit_interrupted(exc)
        except OSError as exc:  # the file system's refusal is the user's to fix: one line, exit 2
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)

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
