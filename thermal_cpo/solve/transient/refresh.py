"""k(T) followed through an implicit transient: the operator is rebuilt at the current field
whenever a cell of a temperature-dependent material has moved more than :data:`REFRESH_K` from
the field the operator was built at.

The cost is bounded: at most one rebuild per accepted step (the face conductances and boundary
terms again, a few sweeps' worth), and none while the field stays within the threshold; the
preconditioners are kept, since an operator a fraction of a kelvin's k-change away is as good a
preconditioner as the old one was. Every step is solved, and its heat counted, with one
operator; BDF2 keeps its history, its last step-mean source re-based to the new boundary terms,
so that its energy identity holds across the rebuild and the balance stays exact.

The coolant's properties stay where the run took them (its stated ``coolant_properties_at``):
the coolant's capacities depend on them, and changing those within a run would put the stored
energy off its own account.
"""

from __future__ import annotations

import numpy as np

from ...operator import Operator
from .system import System

#: rebuild the operator once a cell of a k(T) material is this far (K) from its build field:
#: silicon's k ∝ T^−1.3 moves 0.2 % per 0.5 K at 60 °C, within the error a step's tolerance allows
REFRESH_K = 0.5


class KRefresh:
    """Follows k(T) during an implicit run of ``system`` (see the module's description)."""

    def __init__(self, system: System, threshold: float | None = None):
        mesh = system.mesh
        ids = [i for i, m in enumerate(mesh.materials) if m.temperature_dependent]
        self.cells = np.flatnonzero(np.isin(mesh.material.ravel(), ids))
        self.threshold = REFRESH_K if threshold is None else threshold
        self.coolant_T = ({g.name: g.T_mean for g in system.op.coolant.groups}
                          if system.op.coolant is not None else None)
        self.count = 0
        self._built_at = self._watched(system, None)

    def _watched(self, system: System, x) -> np.ndarray:
        """The temperatures (°C) of the watched cells: of the operator's build field, or of ``x``."""
        T = system.op.temperature if x is None else system.cells(x)
        return np.asarray(T, dtype=float).ravel()[self.cells]

    def due(self, system: System, x: np.ndarray) -> bool:
        """Whether the field ``x`` (flat rise) has left the operator's by the threshold."""
        return bool(np.max(np.abs(self._watched(system, x) - self._built_at), initial=0.0) > self.threshold)

    def apply(self, system: System, control, x: np.ndarray) -> None:
        """Rebuild the operator at ``x``, hand it to the system and the stepping."""
        T = system.cells(x).copy()
        before = system.b_boundary
        system.rebuild(Operator(system.mesh, temperature=T, coolant_T=self.coolant_T))
        control.scheme.rebuild()
        control.restart(x, system.b_boundary - before)
        self._built_at = T.ravel()[self.cells]
        self.count += 1
