"""JEDEC steady metrics of a package: θJC (junction to case, the case face held isothermal, all
else adiabatic), θJB (the board face isothermal), ψJT and ψJB (junction to the top and bottom
surface centre, under the layout's own boundaries), and the two-resistor compact model
(R_JC = θJC, R_JB = θJB) [jedec-jesd5112-2005] [jedec-jesd153-2008]. All in K/W per watt of the
junction; see :mod:`.variants` for what junction, case and board are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from ...layout import Package
from ...operator import Operator
from ...results import Result
from ...solve.steady import solve_steady
from .variants import case_layer_of, isothermal_face, junction_of, only_junction

#: the fixture temperature (°C) of the isothermal face: any value, the metrics are rises
FIXTURE_T = 25.0


def junction_temperature(result: Result, junction: str) -> float:
    """The junction's temperature (°C): its powered face's hottest value when face-powered
    (reconstructed from the field and the face flux), else its hottest cell."""
    c = result.component(junction)
    return c.T_junction if c.T_junction is not None else c.T_max


def face_temperature(result: Result, face: str, x: float, y: float, op: Operator | None = None) -> float:
    """The temperature (°C) of the package's outer ``face`` (``top`` or ``bottom``) at ``(x, y)``
    (m): the outer cell there and, through the face's boundary conductance, the face itself
    (heat balance at the face; the cell value where no boundary conducts)."""
    mesh = result.mesh
    op = op if op is not None else Operator(mesh)
    i = int(np.clip(np.searchsorted(mesh.x, x, side="right") - 1, 0, mesh.shape[2] - 1))
    j = int(np.clip(np.searchsorted(mesh.y, y, side="right") - 1, 0, mesh.shape[1] - 1))
    k = mesh.shape[0] - 1 if face == "top" else 0
    T_c = float(result.temperature[k, j, i])
    patches = [p for p in op.patches if p.face == face]
    shape = mesh.shape[1:]
    G_of = [float(np.broadcast_to(p.G, shape)[j, i]) for p in patches]
    G = sum(G_of)
    if G <= 0:
        return T_c
    T_b = sum(g * float(np.broadcast_to(p.T, shape)[j, i]) for g, p in zip(G_of, patches)) / G
    kz = float(op.conductivity_at(0, np.array([np.ravel_multi_index((k, j, i), mesh.shape)]))[0])
    G_c = 2.0 * kz * mesh.dx[i] * mesh.dy[j] / mesh.dz[k]
    return T_c - G * (T_c - T_b) / G_c  # the flux through the face crosses the half cell first


@dataclass(frozen=True)
class JedecMetrics:
    """θJC, θJB, ψJT, ψJB (K/W), the two-resistor model, and what they were measured on."""

    junction: str
    case: str
    power: float
    theta_jc: float
    theta_jb: float
    psi_jt: float
    psi_jb: float
    T_junction: float
    T_top: float
    T_bottom: float
    junction_area: float  # m², the junction's footprint

    @property
    def two_resistor(self) -> dict:
        """The two-resistor compact model: R_JC and R_JB (K/W)."""
        return {"R_JC": self.theta_jc, "R_JB": self.theta_jb}

    def predict(self, R_top: float, R_bottom: float) -> float:
        """The two-resistor model's junction rise per watt (K/W) with environment resistances
        ``R_top`` (case to ambient) and ``R_bottom`` (board to ambient), K/W."""
        return 1.0 / (1.0 / (self.theta_jc + R_top) + 1.0 / (self.theta_jb + R_bottom))

    def to_dict(self) -> dict:
        """Plain data (SI, °C) with the two-resistor model."""
        return {**asdict(self), "two_resistor": self.two_resistor}


def _footprint(pkg: Package, junction: str) -> tuple[float, float, float]:
    """``(x centre, y centre, area)`` (m, m²) of the junction's footprint."""
    for layer in pkg.layers:
        for c in (layer, *layer.blocks):
            if c.name == junction:
                if c is layer:
                    return 0.5 * pkg.footprint.x, 0.5 * pkg.footprint.y, pkg.footprint.x * pkg.footprint.y
                return _rect(c)
    return _rect(next(b for b in pkg.boxes if b.name == junction))


def _rect(c) -> tuple[float, float, float]:
    return 0.5 * (c.x[0] + c.x[1]), 0.5 * (c.y[0] + c.y[1]), (c.x[1] - c.x[0]) * (c.y[1] - c.y[0])


def jedec_metrics(pkg: Package, junction: str | None = None, case: str | None = None,
                  solver="auto", tol: float = 1e-10) -> JedecMetrics:
    """The JEDEC steady metrics of ``pkg`` with only ``junction`` powered (three solves: the
    layout's own boundaries, the case isothermal, the board isothermal)."""
    junction = junction_of(pkg, junction)
    own = only_junction(pkg, junction)
    P = next(c.nominal_power for c in (*own.layers, *(b for la in own.layers for b in la.blocks), *own.boxes)
             if c.name == junction)
    x, y, area = _footprint(pkg, junction)
    r = solve_steady(own, solver=solver, tol=tol)
    op = Operator(r.mesh)
    Tj, Tt, Tb = junction_temperature(r, junction), face_temperature(r, "top", x, y, op), face_temperature(r, "bottom", x, y, op)
    rc = solve_steady(isothermal_face(own, "top", FIXTURE_T, case), solver=solver, tol=tol)
    rb = solve_steady(isothermal_face(own, "bottom", FIXTURE_T, case), solver=solver, tol=tol)
    return JedecMetrics(junction=junction, case=pkg.layers[case_layer_of(pkg, case)].name, power=P,
                        theta_jc=(junction_temperature(rc, junction) - FIXTURE_T) / P,
                        theta_jb=(junction_temperature(rb, junction) - FIXTURE_T) / P,
                        psi_jt=float(Tj - Tt) / P, psi_jb=float(Tj - Tb) / P, T_junction=float(Tj), T_top=float(Tt),
                        T_bottom=float(Tb), junction_area=area)
