"""Reading a drawn temperature map back: its mesh, values and title, and the plot command."""

from __future__ import annotations

import numpy as np
from click.testing import CliRunner
from matplotlib.collections import QuadMesh

from thermal_cpo.cli.main import cli


def quadmesh(fig) -> QuadMesh:
    """The map's mesh: the one a colour bar was drawn for (the bar draws its own)."""
    (qm,) = [c for a in fig.axes for c in a.collections
             if isinstance(c, QuadMesh) and getattr(c, "colorbar", None) is not None]
    return qm


def drawn(fig) -> np.ndarray:
    """The values (°C) the map draws."""
    return np.asarray(quadmesh(fig).get_array())


def title(fig) -> str:
    return quadmesh(fig).axes.get_title()


def invoke(*args):
    """`thermal-cpo plot ARGS`, in process; never a traceback."""
    result = CliRunner().invoke(cli, ["plot", *(str(a) for a in args)])
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result
