"""What a designer reads off a package: its resolved layout (describe), and of a solved one the
report, photonics figures and crosstalk."""

from __future__ import annotations

from .convergence import convergence_study, convergence_table, gci
from .crosstalk import crosstalk
from .describe import describe
from .photonics import heater_power_mW, photonics_report, ring_drift_pm
from .report import coolant_temperature, report
from .targets import refine_to_target

__all__ = ["describe", "report", "photonics_report", "crosstalk", "coolant_temperature", "ring_drift_pm",
           "heater_power_mW", "convergence_study", "convergence_table", "gci",
           "refine_to_target"]
