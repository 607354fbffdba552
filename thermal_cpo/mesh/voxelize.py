"""Voxelization: Package → Mesh.

Every component is painted onto the grid of :mod:`.axes` in order (later ones win), and its power
spread over its visible cells as its ``power_at`` says, and in x and y as its power map says
(resampled conservatively by :mod:`.power_maps`) when it has one. A component with a copper-density
map or a void map then has its own cells repainted with the per-cell materials of :mod:`.media`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..errors import LayoutError
from ..layout import Package, snap
from .bound import check_cell_bound
from .levels import level_axes, level_splits
from .memory import bytes_per_cell, check_memory
from .media import paint_media
from .mesh import ComponentInfo, Mesh
from .power_maps import lateral_weights, step_weights


def _index_range(nodes, lo, hi):
    i0 = int(np.searchsorted(nodes, snap(lo) - 1e-12))
    i1 = int(np.searchsorted(nodes, snap(hi) - 1e-12))
    return i0, i1


def component_infos(pkg: Package, x, y, z) -> tuple[ComponentInfo, ...]:
    """Every component in painting order with its declared bounds and cell index box."""
    infos: list[ComponentInfo] = []
    rows = []
    fx, fy = pkg.footprint.x, pkg.footprint.y
    for layer, (z0, z1) in zip(pkg.layers, pkg.layer_bounds()):
        rows.append((layer, "layer", layer.material, (0.0, fx, 0.0, fy, z0, z1)))
        for b in layer.blocks:
            rows.append((b, "block", b.material or layer.material, (*b.x, *b.y, z0, z1)))
    for b in pkg.boxes:
        rows.append((b, "box", b.material, (*b.x, *b.y, *b.z)))
    for cid, (obj, kind, mname, bounds) in enumerate(rows):
        bounds = tuple(snap(v) for v in bounds)
        k0, k1 = _index_range(z, bounds[4], bounds[5])
        j0, j1 = _index_range(y, bounds[2], bounds[3])
        i0, i1 = _index_range(x, bounds[0], bounds[1])
        index = (k0, k1, j0, j1, i0, i1)
        infos.append(ComponentInfo(cid, obj.name, kind, mname, float(obj.nominal_power), obj.power_at,
                                   obj.limit, bounds, index, obj.photonics,
                                   obj.heat_source, obj.power_model,
                                   lateral_weights(obj, x, y, index),
                                   step_weights(obj, x, y, index)))
    return tuple(infos)


def distribute(component, x, y, z, infos, watts):
    """Cell powers (W, ``(nz, ny, nx)``) for ``watts[i]`` in component ``infos[i]``, spread as its
    ``power_at`` says over its visible cells (and in x and y as its power map says, if it has
    one); also the weight each component found (0 = none)."""
    from ..kernels.voxel import distribute_power

    boxes = np.array([c.index for c in infos], dtype=np.int64).reshape(-1, 6)
    ids = np.array([c.id for c in infos], dtype=np.int32)
    modes = np.array([{"volume": 0, "bottom": 1, "top": 2}[c.power_at] for c in infos], dtype=np.int64)
    power = np.zeros(component.shape)
    visible = np.zeros(len(infos))
    watts = np.array(watts, dtype=np.float64)
    mapped = [b for b, c in enumerate(infos) if c.lateral is not None]
    uniform = watts.copy()
    uniform[mapped] = 0.0
    distribute_power(power, component, np.diff(x), np.diff(y), np.diff(z), boxes, ids, modes,
                     uniform, visible)
    for b in mapped:
        visible[b] = _distribute_mapped(power, component, np.diff(z), infos[b], watts[b])
    return power, visible


def _distribute_mapped(power, component, dz, c: ComponentInfo, watts: float) -> float:
    """Add ``watts`` (W) of mapped component ``c`` to ``power`` (W per cell, ``(nz, ny, nx)``):
    cell weight = the map's fraction in the cell's column × dz (volume) or 1 (the face cell
    layer), over the visible cells, normalised to ``watts``. Returns the weight sum (0 = the
    map puts nothing on a visible cell)."""
    k0, k1, j0, j1, i0, i1 = c.index
    if c.power_at == "bottom":
        k1 = k0 + 1
    elif c.power_at == "top":
        k0 = k1 - 1
    wz = dz[k0:k1] if c.power_at == "volume" else np.ones(k1 - k0)
    own = component[k0:k1, j0:j1, i0:i1] == c.id
    w = np.where(own, wz[:, None, None] * c.lateral[None, :, :], 0.0)
    total = float(w.sum())
    if total > 0.0 and watts != 0.0:
        power[k0:k1, j0:j1, i0:i1] += w * (watts / total)
    return total


def step_unit_maps(mesh: "Mesh", c: ComponentInfo) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """For each later map of component ``c`` (:attr:`ComponentInfo.lateral_steps`): ``(t_k,
    flat cell indices, W per cell for 1 W)``, spread as :func:`unit_power_map` spreads the first."""
    out = []
    for t, lateral in c.lateral_steps or ():
        p = np.zeros(mesh.shape)
        total = _distribute_mapped(p, mesh.component, np.diff(mesh.z), dataclasses.replace(c, lateral=lateral), 1.0)
        if not total > 0:
            raise LayoutError(f"component {c.name!r}: its map from t = {t:g} s puts no power on a "
                              "cell the component still holds")
        idx = np.flatnonzero(p)
        out.append((t, idx, p.ravel()[idx]))
    return out


def unit_power_map(mesh: "Mesh") -> np.ndarray:
    """W per cell for 1 W in the cell's component, distributed as its ``power_at`` says."""
    return distribute(mesh.component, mesh.x, mesh.y, mesh.z, mesh.components,
                      np.ones(len(mesh.components)))[0]


def voxelize(pkg: Package, memory_limit_bytes=None, refine: int = 1, *, transient: bool = False,
             solver="auto") -> Mesh:
    """Voxelize a package onto its graded rectilinear grid.

    ``refine``: every cell of the grid the package would get is split into ``refine`` equal
    cells in each direction (a nested grid with ``refine³`` times the cells; every per-layer and
    per-component cell-size control is refined with it) — for grid-convergence checks; a half
    number merges cells in pairs instead (see :mod:`.levels`).
    Refuses, before allocating any cell array, a grid (refined) whose estimated solve memory
    (cells × :func:`~.memory.bytes_per_cell` of the solve: steady or ``transient``, with the
    default solvers or the matrix ``solver`` named) exceeds the memory limit (see
    :func:`memory_limit`).
    """
    from ..kernels.voxel import paint

    per_cell = bytes_per_cell(pkg, transient, solver)
    check_cell_bound(pkg, level_splits(pkg, refine), memory_limit_bytes, per_cell)  # before any grading
    x, y, z = level_axes(pkg, refine)
    nx, ny, nz = len(x) - 1, len(y) - 1, len(z) - 1
    n = nx * ny * nz
    check_memory(pkg, (nz, ny, nx), memory_limit_bytes, per_cell)

    mat_names: list[str] = []
    mat_index: dict[str, int] = {}

    def mat_id(name):
        if name not in mat_index:
            mat_index[name] = len(mat_names)
            mat_names.append(name)
        return mat_index[name]

    infos = component_infos(pkg, x, y, z)
    for c in infos:
        mat_id(c.material)
    if len(mat_names) > np.iinfo(np.uint16).max:  # pragma: no cover
        raise LayoutError("more than 65535 materials", path="materials")

    boxes = np.array([c.index for c in infos], dtype=np.int64).reshape(-1, 6)
    comp_ids = np.arange(len(infos), dtype=np.int32)
    mat_ids = np.array([mat_index[c.material] for c in infos], dtype=np.uint16)
    material = np.zeros((nz, ny, nx), dtype=np.uint16)
    component = np.full((nz, ny, nx), -1, dtype=np.int32)
    paint(material, component, boxes, mat_ids, comp_ids)
    generated, _ = paint_media(pkg, pkg.components(), infos, x, y, material, component, mat_id,
                               lambda name: _component_path(pkg, name))
    if len(mat_names) > np.iinfo(np.uint16).max:  # pragma: no cover
        raise LayoutError("more than 65535 materials", path="materials")

    power, visible = distribute(component, x, y, z, infos, [c.power for c in infos])
    for c, vis in zip(infos, visible):
        if c.power > 0 and vis <= 0 and c.lateral is not None:
            raise LayoutError(
                f"component {c.name!r} dissipates {c.power:g} W but its power map puts no power on "
                "a cell of its own: later blocks or boxes cover every non-zero pixel",
                path=_component_path(pkg, c.name) + ".power_map")
        if c.power > 0 and vis <= 0:
            where = "" if c.power_at == "volume" else f" on its {c.power_at} face"
            raise LayoutError(
                f"component {c.name!r} dissipates {c.power:g} W but has no cell of its own{where}: "
                "later blocks or boxes cover it entirely", path=_component_path(pkg, c.name))
    mats = tuple(generated[name] if name in generated else pkg.material(name) for name in mat_names)
    return Mesh(x, y, z, material, component, power, tuple(mat_names), mats, infos, pkg)


def _component_path(pkg: Package, name: str) -> str:
    for i, layer in enumerate(pkg.layers):
        if layer.name == name:
            return f"layers[{i}]"
        for j, b in enumerate(layer.blocks):
            if b.name == name:
                return f"layers[{i}].blocks[{j}]"
    for j, b in enumerate(pkg.boxes):
        if b.name == name:
            return f"boxes[{j}]"
    return name  # pragma: no cover
