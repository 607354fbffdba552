"""Boundary-condition kinds of the layout, registered by name (every module of this package),
and the six faces of a package."""

from __future__ import annotations

import importlib
import pkgutil

from .base import Boundary

for _m in pkgutil.iter_modules(__path__):
    if _m.name != "faces":
        importlib.import_module(f"{__name__}.{_m.name}")

from .adiabatic import Adiabatic  # noqa: E402
from .convective import Convective  # noqa: E402
from .faces import BoundaryKind, Boundaries  # noqa: E402
from .fixed import Fixed  # noqa: E402

__all__ = ["Boundary", "BoundaryKind", "Boundaries", "Adiabatic", "Convective", "Fixed"]
