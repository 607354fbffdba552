"""The voxelize stage: Package → :class:`Mesh` (a graded rectilinear grid with per-cell material,
component and power, and every geometric mask the later stages need)."""

from __future__ import annotations

from .voxelize import (BYTES_PER_CELL, BYTES_PER_CELL_COOLANT, ComponentInfo, Mesh, available_memory,
                       build_axes, component_infos, distribute, graded_axis, memory_limit, unit_power_map,
                       voxelize)

__all__ = ["Mesh", "ComponentInfo", "voxelize", "build_axes", "graded_axis", "component_infos",
           "distribute", "unit_power_map", "available_memory", "memory_limit", "BYTES_PER_CELL",
           "BYTES_PER_CELL_COOLANT"]
