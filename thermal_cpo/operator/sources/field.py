"""The heat sources of a voxelized package: one model per component, spread on the grid."""

from __future__ import annotations

import numpy as np

from ...errors import LayoutError
from ...mesh import Mesh, step_unit_maps, unit_power_map
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
    1 W, as its ``power_at`` says); a component whose map changes (``power_maps``) takes, from
    each of its map times on, that map's distribution."""

    def __init__(self, mesh: Mesh):
        self.models = component_sources(mesh)
        self.unit = unit_power_map(mesh)
        self.comp = mesh.component
        for c, model in zip(mesh.components, self.models):
            if model.powered and not np.any(self.comp == c.id):
                raise LayoutError(f"component {c.name!r} has a power trace but no visible cell")
        #: per component with later maps: (id, map start times from 0, [(cells, W per cell), ...])
        self.steps = []
        for c in mesh.components:
            if c.lateral_steps:
                first = np.flatnonzero((self.comp == c.id).ravel() & (self.unit.ravel() != 0))
                later = step_unit_maps(mesh, c)
                times = np.array([0.0] + [t for t, _, _ in later])
                self.steps.append((c.id, times, [(first, self.unit.ravel()[first])] +
                                   [(idx, w) for _, idx, w in later]))

    def breakpoints(self, t_end: float) -> np.ndarray:
        """Times in (0, t_end) (s) where some component's power has a kink or a step, or its
        power map changes."""
        pts = np.concatenate([np.empty(0)] + [m.breakpoints(t_end) for m in self.models]
                             + [times for _, times, _ in self.steps])
        return np.unique(pts[(pts > 0) & (pts < t_end)])

    def stage(self, t: float) -> tuple[int, ...]:
        """Which map each component with changing maps uses at ``t`` (s): the last one whose
        start time is ≤ t."""
        return tuple(int(np.searchsorted(times, t, side="right")) - 1 for _, times, _ in self.steps)

    def powers_at(self, t: float) -> np.ndarray:
        """Every component's power (W) at time ``t`` (s)."""
        return np.array([m.at(t) for m in self.models])

    def energy(self, a: float, b: float) -> float:
        """Energy (J) all components dissipate over ``[a, b]`` (s)."""
        return float(sum(m.integral(a, b) for m in self.models))

    def mean_powers(self, a: float, b: float) -> np.ndarray:
        """Average power (W) of every component over ``[a, b]`` (s)."""
        return np.array([m.integral(a, b) for m in self.models]) / (b - a)

    def field(self, powers: np.ndarray, t: float = 0.0) -> np.ndarray:
        """(nz, ny, nx) W per cell for the given component powers (W, painting order) with the
        maps in force at ``t`` (s)."""
        f = self.unit * powers[self.comp]
        for (cid, _, maps), k in zip(self.steps, self.stage(t)):
            if k > 0:
                (i0, _), (ik, wk) = maps[0], maps[k]
                flat = f.reshape(-1)
                flat[i0] = 0.0  # the component's own cells: its first map's share goes, exactly
                flat[ik] += powers[cid] * wk
        return f
