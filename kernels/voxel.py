"""Voxel painting: material/component ids and per-cell power on a rectilinear grid.

Arrays are ``(nz, ny, nx)``; component boxes are index ranges ``(k0, k1, j0, j1, i0, i1)``
(half-open), painted in order so later boxes win.

These run once per mesh, so they are numpy rather than compiled kernels: a compilation would
cost more than every call of a run together. Sums run in the order of a loop over the box
(k, j, i; ``np.cumsum`` and ``np.bincount`` add sequentially), products are formed in the same
order as well, so the results are those of the loops, to the last bit.
"""

from __future__ import annotations

import numpy as np


def paint(material, component, boxes, mat_ids, comp_ids):
    """Paint each box ``b`` with material ``mat_ids[b]`` and component ``comp_ids[b]``, in order."""
    for b in range(boxes.shape[0]):
        k0, k1, j0, j1, i0, i1 = boxes[b]
        material[k0:k1, j0:j1, i0:i1] = mat_ids[b]
        component[k0:k1, j0:j1, i0:i1] = comp_ids[b]


def _box_weights(dx, dy, dz, k0, k1, j0, j1, i0, i1, by_volume):
    """Cell volumes (m³) of a box, or face areas (m²) of its layers when not ``by_volume``."""
    wz = dz[k0:k1] if by_volume else np.ones(k1 - k0)
    return (wz[:, None, None] * dy[None, j0:j1, None]) * dx[None, None, i0:i1]


def distribute_power(power, component, dx, dy, dz, boxes, comp_ids, modes, watts, visible):
    """Spread ``watts[b]`` (W) over the visible cells of component ``comp_ids[b]`` inside its box.

    ``modes[b]``: 0 = uniformly over the volume, 1 = over the bottom cell layer (k0),
    2 = over the top cell layer (k1 - 1); face modes weight by cell area. ``visible[b]`` receives
    the weight sum (m³ or m²), zero when the component has no visible cell where its power goes.
    """
    for b in range(boxes.shape[0]):
        k0, k1, j0, j1, i0, i1 = (int(v) for v in boxes[b])
        if modes[b] == 1:
            k1 = k0 + 1
        elif modes[b] == 2:
            k0 = k1 - 1
        w = _box_weights(dx, dy, dz, k0, k1, j0, j1, i0, i1, modes[b] == 0)
        inside = component[k0:k1, j0:j1, i0:i1] == comp_ids[b]
        wv = w[inside]
        total = float(np.cumsum(wv)[-1]) if wv.size else 0.0
        visible[b] = total
        if total > 0.0 and watts[b] != 0.0:
            scale = watts[b] / total
            box = power[k0:k1, j0:j1, i0:i1]
            box[inside] += scale * wv


def component_volumes(component, dx, dy, dz, n_components):
    """Visible volume (m³) of every component id ``0..n_components-1``."""
    v = (dz[:, None, None] * dy[None, :, None]) * dx[None, None, :]
    seen = component >= 0
    return np.bincount(component[seen], weights=v[seen], minlength=n_components)[:n_components]
