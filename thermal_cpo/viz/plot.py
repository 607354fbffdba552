"""Plots of a solved package, gathered under one name.

Every plot takes a :class:`~thermal_cpo.results.Result`, draws with matplotlib and returns the
:class:`matplotlib.figure.Figure` (never shown); with ``ax`` it draws into those axes. What a
user types follows the layouts' rule (:mod:`.inputs`): bare lengths are µm, bare times s, bare
temperatures °C, and a string carries its unit (``"2.5 mm"``, ``"2.5 ms"``, ``"358 K"``). Fields
are ``(nz, ny, nx)`` in °C.

- :func:`plot_layer` (:mod:`.layer`) — temperature map ``T(x, y)`` of one cell layer.
- :func:`plot_section` (:mod:`.section`) — vertical section, z drawn one row per cell layer.
- :func:`plot_time` (:mod:`.time`) — temperature against time of a transient result.
- :func:`save_plot`, :func:`default_output` (:mod:`.save`) — what ``thermal-cpo plot`` does.

matplotlib is the optional ``viz`` extra (``pip install thermal_cpo[viz]``), imported on first
use only.
"""

from __future__ import annotations

from .common import CMAP, DPI, LABEL_SIZE, OUTLINE
from .common import _color_limits  # noqa: F401 - private, but reachable here for the tests
from .labels import _merged_name  # noqa: F401 - likewise
from .layer import plot_layer
from .save import default_output, save_plot
from .section import plot_section
from .time import plot_time

__all__ = ["CMAP", "DPI", "LABEL_SIZE", "OUTLINE", "default_output", "plot_layer", "plot_section",
           "plot_time", "save_plot"]
