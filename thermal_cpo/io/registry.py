"""The export formats by name, in the style of meshio's format registry.

Every module of :mod:`thermal_cpo.io.formats` registers one format when imported, with
:func:`register_format`; the package is scanned (``pkgutil``) on the first look-up, so adding a
format is adding one module there. Look-ups accept any case and a leading dot (``"VTR"``,
``".vtr"``); an unknown name is a :class:`~thermal_cpo.errors.LayoutError` that lists the
valid names and the closest ones.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Callable

from ..errors import LayoutError, nearest


@dataclass(frozen=True)
class Format:
    """One export format.

    ``writer(result, path) -> str`` writes ``result`` (any object with ``mesh``,
    ``temperature`` — ``(nz, ny, nx)``, °C — and, for transients, ``times`` in s and
    ``steps``) to ``path`` and returns the path written. A ``sidecar`` format describes the
    result file rather than copying it: its writer gets the result file's path and writes
    beside it, as that path with ``suffix``. ``needs`` names the optional package the writer
    imports (``None``: core dependencies only); ``suggest_for`` holds lower-case glob patterns
    of unknown names for which this format is suggested first.
    """

    name: str
    suffix: str
    writer: Callable
    needs: str | None = None
    description: str = ""
    sidecar: bool = False
    suggest_for: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        """Whether the package in ``needs`` can be imported here (always true without one)."""
        if self.needs is None:
            return True
        try:
            return importlib.util.find_spec(self.needs) is not None
        except (ImportError, ValueError):  # a module blocked in sys.modules has no spec
            return False


_FORMATS: dict[str, Format] = {}
_discovered = False


def normalize(name) -> str:
    """The registry key of a format name: stripped, lower case, without a leading dot."""
    return str(name).strip().lower().lstrip(".")


def register_format(name: str, *, suffix: str, writer: Callable, needs: str | None = None,
                    description: str = "", sidecar: bool = False, suggest_for=(),
                    replace: bool = False) -> Format:
    """Register the export format ``name`` (see :class:`Format` for the fields); returns it.

    ``name`` must already be in registry form (lower case, no dot, no surrounding blanks) and
    ``suffix`` start with a dot. Registering a taken name is a ``ValueError`` unless
    ``replace`` is true: two modules claiming one name is a packaging mistake, not user input.
    """
    if not name or normalize(name) != name:
        raise ValueError(f"export format name {name!r}: use lower case, without a leading dot")
    if not suffix.startswith(".") or len(suffix) < 2:
        raise ValueError(f"export format {name!r}: suffix {suffix!r} must look like '.ext'")
    if name in _FORMATS and not replace:
        raise ValueError(f"export format {name!r} is already registered "
                         f"(writer {_FORMATS[name].writer.__module__})")
    fmt = Format(name, suffix, writer, needs, description, bool(sidecar), tuple(suggest_for))
    _FORMATS[name] = fmt
    return fmt


def unregister_format(name: str) -> Format:
    """Remove the format ``name`` from the registry; returns it. Unknown: LayoutError."""
    fmt = lookup(name)
    del _FORMATS[fmt.name]
    return fmt


def _discover() -> None:
    """Import every module of :mod:`thermal_cpo.io.formats` once, so each registers itself."""
    global _discovered
    if _discovered:
        return
    from . import formats as package

    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):  # private helpers are not formats
            importlib.import_module(f"{package.__name__}.{info.name}")
    # only after every import succeeded: a broken module keeps failing loudly, not silently
    _discovered = True


def formats() -> dict[str, Format]:
    """Every registered format, name → :class:`Format`, sorted by name."""
    _discover()
    return {name: _FORMATS[name] for name in sorted(_FORMATS)}


def format_names() -> list[str]:
    """The registered format names, sorted."""
    return list(formats())


def lookup(name) -> Format:
    """The :class:`Format` called ``name`` (any case, leading dot allowed).

    Unknown names raise a :class:`LayoutError` (``path="--format"``) naming the format, with
    the closest names as a did-you-mean hint and the list of valid ones.
    """
    table = formats()
    key = normalize(name)
    if key in table:
        return table[key]
    names = list(table)
    first = [f.name for f in table.values() if any(fnmatchcase(key, p) for p in f.suggest_for)]
    hits = first + [h for h in nearest(key, names) if h not in first]
    hint = f"; did you mean {' or '.join(repr(h) for h in hits)}?" if hits else ""
    raise LayoutError(f"unknown export format {name!r}{hint} (formats: {', '.join(names)})",
                      path="--format")


def writer_for(name) -> Callable:
    """The writer function of the format ``name``; unknown names as in :func:`lookup`."""
    return lookup(name).writer
