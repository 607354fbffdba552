"""Short import path for the export API: :func:`export` and the VTK/XDMF writers.

They live in :mod:`thermal_cpo.io.export` and, one module per format, in
:mod:`thermal_cpo.io.formats`; this module re-exports them under one name.
"""

from __future__ import annotations

from .export import export  # noqa: F401
from .formats.vtr import write_vtr  # noqa: F401
from .formats.vtu import hexahedra, write_vtu  # noqa: F401
from .formats.xdmf import write_xdmf as _write_xdmf
from .registry import formats


def write_xdmf(h5_path, result) -> str:
    """Rewrite the ParaView sidecar ``<name>.xdmf`` beside the result file ``h5_path``
    (arguments in this order here; :func:`thermal_cpo.io.formats.xdmf.write_xdmf` takes the
    result first, as every format writer does)."""
    return _write_xdmf(result, h5_path)


def __getattr__(name):
    # FORMATS (name -> suffix) follows the registry, so a format added later shows up too
    if name == "FORMATS":
        return {key: fmt.suffix for key, fmt in formats().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
