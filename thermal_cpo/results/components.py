"""Per-component temperatures of a field: T_max, volume-mean T, T_min and where T_max is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    #: the power (W) declared or at the model's reference, where the solve changed it (power
    #: models, closed-loop heaters); None where ``power`` is the declared one
    nominal: float | None = None
    #: a face-powered component's powered face: hottest and mean (°C, thermal_cpo.results.junction)
    T_junction: float | None = None
    T_junction_mean: float | None = None
    #: the hottest point of its boundary faces but a powered one (°C, thermal_cpo.results.surface)
    T_surface: float | None = None

    @property
    def T_hot(self) -> float:
        """The hottest temperature reported for the component (°C): the hottest of T_max, its
        powered face and its other faces — a face-powered die's junction, or the face of a
        stack towards a hotter neighbour, lies half a cell beyond the hottest cell centre, so a
        margin taken to T_max alone would be optimistic."""
        return max(v for v in (self.T_max, self.T_junction, self.T_surface) if v is not None)

    @property
    def delta_T(self) -> float:
        """Spread across the component, T_max − T_min (K)."""
        return self.T_max - self.T_min

    def as_dict(self) -> dict:
        return {"name": self.name, "power": self.power, "T_max": self.T_max, "T_mean": self.T_mean,
                "T_min": self.T_min, "location": list(self.location), "limit": self.limit,
                "nominal": self.nominal, "T_junction": self.T_junction,
                "T_junction_mean": self.T_junction_mean, "T_surface": self.T_surface}


def component_table(mesh: Mesh, temperature: np.ndarray, powers: np.ndarray | None = None,
                    junction: dict | None = None, surface: dict | None = None) -> list[ComponentResult]:
    """Per-component T_max, volume-weighted T_mean, T_min and where T_max is; ``powers`` (W, by
    component id): the powers a solve arrived at, where they differ from the declared ones;
    ``junction``: per component id the (hottest, mean) temperature of its powered face (°C);
    ``surface``: per component id the hottest temperature of its other faces (°C)."""
    from ..kernels.stats import component_stats

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
        power, nominal = c.power, None
        if powers is not None and powers[c.id] != c.power:
            power, nominal = float(powers[c.id]), c.power
        rows.append(ComponentResult(c.name, power, float(tmax[c.id]), float(tsum[c.id] / vol[c.id]),
                                    float(tmin[c.id]), (float(xc[i]), float(yc[j]), float(zc[k])),
                                    c.limit, nominal, *((junction or {}).get(c.id, (None, None))),
                                    (surface or {}).get(c.id)))
    return rows
