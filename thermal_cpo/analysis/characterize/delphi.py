"""A boundary-condition-independent compact model in the DELPHI manner [jedec-jesd154-2008]: a
star-and-shunt network from the junction J to five surface nodes — the top (the case) and the
bottom (the board face) each split into the part over the junction and the rest, and the sides
— with shunts between them, fitted to full solves of the package
under a set of boundary conditions, and checked against each of them.

The boundary-condition sets: every combination of ``h_top`` in 1e2, 1e3, 1e4, 1e5 W/(m²·K),
``h_bottom`` in 1e2, 1e4 and sides adiabatic or at 1e3, all to one ambient — sixteen sets from a
nearly insulated package to a cold-plated one. The fit minimises the relative error of the
junction rise over the sets (the usual acceptance is 10 % on every set); the two-resistor model
is checked on the same sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
from scipy.optimize import least_squares

from ...errors import SolverError
from ...layout import Package
from ...solve.steady import solve_steady
from .jedec import JedecMetrics, junction_temperature
from .variants import case_layer_of

H_TOP = (1e2, 1e3, 1e4, 1e5)
H_BOTTOM = (1e2, 1e4)
H_SIDES = (0.0, 1e3)
AMBIENT = 25.0
#: seeded starts of the network fit
FIT_STARTS = 6
#: the network's resistors, between (node, node): J junction, TI / TO the top face over the
#: junction's footprint and around it, BI / BO the bottom face likewise (the splits let the
#: network follow the spreading as h changes: with the top and bottom whole, the fit missed the
#: switch package's junction by 29 % on some sets, with them split by 8 %), S the sides
LINKS = (("J", "TI"), ("J", "TO"), ("TI", "TO"), ("J", "BI"), ("J", "BO"), ("BI", "BO"), ("J", "S"),
         ("TO", "S"), ("BO", "S"), ("TO", "BO"), ("TI", "BI"))
_NODES = ("J", "TI", "TO", "BI", "BO", "S")


def bc_sets() -> list[dict]:
    """The boundary-condition sets: ``{"top": h, "bottom": h, "sides": h}`` (W/(m²·K); 0 adiabatic)."""
    return [dict(top=t, bottom=b, sides=s) for t, b, s in product(H_TOP, H_BOTTOM, H_SIDES)]


def _face(h: float) -> dict:
    return {"type": "convective", "h": h, "T": AMBIENT} if h > 0 else {"type": "adiabatic"}


def with_environment(pkg: Package, bc: dict, case: str | None = None) -> Package:
    """``pkg`` (cut at the case layer, cold plates removed) under the convective set ``bc``."""
    data = pkg.to_dict()
    data["layers"] = data["layers"][:case_layer_of(pkg, case) + 1]
    for layer in data["layers"]:
        layer.pop("channels", None)
    data["coldplates"] = []
    data["boundaries"] = {"top": _face(bc["top"]), "bottom": _face(bc["bottom"]),
                          **{f: _face(bc["sides"]) for f in ("xmin", "xmax", "ymin", "ymax")}}
    data.pop("initial", None)
    return Package.model_validate(data)


def _areas(pkg: Package, junction_area: float, case: str | None) -> dict:
    """Outer face areas (m²) of the cut package: the top over the junction and around it,
    the bottom, the four sides together."""
    fx, fy = pkg.footprint.x, pkg.footprint.y
    height = sum(layer.thickness for layer in pkg.layers[:case_layer_of(pkg, case) + 1])
    inner = min(junction_area, 0.999 * fx * fy)  # a footprint-wide junction leaves a thin rim
    return {"TI": inner, "TO": fx * fy - inner, "BI": inner, "BO": fx * fy - inner, "S": 2 * (fx + fy) * height}


def network_rise(R: np.ndarray, g_env: dict) -> float:
    """Junction rise per watt (K/W) of the network with resistors ``R`` (K/W, in the order of
    :data:`LINKS`) and environment conductances ``g_env`` (W/K per surface node)."""
    idx = {n: i for i, n in enumerate(_NODES)}
    G = np.zeros((len(_NODES), len(_NODES)))
    for (a, b), r in zip(LINKS, R):
        g = 1.0 / r
        ia, ib = idx[a], idx[b]
        G[ia, ia] += g
        G[ib, ib] += g
        G[ia, ib] -= g
        G[ib, ia] -= g
    for n, g in g_env.items():
        G[idx[n], idx[n]] += g
    q = np.zeros(len(_NODES))
    q[0] = 1.0
    return float(np.linalg.solve(G, q)[0])


@dataclass(frozen=True)
class CompactFit:
    """The fitted network (``R`` per link, K/W), and per boundary set the full solve's junction
    rise per watt and the relative errors of the network and of the two-resistor model."""

    R: dict
    sets: list
    rise: np.ndarray
    error: np.ndarray
    error_two_resistor: np.ndarray

    @property
    def max_error(self) -> float:
        """The largest relative error of the network's junction rise over the sets."""
        return float(np.abs(self.error).max())

    @property
    def max_error_two_resistor(self) -> float:
        """The largest relative error of the two-resistor model over the sets it applies to."""
        return float(np.nanmax(np.abs(self.error_two_resistor)))

    def to_dict(self) -> dict:
        """Plain data: the resistors and one row per set."""
        return {"R": self.R, "max_error": self.max_error, "max_error_two_resistor": self.max_error_two_resistor, "sets": [
            {**bc, "rise_per_W": float(r), "error": float(e),
             "error_two_resistor": None if np.isnan(e2) else float(e2)}
            for bc, r, e, e2 in zip(self.sets, self.rise, self.error, self.error_two_resistor)]}


def fit_compact(pkg: Package, metrics: JedecMetrics, case: str | None = None, solver="auto",
                tol: float = 1e-10, sets: list[dict] | None = None) -> CompactFit:
    """Fit the DELPHI-style network of ``pkg`` (only the junction powered, as ``metrics``)."""
    sets = bc_sets() if sets is None else sets
    area = _areas(pkg, metrics.junction_area, case)
    rise = np.array([(junction_temperature(solve_steady(with_environment(pkg, bc, case), solver=solver, tol=tol),
                                           metrics.junction) - AMBIENT) / metrics.power for bc in sets])
    envs = [{"TI": bc["top"] * area["TI"], "TO": bc["top"] * area["TO"], "BI": bc["bottom"] * area["BI"],
             "BO": bc["bottom"] * area["BO"], "S": bc["sides"] * area["S"]} for bc in sets]

    scale = np.log(metrics.theta_jc)

    def residual(logR):  # resistances within 12 e-folds of θJC either way keep the network solvable
        return np.array([network_rise(np.exp(np.clip(logR, scale - 12, scale + 12)), g) for g in envs]) / rise - 1.0

    best = None
    for seed in range(FIT_STARTS):  # the fit has local minima: the best of a few seeded starts
        x0 = scale + np.random.default_rng(seed).normal(0.0, 2.0, len(LINKS))
        trial = least_squares(residual, x0, method="trf", max_nfev=4000)
        if np.all(np.isfinite(trial.x)) and (best is None or trial.cost < best.cost):
            best = trial
    if best is None:
        raise SolverError("the compact-model fit did not converge")
    R = np.exp(np.clip(best.x, scale - 12, scale + 12))
    # the two-resistor model has no path through the sides: checked where they are adiabatic
    two = np.array([metrics.predict(1.0 / (g["TI"] + g["TO"]), 1.0 / (g["BI"] + g["BO"])) / r - 1.0
                    if bc["sides"] == 0 else np.nan
                    for g, r, bc in zip(envs, rise, sets)])
    return CompactFit(R={f"R_{a}{b}": float(r) for (a, b), r in zip(LINKS, R)}, sets=sets, rise=rise,
                      error=residual(best.x), error_two_resistor=two)
