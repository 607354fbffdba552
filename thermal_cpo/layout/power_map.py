"""Power maps of blocks and boxes: a 2-D grid of pixels over the component's footprint.

A map is given as a ``.csv`` file (numbers separated by commas, one row per line; lines that
are blank or start with ``#`` are skipped), a ``.npy`` file (a 2-D numeric array) or an inline
list of rows. Either way the array is ``(ny_map, nx_map)``: **row index = y, first row at the
smallest y**, column index = x, first column at the smallest x. Relative file names are read
from the layout file's folder. The pixels tile the map's extent evenly.

The validated map is the array itself (a tuple of rows of floats), so the resolved layout
(:meth:`Package.to_dict`, a result file's ``/input/resolved``) holds the numbers inline and reads
back without the file; the layout text as given keeps the file name.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..schema import fail
from .checks import LAYOUT_DIR
from .flp_map import is_floorplan_map, rasterise
from .geometry import snap

#: the most pixels a map may have: a 4096 × 4096 map is far finer than any die's power data,
#: and the resampling matrices grow with the pixel count
MAX_PIXELS = 4096 * 4096


def _read_csv(path: Path) -> list[list]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise fail(f"{path}: not UTF-8 text; a power map CSV holds numbers separated by "
                   "commas") from None
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = []
        for m, cell in enumerate(line.split(","), start=1):
            try:
                row.append(float(cell))
            except ValueError:
                raise fail(f"{path}: line {n}, column {m}: {cell.strip()!r} is not a "
                           "number") from None
        rows.append(row)
    return rows


def _read_npy(path: Path) -> np.ndarray:
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, EOFError) as exc:
        raise fail(f"{path}: not a readable .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray) or arr.ndim != 2:
        raise fail(f"{path}: a power map .npy holds a 2-D array (ny_map, nx_map), got "
                   f"{getattr(arr, 'ndim', 0)}-D")
    if arr.dtype.kind not in "iuf":
        raise fail(f"{path}: a power map .npy holds real numbers, got dtype {arr.dtype}")
    return arr


def read_map_file(name: str):
    """The rows of a power-map file (``.csv`` or ``.npy``), relative names read from the layout
    file's folder; a problem is raised as a validation error of the ``power_map`` key."""
    path = Path(name)
    if not path.is_absolute():
        path = LAYOUT_DIR.get() / path
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".npy"):
        raise fail(f"{name!r}: a power map file is .csv or .npy (or give the rows inline)")
    if not path.is_file():
        raise fail(f"{name!r}: no such power map file (looked for {path})")
    try:
        return _read_csv(path) if suffix == ".csv" else _read_npy(path)
    except OSError as exc:
        raise fail(f"{path}: cannot read the power map ({exc.strerror or exc})") from None


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def check_rows(rows) -> tuple[tuple[float, ...], ...]:
    """Validate map rows (a 2-D array or a list of lists of numbers): rectangular, finite,
    non-negative; returned as a tuple of rows of floats, ``(ny_map, nx_map)``."""
    if isinstance(rows, np.ndarray):
        if rows.ndim != 2:
            raise fail(f"a power map is 2-D (rows along y), got a {rows.ndim}-D array")
        rows = rows.tolist()
    if not isinstance(rows, (list, tuple)) or not rows or not all(isinstance(r, (list, tuple)) for r in rows):
        raise fail("expected a file name (.csv or .npy) or a list of rows of numbers "
                   "([[p00, p01, ...], [p10, ...]], first row at the smallest y)")
    width = len(rows[0])
    for j, row in enumerate(rows):
        if len(row) != width or width == 0:
            raise fail(f"ragged map: row {j} has {len(row)} values, row 0 has {width} (every "
                       "row of the map has one value per pixel in x)")
        for i, v in enumerate(row):
            if not _is_number(v):
                raise fail(f"row {j}, column {i}: {v!r} is not a number")
            if not math.isfinite(v):
                raise fail(f"row {j}, column {i}: {float(v)} is not finite")
            if v < 0:
                raise fail(f"row {j}, column {i}: {float(v):g} is negative; power densities are >= 0")
    if len(rows) * width > MAX_PIXELS:
        raise fail(f"{len(rows) * width} pixels is more than the {MAX_PIXELS} a power map may have")
    return tuple(tuple(float(v) for v in row) for row in rows)


def load_map(v):
    """Pydantic before-validator of ``power_map``: a file name is read, a floorplan table
    (``{flp = ..., ptrace = ...}``, :mod:`.flp_map`) rasterised to W/mm², rows are checked."""
    if v is None:
        return None
    if isinstance(v, str):
        v = read_map_file(v)
    elif is_floorplan_map(v):  # a HotSpot floorplan and its units' powers (.flp_map)
        v = rasterise(v)
    return check_rows(v)


def pixel_edges(lo: float, hi: float, n: int) -> np.ndarray:
    """The ``n + 1`` pixel edges (m) of ``n`` even pixels over ``[lo, hi]`` (m), snapped to the
    layout's 1 nm grid (so they can coincide with grid lines exactly)."""
    edges = np.array([snap(lo + (hi - lo) * p / n) for p in range(n + 1)])
    edges[0], edges[-1] = snap(lo), snap(hi)
    return edges
