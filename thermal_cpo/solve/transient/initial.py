"""The initial state of a transient: cell temperatures, coolant node temperatures and the
temperatures the coolant properties are taken at.

The initial field is the ``initial`` argument, else the layout's ``[initial]``, else the reference
temperature; it is a uniform temperature (°C), ``"steady"`` (the steady field at the t = 0
powers), a result file (its last field), or an ``(nz, ny, nx)`` array (°C).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import LayoutError
from ...mesh import Mesh
from ...operator import Operator
from ...operator.sources import Sources
from ...results import Result
from ...schema import ABSOLUTE_ZERO_C
from ..system import coolant_guess


@dataclass
class InitialState:
    """Cell temperatures (°C, ``(nz, ny, nx)``); with coolant, the node temperatures (°C) and
    the temperature of each group its properties are taken at (°C, by group name) when the
    source of the field says them."""

    cells: np.ndarray
    nodes: np.ndarray | None = None
    coolant_T: dict | None = None


def initial_state(mesh: Mesh, op: Operator, sources: Sources, spec, t_ref: float, solver,
                  tol: float) -> InitialState:
    """The initial state for ``spec`` (see the module docstring); ``t_ref`` (°C) when none."""
    if spec is None and mesh.setup.initial is not None:
        init = mesh.setup.initial
        spec = init.T if init.T is not None else init.from_
    if spec is None:
        return InitialState(np.full(mesh.shape, t_ref))
    if isinstance(spec, np.ndarray):
        if spec.shape != mesh.shape:
            raise LayoutError(f"initial field has shape {spec.shape}, the grid {mesh.shape}", path="initial")
        if not (np.all(np.isfinite(spec)) and np.min(spec) >= ABSOLUTE_ZERO_C):
            raise LayoutError("the initial field must be finite and at or above absolute zero "
                              "(-273.15 °C)", path="initial")
        return InitialState(spec.astype(float))
    if isinstance(spec, (int, float)):
        if not (math.isfinite(spec) and spec >= ABSOLUTE_ZERO_C):
            raise LayoutError(f"must be a finite temperature at or above absolute zero (-273.15 °C), "
                              f"got {spec!r}", path="initial")
        return InitialState(np.full(mesh.shape, float(spec)))
    if spec == "steady":
        from ..steady import solve_steady

        steady_mesh = dataclasses.replace(mesh, power=sources.field(sources.powers_at(0.0)))
        r = solve_steady(steady_mesh, solver=solver, tol=tol)
        return _state_of(r) if r.coolant is not None else InitialState(r.temperature)
    return _from_file(mesh, op, Path(spec))


def _from_file(mesh: Mesh, op: Operator, path: Path) -> InitialState:
    from ...results import load_result

    if not path.is_absolute():
        beside = mesh.setup.source_dir / path
        path = beside if beside.exists() else path
    prev = load_result(path)
    if prev.temperature.shape != mesh.shape:
        raise LayoutError(f"{path}: its grid {prev.temperature.shape} differs from this layout's "
                          f"{mesh.shape}", path="initial.from")
    if prev.coolant is not None and op.coolant is not None:
        return _state_of(prev)
    return InitialState(prev.temperature)


def _state_of(r: Result) -> InitialState:
    """The state of a result with coolant: its field, node and property temperatures."""
    streams = r.coolant["streams"]
    nodes = np.concatenate([np.asarray(streams[g["name"]], dtype=float).ravel() for g in r.coolant["groups"]])
    return InitialState(r.temperature, nodes, {g["name"]: g["T_mean_properties"] for g in r.coolant["groups"]})


def coolant_property_temperatures(op: Operator, sources: Sources, t_end: float) -> dict:
    """Each group's mean coolant temperature (°C) estimated as the steady solve's first guess,
    for the run's mean power; the properties stay there for the run."""
    return coolant_guess(op, sources.energy(0.0, t_end) / t_end)


def initial_nodes(op: Operator, cells: np.ndarray) -> np.ndarray:
    """Coolant node temperatures (°C) for an initial cell field (°C) without coolant data: the
    mean temperature of the cells each node is coupled to (the inlet T where it touches none).
    The tied fluid cells of ``cells`` are set to their node's temperature."""
    net = op.coolant
    n = net.n_nodes
    wsum = np.bincount(net.cpl_node, weights=net.cpl_G, minlength=n)
    tsum = np.bincount(net.cpl_node, weights=net.cpl_G * cells.ravel()[net.cpl_cell], minlength=n)
    out = np.where(wsum > 0, tsum / np.where(wsum > 0, wsum, 1.0), net.T_in)
    if len(net.slave_cell):
        cells.ravel()[net.slave_cell] = out[net.slave_node]
    return out
