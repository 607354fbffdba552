"""Rectilinear grid and voxelization: Package → Mesh (DESIGN §2).

Grid lines fall on every layer interface, block/box face and boundary-patch edge, so every
component and boundary rectangle is represented exactly. Between those lines cells are refined
to the largest allowed size (globally, per layer, per component) with the ratio of neighbouring
cell sizes kept at or below ``grid.grading`` everywhere, including across the fixed lines.
Every interval between fixed lines has at least one cell, so a 2 µm film keeps its own cells.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from .. import units as u
from ..errors import LayoutError
from ..materials import Material
from ..layout import Package, snap

#: Bytes a cell costs at the peak of a steady solve (operator, preconditioner hierarchy,
#: Krylov vectors, result); the memory guard multiplies the cell count by it.
BYTES_PER_CELL = 600
#: The same with coolant: the coupled (non-symmetric) matrix beside the solid one and BiCGSTAB's
#: longer recurrence; measured 770 B/cell on the 1.7 M-cell resolved-cavity benchmark.
BYTES_PER_CELL_COOLANT = 800


# ---------------------------------------------------------------------------------------------
# 1-D graded axes
# ---------------------------------------------------------------------------------------------
def _size_function(breaks, hp, hmax, beta):
    """Return f(x, interval) = min(H_interval, min_p(hp[p] + beta·|x - breaks[p]|))."""

    def f(x, i):
        d = np.abs(x[:, None] - breaks[None, :])
        return np.minimum(hmax[i], np.min(hp[None, :] + beta * d, axis=1))

    f.beta = beta  # the growth rate travels with the function for the interval sampler
    return f


def _mesh_interval(a, b, f, i, n_min=1):
    """Nodes in [a, b] (a and b included) with cell sizes following f, n = ceil(∫dx/f)."""
    L = b - a
    # samples closer than a sixteenth of the local cell size, so ∫dx/f is accurate to well under
    # 1 %: geometric from both ends (where f grows linearly) and uniform where f is capped
    fa, fb = (float(v) for v in f(np.array([a, b]), i))
    fmax = float(f(np.array([0.5 * (a + b)]), i)[0])
    parts = [np.linspace(a, b, int(min(4_000_000, 16 * L / max(min(fa, fb, fmax), 1e-15))) + 2)
             if max(fa, fb) >= L else np.linspace(a, b, int(16 * L / max(fmax, 1e-15)) + 2)]
    for f0, sign, start in ((fa, 1.0, a), (fb, -1.0, b)):
        if f0 < L:
            beta = f.beta
            kmax = int(16 * math.log1p(beta * L / f0) / beta) + 2
            d = f0 * np.expm1(beta * np.arange(kmax) / 16.0) / beta
            parts.append(start + sign * d[d < L])
    xs = np.unique(np.clip(np.concatenate(parts + [np.array([a, b])]), a, b))
    fs = f(xs, i)
    phi_total = float(np.sum(0.5 * (1.0 / fs[1:] + 1.0 / fs[:-1]) * np.diff(xs)))
    n = max(n_min, int(math.ceil(phi_total - 1e-9)))
    if n == 1:
        return np.array([a, b])
    # cap the size function at lam so that ∫dx/min(f, lam) = n exactly: the rounding up of the
    # cell count is absorbed where cells are largest, leaving the cells at the ends as f says
    lo, hi = L / n, float(fs.max())

    def integral(lam):
        g = np.minimum(fs, lam)
        return float(np.sum(0.5 * (1.0 / g[1:] + 1.0 / g[:-1]) * np.diff(xs)))

    if integral(hi) < n:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            if integral(mid) > n:
                lo = mid
            else:
                hi = mid
            if hi - lo <= 1e-12 * hi:
                break
        lam = 0.5 * (lo + hi)
    else:
        lam = hi
    g = np.minimum(fs, lam)
    phi = np.concatenate([[0.0], np.cumsum(0.5 * (1.0 / g[1:] + 1.0 / g[:-1]) * np.diff(xs))])
    phi *= n / phi[-1]
    nodes = np.interp(np.arange(n + 1, dtype=float), phi, xs)
    nodes[0], nodes[-1] = a, b
    return nodes


def graded_axis(breaks, hmax, grading: float) -> np.ndarray:
    """Node coordinates (m) of a 1-D axis.

    ``breaks``: sorted fixed coordinates that must be nodes (first and last are the ends);
    ``hmax[i]``: largest cell size in ``[breaks[i], breaks[i+1]]``; ``grading``: the largest
    allowed ratio between neighbouring cell sizes (> 1).
    """
    breaks = np.asarray(breaks, dtype=float)
    hmax = np.asarray(hmax, dtype=float)
    L = np.diff(breaks)
    n_uniform = np.maximum(1, np.ceil(L / hmax - 1e-9))
    uni = L / n_uniform
    hp = np.empty(len(breaks))
    hp[0], hp[-1] = uni[0], uni[-1]
    hp[1:-1] = np.minimum(uni[:-1], uni[1:])
    # geometric growth rate of the size function: cells grow by at most g**0.9 per cell,
    # leaving a margin for the sampling of the size function and the capped interiors
    beta = 0.9 * math.log(grading)
    limit = grading * (1 + 1e-9)
    for _ in range(200):
        f = _size_function(breaks, hp, hmax, beta)
        pieces = [_mesh_interval(breaks[i], breaks[i + 1], f, i) for i in range(len(L))]
        first = np.array([p[1] - p[0] for p in pieces])
        last = np.array([p[-1] - p[-2] for p in pieces])
        ratio = np.maximum(last[:-1] / first[1:], first[1:] / last[:-1])
        bad = np.nonzero(ratio > grading ** 0.97)[0]
        if len(bad) == 0:
            break
        for k in bad:  # refine towards the fixed line between intervals k and k+1
            hp[k + 1] = 0.9 * min(last[k], first[k + 1], hp[k + 1])
    nodes = np.concatenate([pieces[0]] + [p[1:] for p in pieces[1:]])
    d = np.diff(nodes)
    if np.any(d <= 0) or np.any(np.maximum(d[1:] / d[:-1], d[:-1] / d[1:]) > limit):
        raise LayoutError(  # pragma: no cover - the construction above guarantees it
            "internal: could not build a graded axis; try a larger grid.grading", path="grid.grading")
    return nodes


# ---------------------------------------------------------------------------------------------
# Mesh
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ComponentInfo:
    """A component as voxelized: its cell index box ``(k0, k1, j0, j1, i0, i1)`` (half-open),
    declared geometry (m) and power (W)."""

    id: int
    name: str
    kind: str  # "layer" | "block" | "box"
    material: str
    power: float
    power_at: str
    limit: float | None
    bounds: tuple[float, float, float, float, float, float]  # x0, x1, y0, y1, z0, z1 in m
    index: tuple[int, int, int, int, int, int]
    photonics: object = None  # model.Photonics when the component carries thermo-optic data

    @property
    def declared_volume(self) -> float:
        x0, x1, y0, y1, z0, z1 = self.bounds
        return (x1 - x0) * (y1 - y0) * (z1 - z0)


@dataclass(frozen=True, eq=False)
class Mesh:
    """A voxelized package: node coordinates ``x, y, z`` (m; lengths nx+1, ny+1, nz+1) and
    per-cell arrays ``(nz, ny, nx)``: ``material`` (uint16 id into ``materials``), ``component``
    (int32 id into ``components``, -1 none), ``power`` (W per cell)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    material: np.ndarray
    component: np.ndarray
    power: np.ndarray
    material_names: tuple[str, ...]
    materials: tuple[Material, ...]
    components: tuple[ComponentInfo, ...]
    package: Package = field(repr=False)

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(nz, ny, nx)``."""
        return self.material.shape

    @property
    def n_cells(self) -> int:
        return int(self.material.size)

    @property
    def dx(self) -> np.ndarray:
        return np.diff(self.x)

    @property
    def dy(self) -> np.ndarray:
        return np.diff(self.y)

    @property
    def dz(self) -> np.ndarray:
        return np.diff(self.z)

    def centers(self):
        """Cell-centre coordinates ``(xc, yc, zc)`` (m)."""
        return (0.5 * (self.x[1:] + self.x[:-1]), 0.5 * (self.y[1:] + self.y[:-1]),
                0.5 * (self.z[1:] + self.z[:-1]))

    def cell_volumes(self) -> np.ndarray:
        """``(nz, ny, nx)`` cell volumes (m³)."""
        return self.dz[:, None, None] * self.dy[None, :, None] * self.dx[None, None, :]

    def power_density(self) -> np.ndarray:
        """``(nz, ny, nx)`` volumetric heat source (W/m³)."""
        return self.power / self.cell_volumes()

    def component_volumes(self) -> np.ndarray:
        """Visible volume of every component (m³), after painting."""
        from ..kernels.voxel import component_volumes

        return component_volumes(self.component, self.dx, self.dy, self.dz, len(self.components))

    def component_id(self, name: str) -> int:
        for c in self.components:
            if c.name == name:
                return c.id
        from ..errors import did_you_mean

        raise LayoutError(f"no component named {name!r}{did_you_mean(name, [c.name for c in self.components])}")

    def summary(self) -> str:
        nz, ny, nx = self.shape
        return f"{nx} × {ny} × {nz} = {self.n_cells:,} cells"


def available_memory() -> float:
    """Bytes of memory available to this process (MemAvailable, else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:  # pragma: no cover - not Linux
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # pragma: no cover
        return 8e9


def memory_limit(pkg: Package, override=None) -> float:
    """The memory guard's limit in bytes: ``override``, else ``THERMAL_CPO_MEMORY_LIMIT``,
    else the layout's ``grid.memory_limit``, else 80 % of the memory available now."""
    if override is not None:
        return u.parse_plain(override, u.BYTES, "memory_limit")
    env = os.environ.get("THERMAL_CPO_MEMORY_LIMIT")
    if env:
        return u.parse_plain(env, u.BYTES, "THERMAL_CPO_MEMORY_LIMIT")
    if pkg.grid.memory_limit is not None:
        return pkg.grid.memory_limit
    return 0.8 * available_memory()


def _axis_breaks(values, lo, hi):
    pts = {snap(lo), snap(hi)}
    pts.update(snap(v) for v in values if lo <= v <= hi)
    return np.array(sorted(pts))


def _interval_limits(breaks, base, overrides):
    """Per-interval max cell size: ``base`` everywhere, smaller ``(lo, hi, h)`` overrides inside."""
    hmax = np.full(len(breaks) - 1, float(base))
    mids = 0.5 * (breaks[1:] + breaks[:-1])
    for lo, hi, h in overrides:
        inside = (mids > lo) & (mids < hi)
        hmax[inside] = np.minimum(hmax[inside], h)
    return hmax


def build_axes(pkg: Package):
    """Node arrays ``(x, y, z)`` (m) for a package, before any cell array is allocated."""
    layer_z = pkg.layer_bounds()
    g = pkg.grid
    xs, ys, zs = [], [], []
    ov_x, ov_y, ov_z = [], [], []
    for layer, (z0, z1) in zip(pkg.layers, layer_z):
        zs += [z0, z1]
        if layer.max_cell_z is not None:
            ov_z.append((z0, z1, layer.max_cell_z))
        for b in layer.blocks:
            xs += list(b.x)
            ys += list(b.y)
            if b.max_cell_xy is not None:
                ov_x.append((*b.x, b.max_cell_xy))
                ov_y.append((*b.y, b.max_cell_xy))
    for b in pkg.boxes:
        xs += list(b.x)
        ys += list(b.y)
        zs += list(b.z)
        if b.max_cell_xy is not None:
            ov_x.append((*b.x, b.max_cell_xy))
            ov_y.append((*b.y, b.max_cell_xy))
        if b.max_cell_z is not None:
            ov_z.append((*b.z, b.max_cell_z))
    for _, bc in pkg.boundaries.items():
        for rng, acc in ((bc.x, xs), (bc.y, ys), (bc.z, zs)):
            if rng is not None:
                acc += list(rng)
    # cooling: cold-plate footprints, and every channel edge of a channel layer (resolved channels)
    for cp in pkg.coldplates:
        xr, yr = cp.extent(pkg.footprint)
        xs += list(xr)
        ys += list(yr)
    from ..layout import channel_spans

    for layer in pkg.layers:
        ch = layer.channels
        if ch is None:
            continue
        across, acc = ((0.0, pkg.footprint.y), ys) if ch.axis == "x" else ((0.0, pkg.footprint.x), xs)
        for lo, hi in channel_spans(ch.width, ch.wall, across):
            acc += [lo, hi]
    H = layer_z[-1][1]
    axes = []
    for vals, hi, base, ov in ((xs, pkg.footprint.x, g.max_cell_xy, ov_x),
                               (ys, pkg.footprint.y, g.max_cell_xy, ov_y),
                               (zs, H, g.max_cell_z, ov_z)):
        br = _axis_breaks(vals, 0.0, hi)
        axes.append(graded_axis(br, _interval_limits(br, base, ov), g.grading))
    return tuple(axes)


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
        infos.append(ComponentInfo(cid, obj.name, kind, mname, float(obj.power), obj.power_at,
                                   obj.limit, bounds, (k0, k1, j0, j1, i0, i1), obj.photonics))
    return tuple(infos)


def distribute(component, x, y, z, infos, watts):
    """Cell powers (W, ``(nz, ny, nx)``) for ``watts[i]`` in component ``infos[i]``, spread as its
    ``power_at`` says over its visible cells; also the weight each component found (0 = none)."""
    from ..kernels.voxel import distribute_power

    boxes = np.array([c.index for c in infos], dtype=np.int64).reshape(-1, 6)
    ids = np.array([c.id for c in infos], dtype=np.int32)
    modes = np.array([{"volume": 0, "bottom": 1, "top": 2}[c.power_at] for c in infos], dtype=np.int64)
    power = np.zeros(component.shape)
    visible = np.zeros(len(infos))
    distribute_power(power, component, np.diff(x), np.diff(y), np.diff(z), boxes, ids, modes,
                     np.asarray(watts, dtype=np.float64), visible)
    return power, visible


def unit_power_map(mesh: "Mesh") -> np.ndarray:
    """W per cell for 1 W in the cell's component, distributed as its ``power_at`` says."""
    return distribute(mesh.component, mesh.x, mesh.y, mesh.z, mesh.components,
                      np.ones(len(mesh.components)))[0]


def voxelize(pkg: Package, memory_limit_bytes=None) -> Mesh:
    """Voxelize a package onto its graded rectilinear grid (DESIGN §2 'voxelize').

    Refuses, before allocating any cell array, a grid whose estimated solve memory
    (cells × :data:`BYTES_PER_CELL`) exceeds the memory limit (see :func:`memory_limit`).
    """
    from ..kernels.voxel import paint

    x, y, z = build_axes(pkg)
    nx, ny, nz = len(x) - 1, len(y) - 1, len(z) - 1
    n = nx * ny * nz
    limit = memory_limit(pkg, memory_limit_bytes)
    need = float(n) * (BYTES_PER_CELL_COOLANT if pkg.has_coolant else BYTES_PER_CELL)
    if need > limit:
        if memory_limit_bytes is not None:
            source = "set by --memory-limit"
        elif os.environ.get("THERMAL_CPO_MEMORY_LIMIT"):
            source = "set by the THERMAL_CPO_MEMORY_LIMIT environment variable"
        elif pkg.grid.memory_limit is not None:
            source = "set by grid.memory_limit"
        else:
            source = "80 % of the memory available now"
        raise LayoutError(
            f"the grid has {n:,} cells ({nx} × {ny} × {nz}); solving it needs about "
            f"{u.format_bytes(need)}, above the memory limit of {u.format_bytes(limit)} ({source}). "
            "Coarsen grid.max_cell_xy / grid.max_cell_z (or the per-layer/per-block overrides), "
            "or raise the limit: grid.memory_limit in the layout, --memory-limit on the command "
            "line, or THERMAL_CPO_MEMORY_LIMIT",
            path="grid",
        )

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

    power, visible = distribute(component, x, y, z, infos, [c.power for c in infos])
    for c, vis in zip(infos, visible):
        if c.power > 0 and vis <= 0:
            where = "" if c.power_at == "volume" else f" on its {c.power_at} face"
            raise LayoutError(
                f"component {c.name!r} dissipates {c.power:g} W but has no cell of its own{where}: "
                "later blocks or boxes cover it entirely", path=_component_path(pkg, c.name))
    mats = tuple(pkg.material(name) for name in mat_names)
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
