"""The family of temperature-dependent power models: what a component dissipates as a function
of its own temperature.

A kind is one module here: a :class:`PowerModelSpec` subclass naming its ``kind`` (the layout's
``power_model.kind``), with its parameters and its law :meth:`power` and :meth:`slope`. The
steady solver finds the temperatures and powers that satisfy every law at once
(:mod:`thermal_cpo.solve.powers`).
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ConfigDict

from ...schema import Registered

#: the component temperature a model is driven by: its volume mean or its hottest cell
DrivenBy = Literal["mean", "max"]


class PowerModelSpec(Registered):
    """Base of the power-model kinds; ``kind`` picks one (no default)."""

    tag: ClassVar[str] = "kind"
    default: ClassVar[str | None] = None
    registry: ClassVar[dict[str, type]] = {}
    # the tag key is ``kind``, which the registry's class attribute already names: each kind's
    # field is ``kind_`` read and written as ``kind``
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at: DrivenBy = "mean"

    #: whether the power can grow without bound with temperature (a thermal runaway is possible)
    unbounded: ClassVar[bool] = False

    def power(self, T: float) -> float:
        """Heat (W) dissipated at component temperature ``T`` (°C)."""
        raise NotImplementedError

    def slope(self, T: float) -> float:
        """dP/dT (W/K) at ``T`` (°C)."""
        raise NotImplementedError

    @property
    def nominal_power(self) -> float:
        """The power (W) at the model's reference temperature: what tables show before a solve."""
        raise NotImplementedError

    def figures(self, T: float) -> dict:
        """What the report shows of the operating point at ``T`` (°C), beyond the power."""
        return {}
