"""Boundary kinds' physics, registered by name (every module of this package)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import BoundaryModel, BoundaryPatch, model_for

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

__all__ = ["BoundaryModel", "BoundaryPatch", "model_for"]
