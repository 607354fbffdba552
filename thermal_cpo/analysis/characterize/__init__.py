"""Package characterization in the JEDEC manner: θJC, θJB, ψJT, ψJB and the two-resistor model
(:mod:`.jedec`), a DELPHI-style network fitted over boundary-condition sets (:mod:`.delphi`), and
from a power step the thermal impedance ``Zth(t)`` (:mod:`.zth`) fitted by a Foster network,
turned into the Cauer ladder that follows the heat path, read as structure functions and
written out as SPICE subcircuits (the network modules are pure numerics on arrays).
:func:`characterize` runs them all on a package."""

from __future__ import annotations

from .cauer import CauerNetwork, foster_to_cauer
from .characterization import Characterization, characterize, separation, with_thicker_layer
from .delphi import CompactFit, bc_sets, fit_compact
from .jedec import JedecMetrics, jedec_metrics
from .foster import FosterFit, FosterNetwork, fit_foster
from .spice import spice_subcircuit
from .structure import StructureFunction, resistance_at_capacity, structure_function
from .zth import thermal_impedance

__all__ = ["FosterNetwork", "FosterFit", "fit_foster", "CauerNetwork", "foster_to_cauer",
           "StructureFunction", "structure_function", "resistance_at_capacity", "spice_subcircuit",
           "Characterization", "characterize", "separation", "with_thicker_layer", "CompactFit", "bc_sets",
           "fit_compact", "JedecMetrics", "jedec_metrics", "thermal_impedance"]
