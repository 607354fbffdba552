"""Heat-source kinds' physics, registered by name (every module of this package), and the
sources of a voxelized package."""

from __future__ import annotations

import importlib
import pkgutil

from .base import HeatSource, source_for

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

from .constant import ConstantPower  # noqa: E402
from .field import Sources, component_sources  # noqa: E402
from .trace import PowerTrace  # noqa: E402
from .trace_file import read_trace_csv  # noqa: E402

__all__ = ["HeatSource", "source_for", "ConstantPower", "PowerTrace", "Sources", "component_sources",
           "read_trace_csv"]
