"""The line on stderr that says why the first run after an install is slow: numba compiles the
kernels a run calls once, then loads them from its cache."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

#: "1" shows the line whatever the terminal, "0" never (the tests set it)
ENV = "THERMAL_CPO_COMPILE_NOTICE"
MESSAGE = "compiling kernels, once per install …"


def notice_wanted(quiet: bool) -> bool:
    """Whether :func:`compile_notice` may print: not with ``quiet``, and only when stdout and
    stderr are terminals, unless the environment variable :data:`ENV` says otherwise."""
    flag = os.environ.get(ENV)
    if flag is not None:
        return flag.strip() not in ("", "0")
    return not quiet and sys.stdout.isatty() and sys.stderr.isatty()


@contextmanager
def compile_notice(quiet: bool = False):
    """Print :data:`MESSAGE` on stderr when a kernel is compiled inside the block (once; never
    when every kernel comes from numba's cache)."""
    if not notice_wanted(quiet):
        yield
        return
    from ..kernels.jit import on_first_compile

    with on_first_compile(lambda: print(MESSAGE, file=sys.stderr, flush=True)):
        yield
