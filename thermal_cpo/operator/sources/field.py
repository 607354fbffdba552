"""The heat sources of a voxelized package: one model per component, spread on the grid."""

from __future__ import annotations

import numpy as np

from ...errors import LayoutError
from ...mesh import Mesh, unit_power_map
from .base import HeatSource, source_for
from .constant import ConstantPower
from .trace_file import read_trace_csv


def component_sources(mesh: Mesh) -> list[HeatSource]:
    """The heat-source model of every component (painting order): its layout ``source`` (a
    ``trace`` counts as one), else its constant ``power``; a column of the layout's trace file
    replaces the model of the component it names."""
    models = [source_for(c.source) if c.source is not None else ConstantPower(c.power)
              for c in mesh.components]
    path = mesh.setup.trace_file
    if path is not None:
        csv = read_trace_csv(path, [c.name for c in mesh.components])
        models = [csv.get(c.name, m) for c, m in zip(mesh.components, models)]
    return models


class Sources:
    """P(t) on the grid: each component's model times its unit distribution (W per cell for
    1 W, as its ``power_at`` says)."""

    def __init__(self, mesh: Mesh):
        self.models = component_sources(mesh)
        self.unit = unit_power_map(mesh)
        self.comp = mesh.component
        for c, model in zip(mesh.components, self.models):
            if model.powered and not np.any(self.comp == c.id):
                raise LayoutError(f"component {c.name!r} has a power trace but no visible cell")

    def breakpoints(self, t_end: float) -> np.ndarray:
        """Times in (0, t_end) (s) where some component's power has a kink or a step."""
        pts = np.concatenate([np.empty(0)] + [m.breakpoints(t_end) for m in self.models])
        return np.unique(pts[(pts > 0) & (pts < t_end)])

    def powers_at(self, t: float) -> np.ndarray:
        """Every component's power (W) at time ``t`` (s)."""
        return np.array([m.at(t) for m in self.models])

    def energy(self, a: float, b: float) -> float:
        """Energy (J) all components dissipate over ``[a, b]`` (s)."""
        return float(sum(m.integral(a, b) for m in self.models))

    def mean_powers(self, a: float, b: float) -> np.ndarray:
        """Average power (W) of every component over ``[a, b]`` (s)."""
        return np.array([m.integral(a, b) for m in self.models]) / (b - a)

    def field(self, powers: np.ndarray) -> np.ndarray:
        """(nz, ny, nx) W per cell for the given component powers (W, painting order)."""
        return self.unit * powers[self.comp]
