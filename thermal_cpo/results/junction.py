"""Junction temperatures: the temperature of a face-powered component's powered face.

The cell-centred field holds a face-powered die's hottest value half a cell above its junction:
low by the rise across that half cell, and converging at first order. The face itself is
reconstructed per column from the two cells (or cell and boundary) on either side and the
source that enters there: with ``G_c`` the half-cell conductance of the powered cell, ``G_o``
what lies beyond the face (the rest of the face conductance, a boundary's, or 0 when adiabatic)
and ``P`` the column's power, ``T_f = (G_c T_c + G_o T_o + P) / (G_c + G_o)`` — heat balance at
the face. Exact for 1-D conduction, second order in general.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..operator import Operator


def _face_patch(op: Operator, face: str):
    """The terms of every active condition on an outer face, summed in the face's layout: ``G``
    (W/K), ``T`` (°C, their conductance-weighted temperature) and ``Q`` (W, or None); None when
    no condition is active there. A face may carry several conditions on rectangles of its own."""
    patches = [p for p in op.patches if p.face == face]
    if not patches:
        return None
    G = sum(p.G for p in patches)
    GT = sum(p.G * p.T for p in patches)
    T = np.divide(GT, G, out=np.zeros_like(G), where=G > 0)
    Qs = [p.Q for p in patches if p.Q is not None]
    return SimpleNamespace(G=G, T=T, Q=sum(Qs) if Qs else None)


def junction_temperatures(op: Operator, temperature: np.ndarray) -> dict[int, tuple[float, float]]:
    """Per face-powered component id (``power_at`` "bottom" or "top", power > 0): the hottest and
    the area-weighted mean temperature (°C) of its powered face."""
    mesh = op.mesh
    out = {}
    area = mesh.dy[:, None] * mesh.dx[None, :]
    for c in mesh.components:
        if c.power_at not in ("bottom", "top"):
            continue
        cells = mesh.component == c.id
        cols = cells.any(axis=0)
        if not cols.any() or mesh.power[cells].sum() <= 0:
            continue
        top = c.power_at == "top"
        nz = mesh.shape[0]
        # the powered cell of every column: the component's lowest (or highest) cell there
        k = (nz - 1 - np.argmax(cells[::-1], axis=0)) if top else np.argmax(cells, axis=0)
        j, i = np.nonzero(cols)
        k = k[j, i]
        flat = np.ravel_multi_index((k, j, i), mesh.shape)
        kz = op.conductivity_at(0, flat)
        A = area[j, i]
        G_c = 2.0 * kz * A / mesh.dz[k]
        T_c = temperature[k, j, i]
        G_o, T_o = _beyond(op, temperature, k, j, i, G_c, top)
        P = mesh.power[k, j, i]
        T_f = (G_c * T_c + G_o * T_o + P) / (G_c + G_o)
        out[c.id] = (float(T_f.max()), float((T_f * A).sum() / A.sum()))
    return out


def _rest(G_face: np.ndarray, G_c: np.ndarray) -> np.ndarray:
    """The conductance (W/K) of what a face conductance ``G_face`` holds beyond the powered
    cell's own half cell ``G_c``; 0 where nothing conducts, and for a fixed temperature at the
    face itself (no resistance left) large enough that the face takes that temperature."""
    out = np.zeros_like(G_c)
    on = G_face > 0
    R = 1.0 / G_face[on] - 1.0 / G_c[on]
    out[on] = 1.0 / np.maximum(R, 1e-12 / G_c[on])
    return out


def _beyond(op: Operator, T: np.ndarray, k, j, i, G_c, top: bool):
    """The conductance (W/K) from the powered face to what lies beyond it and that temperature:
    the neighbour cell through the rest of the face conductance, or the outer face's boundary."""
    nz = op.mesh.shape[0]
    G_o, T_o = np.zeros(len(k)), np.zeros(len(k))
    inner = (k < nz - 1) if top else (k > 0)
    kk = k[inner] if top else k[inner] - 1  # index of the face between the two cells in gz
    G_o[inner] = _rest(op.gz[kk, j[inner], i[inner]], G_c[inner])
    T_o[inner] = T[k[inner] + (1 if top else -1), j[inner], i[inner]]
    outer = ~inner
    patch = _face_patch(op, "top" if top else "bottom")
    if patch is not None and outer.any():
        G_o[outer] = _rest(patch.G[j[outer], i[outer]], G_c[outer])
        T_o[outer] = patch.T if np.isscalar(patch.T) else np.asarray(patch.T)[j[outer], i[outer]]
    return G_o, T_o
