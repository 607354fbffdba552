"""What a cooling kind contributes: coolant nodes along its flow, their upstream links, and the
conductances from solid cells to them.

A kind is a :class:`CoolingModel` subclass naming its ``kind`` (the layout's ``model``) with two
steps: :meth:`~CoolingModel.__init__` lays the nodes out on the grid (independent of the
coolant's properties, done once), :meth:`~CoolingModel.couple` computes the flows, couplings and
capacities at given properties (redone when the coolant's mean temperature moves).
"""

from __future__ import annotations

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


def model_for(region: CoolingRegion, mesh: Mesh) -> CoolingModel:
    """The physics of one cooling region, by its layout kind."""
    cls = CoolingModel.registry.get(region.spec.model)
    if cls is None:
        raise LayoutError(f"cooling model {region.spec.model!r} has no coolant model (known: "
                          f"{', '.join(CoolingModel.registry)})", path=f"{region.path}.model")
    return cls(region, mesh)
