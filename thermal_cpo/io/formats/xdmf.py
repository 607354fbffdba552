"""``.xdmf``: the ParaView sidecar beside the ``.h5`` result file, rewritten.

The sidecar points into the result file (it names it relatively, so the pair can be moved
together) and copies no data; see :mod:`thermal_cpo.io.xdmf`. A transient result gets a
temporal collection, one grid per stored step, as :meth:`Result.save` writes it.
"""

from __future__ import annotations

import numpy as np

from ..hdf5 import STEP
from ..registry import register_format
from ..xdmf import write_sidecar


def write_xdmf(result, h5_path) -> str:
    """Rewrite the ParaView sidecar ``<name>.xdmf`` beside the result file ``h5_path``, which
    must hold ``result`` (any object with ``mesh``, ``temperature`` ``(nz, ny, nx)`` in °C, and
    ``times`` in s for a transient); returns the sidecar's path."""
    mesh = result.mesh
    fields = {"power": ("/fields/power", np.dtype("float64")),
              "material": ("/grid/material", mesh.material.dtype),
              "component": ("/grid/component", mesh.component.dtype)}
    times = getattr(result, "times", None)
    if times is None:
        temperature = ("/fields/temperature", np.asarray(result.temperature).dtype)
        return write_sidecar(h5_path, mesh.shape, {"temperature": temperature, **fields})
    # a transient stores one dataset per step under /fields/temperature, named by index
    steps = [("/fields/temperature/" + STEP.format(i), float(t)) for i, t in enumerate(times)]
    return write_sidecar(h5_path, mesh.shape, fields, steps=steps)


register_format("xdmf", suffix=".xdmf", writer=write_xdmf, needs=None, sidecar=True,
                description="ParaView sidecar of the .h5 (XDMF 3, points into the result file)")
