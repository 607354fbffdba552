"""The family of heat-source kinds a component may carry (``source = {model = ...}``).

A kind is one module here with its schema (a :class:`HeatSourceSpec` subclass naming its
``kind``) and one module under :mod:`thermal_cpo.operator.sources` with what it dissipates.
"""

from __future__ import annotations

from typing import ClassVar

from ...schema import Registered


class HeatSourceSpec(Registered):
    """Base of the heat-source kinds; ``model`` picks the kind (default ``constant``)."""

    tag: ClassVar[str] = "model"
    default: ClassVar[str] = "constant"
    registry: ClassVar[dict[str, type]] = {}

    @property
    def nominal_power(self) -> float:
        """The power (W) the tables and the steady solve use when no time is given."""
        raise NotImplementedError
