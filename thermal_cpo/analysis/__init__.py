"""What a designer reads off a solved package: the report, photonics, crosstalk."""

from __future__ import annotations

from .report import coolant_temperature, crosstalk, photonics_report, report

__all__ = ["report", "photonics_report", "crosstalk", "coolant_temperature"]
