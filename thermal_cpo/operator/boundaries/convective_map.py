"""Film convection with ``h`` varying over the face, sampled from a map file at the face cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import LayoutError
from .base import BoundaryModel


def read_map(path: Path, where: str) -> np.ndarray:
    """A 2-D array of finite, non-negative values from a CSV (``#`` comments) or ``.npy`` file;
    errors name ``where`` (the layout path) and the file."""
    try:
        if path.suffix.lower() == ".npy":
            a = np.load(path, allow_pickle=False)
        else:
            a = np.loadtxt(path, delimiter=",", comments="#", ndmin=2)
    except FileNotFoundError:
        raise LayoutError(f"{path}: no such map file", path=where) from None
    except (OSError, ValueError) as exc:
        raise LayoutError(f"{path}: not a 2-D grid of numbers ({exc})", path=where) from None
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.size == 0:
        raise LayoutError(f"{path}: expected a 2-D grid of values, got shape {a.shape}", path=where)
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise LayoutError(f"{path}: every value must be a finite number >= 0", path=where)
    return a


def sample(grid: np.ndarray, centres, extents) -> np.ndarray:
    """The pixel of ``grid`` (rows along the first face-layout axis) under each face cell centre:
    ``centres`` (m) along the two axes, ``extents`` ((lo, hi) m per axis) the rectangle the grid
    spans in equal pixels. Returns the face's layout."""
    idx = []
    for c, (lo, hi), n in zip(centres, extents, grid.shape):
        idx.append(np.clip(np.floor((c - lo) / (hi - lo) * n).astype(np.int64), 0, n - 1))
    return grid[idx[0][:, None], idx[1][None, :]]


class ConvectiveMapModel(BoundaryModel):
    """``G = A / (d/(2k) + 1/h(x, y))``; a pixel with h = 0 is adiabatic."""

    kind = "convective-map"

    def patch(self, r_half, area):
        spec, cond = self.spec, self.condition
        path = Path(spec.h_map)
        grid = read_map(path if path.is_absolute() else cond.source_dir / path, f"{cond.path}.h_map")
        h = spec.h_scale * sample(grid, cond.centres, cond.span)
        with np.errstate(divide="ignore"):
            G = np.where(h > 0, area / (r_half + 1.0 / np.where(h > 0, h, 1.0)), 0.0)
        return self._patch(G, spec.T)
