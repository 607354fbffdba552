"""Lines on stderr while a command works: why the first run after an install is slow (numba
compiles the kernels a run calls once, then loads them from its cache), and how far a long
steady solve or crosstalk has come."""

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


#: "1" prints solve progress as plain lines on stderr whatever the terminal, "0" never
PROGRESS_ENV = "THERMAL_CPO_PROGRESS"
#: plain progress lines are at most this often (s); the first always shows
PLAIN_EVERY = 1.0


def describe_event(event: dict) -> str:
    """One line for a progress event of a steady solve or a crosstalk (see
    :func:`thermal_cpo.solve_steady` and :func:`thermal_cpo.analysis.crosstalk`)."""
    res = event.get("residual", float("nan"))
    tail = f"iteration {event['iteration']}" + ("" if res != res else f", residual {res:.1e}")
    if "source" in event and event["source"]:
        name = f" ({event['name']})" if event.get("name") else ""
        return f"crosstalk: source {event['source']} of {event['of']}{name}, {tail}"
    head = "crosstalk operating point: " if "source" in event else ""
    outer = f" (property / k(T) iteration {event['outer']})" if event.get("outer") else ""
    return f"{head}steady: linear solve {event['solve']}{outer}, {tail}"


@contextmanager
def solve_progress(quiet: bool = False):
    """A ``progress`` callback for a steady solve or a crosstalk, or None: on a terminal a status
    line on stderr that follows the iterations and goes when the block ends; with
    :data:`PROGRESS_ENV` = "1" and no terminal, a plain line on stderr at most every
    :data:`PLAIN_EVERY` seconds."""
    import time

    flag = os.environ.get(PROGRESS_ENV, "").strip()
    if quiet or flag == "0":
        yield None
        return
    if sys.stderr.isatty():
        from .render import console

        with console(stderr=True).status("steady solve …") as status:
            yield lambda event: status.update(describe_event(event))
        return
    if flag != "1":
        yield None
        return
    last = [-float("inf")]

    def plain(event):
        now = time.monotonic()
        if now - last[0] >= PLAIN_EVERY:
            last[0] = now
            print(describe_event(event), file=sys.stderr, flush=True)

    yield plain
