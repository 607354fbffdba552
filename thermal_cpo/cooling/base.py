"""What a cooling kind contributes: coolant nodes along its flow, their upstream links, and the
conductances from solid cells to them.

A kind is a :class:`CoolingModel` subclass naming its ``kind`` (the layout's ``model``) with two
steps: :meth:`~CoolingModel.__init__` lays the nodes out on the grid (independent of the
coolant's properties, done once), :meth:`~CoolingModel.couple` computes the flows, couplings and
capacities at given properties (redone when the coolant's mean temperature moves).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Callable, ClassVar

import numpy as np

from ..errors import LayoutError
from ..mesh import CoolingRegion, Mesh

#: ``k_at(axis, cells)``: conductivity (W/(m·K)) along axis 0 = z, 1 = y, 2 = x of the flat cells
ConductivityAt = Callable[[int, np.ndarray], np.ndarray]


@dataclass
class Coupling:
    """A kind's terms at given properties, over its nodes (0-based within the kind): heat-capacity
    flow ``mcp`` (W/K per node), ``capacity`` (J/K per node), couplings ``cells`` (flat cell
    index) – ``nodes`` with conductance ``G`` (W/K), tied fluid cells ``slave_cells`` –
    ``slave_nodes``, and the correlation figures ``perf`` for the report."""

    mcp: np.ndarray
    capacity: np.ndarray
    cells: np.ndarray
    nodes: np.ndarray
    G: np.ndarray
    perf: dict
    slave_cells: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    slave_nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


class CoolingModel:
    """Base of the cooling kinds' physics. After construction: ``n_nodes``, ``n_along`` (nodes
    per stream, inlet first), ``fluid`` ((nz, ny, nx) bool cells that are coolant, or None) and
    ``geometry`` (figures for the report)."""

    kind: ClassVar[str | None] = None
    registry: ClassVar[dict[str, type["CoolingModel"]]] = {}
    label: ClassVar[str] = ""  # the report's "kind" column

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind") is not None:
            CoolingModel.registry[cls.kind] = cls

    def __init__(self, region: CoolingRegion, mesh: Mesh):
        self.region = region
        self.spec = region.spec
        self.fluid: np.ndarray | None = None
        self.geometry: dict = {}
        self.n_nodes = 0
        self.n_along = 1

    def couple(self, props: dict, k_at: ConductivityAt) -> Coupling:
        """The kind's flows, couplings and capacities with coolant properties ``props`` (ρ, c_p,
        k, μ, Pr at the mean coolant temperature)."""
        raise NotImplementedError

    def at_flow(self, flow_rate: float) -> "CoolingModel":
        """This model with its total flow set to ``flow_rate`` (m³/s): how a loop feeds it (the
        nodes are shared; only the spec's flow differs)."""
        other = copy.copy(self)
        other.spec = self.spec.model_copy(update={"flow_rate": float(flow_rate)})
        return other

    def performance(self, props: dict, k_at: ConductivityAt) -> dict:
        """The correlation figures (``dP`` in Pa, ``h``, ``Re``, …) at the spec's flow and
        ``props``; a kind whose figures need less than its couplings overrides this (a loop's
        flow split evaluates it many times)."""
        return self.couple(props, k_at).perf


class FaceStreams:
    """Coolant streams over a face plate: one stream per row of face cells across the flow,
    one node per cell along it (inlet first). ``cells`` (flat cell index) – ``node`` (0-based)
    pairs, each node's share of the flow (``share``, by the width of its row), the face cells'
    areas (m²) and the half thickness (m) of the face cell layer."""

    def __init__(self, mesh: Mesh, cp):
        nz, ny, nx = mesh.shape
        xc, yc, _ = mesh.centers()
        xr, yr = cp.extent(mesh.setup.footprint)
        ii = np.nonzero((xc > xr[0]) & (xc < xr[1]))[0]
        jj = np.nonzero((yc > yr[0]) & (yc < yr[1]))[0]
        k = nz - 1 if cp.face == "top" else 0
        if cp.axis == "x":
            J, I = np.meshgrid(jj, np.arange(len(ii)), indexing="ij")
            order = I if cp.sign > 0 else len(ii) - 1 - I
            cells = (k * ny + J) * nx + ii[I]
            w_across, n_along, n_rows = mesh.dy[jj], len(ii), len(jj)
            row = np.repeat(np.arange(len(jj)), len(ii)).reshape(J.shape)
        else:
            J, I = np.meshgrid(np.arange(len(jj)), ii, indexing="ij")
            order = J if cp.sign > 0 else len(jj) - 1 - J
            cells = (k * ny + jj[J]) * nx + I
            w_across, n_along, n_rows = mesh.dx[ii], len(jj), len(ii)
            row = np.broadcast_to(np.arange(len(ii))[None, :], J.shape)
        self.n_along = n_along
        self.n_nodes = n_rows * n_along
        self.cells = cells.ravel()
        self.node = (row * n_along + order).ravel()
        self.share = np.repeat(w_across / w_across.sum(), n_along)  # flow share of each node's row
        self.area = (mesh.dx[None, :] * mesh.dy[:, None]).ravel()[self.cells % (nx * ny)]
        self.half = 0.5 * mesh.dz[k]

    def coupling(self, *, r_series: float, mcp: float, k_at: ConductivityAt, capacity_per_area: float,
                 perf: dict) -> Coupling:
        """Each face cell to its node through its half cell (conductivity from ``k_at``) in
        series with ``r_series`` (m²·K/W, per base area: base conduction and 1/h_eff); ``mcp``
        (W/K) the whole plate's heat-capacity flow, shared by :attr:`share`;
        ``capacity_per_area`` (J/(m²·K)) the coolant held per base area."""
        r = self.half / k_at(0, self.cells) + r_series
        capacity = np.zeros(self.n_nodes)
        np.add.at(capacity, self.node, capacity_per_area * self.area)
        return Coupling(mcp=mcp * self.share, capacity=capacity, cells=self.cells, nodes=self.node,
                        G=self.area / r, perf=perf)


def model_for(region: CoolingRegion, mesh: Mesh) -> CoolingModel:
    """The physics of one cooling region, by its layout kind."""
    cls = CoolingModel.registry.get(region.spec.model)
    if cls is None:
        raise LayoutError(f"cooling model {region.spec.model!r} has no coolant model (known: "
                          f"{', '.join(CoolingModel.registry)})", path=f"{region.path}.model")
    return cls(region, mesh)
