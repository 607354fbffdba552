"""Option types whose choices are the package's registries: the linear solvers and the export
formats. The registries are read when a choice is checked or listed, not when the command line
is imported (the solvers' registry loads numba), so a solver or format registered later is
offered too."""

from __future__ import annotations

from typing import Callable, Sequence

import click

from ..errors import LayoutError
from .errors import InputError


class RegistryChoice(click.Choice):
    """A :class:`click.Choice` over the names ``names()`` returns at the time of asking.

    ``resolve(value)`` gives the value the command receives, or raises a
    :class:`~thermal_cpo.errors.LayoutError` whose message (the registry's own: the valid names,
    the closest ones) is shown as a command's input error.
    """

    def __init__(self, names: Callable[[], Sequence[str]], resolve: Callable[[str], str]):
        self._names = names
        self._resolve = resolve
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    def convert(self, value, param, ctx):
        try:
            return self._resolve(value)
        except LayoutError as exc:
            raise InputError(str(exc)) from None


def _solver_names() -> tuple[str, ...]:
    from ..linalg import solver_names

    return solver_names()


def _solver(value: str) -> str:
    """``value`` when the solver registry knows it (hidden aliases included)."""
    from ..linalg import make_solver, solver_kind

    if value == "auto" or solver_kind(value) is not None:
        return value
    make_solver(value, 0)  # refuses the name in the registry's words
    raise LayoutError(f"unknown solver {value!r}", path="solver")  # pragma: no cover


def _format_names() -> list[str]:
    from ..io.registry import format_names

    return format_names()


def _format(value: str) -> str:
    """The registered name of the export format ``value`` (any case, a leading dot allowed)."""
    from ..io.registry import lookup

    return lookup(value).name


SOLVER = RegistryChoice(_solver_names, _solver)
EXPORT_FORMAT = RegistryChoice(_format_names, _format)


#: the longest transient ``--t-end`` may ask for (s), ten days: package time constants run from
#: ms (a die) to minutes (a lid, a cold plate), so a run this long has long reached its steady
#: state, which the steady solve gives directly; 1e300 s or inf is a slip, not a transient
T_END_MAX = 1e6


class EndTime(click.ParamType):
    """``--t-end``: a time in (0, :data:`T_END_MAX`] s, bare seconds or with units ('10 ms'),
    refused before anything is read or solved; the command receives it in seconds."""

    name = "time"

    def convert(self, value, param, ctx):
        from .. import units

        flag = "--t-end"
        try:
            t = units.parse_plain(value, units.TIME, flag)
        except LayoutError as exc:
            raise InputError(str(exc)) from None
        if not 0 < t <= T_END_MAX:
            raise InputError(f"{flag}: must be > 0 s and at most {T_END_MAX:g} s (ten days; a longer "
                             f"run is the steady state: drop --transient), got {value!r}")
        return t


T_END = EndTime()

#: the ``--solver`` option of every command that solves
solver_option = click.option("--solver", type=SOLVER, default="auto", show_default=True,
                             help="Linear solver (auto = multigrid; amg = pyamg Ruge-Stüben CG).")
