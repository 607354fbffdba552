"""Exception hierarchy.

Every error the program raises on purpose derives from :class:`ThermalCPOError`, and also
from the builtin type a Python user would expect, so ``except ValueError`` keeps working.
The command line maps :class:`LayoutError` to exit code 2 and :class:`SolverError` to 1.
"""

from __future__ import annotations

import difflib


class ThermalCPOError(Exception):
    """Base class of every error raised by thermal_cpo on purpose."""


class LayoutError(ValueError, ThermalCPOError):
    """Bad input: a layout, a material, a setting or a file the user gave.

    ``path`` is the location in the layout (``layers[2].blocks[0].x``) when there is one,
    ``problems`` a list of ``(path, message)`` pairs when several were found at once.
    """

    def __init__(self, message: str, path: str | None = None, problems=None):
        self.path = path
        self.problems = list(problems) if problems else ([(path, message)] if path else [])
        super().__init__(f"{path}: {message}" if path else message)


class SolverError(RuntimeError, ThermalCPOError):
    """A solve that did not succeed (no convergence, non-finite values)."""


def nearest(word: str, choices, n: int = 3) -> list[str]:
    """Closest spellings of ``word`` among ``choices`` (for 'did you mean' hints)."""
    choices = list(choices)
    hits = difflib.get_close_matches(word, choices, n=n, cutoff=0.5)
    if not hits:
        low = {c.lower(): c for c in choices}
        hits = [low[h] for h in difflib.get_close_matches(word.lower(), list(low), n=n, cutoff=0.4)]
    return hits


def did_you_mean(word: str, choices) -> str:
    """A '; did you mean ...?' suffix for an error message, or '' when nothing is close."""
    hits = nearest(word, choices)
    return f"; did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""


class RunawayError(SolverError):
    """A package whose temperature-dependent power has no steady state: the power grows faster
    with temperature than the package can carry it away (a thermal runaway)."""
