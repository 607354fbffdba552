"""Thermal influence matrices between components (K/W)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import LayoutError, did_you_mean


@dataclass
class Crosstalk:
    """Thermal influence matrices (K/W): ``psi_mean[i, j]`` = ∂(volume-mean T of target i)/∂P_j,
    ``psi_max[i, j]`` = the largest rise in target i per watt of source j. Rows: every component
    (``targets``); columns: the powered components (``sources``)."""

    sources: list[str]
    targets: list[str]
    psi_mean: np.ndarray
    psi_max: np.ndarray
    stats: dict = field(default_factory=dict)

    def __call__(self, target: str, source: str, kind: str = "mean") -> float:
        """Ψ from ``source`` to ``target`` (K/W)."""
        try:
            i, j = self.targets.index(target), self.sources.index(source)
        except ValueError:
            name = target if target not in self.targets else source
            pool = self.targets if target not in self.targets else self.sources
            raise LayoutError(f"no component {name!r} in the crosstalk matrix{did_you_mean(name, pool)}") from None
        return float((self.psi_mean if kind == "mean" else self.psi_max)[i, j])

    def as_dict(self) -> dict:
        return {"sources": self.sources, "targets": self.targets, "psi_mean": self.psi_mean.tolist(),
                "psi_max": self.psi_max.tolist(), "stats": self.stats}
