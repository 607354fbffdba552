"""Geometry shared by the layout and the stages after it: the 1 nm snapping grid, the face
names, and the placement of parallel channels across a footprint."""

from __future__ import annotations

import math

# geometry is snapped to 1 nm before voxelizing, so float noise makes no extra grid lines; the
# input models refuse thicknesses and extents below it, so one value serves both
from ..schema import SNAP
FACES = ("top", "bottom", "xmin", "xmax", "ymin", "ymax")
#: the two axes that span each face (its rectangle is restricted by ranges on these)
FACE_AXES = {"top": "xy", "bottom": "xy", "xmin": "yz", "xmax": "yz", "ymin": "xz", "ymax": "xz"}


def snap(x: float) -> float:
    """Round a coordinate in metres to the 1 nm snapping grid."""
    return round(x / SNAP) * SNAP


def overlap(a, b) -> bool:
    """Whether the intervals ``a`` and ``b`` (m) share more than the snapping tolerance."""
    return a[0] < b[1] - SNAP and b[0] < a[1] - SNAP


def channel_spans(width: float, wall: float, extent: tuple[float, float] | None = None,
                  n: int | None = None, edge: float | None = None) -> list[tuple[float, float]]:
    """Across-flow intervals (m) of parallel channels of ``width`` separated by walls of ``wall``
    inside ``extent`` = (lo, hi): as many channels as fit with a wall on each side, the pattern
    centred (``n`` channels when given). With ``edge`` the first channel starts that far from
    ``lo`` (the first wall's width; as many channels as fit when ``n`` is not given). Snapped
    to the 1 nm grid."""
    lo, hi = extent
    pitch = width + wall
    if edge is not None:
        if n is None:
            n = int(math.floor((hi - lo - 2 * edge + wall) / pitch + 1e-9))
        start = lo + edge
        return [(snap(start + c * pitch), snap(start + c * pitch + width)) for c in range(max(n, 0))]
    if n is None:
        n = int(math.floor((hi - lo - wall) / pitch + 1e-9))
    n = max(n, 0)
    total = n * pitch + wall
    start = lo + 0.5 * (hi - lo - total) + wall
    return [(snap(start + c * pitch), snap(start + c * pitch + width)) for c in range(n)]
