"""A prescribed heat flux: watts into each face cell, independent of its temperature."""

from __future__ import annotations

import numpy as np

from .base import BoundaryModel


class HeatFluxModel(BoundaryModel):
    """``Q = q A`` into each face cell; no conductance (the face fixes no temperature)."""

    kind = "flux"

    def patch(self, r_half, area):
        return self._patch(np.zeros_like(area), Q=self.spec.q * area)
