"""Powered components that later blocks or boxes overpaint in part, from the layout geometry
alone (no grid): the mesh paints in order and the later component wins, so a covered part of a
powered component keeps none of its power and the whole power goes into what is left of it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import SNAP


@dataclass(frozen=True)
class Overpaint:
    """``component`` (dissipating ``power`` W, nominal) is covered over ``fraction`` of its
    volume (0–1) by later components, ``by`` = (name, fraction of the component's volume each
    covers on its own) in painting order; ``fraction`` counts a part covered twice once."""

    component: str
    power: float
    fraction: float
    by: tuple[tuple[str, float], ...]

    def message(self) -> str:
        """The warning `validate` and `run` print (fractions in per cent)."""
        by = ", ".join(f"{name!r} ({f * 100:.3g} %)" for name, f in self.by)
        return (f"component {self.component!r} ({self.power:g} W) is {self.fraction * 100:.3g} % covered "
                f"by later {'component' if len(self.by) == 1 else 'components'} {by}; its power goes "
                f"into the uncovered {(1 - self.fraction) * 100:.3g} % of its volume")


def _extents(pkg) -> list[tuple]:
    """(component, ((x0, x1), (y0, y1), (z0, z1)) in m) of every layer, block and box, in
    painting order (each layer, then its blocks, then the boxes)."""
    fx, fy = pkg.footprint.x, pkg.footprint.y
    out = []
    for layer, zr in zip(pkg.layers, pkg.layer_bounds()):
        out.append((layer, ((0.0, fx), (0.0, fy), tuple(zr))))
        out.extend((b, (tuple(b.x), tuple(b.y), tuple(zr))) for b in layer.blocks)
    out.extend((b, (tuple(b.x), tuple(b.y), tuple(b.z))) for b in pkg.boxes)
    return out


def _clip(box, onto):
    """``box`` cut to ``onto`` (both three (lo, hi) ranges, m); None when they share no volume
    (less than the snapping tolerance in some axis)."""
    cut = tuple((max(a[0], b[0]), min(a[1], b[1])) for a, b in zip(box, onto))
    return cut if all(hi - lo > SNAP for lo, hi in cut) else None


def _union_volume(boxes: list, onto) -> float:
    """Volume (m³) of the union of ``boxes`` (each inside ``onto``): on the grid of all their
    faces every sub-cell is either wholly covered or not, so marking them counts overlaps once."""
    edges = [np.unique([v for b in boxes + [onto] for v in b[ax]]) for ax in range(3)]
    covered = np.zeros([len(e) - 1 for e in edges], dtype=bool)
    for b in boxes:
        sl = tuple(slice(np.searchsorted(e, b[ax][0]), np.searchsorted(e, b[ax][1])) for ax, e in enumerate(edges))
        covered[sl] = True
    dx, dy, dz = (np.diff(e) for e in edges)
    return float(np.einsum("ijk,i,j,k->", covered, dx, dy, dz))


def _powered(c) -> bool:
    return c.nominal_power > 0 or c.trace is not None or c.source is not None or c.power_model is not None


def overpainted(pkg) -> list[Overpaint]:
    """Every powered component that later components cover in part (a component covered
    entirely is refused when the package is meshed), in painting order."""
    comps = _extents(pkg)
    found = []
    for k, (c, box) in enumerate(comps):
        if not _powered(c):
            continue
        volume = float(np.prod([hi - lo for lo, hi in box]))
        if volume <= 0:
            continue
        cuts = [(later.name, cut) for later, other in comps[k + 1:] if (cut := _clip(other, box)) is not None]
        if not cuts:
            continue
        by = tuple((name, float(np.prod([hi - lo for lo, hi in cut])) / volume) for name, cut in cuts)
        fraction = min(1.0, _union_volume([cut for _, cut in cuts], box) / volume)
        found.append(Overpaint(c.name, float(c.nominal_power), fraction, by))
    return found
