"""A laser diode array: electrical input less the light that leaves it.

Per emitter, above threshold, ``P_opt = η_s(T) · (I − I_th(T))`` with the threshold current
``I_th(T) = threshold · exp((T − T_ref)/T0)`` and the slope efficiency
``η_s(T) = slope_efficiency · exp(−(T − T_ref)/T1)`` (the characteristic-temperature description
of semiconductor lasers; values in the shipped layouts cite their sources). The heat is
``n · I · V − n · P_opt``; below threshold all electrical input is heat. The emission wavelength
moves by ``wavelength_drift`` per kelvin from ``T_ref``.
"""

from __future__ import annotations

import math
from typing import ClassVar, Literal

from pydantic import Field, StrictInt, ValidationError, model_validator

from ...schema import (PositiveCurrent, Current, SlopeEfficiency, Temperature, TemperatureDifference,
                       Voltage, WavelengthDrift, fail)
from .base import PowerModelSpec


class LaserModel(PowerModelSpec):
    """``emitters`` driven at ``current`` (A) and ``voltage`` (V) each; ``threshold`` (A) and
    ``slope_efficiency`` (W/A) at ``T_ref`` (°C) with characteristic temperatures ``T0`` and
    ``T1`` (K); ``wavelength_drift`` (nm/K)."""

    kind: ClassVar[str] = "laser"
    kind_: Literal["laser"] = Field("laser", alias="kind")
    emitters: StrictInt = Field(1, ge=1)  # a bool or a string is no count of emitters
    current: PositiveCurrent
    voltage: Voltage
    threshold: Current
    T0: TemperatureDifference
    slope_efficiency: SlopeEfficiency
    T1: TemperatureDifference
    T_ref: Temperature
    wavelength_drift: WavelengthDrift | None = None

    @model_validator(mode="after")
    def _below_unity(self):
        light, electric = self.optical_per_emitter(self.T_ref), self.current * self.voltage
        if light >= electric:
            raise ValidationError.from_exception_data("LaserModel", [dict(type=fail(
                f"slope_efficiency × (current − threshold) = {light:.4g} W is not below the "
                f"electrical input current × voltage = {electric:.4g} W per emitter: a wall-plug "
                "efficiency of 100 % or more"), loc=("slope_efficiency",), input=self.slope_efficiency)])
        return self

    def threshold_at(self, T: float) -> float:
        """I_th (A) at ``T`` (°C)."""
        return self.threshold * math.exp(min((T - self.T_ref) / self.T0, 700.0))

    def slope_at(self, T: float) -> float:
        """η_s (W/A) at ``T`` (°C)."""
        return self.slope_efficiency * math.exp(-(T - self.T_ref) / self.T1)

    def optical_per_emitter(self, T: float) -> float:
        """Light out (W) of one emitter at ``T`` (°C); 0 below threshold."""
        return self.slope_at(T) * max(self.current - self.threshold_at(T), 0.0)

    @property
    def electrical(self) -> float:
        """Electrical input of the array (W)."""
        return self.emitters * self.current * self.voltage

    def power(self, T: float) -> float:
        return self.electrical - self.emitters * self.optical_per_emitter(T)

    def slope(self, T: float) -> float:
        ith, eta = self.threshold_at(T), self.slope_at(T)
        if self.current <= ith:
            return 0.0
        # d/dT [η (I − I_th)] = −η/T1 · (I − I_th) − η · I_th/T0
        d_opt = -eta / self.T1 * (self.current - ith) - eta * ith / self.T0
        return -self.emitters * d_opt

    @property
    def nominal_power(self) -> float:
        return self.power(self.T_ref)

    def figures(self, T: float) -> dict:
        """Optical output (W), wall-plug efficiency, threshold (A) and slope (W/A) at ``T``, the
        efficiency lost against ``T_ref`` and the wavelength shift from ``T_ref`` (nm)."""
        optical = self.emitters * self.optical_per_emitter(T)
        wpe_ref = self.emitters * self.optical_per_emitter(self.T_ref) / self.electrical
        out = {"optical_W": optical, "wall_plug_efficiency": optical / self.electrical,
               "wall_plug_efficiency_at_T_ref": wpe_ref, "threshold_A": self.threshold_at(T),
               "slope_efficiency_W_per_A": self.slope_at(T), "above_threshold": self.current > self.threshold_at(T),
               "dP_dT": self.slope(T)}
        if self.wavelength_drift is not None:
            out["wavelength_shift_nm"] = self.wavelength_drift * (T - self.T_ref)
        return out
