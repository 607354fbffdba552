"""Coolant models: every cooling kind as coolant nodes coupled to the cells, registered by name
(every module of this package that defines a :class:`CoolingModel`), and the correlations they
share."""

from __future__ import annotations

import importlib
import pkgutil

from .base import CoolingModel, Coupling, model_for

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

from .network import CoolantGroup, CoolantLayout, CoolantNetwork  # noqa: E402

__all__ = ["CoolingModel", "Coupling", "model_for", "CoolantNetwork", "CoolantLayout", "CoolantGroup"]
