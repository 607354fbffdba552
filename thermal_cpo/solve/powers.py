"""Powers that depend on temperature: the unknowns of the outer loop and their reduced solve.

Each unknown is a power ``p_i`` (W) injected with a fixed unit distribution ``u_i`` and a
temperature ``τ_i`` it is driven by (a linear functional ``w_i · T`` of the field, or a
component's hottest cell): a component's power model (``p = f(τ)``, leakage or laser) or a
ring's closed-loop heater (``τ = T_ref`` with ``0 ≤ p ≤ p_max``, or ``p`` at a bound). With the
sensitivities ``S_ij = w_i · A⁻¹ u_j`` (K/W), exact for a linear package,
``τ(p) = τ_k + S (p − p_k)`` around the field solved for ``p_k``; the small nonlinear system
in ``p`` is then solved exactly by a semismooth Newton method and the field solved again, until
the field's own ``τ`` equals the prediction (:mod:`thermal_cpo.solve.outer`).

Why Newton from below is safe for leakage: ``F(p) = p − f(τ(p))`` is concave when every ``f``
is convex and increasing and ``S ≥ 0``, and its Jacobian ``I − diag(f') S`` is a Z-matrix; from a
point with ``F ≤ 0`` the Newton iterates increase monotonically to the smallest fixed point, and
if the Jacobian stops being a nonsingular M-matrix (spectral radius of ``diag(f') S`` ≥ 1) while
``F < 0`` there is no fixed point above: a thermal runaway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import LayoutError, RunawayError, SolverError
from ..mesh import Mesh, component_weights, distribute, heater_weights, ring_weights, unit_power_map

#: temperatures above this (°C) in the reduced model mean the powers have run away
RUNAWAY_T = 5000.0
NEWTON_MAXITER = 100


@dataclass
class Unknown:
    """One unknown power: its name, the component it belongs to, its unit injection
    ``(flat cells, W per cell for 1 W)`` and what drives it: ``observe`` ``(flat cells,
    weights)`` for a mean, or ``max_cells`` for the hottest cell; a ``model`` (a layout power
    model) or a heater's ``T_ref`` and ``max_power``; ``declared``: its power before the solve (W)."""

    name: str
    component: int
    inject: tuple[np.ndarray, np.ndarray]
    observe: tuple[np.ndarray, np.ndarray] | None
    max_cells: np.ndarray | None = None
    model: object = None
    T_ref: float = 0.0
    max_power: float = 0.0
    declared: float = 0.0
    replaces: int | None = None  # the component whose declared power this unknown replaces
    ring: int | None = None  # a heater's ring index in its bank
    #: a heater's rise of its ring per W that the grid does not resolve (K/W): 0 for a ring with
    #: its own volume, else dλ/dT-derived from the declared tuning efficiency (a sub-grid model)
    self_heating: float = 0.0

    @property
    def is_heater(self) -> bool:
        return self.model is None


def _component_cells(mesh: Mesh, unit: np.ndarray, cid: int):
    flat = np.flatnonzero(mesh.component.ravel() == cid)
    return flat, unit.ravel()[flat]


def _model_unknowns(mesh: Mesh, unit: np.ndarray) -> list[Unknown]:
    out = []
    for c in mesh.components:
        if c.power_model is None:
            continue
        inject = _component_cells(mesh, unit, c.id)
        if not len(inject[0]) or inject[1].sum() <= 0:
            raise LayoutError(f"component {c.name!r} has a power model but no visible cell: later "
                              "components cover it entirely", path=f"{c.name}.power_model")
        by_max = c.power_model.at == "max"
        out.append(Unknown(c.name, c.id, inject, None if by_max else component_weights(mesh, c.id),
                           inject[0] if by_max else None, model=c.power_model,
                           declared=c.power, replaces=c.id))
    return out


def sub_grid_self_heating(ph) -> float:
    """The heater's rise of its own ring (K/W) that a declared tuning efficiency η (nm/mW) and
    dλ/dT (pm/K) imply: Ψ = η / dλ/dT, for rings the grid does not resolve."""
    if ph.tuning_efficiency is None:
        return float("nan")
    return ph.tuning_efficiency / (ph.dlambda_dT / 1000.0) * 1000.0


def _heater_unknowns(mesh: Mesh) -> list[Unknown]:
    out = []
    for c in mesh.components:
        ph = c.photonics
        if ph is None or ph.heater is None:
            continue
        for r, (inject, observe) in enumerate(zip(heater_weights(mesh, c), ring_weights(mesh, c))):
            owners = np.unique(mesh.component.ravel()[inject[0]])
            own = int(owners[0]) if len(owners) == 1 and owners[0] != c.id else None
            declared = mesh.components[own].power if own is not None else 0.0
            local = 0.0 if own is not None else sub_grid_self_heating(ph)
            if not np.isfinite(local):
                raise LayoutError(f"closed-loop heaters of {c.name!r}: ring {r} has no block of its own, "
                                  "so its heater's self-heating is below the grid; give "
                                  "photonics.tuning_efficiency (nm/mW) or a block for each ring",
                                  path=f"{c.name}.photonics.tuning_efficiency")
            out.append(Unknown(f"{c.name}.ring{r}", c.id, inject, observe, T_ref=ph.T_ref,
                               max_power=ph.heater.max_power, declared=declared, replaces=own, ring=r,
                               self_heating=local))
    return out


@dataclass
class PowerSet:
    """The temperature-dependent powers of a voxelized package (see the module docstring)."""

    mesh: Mesh
    unknowns: list[Unknown] = field(default_factory=list)

    @classmethod
    def of(cls, mesh: Mesh) -> "PowerSet":
        if not any(c.power_model is not None or (c.photonics is not None and c.photonics.heater is not None)
                   for c in mesh.components):
            return cls(mesh)  # every power fixed: the plain solve pays nothing for this
        unit = unit_power_map(mesh)
        models = _model_unknowns(mesh, unit)
        heaters = _heater_unknowns(mesh)
        taken = [u.replaces for u in models + heaters if u.replaces is not None]
        if len(set(taken)) != len(taken):
            raise SolverError("a ring heater's volume is a component with a power model: give "
                              "the ring block a plain power or no power")
        return cls(mesh, models + heaters)

    def __len__(self) -> int:
        return len(self.unknowns)

    @property
    def names(self) -> list[str]:
        return [u.name for u in self.unknowns]

    def initial(self) -> np.ndarray:
        """The first powers (W): each unknown's declared power."""
        return np.array([u.declared for u in self.unknowns], dtype=float)

    def fixed_power(self) -> np.ndarray:
        """(nz, ny, nx) W per cell of every source that is not an unknown, from the declared
        powers (not from the mesh's power field, which after a solve holds the final powers)."""
        watts = np.array([c.power for c in self.mesh.components], dtype=float)
        for u in self.unknowns:
            if u.replaces is not None:
                watts[u.replaces] = 0.0
        m = self.mesh
        return distribute(m.component, m.x, m.y, m.z, m.components, watts)[0]

    def field(self, p: np.ndarray, fixed: np.ndarray) -> np.ndarray:
        """(nz, ny, nx) W per cell: ``fixed`` plus every unknown's power ``p`` (W)."""
        out = np.array(fixed, dtype=float, copy=True)
        flat = out.reshape(-1)
        for u, pi in zip(self.unknowns, p):
            np.add.at(flat, u.inject[0], pi * u.inject[1])
        return out

    def unit_field(self, j: int) -> np.ndarray:
        """(nz, ny, nx) the unit injection of unknown ``j`` (W per cell for 1 W)."""
        out = np.zeros(self.mesh.n_cells)
        np.add.at(out, self.unknowns[j].inject[0], self.unknowns[j].inject[1])
        return out.reshape(self.mesh.shape)

    def observed_cells(self, u: Unknown, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The functional that gives ``u``'s driving temperature from the field ``T`` (°C)."""
        if u.observe is not None:
            return u.observe
        hot = u.max_cells[int(np.argmax(T.reshape(-1)[u.max_cells]))]
        return np.array([hot]), np.ones(1)

    def observe(self, T: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Every unknown's driving temperature (°C) in the field ``T`` with the powers ``p`` (W):
        a heater's sub-grid self-heating adds to its ring's."""
        flat = T.reshape(-1)
        grid = np.array([flat[i] @ w for i, w in (self.observed_cells(u, T) for u in self.unknowns)])
        return grid + self.local() * p

    def local(self) -> np.ndarray:
        """Each unknown's sub-grid self-heating (K/W)."""
        return np.array([u.self_heating for u in self.unknowns])

    def sensitivities(self, responses, T: np.ndarray) -> np.ndarray:
        """``S`` (K/W): ``S[i, j]`` = the rise of unknown i's driving temperature per W of j,
        from ``responses``: an iterable of the unit-injection fields (K per W), in the unknowns'
        order."""
        m = len(self)
        S = np.empty((m, m))
        cells = [self.observed_cells(u, T) for u in self.unknowns]
        for j, z in enumerate(responses):
            flat = z.reshape(-1)
            S[:, j] = [flat[i] @ w for i, w in cells]
        return S + np.diag(self.local())

    # -- the reduced system -----------------------------------------------------------------
    def residual(self, p: np.ndarray, tau: np.ndarray, S: np.ndarray):
        """``F(p)`` (W) at driving temperatures ``tau`` and its (generalised) Jacobian."""
        m = len(self)
        F, J = np.empty(m), np.eye(m)
        for i, u in enumerate(self.unknowns):
            if u.model is not None:
                F[i] = p[i] - u.model.power(tau[i])
                J[i] -= u.model.slope(tau[i]) * S[i]
            else:
                c = 1.0 / S[i, i]
                y = p[i] - c * (tau[i] - u.T_ref)
                F[i] = p[i] - min(max(y, 0.0), u.max_power)
                if 0.0 < y < u.max_power:
                    J[i] = c * S[i]
        return F, J

    def start(self, p: np.ndarray, tau: np.ndarray, S: np.ndarray, T_low: float) -> np.ndarray:
        """A start below every leakage fixed point: one Picard step from the powers each
        unbounded model dissipates at the lowest temperature in the package, ``T_low`` (°C)."""
        q = np.array(p, dtype=float, copy=True)
        low = self._unbounded()
        for i in low:
            q[i] = self.unknowns[i].model.power(T_low)
        t = tau + S @ (q - p)
        for i in low:
            q[i] = self.unknowns[i].model.power(t[i])
        return q

    def solve_reduced(self, p0: np.ndarray, tau0: np.ndarray, S: np.ndarray, T_low: float) -> np.ndarray:
        """The powers (W) satisfying every law in the linear model ``τ = tau0 + S (p − p0)``;
        :class:`RunawayError` when the leakage has no fixed point."""
        p = self.start(p0, tau0, S, T_low)
        scale = 1.0 + np.abs(p0)
        for _ in range(NEWTON_MAXITER):
            tau = tau0 + S @ (p - p0)
            if not np.all(np.isfinite(tau)) or tau.max() > RUNAWAY_T:
                raise self.runaway(p, tau, S)
            F, J = self.residual(p, tau, S)
            if np.all(np.abs(F) <= 1e-13 * scale):
                return p
            self.check_runaway(p, tau, S, F)
            try:
                step = np.linalg.solve(J, -F)
            except np.linalg.LinAlgError:
                raise self.runaway(p, tau, S) from None
            p = self._line_search(p, step, F, p0, tau0, S)
        raise SolverError(f"the temperature-dependent powers ({', '.join(self.names)}) did not "
                          f"converge in {NEWTON_MAXITER} Newton iterations")

    def _line_search(self, p, step, F, p0, tau0, S):
        """``p + λ step`` with the largest λ in 1, ½, ¼, … that reduces ‖F‖ (full step last)."""
        norm = np.linalg.norm(F)
        lam = 1.0
        for _ in range(30):
            q = p + lam * step
            Fq, _ = self.residual(q, tau0 + S @ (q - p0), S)
            if np.linalg.norm(Fq) < norm:
                return q
            lam *= 0.5
        return p + step

    def _unbounded(self) -> list[int]:
        return [i for i, u in enumerate(self.unknowns) if u.model is not None and u.model.unbounded]

    def check_runaway(self, p, tau, S, F) -> None:
        """Raise :class:`RunawayError` when the leakage block's loop gain ``diag(f') S`` has
        reached 1 while its powers must still grow (see the module docstring)."""
        idx = self._unbounded()
        if not idx:
            return
        G = np.array([[self.unknowns[i].model.slope(tau[i]) * S[i, j] for j in idx] for i in idx])
        if np.max(np.abs(np.linalg.eigvals(G))) >= 1.0 and np.all(F[idx] < 0):
            raise self.runaway(p, tau, S)

    def runaway(self, p, tau, S) -> RunawayError:
        """The error naming the component whose loop gain R·dP/dT is largest."""
        idx = self._unbounded() or list(range(len(self)))
        gains = [(S[i, i] * self.unknowns[i].model.slope(min(tau[i], RUNAWAY_T))
                  if self.unknowns[i].model is not None else 0.0, i) for i in idx]
        g, i = max(gains)
        u = self.unknowns[i]
        t = min(float(tau[i]), RUNAWAY_T)
        slope = u.model.slope(t) if u.model is not None else float("nan")
        return RunawayError(
            f"thermal runaway in {u.name!r}: no steady state exists. At {t:.1f} °C its power "
            f"grows by dP/dT = {slope:.4g} W/K while its thermal resistance is R = {S[i, i]:.4g} "
            f"K/W, a loop gain R·dP/dT = {g:.3g} ≥ 1: every kelvin it warms makes more than a "
            "kelvin of heat. Lower its leakage or temperature coefficient, or cool it better")

    # -- what the result reports ----------------------------------------------------------------
    def component_powers(self, p: np.ndarray) -> np.ndarray:
        """Every component's power (W, by id) with the unknowns at ``p``: the declared powers,
        the unknowns replacing those they replace (a heater without a block adds to its
        bank's component)."""
        out = np.array([c.power for c in self.mesh.components], dtype=float)
        for u in self.unknowns:
            if u.replaces is not None:
                out[u.replaces] = 0.0
        for u, pi in zip(self.unknowns, p):
            out[u.replaces if u.replaces is not None else u.component] += pi
        return out
