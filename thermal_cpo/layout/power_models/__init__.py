"""Temperature-dependent power models a component may carry (``power_model = {kind = ...}``),
registered by name (every module of this package)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import PowerModelSpec

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

from ...schema import kind_union  # noqa: E402
from .laser import LaserModel  # noqa: E402
from .leakage import LeakageModel  # noqa: E402

#: a field type accepting every registered power-model kind
PowerModelKind = kind_union(PowerModelSpec)

__all__ = ["PowerModelSpec", "LeakageModel", "LaserModel", "PowerModelKind"]
