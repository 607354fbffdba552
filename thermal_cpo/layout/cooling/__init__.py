"""Cooling kinds of the layout, registered by name (every module of this package)."""

from __future__ import annotations

import importlib
import pkgutil

from .base import CoolingSpec, FaceCooling, FlowDirection, LayerCooling

for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")

from ...schema import kind_union  # noqa: E402
from .channels import Channels  # noqa: E402
from .microchannel import ColdPlate  # noqa: E402

#: field types accepting every registered kind of each family
FaceCoolingKind = kind_union(FaceCooling)
LayerCoolingKind = kind_union(LayerCooling)

__all__ = ["CoolingSpec", "FaceCooling", "LayerCooling", "FlowDirection", "ColdPlate", "Channels",
           "FaceCoolingKind", "LayerCoolingKind"]
