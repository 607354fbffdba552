"""Film convection: the face cell's half-cell in series with ``1/h``."""

from __future__ import annotations

from .base import BoundaryModel


class ConvectiveModel(BoundaryModel):
    """``G = A / (d/(2k) + 1/h)`` to the ambient ``T``."""

    kind = "convective"

    def patch(self, r_half, area):
        return self._patch(area / (r_half + 1.0 / self.spec.h), self.spec.T)
