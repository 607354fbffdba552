"""The per-cell arrays every mesh export carries, in the form the VTK writers store them.

Cells are numbered as VTK numbers them: the cell at index ``(k, j, i)`` of the ``(nz, ny, nx)``
arrays is VTK cell ``i + nx*(j + ny*k)`` (x fastest — the C order of the arrays here).
"""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError


def cell_fields(result) -> dict[str, np.ndarray]:
    """The exported cell arrays, little-endian, C-contiguous ``(nz, ny, nx)``.

    ``temperature`` (float64, °C; a transient's ``temperature`` is its last stored step),
    ``power`` (float64, W/m³, the heat-source density: for a transient with ``step_power``,
    the one applied at its last stored step, else the nominal one), ``material`` (uint16,
    index into ``mesh.material_names``) and ``component`` (int32, component id, -1 = none).
    ``result`` is any object with ``mesh`` and ``temperature``.
    """
    mesh = result.mesh
    t = np.asarray(result.temperature)
    if t.shape != mesh.shape:
        raise LayoutError(f"cannot export a temperature of shape {t.shape} on a grid of "
                          f"{mesh.shape} cells (a field per cell is expected)")
    powers = getattr(result, "step_power", None)
    power = powers[-1] if powers else mesh.power_density()
    return {
        "temperature": np.ascontiguousarray(t, dtype="<f8"),
        "power": np.ascontiguousarray(power, dtype="<f8"),
        "material": np.ascontiguousarray(mesh.material, dtype="<u2"),
        "component": np.ascontiguousarray(mesh.component, dtype="<i4"),
    }


def name_tables(result) -> dict[str, list[str]]:
    """The id → name tables of the ``material`` and ``component`` cell arrays."""
    mesh = result.mesh
    comps = sorted(mesh.components, key=lambda c: c.id)
    if [c.id for c in comps] != list(range(len(comps))):  # pragma: no cover - ids are 0..n-1
        raise LayoutError("internal: component ids are not 0..n-1")
    return {"material_names": [str(n) for n in mesh.material_names],
            "component_names": [c.name for c in comps]}
