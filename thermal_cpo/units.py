"""Quantities at the input boundary: bare numbers in the layout's conventions, or strings with units.

Layout conventions (README, "Layout files"): bare lengths are micrometres (unless the layout sets
``length_unit``), powers W, heat-transfer coefficients W/(m²·K), conductivities W/(m·K),
temperatures °C, contact resistances m²·K/W. Flow rates have no bare unit a user would not
misread (m³/s is 60 000 L/min): they must be written with one, e.g. ``"1.5 L/min"``. A string
such as ``"0.775 mm"`` or ``"2e4 W/(m^2*K)"`` is converted with pint, which is imported only
when a string is seen. Everything returned is SI (temperatures: °C).
"""

from __future__ import annotations

import contextvars
import math
from dataclasses import dataclass
from functools import lru_cache

from .errors import LayoutError

#: Unit of bare lengths while a layout is being validated (set by ``Package``'s validator).
LENGTH_UNIT = contextvars.ContextVar("thermal_cpo_length_unit", default="um")

LENGTH_UNITS = {"nm": 1e-9, "um": 1e-6, "mm": 1e-3, "cm": 1e-2, "m": 1.0}


def _shortener():
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxlist, r.maxtuple, r.maxdict, r.maxstring, r.maxother = 3, 6, 6, 6, 80, 80
    return r


_SHORT = _shortener()


def shown(value) -> str:
    """``repr(value)`` for an error message, with nested or long containers cut short (``[[[...]]]``):
    a value nested thousands deep would otherwise exceed the recursion limit while being shown."""
    return _SHORT.repr(value)


def bare_length_unit() -> str:
    """The unit of bare lengths now, as a message shows it (µm, not um)."""
    unit = LENGTH_UNIT.get()
    return "µm" if unit == "um" else unit


@dataclass(frozen=True)
class Kind:
    """A physical kind of quantity: its name, the SI unit string pint converts to, and an example."""

    name: str
    si: str
    example: str
    bare_scale: float | None = 1.0  # factor applied to a bare number; None = use LENGTH_UNIT
    #: when set, a bare number other than 0 is refused (no bare unit of this kind reads
    #: unambiguously) and the error suggests this unit
    needs_unit: str | None = None


LENGTH = Kind("length", "m", "775 (µm) or '0.775 mm'", None)
POWER = Kind("power", "W", "450 or '450 W'")
CONDUCTIVITY = Kind("thermal conductivity", "W/(m*K)", "148 or '148 W/(m*K)'")
HEAT_FLUX = Kind("heat flux", "W/m**2", "1e5 or '10 W/cm^2'")
HTC = Kind("heat-transfer coefficient", "W/(m**2*K)", "2e4 or '2e4 W/(m^2*K)'")
DENSITY = Kind("density", "kg/m**3", "2330 or '2.33 g/cm^3'")
SPECIFIC_HEAT = Kind("specific heat", "J/(kg*K)", "705 or '705 J/(kg*K)'")
RESISTANCE = Kind("area-specific thermal resistance", "m**2*K/W", "1e-6 or '0.01 K*cm^2/W'")
TIME = Kind("time", "s", "0.01 or '10 ms'")
BYTES = Kind("memory size", "byte", "8e9 or '8 GB'")
DIMENSIONLESS = Kind("number", "dimensionless", "1.3")
TEMPERATURE = Kind("temperature", "degC", "25 (°C) or '300 K'")
CURRENT = Kind("electric current", "A", "'120 mA' or 0.12 (A)")
VOLTAGE = Kind("voltage", "V", "'1.6 V' or 1.6 (V)")
SLOPE_EFFICIENCY = Kind("slope efficiency", "W/A", "'0.35 W/A' or 0.35 (W/A)")
#: a temperature difference: bare numbers are K; '35 K' or '35 delta_degC' (not '35 degC')
TEMPERATURE_DIFFERENCE = Kind("temperature difference", "delta_degC", "'35 K' or 35 (K)")
INVERSE_TEMPERATURE = Kind("temperature coefficient", "1/K", "'0.02 1/K' or 0.02 (1/K)")
#: stored in nm/K, the unit lasers are specified in (bare numbers: nm/K)
WAVELENGTH_DRIFT = Kind("wavelength drift", "nm/K", "'0.09 nm/K' or 0.09 (nm/K)")
#: always with units ("1.5 L/min", "42 ml/min"): a bare 2 could mean L/min or m³/s (120 000 L/min)
VOLUME_FLOW = Kind("volume flow rate", "m**3/s", "'1.5 L/min' or '42 ml/min'", needs_unit="L/min")
#: always with units ("0.5 bar", "50 kPa"): a bare 0.5 could be bar or Pa
PRESSURE = Kind("pressure", "Pa", "'0.5 bar' or '50 kPa'", needs_unit="bar")


@lru_cache(maxsize=1)
def _ureg():
    import pint  # lazily: pint costs ~0.3 s to import and most layouts use bare numbers

    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ureg.define("micron = micrometer")
    return ureg


def _bad(kind: Kind, value, why: str) -> ValueError:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(
        "quantity",
        "expected a {kind} (e.g. {example}), got {value}: {why}",
        {"kind": kind.name, "example": kind.example, "value": shown(value), "why": why},
    )


_KNOWN = None


def _describe(q) -> str:
    """Name the kind of a pint quantity for an error message ("a power", "a length", ...)."""
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = [LENGTH, POWER, CONDUCTIVITY, HTC, DENSITY, SPECIFIC_HEAT, RESISTANCE, TIME,
                  BYTES, TEMPERATURE, VOLUME_FLOW, PRESSURE, HEAT_FLUX, CURRENT, VOLTAGE,
                  SLOPE_EFFICIENCY, INVERSE_TEMPERATURE]
    for k in _KNOWN:
        try:
            q.to(k.si)
        except Exception:
            continue
        return f"a {k.name}"
    return "dimensionless" if q.dimensionless else f"of dimension {q.dimensionality}"


def _clean(x: float) -> float:
    """Drop the last-bit noise of a unit conversion (0.775 mm → 0.0007750000000000001 m), so the
    same quantity written in different units gives the same float (12 significant digits)."""
    return float(f"{x:.12g}")


def _evaluate(ureg, text: str):
    """``ureg.Quantity(text)`` with every number read as a float. pint reads whole numbers as
    exact integers, and an integer power has no size limit: '9**9**9 mm' or 'minute**1e11'
    written as an integer would compute for hours, '10**400 mm' gives a number no float holds.
    A float power overflows at once, which is the error such a text deserves."""
    import tokenize

    from pint.pint_eval import build_eval_tree, tokenizer
    from pint.util import string_preprocessor

    for preprocess in ureg.preprocessors:
        text = preprocess(text)

    def token_value(token):
        if token.type == tokenize.NUMBER:
            return float(token.string)
        return ureg._eval_token(token)

    if not text:
        raise ValueError("empty")
    q = build_eval_tree(tokenizer(string_preprocessor(text))).evaluate(token_value)
    return q if isinstance(q, ureg.Quantity) else ureg.Quantity(q)


def parse(value, kind: Kind) -> float:
    """Convert a layout value of the given kind to SI (°C for temperatures).

    Raises a pydantic-compatible error (wrapped with the field path by the model) for
    booleans, non-finite numbers, unparsable strings and strings of the wrong dimension.
    """
    if isinstance(value, bool):
        raise _bad(kind, value, "a boolean is not a quantity")
    if isinstance(value, (int, float)):
        x = float(value)
        if not math.isfinite(x):
            raise _bad(kind, value, "not a finite number")
        if kind.needs_unit and x != 0:  # zero is zero in every unit
            raise _bad(kind, value, f"a bare number has no unit here; write it with one, e.g. "
                                    f"'{x:g} {kind.needs_unit}'")
        if kind is TEMPERATURE or kind is DIMENSIONLESS:
            return x
        scale = LENGTH_UNITS[LENGTH_UNIT.get()] if kind.bare_scale is None else kind.bare_scale
        return x if scale == 1.0 else _clean(x * scale)
    if isinstance(value, str):
        ureg = _ureg()
        text = value.strip().replace("µ", "u").replace("°C", "degC").replace("°", "deg")
        try:
            q = _evaluate(ureg, text)
            unitless = q.unitless  # reduces the units: 'km**1e12' overflows here
        except Exception as exc:  # pint raises several unrelated types for bad text
            raise _bad(kind, value, f"cannot read it as a quantity ({type(exc).__name__})") from None
        if not isinstance(q.magnitude, (int, float)):  # (-8)**0.5 is complex
            raise _bad(kind, value, "not a real number")
        if unitless:  # a plain number inside a string
            return parse(float(q.magnitude), kind)
        try:
            x = float(q.to(kind.si).magnitude)
        except Exception:
            raise _bad(kind, value, f"its unit is {_describe(q)}") from None
        if not math.isfinite(x):
            raise _bad(kind, value, "not a finite number")
        return _clean(x)
    raise _bad(kind, value, f"a {type(value).__name__} is not a number or a string with units")


def parse_plain(value, kind: Kind, path: str) -> float:
    """:func:`parse` outside a pydantic model: errors become :class:`LayoutError` naming ``path``."""
    try:
        return parse(value, kind)
    except ValueError as exc:
        raise LayoutError(str(exc), path=path) from None


def format_bytes(n: float) -> str:
    """Human-readable byte count (decimal units)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.3g} {unit}"
        n /= 1000.0
    return f"{n:.3g} TB"  # pragma: no cover


def format_length(m: float) -> str:
    """A length in m shown in µm or mm, whichever reads better."""
    um = m * 1e6
    if abs(um) >= 999.95:
        return f"{um / 1000:.4g} mm"
    return f"{um:.4g} µm"
