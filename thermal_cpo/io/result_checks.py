"""Checks a result file must pass before its contents are trusted: a format version this
library can read, and temperature fields that are numbers (a diverged solve or a damaged file
leaves NaN or inf, which every later figure would silently carry). That every dataset still
holds what was written is checked as it is read, against its checksum (:mod:`.checksum`)."""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError


def check_format_version(stored, readable: int, path) -> None:
    """Refuse a file whose ``format_version`` attribute (``stored``; "major" or "major.minor")
    has a newer major version than ``readable``, the newest this library writes; a file
    without the attribute predates it and is read as version 1."""
    if stored is None:
        return
    text = stored.decode() if isinstance(stored, bytes) else str(stored)
    try:
        major = int(text.split(".")[0])
    except ValueError:
        raise LayoutError(f"{path}: format_version {text!r} is not a version number (expected an "
                          f"integer major version, {readable} or older)") from None
    if major > readable:
        from .. import __version__

        raise LayoutError(f"{path}: result format version {text} is newer than thermal_cpo {__version__} "
                          f"reads (format version {readable} and older); read it with a newer thermal_cpo")


def check_finite(values: np.ndarray, dataset: str, path) -> np.ndarray:
    """``values`` (°C) of ``dataset`` in the file at ``path``, refused when any is NaN or inf."""
    bad = int(np.size(values) - np.count_nonzero(np.isfinite(values)))
    if bad:
        raise LayoutError(f"{path}: dataset /{dataset} holds {bad} non-finite value{'s' if bad != 1 else ''} "
                          f"(NaN or inf) of {np.size(values)}; expected finite temperatures (°C): the solve "
                          "that wrote it diverged or the file is damaged")
    return values
