"""Floorplan geometry shared by the importers: the outline, a shift to the origin, and the
tiling check (no overlaps, no gaps) that the peers apply to a floorplan."""

from __future__ import annotations

from dataclasses import replace

from .deck import Unit, deck_error

#: the tiling check's tolerance on lengths (m): the decks write metres with a few digits
_TOL = 1e-9


def footprint_of(units: list[Unit]) -> tuple[float, float, float, float]:
    """``(x0, y0, width, height)`` (m) of the rectangle around ``units``."""
    x0, y0 = min(u.x0 for u in units), min(u.y0 for u in units)
    return x0, y0, max(u.x1 for u in units) - x0, max(u.y1 for u in units) - y0


def shift_units(units: list[Unit], x0: float, y0: float) -> list[Unit]:
    """``units`` moved by ``(-x0, -y0)`` so the chip's corner is the origin."""
    return [replace(u, x0=u.x0 - x0, x1=u.x1 - x0, y0=u.y0 - y0, y1=u.y1 - y0) for u in units]


def check_overlaps(units: list[Unit]) -> None:
    """Refuse two units that overlap (by more than the tolerance), naming both lines."""
    for i, a in enumerate(units):
        for b in units[i + 1:]:
            dx = min(a.x1, b.x1) - max(a.x0, b.x0)
            dy = min(a.y1, b.y1) - max(a.y0, b.y0)
            if dx > _TOL and dy > _TOL:
                raise deck_error(b.origin, f"unit {b.name!r} overlaps {a.name!r} ({a.origin}) by "
                                           f"{dx * 1e3:.4g} × {dy * 1e3:.4g} mm")


def check_tiling(units: list[Unit], fx: float, fy: float) -> None:
    """Refuse a floorplan whose units overlap or leave part of the ``fx × fy`` chip uncovered
    (the grid model maps every grid cell to the units over it)."""
    check_overlaps(units)
    for u in units:
        if u.x0 < -_TOL or u.y0 < -_TOL or u.x1 > fx + _TOL or u.y1 > fy + _TOL:
            raise deck_error(u.origin, f"unit {u.name!r} reaches outside the chip")
    covered = sum((u.x1 - u.x0) * (u.y1 - u.y0) for u in units)
    gap = fx * fy - covered
    if gap > _TOL * (fx + fy):
        raise deck_error(units[0].origin, f"the floorplan leaves {gap * 1e6:.4g} mm² of the {fx * 1e3:g} × {fy * 1e3:g} mm "
                                          "chip uncovered; HotSpot needs the units to tile it (add zero-power units)")
