"""Power sweeps by superposition: when a study varies only component powers of a linear package,
every variant's field is one field plus a sum of responses, ``T = T_fixed + Σ_j P_j u_j``,
with ``T_fixed`` the field of everything the study leaves alone (boundaries, inlets, the powers
it does not vary) and ``u_j`` the rise per watt of component j spread as its own power
distribution: 1 + (varied components) solves for the whole study, whatever its size.

Linear means: no temperature-dependent conductivity, no power that depends on temperature, no
coolant (whose properties follow its temperature) and no transient. Otherwise, or when any
parameter is not a ``.power``, the study solves every variant.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ...layout.toml import parse_toml

#: relative residual of the sweep's solves: tighter than a run's, so that a superposed field
#: is as close to the exact discrete solution as a separate solve
SWEEP_TOL = 1e-12


def power_components(study, pkg, data: dict) -> dict[str, str] | None:
    """``{vary path: component name}`` when every parameter is a component's ``power`` (in the
    layout ``data``, the TOML structure of ``pkg``) and ``pkg`` is linear; else None."""
    from .paths import locate

    names = {c.name for c in pkg.components()}
    out = {}
    for v in study.vary:
        if not v.path.endswith(".power") or v.offset is not None:
            return None
        table, _, _ = locate(data, v.path)
        if table.get("name") not in names:
            return None
        out[v.path] = table["name"]
    return out if _linear(pkg) else None


def _linear(pkg) -> bool:
    if pkg.has_coolant or pkg.trace_file or pkg.initial is not None:
        return False
    for c in pkg.components():
        if any(getattr(c, key, None) is not None for key in ("power_model", "trace", "source")):
            return False
        if getattr(c, "photonics", None) is not None and getattr(c.photonics, "heaters", None):
            return False
    from ...materials import library

    mats = {**library(), **pkg.materials}
    used = {c.material for c in pkg.components() if isinstance(c.material, str)}
    return not any(getattr(mats.get(m), "temperature_dependent", False) for m in used)


class PowerSweep:
    """The responses of one linear package to its varied components (see the module)."""

    def __init__(self, pkg, varied: list[str]):
        from ...mesh import voxelize
        from ...operator import Operator
        from ...solve.system import SteadySystem

        self.mesh = voxelize(pkg)
        self.ids = {c.name: c.id for c in self.mesh.components}
        self.varied = varied
        self.units = {}
        fixed = self.mesh.power.copy()
        for name in varied:
            own = self.mesh.component == self.ids[name]
            part = np.where(own, self.mesh.power, 0.0)
            unit = part if part.sum() > 0 else np.where(own, self.mesh.cell_volumes(), 0.0)
            self.units[name] = unit / unit.sum()
            fixed -= part
        self.fixed_power = fixed
        fixed_mesh = dataclasses.replace(self.mesh, power=fixed)
        self.system = SteadySystem(fixed_mesh, Operator(fixed_mesh), tol=SWEEP_TOL)
        self.T_fixed = self.system.solve()
        self.responses = {name: self.system.response(self.units[name], SWEEP_TOL) for name in varied}
        self.solves = 1 + len(varied)

    def result(self, powers: dict[str, float]):
        """The :class:`~thermal_cpo.results.Result` with the varied components at ``powers`` (W)."""
        from ...operator import Operator
        from ...results import Result
        from ...results import component_table
        from ...results.junction import junction_temperatures
        from ...results.surface import surface_temperatures

        t0 = time.perf_counter()
        T = self.T_fixed + sum(p * self.responses[n] for n, p in powers.items())
        power = self.fixed_power + sum(p * self.units[n] for n, p in powers.items())
        comps = tuple(dataclasses.replace(c, power=float(powers.get(c.name, c.power))) for c in self.mesh.components)
        mesh = dataclasses.replace(self.mesh, power=power, components=comps)
        op = Operator(mesh)
        heat = op.heat_out(T)
        p_in = float(power.sum())
        table = component_table(mesh, T, junction=junction_temperatures(op, T), surface=surface_temperatures(op, T))
        solver = {"method": "superposition", "energy_balance": abs(p_in - sum(heat.values())) / p_in if p_in else 0.0,
                  "wall_time": time.perf_counter() - t0, "power_in": p_in, "heat_out": float(sum(heat.values()))}
        return Result(mesh=mesh, temperature=T, components=table, solver=solver, heat_out=heat)


def variant_powers(text: str, origin: str, by_path: dict[str, str]) -> dict[str, float]:
    """The varied components' powers (W) in a variant's layout ``text``."""
    pkg = parse_toml(text, origin)
    comps = {c.name: c for c in pkg.components()}
    return {name: float(comps[name].nominal_power) for name in by_path.values()}


__all__ = ["PowerSweep", "power_components", "variant_powers", "SWEEP_TOL"]
