"""A HotSpot floorplan as a power map: ``power_map = { flp = "chip.flp", ptrace = "chip.ptrace" }``
or ``power_map = { flp = "chip.flp", powers = { CORE = 40, CACHE = 2.5 } }`` (W per unit).

The floorplan (``name width height left-x bottom-y``, metres, HotSpot's ``.flp``
[huang-hotspot-2006]) is read by the deck importer's parser. Its rectangle is the units' bounding
box, or ``outline = [[x0, x1], [y0, y1]]`` (m, the floorplan's own coordinates); the units must
tile it (no overlap, no gap, none outside), as HotSpot's own grid model demands. The rectangle is
placed on the map's extent (by default the component's footprint), its lower-left corner on the
extent's.

The map is rasterised onto an even pixel grid whose pitch in x (y) is the greatest common
divisor, on the layout's 1 nm grid, of the unit edges: every unit edge is a pixel edge, so each
pixel lies in exactly one unit. A pixel holds its unit's power density in W/mm² (the unit's
power over its area), so with ``map_units = "W/mm^2"`` the pixels of a unit sum to the unit's
power to rounding when the extent is the floorplan's size; with the default relative units each
unit keeps its share of the component's ``power``.

A power trace gives one row of watts per sampling interval; the map takes its only row, or
``row = n`` (0 = the first row of watts) of a longer trace. Every unit needs a power, and a
power for a unit the floorplan lacks is refused, as is a unit with a material of its own (the
7-field lines): a power map carries power only.
"""

from __future__ import annotations

import math
from functools import reduce
from pathlib import Path

import numpy as np

from ..schema import fail
from .checks import LAYOUT_DIR

#: the keys of a floorplan power map
KEYS = ("flp", "ptrace", "powers", "row", "outline")
#: the raster's grid (m): the layout's geometry is snapped to 1 nm
_NM = 1e-9
#: W/m² in W/mm²
_PER_MM2 = 1e-6


def is_floorplan_map(v) -> bool:
    """Whether a ``power_map`` value is a floorplan map (a table with an ``flp`` key)."""
    return isinstance(v, dict) and "flp" in v


def _read(name, what: str) -> tuple[str, str]:
    """``(text, name shown in messages)`` of a file named in the map, relative to the layout."""
    if not isinstance(name, str):
        raise fail(f"power_map.{what}: expected a file name, got {name!r}")
    path = Path(name)
    if not path.is_absolute():
        path = LAYOUT_DIR.get() / path
    if not path.is_file():
        raise fail(f"power_map.{what}: no such file {name!r} (looked for {path})")
    try:
        return path.read_text(encoding="utf-8"), path.name
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"power_map.{what}: cannot read {name!r} ({exc})") from None


def _trace_powers(spec: dict) -> tuple[dict[str, float], dict[str, str]]:
    """``({unit: W}, {unit: origin})`` from the trace's row ``row`` (or its only row)."""
    from .decks.hotspot_files import read_ptrace

    text, fname = _read(spec["ptrace"], "ptrace")
    names, rows, header = read_ptrace(text, fname)
    row = spec.get("row")
    if row is None:
        if len(rows) != 1:
            raise fail(f"power_map.row: {fname} has {len(rows)} rows of watts; give row = n "
                       f"(0 to {len(rows) - 1}) to pick the one the map takes")
        row = 0
    if isinstance(row, bool) or not isinstance(row, int) or not 0 <= row < len(rows):
        raise fail(f"power_map.row: expected a whole number 0 to {len(rows) - 1} (a row of "
                   f"{fname}), got {row!r}")
    seen = {}
    for n in names:
        if n in seen:
            raise fail(f"power_map.ptrace: {header}: unit {n!r} is named twice in the header")
        seen[n] = header
    return dict(zip(names, rows[row])), seen


def _inline_powers(powers) -> tuple[dict[str, float], dict[str, str]]:
    if not isinstance(powers, dict) or not powers:
        raise fail("power_map.powers: expected a table of unit name = power (W)")
    out = {}
    for name, p in powers.items():
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not math.isfinite(p) or p < 0:
            raise fail(f"power_map.powers.{name}: expected a power >= 0 (W), got {p!r}")
        out[name] = float(p)
    return out, {n: f"power_map.powers.{n}" for n in out}


def _outline(spec, units) -> tuple[float, float, float, float]:
    """``(x0, y0, width, height)`` (m) of the floorplan's rectangle."""
    from .decks.floorplans import footprint_of

    given = spec.get("outline")
    if given is None:
        return footprint_of(units)
    try:
        (x0, x1), (y0, y1) = given
        x0, x1, y0, y1 = (float(v) for v in (x0, x1, y0, y1))
    except (TypeError, ValueError):
        raise fail(f"power_map.outline: expected [[x0, x1], [y0, y1]] in metres (the "
                   f"floorplan's coordinates), got {given!r}") from None
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or x1 <= x0 or y1 <= y0:
        raise fail(f"power_map.outline: expected finite ranges with x0 < x1 and y0 < y1 (m), got {given!r}")
    return x0, y0, x1 - x0, y1 - y0


def _nm(v: float) -> int:
    return int(round(v / _NM))


def floorplan_units(spec: dict):
    """The units of a floorplan map, shifted so the rectangle's corner is the origin, with their
    powers: ``(units, {name: W}, width, height)`` (m, W). Bad files are refused naming the
    file, the line and the field."""
    from .decks.deck import DeckError
    from .decks.floorplans import check_tiling, shift_units
    from .decks.hotspot_files import read_flp

    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise fail(f"power_map.{unknown[0]}: not a key of a floorplan map (keys: {', '.join(KEYS)})")
    if ("ptrace" in spec) == ("powers" in spec):
        raise fail("give the units' powers as ptrace = \"file.ptrace\" or as "
                   "powers = { unit = W }, one of the two")
    if "row" in spec and "ptrace" not in spec:
        raise fail("power_map.row picks a row of a power trace: give ptrace too")
    try:
        units = read_flp(*_read(spec["flp"], "flp"))
        x0, y0, width, height = _outline(spec, units)
        units = shift_units(units, x0, y0)
        check_tiling(units, width, height)
        powers, origins = _trace_powers(spec) if "ptrace" in spec else _inline_powers(spec.get("powers"))
    except DeckError as exc:
        raise fail(str(exc)) from None  # the message names the file and line
    for u in units:
        if u.material is not None:  # a power map carries power only: a unit's material would be lost
            raise fail(f"{u.origin}: unit {u.name!r} gives a heat capacity and resistivity (7 fields); "
                       "a floorplan power map takes the units' power only: write the floorplan with 5 "
                       "fields and give the materials as blocks")
    names = {u.name: u for u in units}
    for u in units:
        if u.name not in powers:
            raise fail(f"{u.origin}: unit {u.name!r} has no power in "
                       f"{'the trace' if 'ptrace' in spec else 'power_map.powers'} (give it one, 0 W if idle)")
    for n in powers:
        if n not in names:
            raise fail(f"{origins[n]}: {n!r} is no unit of the floorplan "
                       f"({', '.join(names)})")
    return units, powers, width, height


def floorplan_mismatch(data) -> str | None:
    """For a component's raw table ``data``: why its floorplan ``power_map`` does not fit the
    area it covers (``map_extent``, else the component's x/y), or None (it fits, it is no
    floorplan map, or something the field checks report is wrong)."""
    from .. import units as u
    from ..errors import LayoutError

    spec = data.get("power_map") if isinstance(data, dict) else None
    if not is_floorplan_map(spec):
        return None
    try:
        _, _, width, height = floorplan_units(spec)
        area = data.get("map_extent") or (data.get("x"), data.get("y"))
        (x0, x1), (y0, y1) = ((u.parse_plain(a, u.LENGTH, "x"), u.parse_plain(b, u.LENGTH, "x")) for a, b in area)
    except (LayoutError, TypeError, ValueError, Exception):  # reported by the field checks
        return None
    if abs((x1 - x0) - width) > 2 * _NM or abs((y1 - y0) - height) > 2 * _NM:
        where = "map_extent" if data.get("map_extent") else "the component's x/y footprint"
        return (f"the floorplan is {width * 1e6:g} × {height * 1e6:g} µm but {where} is "
                f"{(x1 - x0) * 1e6:g} × {(y1 - y0) * 1e6:g} µm: a floorplan map is placed at its size "
                "(give map_extent the floorplan's size, or outline the floorplan)")
    return None


def rasterise(spec: dict) -> tuple[tuple[float, ...], ...]:
    """The pixel rows (W/mm², row = y from the smallest y) of a floorplan map: each unit's power
    density on the pixels it covers; the pitch is the 1 nm greatest common divisor of the edges."""
    units, powers, width, height = floorplan_units(spec)
    wx, wy = _nm(width), _nm(height)
    px = reduce(math.gcd, [_nm(u.x0) for u in units] + [_nm(u.x1) for u in units], wx)
    py = reduce(math.gcd, [_nm(u.y0) for u in units] + [_nm(u.y1) for u in units], wy)
    nx, ny = wx // px, wy // py
    from .power_map import MAX_PIXELS

    if nx * ny > MAX_PIXELS:
        raise fail(f"power_map.flp: the unit edges need {nx} × {ny} pixels (pitch {px} × {py} nm), "
                   f"more than the {MAX_PIXELS} a power map may have: round the floorplan's "
                   "coordinates to a coarser step")
    grid = np.zeros((ny, nx))
    for u in units:
        i0, i1 = _nm(u.x0) // px, _nm(u.x1) // px
        j0, j1 = _nm(u.y0) // py, _nm(u.y1) // py
        if i1 <= i0 or j1 <= j0:
            raise fail(f"{u.origin}: unit {u.name!r} is narrower than the layout's 1 nm grid")
        area = (i1 - i0) * px * _NM * (j1 - j0) * py * _NM  # the pixels' own area, as the map sums them
        grid[j0:j1, i0:i1] = powers[u.name] / area * _PER_MM2
    return tuple(tuple(float(v) for v in row) for row in grid)
