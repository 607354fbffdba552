"""Results: temperature fields, per-component metrics, crosstalk matrices and solver statistics."""

from __future__ import annotations

from .components import ComponentResult, component_table
from .crosstalk import Crosstalk
from .result import Result, load_result

__all__ = ["Result", "ComponentResult", "Crosstalk", "component_table", "load_result"]
