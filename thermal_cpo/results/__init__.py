"""Results: temperature fields, per-component metrics and solver statistics (DESIGN §2, §6)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import LayoutError
from ..mesh import Mesh


@dataclass(frozen=True)
class ComponentResult:
    """Temperatures of one component (°C); ``location`` of T_max is a cell centre (x, y, z) in m."""

    name: str
    power: float
    T_max: float
    T_mean: float
    T_min: float
    location: tuple[float, float, float]
    limit: float | None = None

    @property
    def delta_T(self) -> float:
        """Spread across the component, T_max − T_min (K)."""
        return self.T_max - self.T_min

    def as_dict(self) -> dict:
        return {"name": self.name, "power": self.power, "T_max": self.T_max, "T_mean": self.T_mean,
                "T_min": self.T_min, "location": list(self.location), "limit": self.limit}


def component_table(mesh: Mesh, temperature: np.ndarray) -> list[ComponentResult]:
    """Per-component T_max, volume-weighted T_mean, T_min and where T_max is."""
    from ..kernels.assemble import component_stats

    n = len(mesh.components)
    tmax, tmin, tsum, vol = (np.empty(n) for _ in range(4))
    arg = np.empty(n, dtype=np.int64)
    component_stats(np.ascontiguousarray(temperature), mesh.component, mesh.dx, mesh.dy, mesh.dz, n,
                    tmax, tmin, tsum, vol, arg)
    xc, yc, zc = mesh.centers()
    nz, ny, nx = mesh.shape
    rows = []
    for c in mesh.components:
        if vol[c.id] <= 0:  # fully painted over by later components: nothing to report
            continue
        k, rem = divmod(int(arg[c.id]), ny * nx)
        j, i = divmod(rem, nx)
        rows.append(ComponentResult(c.name, c.power, float(tmax[c.id]), float(tsum[c.id] / vol[c.id]),
                                    float(tmin[c.id]), (float(xc[i]), float(yc[j]), float(zc[k])), c.limit))
    return rows


@dataclass
class Crosstalk:
    """Thermal influence matrices (K/W): ``psi_mean[i, j]`` = ∂(volume-mean T of target i)/∂P_j,
    ``psi_max[i, j]`` = the largest rise in target i per watt of source j. Rows: every component
    (``targets``); columns: the powered components (``sources``)."""

    sources: list[str]
    targets: list[str]
    psi_mean: np.ndarray
    psi_max: np.ndarray
    stats: dict = field(default_factory=dict)

    def __call__(self, target: str, source: str, kind: str = "mean") -> float:
        """Ψ from ``source`` to ``target`` (K/W)."""
        try:
            i, j = self.targets.index(target), self.sources.index(source)
        except ValueError:
            from ..errors import did_you_mean

            name = target if target not in self.targets else source
            pool = self.targets if target not in self.targets else self.sources
            raise LayoutError(f"no component {name!r} in the crosstalk matrix{did_you_mean(name, pool)}") from None
        return float((self.psi_mean if kind == "mean" else self.psi_max)[i, j])

    def as_dict(self) -> dict:
        return {"sources": self.sources, "targets": self.targets, "psi_mean": self.psi_mean.tolist(),
                "psi_max": self.psi_max.tolist(), "stats": self.stats}


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
    complete: bool = True  # False when read from a run that was interrupted
    probes: dict | None = None  # transient: per-step time series (time, power, T_max, T_mean, points)
    coolant: dict | None = None  # cold plates / channels: {"groups": [...], "streams": {name: array}}

    @property
    def package(self):
        return self.mesh.package

    def component(self, name: str) -> ComponentResult:
        """The row of one component by name."""
        for c in self.components:
            if c.name == name:
                return c
        from ..errors import LayoutError
        from ..errors import did_you_mean

        raise LayoutError(f"no component named {name!r}{did_you_mean(name, [c.name for c in self.components])}")

    @property
    def T_max(self) -> float:
        return float(self.temperature.max())

    @property
    def energy_balance(self) -> float:
        return float(self.solver.get("energy_balance", np.nan))

    def table(self) -> list[dict]:
        """The component table as a list of dicts."""
        return [c.as_dict() for c in self.components]

    def plot_layer(self, layer: str | None = None, z: float | None = None, **kw):
        """Temperature map of a layer (by name) or at height ``z`` (m); a matplotlib Figure."""
        from ..viz.plot import plot_layer

        return plot_layer(self, layer=layer, z=z, **kw)

    def plot_section(self, x: float | None = None, y: float | None = None, **kw):
        """Vertical cross-section at ``x`` or ``y`` (m), z drawn per cell; a matplotlib Figure."""
        from ..viz.plot import plot_section

        return plot_section(self, x=x, y=y, **kw)

    def save(self, path, command_line: str | None = None) -> str:
        """Write the result file (HDF5, DESIGN §6), atomically; returns the path written."""
        from ..io.hdf5 import write_result

        return write_result(self, path, command_line=command_line)


def load_result(path) -> Result:
    """Read a result file written by :meth:`Result.save`."""
    from ..io.hdf5 import read_result

    data = read_result(path)
    data["components"] = [ComponentResult(**row) for row in data["components"]]
    if data.get("crosstalk") is not None:
        data["crosstalk"] = Crosstalk(**data["crosstalk"])
    return Result(**data)
