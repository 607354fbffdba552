"""The semi-discrete system a transient steps: ``C dx/dt = b(t) − A x``.

``x`` is the temperature rise above a reference ``t_ref`` (K), flat: the cells in C order, then
the coolant nodes when the package has coolant. ``A`` is the steady operator (W/K), ``C`` the
capacities ``ρ c_p V`` (J/K; tied fluid cells carry none) and ``b = P(t) + Σ G_b (T_b − t_ref)``
(plus the coolant inlets).
"""

from __future__ import annotations

import numpy as np

from ...mesh import Mesh
from ...operator import Operator
from ...operator.sources import Sources

#: distinct step-mean source fields kept (8 B/cell each; a held power, a pulse train's on and
#: off levels and a ramp; a trace that changes every step misses every time)
SOURCE_FIELDS_KEPT = 3


class System:
    """The operator, capacities and sources of one transient, in the rise variable ``x``."""

    def __init__(self, op: Operator, sources: Sources, t_ref: float):
        self.op, self.sources, self.t_ref = op, sources, t_ref
        self.mesh: Mesh = op.mesh
        self.n_cells = op.mesh.n_cells
        C = op.capacity
        self.C = op.coolant.coupled_capacity(C) if op.coolant is not None else C
        # Σ G_b (T_b − t_ref) and the inlets: the part of b that does not depend on time
        self.b_boundary = op.coupled_rhs(power=np.zeros(op.mesh.shape), t_ref=t_ref)
        self._fields: dict[bytes, np.ndarray] = {}

    def rebuild(self, op: Operator) -> None:
        """Take ``op`` (the same mesh, conductivities at another field) from now on; the
        capacities do not depend on it."""
        self.op = op
        self.b_boundary = op.coupled_rhs(power=np.zeros(op.mesh.shape), t_ref=self.t_ref)
        self._fields.clear()

    @property
    def has_coolant(self) -> bool:
        return self.op.coolant is not None

    @property
    def cell_capacity(self) -> np.ndarray:
        """Capacities (J/K) of the cells, ``(nz, ny, nx)``; tied fluid cells infinite, so a
        stability bound ignores them."""
        if not self.has_coolant:
            return self.C
        C = self.C[:self.n_cells].reshape(self.mesh.shape)
        return np.where(C > 0, C, np.inf)

    def source(self, a: float, b: float) -> np.ndarray:
        """``b`` averaged over ``[a, b]`` (s), flat; the same array while the powers repeat."""
        powers = self.sources.mean_powers(a, b)
        key = powers.tobytes() + repr(self.sources.stage(a)).encode()  # a step never crosses a map time
        if key not in self._fields:
            if len(self._fields) >= SOURCE_FIELDS_KEPT:
                self._fields.clear()
            f = self.sources.field(powers, a).ravel()
            if len(self.b_boundary) > self.n_cells:
                f = np.concatenate([f, np.zeros(len(self.b_boundary) - self.n_cells)])
            self._fields[key] = f + self.b_boundary
        return self._fields[key]

    def heat_out(self, x: np.ndarray) -> float:
        """Heat (W) leaving through every boundary and with the coolant for the rise ``x``."""
        return float(sum(self.op.heat_out(self.cells(x), self.nodes(x)).values()))

    def cells(self, x: np.ndarray) -> np.ndarray:
        """Cell temperatures (°C, ``(nz, ny, nx)``) of the rise ``x``."""
        return x[:self.n_cells].reshape(self.mesh.shape) + self.t_ref

    def nodes(self, x: np.ndarray) -> np.ndarray | None:
        """Coolant node temperatures (°C) of the rise ``x``, or None without coolant."""
        return x[self.n_cells:] + self.t_ref if self.has_coolant else None

    def rise(self, cells: np.ndarray, nodes: np.ndarray | None) -> np.ndarray:
        """The flat rise ``x`` of cell and node temperatures (°C)."""
        x = (cells - self.t_ref).ravel().copy()
        return np.concatenate([x, nodes - self.t_ref]) if self.has_coolant else x

    def stored(self, x: np.ndarray, x0: np.ndarray) -> float:
        """Heat stored (J) going from the rise ``x0`` to ``x``."""
        return float(np.sum(self.C.ravel() * (x - x0)))
