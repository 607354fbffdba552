"""Export a result file to the formats ParaView and VisIt read (``thermal-cpo export``).

The formats are those of :mod:`thermal_cpo.io.registry` (``vtr``, ``vtu``, ``xdmf`` and any
module added to :mod:`thermal_cpo.io.formats`). Every file is written to a temporary name in
the target directory and renamed when complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from ..errors import LayoutError
from .read import read_result
from .registry import lookup


def read(h5_path) -> SimpleNamespace:
    """The data of the result file ``h5_path`` as attributes: ``mesh``, ``temperature``
    (``(nz, ny, nx)``, °C; a transient's last stored step), ``times`` (s), ``steps`` (one
    ``(nz, ny, nx)`` field per time) and ``step_power`` (W/m³, the power density applied at
    each; all three ``None`` for a steady result), and the other keys of
    :func:`thermal_cpo.io.read.read_result` — what every format writer needs."""
    return SimpleNamespace(**read_result(h5_path, step_power=True))


def status(h5_path) -> SimpleNamespace:
    """Whether the result file ``h5_path`` is complete, read without its fields: ``complete``
    (false for an interrupted transient), ``times`` (the stored times, s; None for a steady
    result), ``t_stop`` (the last of them) and ``solver`` (``t_end``, s, when recorded)."""
    import h5py

    with h5py.File(h5_path, "r") as f:
        times = f["time"][()] if "time" in f else None
        t_end = f["solver"].attrs.get("t_end") if "solver" in f else None
        return SimpleNamespace(complete=bool(f.attrs.get("complete", 1)), times=times,
                               t_stop=None if times is None or not len(times) else float(times[-1]),
                               solver={} if t_end is None else {"t_end": float(t_end)})


def export(h5_path, fmt: str, out=None, *, result=None) -> str:
    """Write the result file ``h5_path`` as ``fmt`` (a registered format name such as
    ``"vtr"``, ``"vtu"`` or ``"xdmf"``; any case) to ``out`` (default: beside ``h5_path`` with
    the format's suffix); returns the path written.

    ``result`` — any object with ``mesh``, ``temperature`` and, for a transient, ``times`` and
    ``steps`` holding the data of ``h5_path`` — skips reading the file again. A sidecar format
    (``.xdmf``) always lies beside its ``.h5``, since it names it relatively.
    """
    spec = lookup(fmt)
    h5_path = Path(h5_path)
    default = h5_path.with_suffix(spec.suffix)
    target = Path(out) if out is not None else default
    if spec.sidecar and out is not None and os.path.abspath(target) != os.path.abspath(default):
        raise LayoutError(f"{target}: the {spec.suffix} sidecar is always written beside its "
                          f"result file, as {default}; leave out -o/--output", path="output")
    if target.exists() and h5_path.exists() and os.path.samefile(target, h5_path):
        raise LayoutError(f"{target}: that is the result file itself; choose another output name",
                          path="output")
    if result is None:
        result = read(h5_path)
    return spec.writer(result, h5_path if spec.sidecar else target)
