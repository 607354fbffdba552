"""A face held at a temperature: the half-cell alone separates the cell from it."""

from __future__ import annotations

from .base import BoundaryModel


class FixedModel(BoundaryModel):
    """``G = A / (d/(2k))`` to ``T``."""

    kind = "fixed"

    def patch(self, r_half, area):
        return self._patch(area / r_half, self.spec.T)
