"""``.xdmf``: the ParaView sidecar beside the ``.h5`` result file, rewritten.

The sidecar points into the result file (it names it relatively, so the pair can be moved
together) and copies no data; see :mod:`thermal_cpo.io.xdmf`. A transient result gets a
temporal collection, one grid per stored step with that step's temperature and applied power
density, as :meth:`Result.save` writes it; the component and material names travel as
``<Information>`` elements.
"""

from __future__ import annotations

from ..registry import register_format
from ..xdmf import write_sidecar_of


def write_xdmf(result, h5_path) -> str:
    """Rewrite the ParaView sidecar ``<name>.xdmf`` beside the result file ``h5_path``, which
    must hold ``result`` (any object with ``mesh``, ``temperature`` ``(nz, ny, nx)`` in degC,
    and ``times`` in s for a transient); returns the sidecar's path. The sidecar describes the
    datasets the file holds, so it is the same whether ``result`` was read from it or not."""
    return write_sidecar_of(h5_path)


register_format("xdmf", suffix=".xdmf", writer=write_xdmf, needs=None, sidecar=True,
                description="ParaView sidecar of the .h5 (XDMF 3, points into the result file)")
