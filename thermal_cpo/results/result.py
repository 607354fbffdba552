"""A solved package: temperature field(s) on its mesh, the component table, solver statistics,
and for transients the stored steps and probes; saved to and read from the result file."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import LayoutError, did_you_mean
from ..mesh import Mesh
from .components import ComponentResult, component_table
from .crosstalk import Crosstalk


@dataclass
class Result:
    """A solved package: ``temperature`` ``(nz, ny, nx)`` in °C on ``mesh``, the component table
    and the solver's statistics (method, tolerance, iterations, residual, wall_time,
    energy_balance, ...)."""

    mesh: Mesh
    temperature: np.ndarray
    components: list[ComponentResult]
    solver: dict = field(default_factory=dict)
    heat_out: dict = field(default_factory=dict)
    crosstalk: "Crosstalk | None" = None  # from analysis.crosstalk, when computed
    times: np.ndarray | None = None  # transient: stored times (s); None for a steady result
    steps: list | None = None  # transient: the stored fields (°C), one per time
    #: transient: the power density applied at each stored step (W/m^3, (nz, ny, nx)), so a
    #: field and the power that heated it are read together; None for a steady result
    step_power: list | None = None
    complete: bool = True  # False when read from a run that was interrupted
    probes: dict | None = None  # transient: per-step time series (time, power, T_max, T_mean, points)
    coolant: dict | None = None  # cold plates / channels: {"groups": [...], "streams": {name: array}}
    #: temperature-dependent powers: one dict per unknown (name, component, kind, T, power,
    #: nominal, and the model's figures at its operating point); None when every power is fixed
    powers: list | None = None
    #: a grid-convergence study (thermal_cpo.analysis.convergence) of which this is the finest grid
    convergence: dict | None = None

    @property
    def package(self):
        return self.mesh.package

    def component(self, name: str) -> ComponentResult:
        """The row of one component by name."""
        for c in self.components:
            if c.name == name:
                return c
        raise LayoutError(f"no component named {name!r}{did_you_mean(name, [c.name for c in self.components])}")

    @property
    def T_max(self) -> float:
        return float(self.temperature.max())

    @property
    def energy_balance(self) -> float:
        return float(self.solver.get("energy_balance", np.nan))

    @property
    def t_stop(self) -> float | None:
        """A transient's last stored time (s): its end time, or where an interrupted run
        (``complete`` false) stopped; None for a steady result."""
        if self.times is None or len(self.times) == 0:
            return None
        return float(self.times[-1])

    def table(self) -> list[dict]:
        """The component table as a list of dicts."""
        return [c.as_dict() for c in self.components]

    def plot_layer(self, layer: str | None = None, z: float | str | None = None, **kw):
        """Temperature map of a layer (by name) or at height ``z`` — bare µm or a string with
        units (``2500`` or ``"2.5 mm"``); a matplotlib Figure. Keywords as
        :func:`thermal_cpo.viz.plot.plot_layer`: ``at`` (a transient's time, bare s or with
        units: the nearest stored step), ``vmin`` / ``vmax`` (colour scale, bare °C or with
        units), ``ax``, ``components``, ``cmap``. A height outside the stack is a LayoutError
        naming ``z`` and the stack's extent in µm."""
        from ..viz.plot import plot_layer

        return plot_layer(self, layer=layer, z=z, **kw)

    def plot_section(self, x: float | str | None = None, y: float | str | None = None, **kw):
        """Vertical cross-section at ``x`` or ``y`` — bare µm or a string with units (``7300``
        or ``"7.3 mm"``), z drawn per cell; a matplotlib Figure. Keywords as
        :func:`thermal_cpo.viz.plot.plot_section` (``at``, ``vmin``, ``vmax``, ``ax``, ...). A
        cut outside the footprint is a LayoutError naming ``x`` or ``y`` and the footprint's
        extent in µm."""
        from ..viz.plot import plot_section

        return plot_section(self, x=x, y=y, **kw)

    def save(self, path, command_line: str | None = None) -> str:
        """Write the result file (HDF5), atomically; returns the path written."""
        from ..io.hdf5 import write_result

        return write_result(self, path, command_line=command_line)


def load_result(path) -> Result:
    """Read a result file written by :meth:`Result.save`."""
    from ..io.hdf5 import read_result

    data = read_result(path, step_power=True)
    data["components"] = [ComponentResult(**row) for row in data["components"]]
    if not data["components"] and data.get("times") is not None:
        _stopped_without_tables(data)
    if data.get("crosstalk") is not None:
        data["crosstalk"] = Crosstalk(**data["crosstalk"])
    return Result(**data)


def _stopped_without_tables(data: dict) -> None:
    """A transient stopped before it could write its tables (a file of an earlier version, or a
    run whose state failed): the component table of the last stored step, and statistics that
    say so (NaN where not known)."""
    mesh, T = data["mesh"], data["temperature"]
    data["components"] = component_table(mesh, T)
    nan = float("nan")
    t_stop = float(data["times"][-1])
    data["solver"] = {"method": "unknown (stopped before the statistics were written)", "steps": None,
                      "rejected_steps": None, "t_end": nan, "t_stop": t_stop, "interrupted": True,
                      "energy_balance": nan, "power_in": nan, "heat_out": nan, "residual": nan,
                      "iterations": None, "n_cells": int(np.prod(mesh.shape)), "wall_time": nan,
                      "dt_stable_explicit": nan, **data["solver"]}
