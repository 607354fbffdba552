"""Face plates fed with fresh coolant everywhere (jet arrays, manifold micro-channels): every
face cell under the plate is its own coolant node, fed from the inlet at ``T_in`` and drained
straight to the outlet (``n_along = 1``), its share of the flow in proportion to its area."""

from __future__ import annotations

import numpy as np

from .base import FaceStreams


class FreshCells(FaceStreams):
    """The face cells of a plate as one-node streams (:class:`FaceStreams` with one node per
    cell, ``n_along = 1``): each node's share of the flow is its cell's share of the area."""

    def __init__(self, mesh, spec):
        super().__init__(mesh, spec)
        self.n_along = 1
        self.n_nodes = len(self.cells)
        self.node = np.arange(self.n_nodes)
        self.share = self.area / self.area.sum()
