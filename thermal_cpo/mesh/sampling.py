"""Values at the places they describe: linear functionals ``(flat cells, weights)`` of a
cell-centred field that give a component's volume mean, a point's interpolated temperature, or a
ring's mean over its own volume, so that reported figures converge with the grid instead of
jumping with the cell that happens to contain a point.

A functional is ``(idx, w)``: flat cell indices into the ``(nz, ny, nx)`` field and weights
summing to 1, so that the value is ``T.ravel()[idx] @ w``.
"""

from __future__ import annotations

import numpy as np

from .mesh import ComponentInfo, Mesh

#: a ring volume resolved by fewer cells than this across (per lateral direction) gets a warning
MIN_RING_CELLS = 2


def component_weights(mesh: Mesh, cid: int) -> tuple[np.ndarray, np.ndarray]:
    """The volume mean over the visible cells of component ``cid``."""
    idx = np.flatnonzero(mesh.component.ravel() == cid)
    vol = mesh.cell_volumes().ravel()[idx]
    return idx, vol / vol.sum() if vol.sum() > 0 else vol


def _bracket(centres: np.ndarray, v: float):
    """The two cell-centre indices around ``v`` and the weight of the upper one (clamped)."""
    n = len(centres)
    if n == 1 or v <= centres[0]:
        return 0, 0, 0.0
    if v >= centres[-1]:
        return n - 1, n - 1, 0.0
    hi = int(np.searchsorted(centres, v, side="right"))
    lo = hi - 1
    return lo, hi, float((v - centres[lo]) / (centres[hi] - centres[lo]))


def point_weights(mesh: Mesh, x: float, y: float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Trilinear interpolation between the cell centres around the point ``(x, y, z)`` (m);
    outside the outermost centres the value is held (no extrapolation)."""
    xc, yc, zc = mesh.centers()
    nz, ny, nx = mesh.shape
    bx, by, bz = _bracket(xc, x), _bracket(yc, y), _bracket(zc, z)
    acc: dict[int, float] = {}
    for k, wk in ((bz[0], 1 - bz[2]), (bz[1], bz[2])):
        for j, wj in ((by[0], 1 - by[2]), (by[1], by[2])):
            for i, wi in ((bx[0], 1 - bx[2]), (bx[1], bx[2])):
                if wk * wj * wi > 0:
                    key = (k * ny + j) * nx + i
                    acc[key] = acc.get(key, 0.0) + wk * wj * wi
    idx = np.fromiter(acc.keys(), dtype=np.int64)
    return idx, np.fromiter(acc.values(), dtype=float)


def _top_cell_z(mesh: Mesh, comp: ComponentInfo, x: float, y: float) -> float:
    """The centre height (m) of ``comp``'s top visible cell at ``(x, y)``: a ring without a
    height sits in its component's top cell layer (the device layer of a face-up PIC)."""
    k0, k1 = comp.index[0], comp.index[1]
    i = int(np.clip(np.searchsorted(mesh.x, x, side="right") - 1, 0, mesh.shape[2] - 1))
    j = int(np.clip(np.searchsorted(mesh.y, y, side="right") - 1, 0, mesh.shape[1] - 1))
    ks = np.nonzero(mesh.component[k0:k1, j, i] == comp.id)[0]
    k = k0 + int(ks[-1]) if len(ks) else k1 - 1
    return float(0.5 * (mesh.z[k] + mesh.z[k + 1]))


def ring_volume(mesh: Mesh, comp: ComponentInfo, ring) -> ComponentInfo | None:
    """The ring's own volume: the smallest other block or box whose footprint contains the ring
    position and whose height lies within ``comp``'s (a ring block in the device layer)."""
    x, y = ring[0], ring[1]
    z0, z1 = comp.bounds[4], comp.bounds[5]
    best = None
    for c in mesh.components:
        if c.id == comp.id or c.kind == "layer":
            continue
        bx0, bx1, by0, by1, bz0, bz1 = c.bounds
        inside = bx0 <= x <= bx1 and by0 <= y <= by1 and bz0 >= z0 - 1e-12 and bz1 <= z1 + 1e-12
        if len(ring) == 3:
            inside = inside and bz0 <= ring[2] <= bz1
        if inside and (best is None or c.declared_volume < best.declared_volume):
            best = c
    return best


def _own_weights(mesh: Mesh, comp: ComponentInfo, ring):
    """The volume mean over the ring's own visible volume, or None without one."""
    own = ring_volume(mesh, comp, ring)
    if own is None:
        return None
    w = component_weights(mesh, own.id)
    return w if len(w[0]) else None


def _ring_z(mesh: Mesh, comp: ComponentInfo, ring) -> float:
    """A ring's height (m): its own, else the centre of its component's top cell there."""
    return ring[2] if len(ring) == 3 else _top_cell_z(mesh, comp, ring[0], ring[1])


def ring_weights(mesh: Mesh, comp: ComponentInfo) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per ring of ``comp``: its mean over its own volume (:func:`ring_volume`) where it has
    one, else the temperature interpolated at its position."""
    out = []
    for ring in comp.photonics.rings:
        own = _own_weights(mesh, comp, ring)
        out.append(own if own is not None else point_weights(mesh, ring[0], ring[1], _ring_z(mesh, comp, ring)))
    return out


def heater_weights(mesh: Mesh, comp: ComponentInfo) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per ring of ``comp``: where its heater's heat goes, ``(flat cells, W per cell for 1 W)``
    — its own volume in proportion to cell volume, or, without one, the cell holding the ring."""
    out = []
    for ring in comp.photonics.rings:
        own = _own_weights(mesh, comp, ring)  # heat in proportion to cell volume: the volume mean's
        if own is None:
            ijk = [int(np.clip(np.searchsorted(a, v, side="right") - 1, 0, len(a) - 2))
                   for a, v in ((mesh.z, _ring_z(mesh, comp, ring)), (mesh.y, ring[1]), (mesh.x, ring[0]))]
            own = (np.array([np.ravel_multi_index(ijk, mesh.shape)]), np.ones(1))
        out.append(own)
    return out


def resolution_warnings(mesh: Mesh, comp: ComponentInfo) -> list[str]:
    """Warnings for rings of ``comp`` whose value or heater is resolved too coarsely: a ring
    volume fewer than :data:`MIN_RING_CELLS` cells across, or heated rings with no volume of
    their own (one warning for all of them)."""
    out, bare = [], []
    for r, ring in enumerate(comp.photonics.rings):
        own = ring_volume(mesh, comp, ring)
        if own is None:
            bare.append(r)
            continue
        k0, k1, j0, j1, i0, i1 = own.index
        if min(j1 - j0, i1 - i0) < MIN_RING_CELLS:
            out.append(f"ring {r} of {comp.name!r} ({own.name!r}) is resolved by "
                       f"{i1 - i0} × {j1 - j0} cells, fewer than {MIN_RING_CELLS} across: set "
                       f"max_cell_xy on {own.name!r} to at most half its width")
    if bare and comp.photonics.heater is not None:
        out.append(f"{len(bare)} ring(s) of {comp.name!r} have no block of their own: each heater "
                   "heats the cell holding its ring, and its ring by the self-heating the declared "
                   "tuning_efficiency implies (a sub-grid model); give each ring a block to resolve it")
    return out
