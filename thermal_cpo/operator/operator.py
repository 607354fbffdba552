"""The discrete operator: Mesh → Operator (the discretization; README, "Numerics").

Cell-centred finite volumes on the rectilinear grid. Between neighbours the conductance is the
series sum of the two half-cells (each direction its own k component) plus any contact
resistance declared between their components. A convective face contributes
``G = A / (d/(2k) + 1/h)``, a fixed-temperature face ``G = A / (d/(2k))``; other faces are
adiabatic. The linear system is ``A T = P + Σ G_b T_b`` with ``A`` symmetric positive definite
whenever at least one face is convective or fixed.
"""

from __future__ import annotations

import copy

import numpy as np
import scipy.sparse as sp

from ..errors import LayoutError
from ..mesh import Mesh
from ..cooling.network import CoolantLayout, CoolantNetwork
from .boundaries import BoundaryPatch, model_for
from .coupled import coupled_stencil
from .stencil import Stencil


class Operator:
    """Conductances, boundary terms, capacities and sources of a voxelized package.

    ``temperature`` (°C, ``(nz, ny, nx)``) evaluates temperature-dependent conductivities;
    without it they are taken at their reference value. Everything the matrix is made of is
    reachable: ``gx, gy, gz`` (face conductances, W/K), ``patches`` (boundary conductances),
    ``diag_boundary`` (W/K per cell), ``capacity`` (J/K per cell), ``power`` (W per cell).
    """

    def __init__(self, mesh: Mesh, temperature: np.ndarray | None = None, coolant_T: dict | None = None):
        from ..kernels.assemble import face_conductances

        self.mesh = mesh
        self.temperature = temperature  # the field k(T) was evaluated at (None: reference k)
        #: ``conductivity_at(axis, cells)``: k (W/(m·K)) along ``axis`` (0 = z, 1 = y, 2 = x) of the
        #: flat ``cells`` at that field. Not a bound method: the coolant network holds it, and
        #: holding the operator would make a cycle that keeps every replaced operator's arrays
        #: until the cyclic collector happens to run.
        self.conductivity_at = CellConductivity(mesh, temperature)
        nz, ny, nx = mesh.shape
        K = np.array([m.k for m in mesh.materials], dtype=float)  # (n_materials, 3)
        mat = mesh.material
        kx, ky, kz = K[mat, 0], K[mat, 1], K[mat, 2]
        if temperature is not None:
            factor = self.k_factor(temperature)
            if factor is not None:
                kx *= factor
                ky *= factor
                kz *= factor
                del factor
        r_pair = np.zeros((len(mesh.components), len(mesh.components)))
        for a, b, r in mesh.setup.contacts:
            r_pair[a, b] = r_pair[b, a] = r
        self.gx = np.zeros((nz, ny, max(nx - 1, 0)))
        self.gy = np.zeros((nz, max(ny - 1, 0), nx))
        self.gz = np.zeros((max(nz - 1, 0), ny, nx))
        face_conductances(kx, ky, kz, mesh.dx, mesh.dy, mesh.dz, mesh.component, r_pair,
                          self.gx, self.gy, self.gz)
        # the per-cell conductivities are not kept: only the boundary layers need them again
        patches = self._boundary_patches(kx, ky, kz)
        del kx, ky, kz
        #: cold plates and resolved channels (None without coolant); ``coolant_T`` gives the mean
        #: coolant temperature (°C) per cold plate/cavity at which its properties are taken
        self.coolant = None
        if mesh.setup.has_coolant:
            layout = CoolantLayout(mesh)
            _cut_fluid(layout.fluid, self.gx, self.gy, self.gz, patches)
            self.coolant = CoolantNetwork(layout, self.conductivity_at, coolant_T)
        self.patches = patches
        self.diag_boundary = np.zeros(mesh.shape)
        for p in self.patches:
            p.cells(self.diag_boundary)[...] += p.G
        self.power = mesh.power
        self._stencil = None
        self._coupled = None  # the coupled operator of this coolant network, built on demand

    def with_coolant_at(self, coolant_T: dict) -> "Operator":
        """This operator with the coolant's properties taken at ``coolant_T`` (°C per cold plate
        or cavity): the conduction terms are shared, only the coolant network is rebuilt."""
        other = copy.copy(self)
        other.coolant = self.coolant.at(coolant_T)
        other._coupled = None
        return other

    # -- material properties --------------------------------------------------------------------
    def k_factor(self, temperature: np.ndarray) -> np.ndarray | None:
        """Per-cell multiplier of k at ``temperature`` (°C); None when no material depends on T."""
        mats = self.mesh.materials
        if not any(m.temperature_dependent for m in mats):
            return None
        factor = np.ones(self.mesh.shape)
        for mid, m in enumerate(mats):
            if m.temperature_dependent:
                sel = self.mesh.material == mid
                factor[sel] = m.k_factor(temperature[sel])
        return factor

    @property
    def temperature_dependent(self) -> bool:
        return any(m.temperature_dependent for m in self.mesh.materials)

    @property
    def capacity(self) -> np.ndarray:
        """Heat capacity of every cell, ρ·c_p·V (J/K)."""
        rc = np.array([m.rho * m.cp for m in self.mesh.materials])
        return rc[self.mesh.material] * self.mesh.cell_volumes()

    # -- boundaries -----------------------------------------------------------------------------
    def _boundary_patches(self, kx, ky, kz) -> list[BoundaryPatch]:
        """Each active face's terms from its registered kind, given the face cells' half-cell
        resistance normal to the face and their areas."""
        mesh = self.mesh
        dx, dy, dz = mesh.dx, mesh.dy, mesh.dz
        out = []
        for cond in mesh.setup.faces:
            face = cond.face
            if face in ("top", "bottom"):
                kcell, d = (kz[-1], dz[-1]) if face == "top" else (kz[0], dz[0])
                area = dy[:, None] * dx[None, :]
            elif face in ("xmin", "xmax"):
                kcell, d = (kx[:, :, -1], dx[-1]) if face == "xmax" else (kx[:, :, 0], dx[0])
                area = dz[:, None] * dy[None, :]
            else:
                kcell, d = (ky[:, -1, :], dy[-1]) if face == "ymax" else (ky[:, 0, :], dy[0])
                area = dz[:, None] * dx[None, :]
            out.append(model_for(cond).patch(0.5 * d / kcell, area))
        return out

    @property
    def has_heat_path(self) -> bool:
        """Whether any cell is tied to a fixed or convective boundary (else no steady state)."""
        if self.coolant is not None and len(self.coolant.cpl_G):
            return True
        return any(p.has_heat_path for p in self.patches)

    def reference_temperature(self) -> float:
        """A boundary temperature (°C) to solve rises against: the lowest active one (boundary
        or coolant inlet)."""
        temps = [p.T for p in self.patches if p.has_heat_path]
        if self.coolant is not None:
            temps += [g.T_in for g in self.coolant.groups]
        return min(temps) if temps else 0.0

    @property
    def n_unknowns(self) -> int:
        """Cells plus coolant nodes."""
        return self.mesh.n_cells + (self.coolant.n_nodes if self.coolant is not None else 0)

    def coupled_matrix(self) -> sp.csr_matrix:
        """The conductance matrix with the coolant nodes (cells first, then nodes) as one CSR;
        the plain :meth:`matrix` without coolant. Not symmetric when there is coolant."""
        if self.coolant is None:
            return self.matrix()
        return self.system().tocsr()

    def coupled_rhs(self, power: np.ndarray | None = None, t_ref: float = 0.0) -> np.ndarray:
        """:meth:`rhs` extended with the coolant inlet terms."""
        b = self.rhs(power, t_ref)
        return b if self.coolant is None else self.coolant.coupled_rhs(b, t_ref)

    # -- the linear system ----------------------------------------------------------------------
    def system(self):
        """What the linear solvers take: the :meth:`stencil` without coolant, else the coupled
        solid + coolant operator in blocks (:class:`~.coupled.CoupledStencil`, not symmetric:
        the stencil with the couplings on its diagonal and small sparse coolant blocks)."""
        if self.coolant is None:
            return self.stencil()
        if self._coupled is None:
            self._coupled = coupled_stencil(self.stencil(), self.coolant.n_nodes, *self.coolant.entries())
        return self._coupled

    def stencil(self) -> Stencil:
        """The conductance operator (W/K) as a matrix-free 7-point :class:`~.stencil.Stencil`."""
        if self._stencil is None:
            self._stencil = Stencil(self.gx, self.gy, self.gz, self.diag_boundary,
                                    self.mesh.dx, self.mesh.dy)
        return self._stencil

    def matrix(self) -> sp.csr_matrix:
        """The conductance matrix (W/K), CSR, rows/columns in C order of ``(k, j, i)``."""
        return self.stencil().tocsr()

    def rhs(self, power: np.ndarray | None = None, t_ref: float = 0.0) -> np.ndarray:
        """Right-hand side (W) for the temperature rise above ``t_ref`` (°C), flattened.

        ``power`` (W per cell, ``(nz, ny, nx)``) replaces the package's sources when given.
        """
        p = self.power if power is None else np.asarray(power, dtype=float)
        if p.shape != self.mesh.shape:
            raise LayoutError(f"power must have shape {self.mesh.shape} (nz, ny, nx), got {p.shape}")
        b = np.array(p, dtype=float, copy=True)
        for patch in self.patches:  # G_b (T_b − t_ref) + Q_b on the boundary layers only
            if patch.has_heat_path:
                patch.cells(b)[...] += patch.G * (patch.T - t_ref)
            if patch.Q is not None:
                patch.cells(b)[...] += patch.Q
        return b.ravel()

    def apply(self, temperature: np.ndarray) -> np.ndarray:
        """``A T`` without forming the matrix (W per cell, ``(nz, ny, nx)``), by the stencil."""
        return self.stencil().matvec(np.ascontiguousarray(temperature, dtype=float))

    # -- balances -------------------------------------------------------------------------------
    def heat_out(self, temperature: np.ndarray, nodes: np.ndarray | None = None) -> dict[str, float]:
        """Heat (W) leaving through each active face for a cell temperature field (°C,
        ``(nz, ny, nx)``), and with the coolant of each cold plate / cavity for the coolant node
        temperatures ``nodes`` (°C) when given."""
        out: dict[str, float] = {}
        for p in self.patches:
            out[p.face] = out.get(p.face, 0.0) + p.heat_out(temperature)
        if self.coolant is not None and nodes is not None:
            out.update(self.coolant.heat_out(nodes))  # ṁ c_p (T_out − T_in) per cold plate / cavity
        return out

    def energy_balance(self, temperature: np.ndarray, power: np.ndarray | None = None,
                       nodes: np.ndarray | None = None) -> float:
        """|P_in − Q_out| / P_in for a steady field (relative to the boundary flux when P = 0);
        ``nodes``: the coolant node temperatures (°C) of a package with coolant."""
        p_in = float(np.sum(self.power if power is None else power))
        q = self.heat_out(temperature, nodes)
        q_out = sum(q.values())
        scale = abs(p_in) if p_in != 0 else max(sum(abs(v) for v in q.values()), 1e-300)
        return abs(p_in - q_out) / scale


def _cut_fluid(F: np.ndarray, gx, gy, gz, patches) -> None:
    """No conduction through faces touching fluid cells, no boundary terms on them: a resolved
    fluid cell exchanges heat only with its coolant node."""
    if not F.any():
        return
    gx[F[:, :, :-1] | F[:, :, 1:]] = 0.0
    gy[F[:, :-1, :] | F[:, 1:, :]] = 0.0
    gz[F[:-1] | F[1:]] = 0.0
    for p in patches:
        p.G[p.cells(F)] = 0.0
        if p.Q is not None:
            p.Q[p.cells(F)] = 0.0


class CellConductivity:
    """Conductivity (W/(m·K)) of cells of ``mesh`` along an axis at the field ``temperature``
    (°C, ``(nz, ny, nx)``; None: the reference k), as the coolant couplings ask for it."""

    def __init__(self, mesh: Mesh, temperature: np.ndarray | None):
        self.mesh, self.temperature = mesh, temperature

    def __call__(self, axis: int, cells: np.ndarray) -> np.ndarray:
        """k along ``axis`` (0 = z, 1 = y, 2 = x) of the flat ``cells``, shape of ``cells``."""
        mesh = self.mesh
        mats = mesh.material.ravel()[cells]
        k = np.array([m.k[2 - axis] for m in mesh.materials], dtype=float)[mats]
        if self.temperature is not None and any(m.temperature_dependent for m in mesh.materials):
            T = np.asarray(self.temperature, dtype=float).ravel()[cells]
            for mid, m in enumerate(mesh.materials):
                if m.temperature_dependent:
                    sel = mats == mid
                    k[sel] = k[sel] * m.k_factor(T[sel])
        return k
