"""Surface temperatures: the hottest point of a component's boundary faces.

A component's hottest point often lies on its surface — an HBM stack's face towards the
accelerator, a laser's face on its hot submount — where the cell-centred field holds it half a
cell inside, low by the rise across that half cell and converging at first order. Every face a
component shares with another component or with an outer boundary is reconstructed as
:mod:`.junction` does its powered face, by heat balance at the face: with ``G_c`` the half-cell
conductance of the component's cell, ``G_o`` what lies beyond (the rest of the face conductance
to the neighbour cell, a boundary's conductance, 0 when adiabatic or wetted by coolant) and
``Q`` a prescribed flux entering there, ``T_f = (G_c T_c + G_o T_o + Q) / (G_c + G_o)``; exact
for 1-D conduction, second order in general. A face-powered component's powered face is the
junction's (its source enters there) and is left to :mod:`.junction`.
"""

from __future__ import annotations

import numpy as np

from ..operator import Operator
from .junction import _face_patch, _rest

#: per axis of a (nz, ny, nx) field: the face conductance array's name and the outer faces
#: at its low and high ends
_AXES = ((0, "gz", "bottom", "top"), (1, "gy", "ymin", "ymax"), (2, "gx", "xmin", "xmax"))


def _areas(mesh, axis: int) -> np.ndarray:
    """Face area (m²) normal to ``axis`` of every cell, broadcast to (nz, ny, nx)."""
    dz, dy, dx = mesh.dz[:, None, None], mesh.dy[None, :, None], mesh.dx[None, None, :]
    return np.broadcast_to((dy * dx, dz * dx, dz * dy)[axis], mesh.shape)


def _skip_powered(mesh, axis: int, high: bool) -> np.ndarray:
    """Per component id: whether its faces on this side are its powered face (the junction's)."""
    face = ("top" if high else "bottom") if axis == 0 else None
    return np.array([c.power_at == face and c.power > 0 for c in mesh.components] + [False])


def _interior(mesh, g, T, axis: int, high: bool, skip):
    """The component cells with a face towards a different component on this side: their
    indices, the face conductances and the neighbours' temperatures."""
    comp, n = mesh.component, mesh.shape[axis]
    sl = lambda a, b: tuple(slice(a, b) if d == axis else slice(None) for d in range(3))  # noqa: E731
    here, there = (sl(0, n - 1), sl(1, n)) if high else (sl(1, n), sl(0, n - 1))
    own = comp[here]
    idx = np.nonzero((own != comp[there]) & (own >= 0) & ~skip[own])
    cells = tuple(ix + (0 if high or d != axis else 1) for d, ix in enumerate(idx))
    return cells, g[idx], T[there][idx], 0.0


def _outer(mesh, patch, axis: int, high: bool, skip):
    """The component cells on the outer face of this side: their indices, the boundary's
    conductances, temperature and prescribed heat (none where the face is adiabatic)."""
    comp, n = mesh.component, mesh.shape[axis]
    layer = comp.take([n - 1 if high else 0], axis=axis)
    idx = np.nonzero((layer >= 0) & ~skip[layer])
    cells = tuple(ix + (n - 1 if high and d == axis else 0) for d, ix in enumerate(idx))
    if patch is None:
        zero = np.zeros(len(idx[0]))
        return cells, zero, zero, 0.0
    on_face = tuple(ix for d, ix in enumerate(cells) if d != axis)  # the face's (·, ·) layout
    T_o = patch.T if np.isscalar(patch.T) else np.asarray(patch.T)[on_face]
    Q = 0.0 if patch.Q is None else patch.Q[on_face]
    return cells, patch.G[on_face], T_o, Q


def _side(op: Operator, T: np.ndarray, axis: int, high: bool, hottest: np.ndarray) -> None:
    """Fold the face temperatures of one side (``high``: towards +axis) of every component's
    boundary cells into ``hottest`` (°C per component id, in place)."""
    mesh = op.mesh
    _, g_name, low_face, high_face = _AXES[axis]
    face = high_face if high else low_face
    patch = _face_patch(op, face)
    skip = _skip_powered(mesh, axis, high)
    h = (mesh.dz, mesh.dy, mesh.dx)[axis]
    for cells, g_face, T_o, Q in (_interior(mesh, getattr(op, g_name), T, axis, high, skip),
                                  _outer(mesh, patch, axis, high, skip)):
        if len(cells[0]) == 0:
            continue
        flat = np.ravel_multi_index(cells, mesh.shape)
        G_c = 2.0 * op.conductivity_at(axis, flat) * _areas(mesh, axis)[cells] / h[cells[axis]]
        G_o = _rest(np.asarray(g_face, dtype=float), G_c)
        T_f = (G_c * T[cells] + G_o * T_o + Q) / (G_c + G_o)
        np.maximum.at(hottest, mesh.component[cells], T_f)


def surface_temperatures(op: Operator, temperature: np.ndarray) -> dict[int, float]:
    """Per component id: the hottest temperature (°C) on its boundary faces — every face shared
    with another component or an outer boundary, its powered face (if face-powered) excepted."""
    hottest = np.full(len(op.mesh.components), -np.inf)
    T = np.asarray(temperature, dtype=float)
    for axis in range(3):
        for high in (False, True):
            _side(op, T, axis, high, hottest)
    return {i: float(v) for i, v in enumerate(hottest) if np.isfinite(v)}
