"""The voxelized package: a rectilinear grid with per-cell material, component and power."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import LayoutError, did_you_mean
from ..layout import Package
from ..materials import Material
from .setup import MeshSetup, mesh_setup


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
    photonics: object = None  # layout.Photonics when the component carries thermo-optic data
    source: object = None  # the layout's heat-source spec (a layout.HeatSourceSpec)
    power_model: object = None  # the layout's temperature-dependent power model, if any
    #: the fraction of the component's power in each grid column of its index box, ``(ny, nx)``
    #: over ``j0:j1, i0:i1`` (a power map resampled, see :mod:`.power_maps`); None = uniform
    lateral: np.ndarray | None = field(default=None, compare=False, repr=False)
    #: later maps of a component whose map changes in a transient: ``((t_k, lateral_k), ...)``
    #: for k ≥ 1 (s; as ``lateral``); None = one map for all times
    lateral_steps: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def declared_volume(self) -> float:
        x0, x1, y0, y1, z0, z1 = self.bounds
        return (x1 - x0) * (y1 - y0) * (z1 - z0)


@dataclass(frozen=True, eq=False)
class Mesh:
    """A voxelized package: node coordinates ``x, y, z`` (m; lengths nx+1, ny+1, nz+1) and
    per-cell arrays ``(nz, ny, nx)``: ``material`` (uint16 id into ``materials``), ``component``
    (int32 id into ``components``, -1 none), ``power`` (W per cell); ``setup``: everything else
    the later stages need, resolved on the grid (:class:`~.setup.MeshSetup`)."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    material: np.ndarray
    component: np.ndarray
    power: np.ndarray
    material_names: tuple[str, ...]
    materials: tuple[Material, ...]
    components: tuple[ComponentInfo, ...]
    package: Package = field(repr=False)  # what was voxelized, for reports and the result file
    #: the conditions, contacts, coolings and probes resolved on this grid (computed from the
    #: package when not given)
    setup: MeshSetup = field(default=None, repr=False)

    def __post_init__(self):
        if self.setup is None:
            object.__setattr__(self, "setup", mesh_setup(self.package, self.x, self.y, self.z,
                                                         self.components))

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
        raise LayoutError(f"no component named {name!r}{did_you_mean(name, [c.name for c in self.components])}")

    def summary(self) -> str:
        nz, ny, nx = self.shape
        return f"{nx} × {ny} × {nz} = {self.n_cells:,} cells"
