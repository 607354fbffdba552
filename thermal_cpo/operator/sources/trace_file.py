"""Power traces of many components from one CSV file (the layout's ``trace_file``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...errors import LayoutError, did_you_mean
from .trace import PowerTrace


def _fail(path: Path, msg: str) -> LayoutError:
    return LayoutError(f"{path}: {msg}", path="trace_file")


def _rows(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(path, f"cannot read the trace file ({exc.strerror})") from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) < 2:
        raise _fail(path, "a trace file needs a header and at least one row")
    return lines


def read_trace_csv(path: Path, names: list[str]) -> dict[str, PowerTrace]:
    """Traces from a CSV: a time column (``t`` or ``time``, s) and one column per component (W),
    linear between rows; every column must name one of ``names``."""
    lines = _rows(path)
    header = [h.strip() for h in lines[0].split(",")]
    if header[0].lower() not in ("t", "time"):
        raise _fail(path, f"the first column must be the time ('t' or 'time', s), got {header[0]!r}")
    for h in header[1:]:
        if h not in names:
            raise _fail(path, f"column {h!r} names no component{did_you_mean(h, names)}")
    try:
        data = np.array([[float(v) for v in ln.split(",")] for ln in lines[1:]])
    except ValueError as exc:
        raise _fail(path, f"not a number ({exc})") from None
    if data.shape[1] != len(header) or not np.all(np.isfinite(data)):
        raise _fail(path, f"every row needs {len(header)} finite numbers")
    t = data[:, 0]
    if np.any(t < 0) or np.any(np.diff(t) <= 0):
        raise _fail(path, "times must be >= 0 and increase strictly")
    if np.any(data[:, 1:] < 0):
        raise _fail(path, "powers must be >= 0")
    return {h: PowerTrace(t, data[:, c + 1], "linear") for c, h in enumerate(header[1:])}
