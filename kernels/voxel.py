"""Voxel painting kernels: material/component ids and per-cell power on a rectilinear grid.

Arrays are ``(nz, ny, nx)``; component boxes are index ranges ``(k0, k1, j0, j1, i0, i1)``
(half-open), painted in order so later boxes win.
"""

from __future__ import annotations

import numpy as np

from .jit import kernel


@kernel
def paint(material, component, boxes, mat_ids, comp_ids):
    """Paint each box ``b`` with material ``mat_ids[b]`` and component ``comp_ids[b]``, in order."""
    for b in range(boxes.shape[0]):
        m = mat_ids[b]
        c = comp_ids[b]
        for k in range(boxes[b, 0], boxes[b, 1]):
            for j in range(boxes[b, 2], boxes[b, 3]):
                for i in range(boxes[b, 4], boxes[b, 5]):
                    material[k, j, i] = m
                    component[k, j, i] = c


@kernel
def distribute_power(power, component, dx, dy, dz, boxes, comp_ids, modes, watts, visible):
    """Spread ``watts[b]`` (W) over the visible cells of component ``comp_ids[b]`` inside its box.

    ``modes[b]``: 0 = uniformly over the volume, 1 = over the bottom cell layer (k0),
    2 = over the top cell layer (k1 - 1); face modes weight by cell area. ``visible[b]`` receives
    the weight sum (m³ or m²), zero when the component has no visible cell where its power goes.
    """
    for b in range(boxes.shape[0]):
        c = comp_ids[b]
        k0, k1 = boxes[b, 0], boxes[b, 1]
        if modes[b] == 1:
            k1 = k0 + 1
        elif modes[b] == 2:
            k0 = k1 - 1
        total = 0.0
        for k in range(k0, k1):
            wz = dz[k] if modes[b] == 0 else 1.0
            for j in range(boxes[b, 2], boxes[b, 3]):
                for i in range(boxes[b, 4], boxes[b, 5]):
                    if component[k, j, i] == c:
                        total += wz * dy[j] * dx[i]
        visible[b] = total
        if total > 0.0 and watts[b] != 0.0:
            scale = watts[b] / total
            for k in range(k0, k1):
                wz = dz[k] if modes[b] == 0 else 1.0
                for j in range(boxes[b, 2], boxes[b, 3]):
                    for i in range(boxes[b, 4], boxes[b, 5]):
                        if component[k, j, i] == c:
                            power[k, j, i] += scale * (wz * dy[j] * dx[i])


@kernel
def component_volumes(component, dx, dy, dz, n_components):
    """Visible volume (m³) of every component id ``0..n_components-1``."""
    out = np.zeros(n_components)
    nz, ny, nx = component.shape
    for k in range(nz):
        for j in range(ny):
            for i in range(nx):
                c = component[k, j, i]
                if c >= 0:
                    out[c] += dz[k] * dy[j] * dx[i]
    return out
