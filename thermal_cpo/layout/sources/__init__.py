"""Heat-source kinds of the layout, registered by name (every module of this package)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import HeatSourceSpec

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

from ...schema import kind_union  # noqa: E402
from .constant import ConstantSource  # noqa: E402
from .trace import Trace, TraceSource  # noqa: E402

#: a field type accepting every registered heat-source kind
SourceKind = kind_union(HeatSourceSpec)

__all__ = ["HeatSourceSpec", "ConstantSource", "TraceSource", "Trace", "SourceKind"]
