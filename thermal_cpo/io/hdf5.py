"""The result file (HDF5; its contents: README, "Results"), written atomically: a temporary name,
then a rename.

This module writes a whole result (:func:`write_result`) and is where the file's public names
are imported from; the parts live in modules named for what they hold: :mod:`.header` (format
marks, provenance, input, grid), :mod:`.tables` (component table, solver statistics, probes,
...), :mod:`.transient_writer` (:class:`TransientWriter`, a run streamed step by step),
:mod:`.read` (:func:`read_result`), :mod:`.checksum` (every dataset's ``checksum``, checked on
read) and :mod:`.xdmf` (the ParaView sidecar).
"""

from __future__ import annotations

from .atomic import Staged, signals_held, write_error
from .checksum import create
from .header import FORMAT, FORMAT_VERSION, STEP, target, write_header  # noqa: F401
from .header import versions as _versions
from .read import read_result  # noqa: F401
from .tables import write_tables as _write_tables
from .transient_writer import TransientWriter
from .xdmf import write_sidecar_of

__all__ = ["FORMAT", "FORMAT_VERSION", "STEP", "write_result", "read_result", "TransientWriter"]


def _write_transient(result, path, command_line) -> str:
    """A transient ``result`` (``times`` set) streamed as a run streams it, with the power
    density applied at each stored step when the result carries it (``step_power``)."""
    w = TransientWriter(path, result.mesh, command_line)
    powers = list(getattr(result, "step_power", None) or [])
    try:
        for i, (t, T) in enumerate(zip(result.times, result.steps)):
            w.add(t, T, powers[i] if i < len(powers) else None)
    except BaseException:  # unlike an interrupted run, a half-saved result is worth nothing
        w.out.discard()
        raise
    return w.close(result, interrupted=not getattr(result, "complete", True))


def write_result(result, path, command_line: str | None = None) -> str:
    """Write ``result`` to ``path`` (.h5) and its ParaView sidecar ``.xdmf``; nothing appears at
    either path until that file is complete. A steady result stores its temperature (degC,
    ``(nz, ny, nx)``) as /fields/temperature. A transient result (``result.times`` set, s) is
    stored as one dataset per step under /fields/temperature with /time and, when
    ``result.step_power`` holds the power density applied at each stored step (W/m^3,
    ``(nz, ny, nx)``), those under /fields/step_power, as a run streams them (marked
    incomplete when ``result.complete`` is false). Every dataset carries ``units`` and
    ``checksum``."""
    import h5py

    path = target(path)
    mesh = result.mesh
    if getattr(result, "times", None) is not None:
        return _write_transient(result, path, command_line)
    out = Staged(path)
    try:  # signals held until HDF5 is done: a Ctrl-C during the write leaves the earlier file
        with signals_held(), h5py.File(out.sink, "w") as f:
            write_header(f, mesh, command_line, _versions())
            create(f["fields"], "temperature", result.temperature).attrs["units"] = "degC"
            _write_tables(f, result)
            f.attrs["complete"] = 1
        out.commit()
    except BaseException as exc:
        out.discard()
        if isinstance(exc, OSError):  # from HDF5 itself, not the file system under it
            raise write_error(path, exc) from exc
        raise
    write_sidecar_of(path)
    return str(path)
