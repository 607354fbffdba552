"""A result written as the peer's own per-block table, so that a user moving a HotSpot or
3D-ICE model over can diff it against the peer's run.

HotSpot's steady file lists ``layer_<n>_<unit>`` and a temperature in K per line; 3D-ICE's
``Tflp`` output lists the time and one temperature (K) per floorplan element of a die. A unit
that carries power on a face reports that face's temperature (its junction, reconstructed from
the field and the face flux); any other region reduces the cells it overlaps as the peer does
(``max``, ``mean``, ``min``, or ``center``: the cell at the region's centre).
"""

from __future__ import annotations

import numpy as np

from ..layout.decks import Imported, Region
from ..results import Result

_K = 273.15


def _span(nodes: np.ndarray, lo: float, hi: float) -> slice:
    """The cells of ``nodes`` that overlap ``[lo, hi]`` by more than a rounding error."""
    eps = 1e-9 * (nodes[-1] - nodes[0])
    i0 = int(np.searchsorted(nodes, lo + eps, side="right")) - 1
    i1 = int(np.searchsorted(nodes, hi - eps, side="left"))
    return slice(max(i0, 0), max(i1, i0 + 1))


def region_temperature(result: Result, region: Region, mode: str) -> float:
    """The temperature (°C) the peer reports for ``region`` under reduction ``mode``."""
    mesh = result.mesh
    if region.component is not None:
        c = result.component(region.component)
        if c.T_junction is not None and mode in ("max", "mean", "center"):
            return c.T_junction if mode == "max" else c.T_junction_mean
    kz, jy, ix = (_span(mesh.z, *region.z), _span(mesh.y, *region.y), _span(mesh.x, *region.x))
    if mode == "center":
        point = [int(np.searchsorted(n, 0.5 * (a + b), side="right")) - 1
                 for n, (a, b) in ((mesh.z, region.z), (mesh.y, region.y), (mesh.x, region.x))]
        return float(result.temperature[tuple(point)])
    cells = result.temperature[kz, jy, ix]
    if mode == "mean":
        w = (mesh.dz[kz][:, None, None] * mesh.dy[jy][None, :, None] * mesh.dx[ix][None, None, :])
        return float((cells * w).sum() / w.sum())
    return float(cells.max() if mode == "max" else cells.min())


def hotspot_steady(result: Result, imported: Imported) -> str:
    """The result as HotSpot's steady file: ``name<TAB>T`` (K, two decimals) per region."""
    return "".join(f"{r.name}\t{region_temperature(result, r, imported.map_mode) + _K:.2f}\n"
                   for r in imported.regions)


def threedice_tflp(result: Result, imported: Imported) -> str:
    """The result as 3D-ICE's ``Tflp (..., maximum, final)`` output, one block per die: a
    header naming the die and its elements, then the time (s) and each element's maximum (K)."""
    t = float(result.times[-1]) if result.times is not None else 0.0
    out = []
    for die in dict.fromkeys(r.group for r in imported.regions):
        regions = [r for r in imported.regions if r.group == die]
        out += [f"% Maximum temperatures for the floorplan of the die {die}\n",
                "% Time(s) \t " + "".join(f"{r.name}(K) \t " for r in regions) + "\n",
                f"{t:5.3f} \t " + "".join(f"{region_temperature(result, r, 'max') + _K:7.3f} \t " for r in regions) + "\n"]
    return "".join(out)


def peer_table(result: Result, imported: Imported) -> str:
    """The peer's own table for ``result``: HotSpot's steady file or 3D-ICE's Tflp."""
    return hotspot_steady(result, imported) if imported.peer == "HotSpot" else threedice_tflp(result, imported)
