"""Face plates fed with fresh coolant everywhere (jet arrays, manifold micro-channels): every
face cell under the plate is its own coolant node, fed from the inlet at ``T_in`` and drained
straight to the outlet (``n_along = 1``), its share of the flow in proportion to its area."""

from __future__ import annotations

import numpy as np

from .base import Coupling, FaceStreams


class FreshCells:
    """The face cells of a plate as one-node streams: ``cells`` (flat cell index), ``node``
    (0-based, one per cell), ``area`` (m²), ``share`` (each node's fraction of the flow, by
    area) and the half thickness ``half`` (m) of the face cell layer."""

    def __init__(self, mesh, spec):
        st = FaceStreams(mesh, spec)
        self.cells = st.cells
        self.area = st.area
        self.half = st.half
        self.n_nodes = len(st.cells)
        self.node = np.arange(self.n_nodes)
        self.share = self.area / self.area.sum()

    def coupling(self, *, r_series: float, mcp: float, k_at, capacity_per_area: float,
                 perf: dict) -> Coupling:
        """Each face cell to its node through its half cell (conductivity from ``k_at``) in
        series with ``r_series`` (m²·K/W, per base area: base conduction and 1/h_eff); ``mcp``
        (W/K) the whole plate's heat-capacity flow, ``capacity_per_area`` (J/(m²·K)) the
        coolant held per base area."""
        r = self.half / k_at(0, self.cells) + r_series
        return Coupling(mcp=mcp * self.share, capacity=capacity_per_area * self.area, cells=self.cells,
                        nodes=self.node, G=self.area / r, perf=perf)
