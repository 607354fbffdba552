"""The voxelize stage: Package → :class:`Mesh` (a graded rectilinear grid with per-cell material,
component and power) and, beside it, :class:`MeshSetup` (every mask and map the later stages
need, so none of them reads the Package for geometry)."""

from __future__ import annotations

from .axes import build_axes, graded_axis
from .memory import (BYTES_PER_CELL, BYTES_PER_CELL_COOLANT, available_memory, bytes_per_cell, check_memory,
                     memory_limit)
from .mesh import ComponentInfo, Mesh
from .sampling import component_weights, heater_weights, point_weights, resolution_warnings, ring_volume, ring_weights
from .setup import CoolingRegion, FaceCondition, MeshSetup, face_cells, mesh_setup
from .voxelize import component_infos, distribute, step_unit_maps, unit_power_map, voxelize

__all__ = ["Mesh", "ComponentInfo", "MeshSetup", "FaceCondition", "CoolingRegion", "face_cells",
           "mesh_setup", "voxelize", "build_axes", "graded_axis", "component_infos", "distribute",
           "unit_power_map", "step_unit_maps", "available_memory", "memory_limit", "check_memory", "bytes_per_cell", "BYTES_PER_CELL",
           "BYTES_PER_CELL_COOLANT", "component_weights", "point_weights", "ring_volume",
           "ring_weights", "heater_weights", "resolution_warnings"]
