"""Shared pieces of the validated input models: the frozen base model, quantity field types,
and the translation of pydantic's errors into :class:`LayoutError` with a layout path.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, ValidationError
from pydantic_core import PydanticCustomError

from . import units as u
from .errors import LayoutError, did_you_mean, nearest


def fail(message: str, **ctx) -> PydanticCustomError:
    """An error to raise inside a validator; pydantic adds the field path."""
    return PydanticCustomError("layout", message.replace("{", "{{").replace("}", "}}") if not ctx else message, ctx)


def format_path(loc) -> str:
    """``('layers', 2, 'blocks', 0, 'x')`` → ``layers[2].blocks[0].x``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _unwrap(tp):
    """The model class a field annotation leads to (through Optional, tuple[X, ...], dict[str, X])."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        for arg in typing.get_args(tp):
            if arg is not type(None):
                return _unwrap(arg)
    if origin in (tuple, list):
        return _unwrap(typing.get_args(tp)[0])
    if origin is dict:
        return _unwrap(typing.get_args(tp)[1])
    return tp


def _model_at(root: type[BaseModel], loc) -> type[BaseModel] | None:
    """Follow a pydantic error location through the model classes; the class holding the last key."""
    cls: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            return None
        field = cls.model_fields.get(part)
        if field is None:
            # a dict key (material name): stay on the dict's value class, already unwrapped
            continue
        cls = _unwrap(field.annotation)
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def problems(exc: ValidationError, root: type[BaseModel]) -> list[tuple[tuple, str]]:
    """pydantic's errors as ``(location, message)`` pairs, messages in the layout's words."""
    out = []
    errors = exc.errors(include_url=False)
    # a misspelt key is reported once, as the unknown key with its suggestion, not also as the
    # required key it was meant to be
    suggested = set()
    for err in errors:
        if err["type"] == "extra_forbidden" and err["loc"]:
            cls = _model_at(root, tuple(err["loc"]))
            for hit in nearest(str(err["loc"][-1]), list(cls.model_fields) if cls is not None else []):
                suggested.add(tuple(err["loc"][:-1]) + (hit,))
    for err in errors:
        loc = tuple(err["loc"])
        etype = err["type"]
        if etype == "missing" and loc in suggested:
            continue
        if etype == "too_short" and any(len(e["loc"]) > len(loc) and tuple(e["loc"][:len(loc)]) == loc
                                        for e in errors):
            continue  # pydantic counts only the items that validated: "at least 1 item" is noise
        out.append((loc, _message(err, root)))
    return out


def _message(err: dict, root: type[BaseModel]) -> str:
    etype = err["type"]
    if etype == "extra_forbidden":
        key = str(err["loc"][-1]) if err["loc"] else "?"
        cls = _model_at(root, tuple(err["loc"]))
        valid = list(cls.model_fields) if cls is not None else []
        hint = did_you_mean(key, valid)
        if not hint and valid:
            hint = "; valid keys here: " + ", ".join(valid)
        return f"unknown key {key!r}{hint}"
    if etype == "missing":
        return "required key is missing"
    if etype == "literal_error":
        return f"got {u.shown(err['input'])}; expected {err['ctx']['expected']}"
    if etype in ("tuple_type", "list_type"):
        return f"expected a list, got {u.shown(err['input'])}"
    if etype in ("model_type", "model_attributes_type"):
        return f"expected a table of keys, got {u.shown(err['input'])}"
    msg = err["msg"]
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def to_layout_error(exc: ValidationError, root: type[BaseModel], prefix: tuple = ()) -> LayoutError:
    """Turn pydantic's errors into one :class:`LayoutError` whose lines name each field path."""
    found = [(format_path(prefix + loc) or "<layout>", msg) for loc, msg in problems(exc, root)]
    if len(found) == 1:
        path, msg = found[0]
        return LayoutError(msg, path=path)
    text = f"{len(found)} problems in the layout:\n" + "\n".join(f"  {p}: {m}" for p, m in found)
    return LayoutError(text, problems=found)


class Frozen(BaseModel):
    """Frozen, strict-keyed base of every input model; errors raised as :class:`LayoutError`."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=False)

    def __init__(self, **data):
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise to_layout_error(exc, type(self)) from None

    # Tell pydantic this __init__ only wraps BaseModel's: otherwise nested models are built by
    # calling it, and a nested model's LayoutError is re-wrapped with the parent's path only.
    __init__.__pydantic_base_init__ = True

    @classmethod
    def model_validate(cls, obj, *args, **kwargs):  # noqa: D102 - pydantic's, with our error type
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise to_layout_error(exc, cls) from None


QuantityInput = typing.Union[float, str]


#: absolute zero (°C): no temperature a layout states lies below it
ABSOLUTE_ZERO_C = -273.15

#: the grid (m) geometry is snapped to before voxelizing: a thickness or an extent below it
#: would snap to nothing and silently vanish from the model
SNAP = 1e-9
#: the largest length (m) a layout may state: the largest packages (panel-level substrates,
#: cold plates) are ~0.1 m, so a length beyond 1 m is a unit slip, not a package
MAX_LENGTH = 1.0
#: thermal conductivities (W/(m·K)) a material may have, at any temperature it can reach. Below:
#: nothing in a package conducts less than a µm vacuum gap (radiative, ~6e-6); the limit sits six
#: decades lower so that an idealised model may switch a direction off (k ~1e-11 beside 20–400,
#: still solved to round-off), while 1e-30 (1e32 below copper, past double precision) makes the
#: system singular. Above: the best solids are ~2e3–5e3 (diamond, graphene) and heat pipes or
#: vapour chambers modelled as a solid reach ~1e5.
K_MIN, K_MAX = 1e-12, 1e6


def _quantity(kind: u.Kind, positive=False, nonneg=False, at_least=None, below_what=""):
    def conv(v):
        x = u.parse(v, kind)
        if at_least is not None and x < at_least:
            raise fail("is below {what}, got {v}", what=below_what, v=repr(v))
        if positive and not x > 0:
            raise fail("must be > 0, got {v}", v=repr(v))
        if nonneg and x < 0:
            raise fail("must be >= 0, got {v}", v=repr(v))
        return x

    # the JSON schema (for editors) shows what a layout may contain: a number or a string with units
    return BeforeValidator(conv, json_schema_input_type=QuantityInput)


def _within_a_package(x: float, v) -> float:
    """``x`` (m, read from ``v``) when it is no longer than :data:`MAX_LENGTH`."""
    if abs(x) > MAX_LENGTH:
        raise fail(f"{v!r} is {x:.3g} m, beyond any package (lengths are at most {MAX_LENGTH:g} m); "
                   f"bare lengths are {u.bare_length_unit()} here: check the unit")
    return x


def _not_below_snap(size: float, what: str) -> None:
    """Refuse a thickness or extent ``size`` (m) that the 1 nm snapping would erase or distort.
    The margin absorbs unit-conversion noise in a length written as exactly 1 nm."""
    if size < SNAP * (1 - 1e-6):
        raise fail(f"{what} is {size / 1e-9:.3g} nm, below the {SNAP / 1e-9:g} nm snapping "
                   "resolution of the geometry; it would vanish from the model")


def _length(positive: bool):
    def conv(v):
        x = _within_a_package(u.parse(v, u.LENGTH), v)
        if positive:
            if not x > 0:
                raise fail("must be > 0, got {v}", v=repr(v))
            _not_below_snap(x, repr(v))
        return x

    return BeforeValidator(conv, json_schema_input_type=QuantityInput)


def _range(v):
    if not isinstance(v, (list, tuple)) or len(v) != 2:
        raise fail("expected [min, max], got {v}", v=u.shown(v))
    lo, hi = (_within_a_package(u.parse(x, u.LENGTH), x) for x in v)
    if not lo < hi:
        raise fail("min must be < max, got [{lo}, {hi}]", lo=repr(v[0]), hi=repr(v[1]))
    _not_below_snap(hi - lo, f"the extent [{v[0]!r}, {v[1]!r}]")
    return (lo, hi)


Length = Annotated[float, _length(positive=False)]
PositiveLength = Annotated[float, _length(positive=True)]
Power = Annotated[float, _quantity(u.POWER, nonneg=True)]
Time = Annotated[float, _quantity(u.TIME, nonneg=True)]
Conductivity = Annotated[float, _quantity(u.CONDUCTIVITY, positive=True)]
HTCoeff = Annotated[float, _quantity(u.HTC, positive=True)]
HeatFlux = Annotated[float, _quantity(u.HEAT_FLUX)]
Density = Annotated[float, _quantity(u.DENSITY, positive=True)]
SpecificHeat = Annotated[float, _quantity(u.SPECIFIC_HEAT, positive=True)]
Resistance = Annotated[float, _quantity(u.RESISTANCE, nonneg=True)]
Temperature = Annotated[float, _quantity(u.TEMPERATURE, at_least=ABSOLUTE_ZERO_C,
                                          below_what="absolute zero (-273.15 °C = 0 K)")]
Current = Annotated[float, _quantity(u.CURRENT, nonneg=True)]
PositiveCurrent = Annotated[float, _quantity(u.CURRENT, positive=True)]
Voltage = Annotated[float, _quantity(u.VOLTAGE, positive=True)]
SlopeEfficiency = Annotated[float, _quantity(u.SLOPE_EFFICIENCY, nonneg=True)]
TemperatureDifference = Annotated[float, _quantity(u.TEMPERATURE_DIFFERENCE, positive=True)]
InverseTemperature = Annotated[float, _quantity(u.INVERSE_TEMPERATURE, positive=True)]
WavelengthDrift = Annotated[float, _quantity(u.WAVELENGTH_DRIFT, nonneg=True)]
Bytes = Annotated[float, _quantity(u.BYTES, positive=True)]
Number = Annotated[float, _quantity(u.DIMENSIONLESS)]
#: written out with its unit (the resolved layout is SI: m³/s), since a bare flow rate is refused
VolumeFlow = Annotated[float, _quantity(u.VOLUME_FLOW, positive=True),
                       PlainSerializer(lambda x: f"{x!r} m^3/s", return_type=str)]
Pressure = Annotated[float, _quantity(u.PRESSURE, positive=True),
                     PlainSerializer(lambda x: f"{x!r} Pa", return_type=str)]
Range = Annotated[tuple[float, float],
                  BeforeValidator(_range, json_schema_input_type=tuple[QuantityInput, QuantityInput])]


# ---------------------------------------------------------------------------------------------
# kinds registered by name: one class per kind, chosen by a tag key in the layout
# ---------------------------------------------------------------------------------------------
class Registered(Frozen):
    """Base of a family of input kinds told apart by a tag key (``type`` or ``model``).

    A family's root subclasses this with ``tag`` (the key) and ``default`` (the kind taken when
    the key is absent); every subclass that sets ``kind`` is registered under that name. Fields
    typed :func:`kind_union` of the root accept any registered kind.
    """

    tag: typing.ClassVar[str] = "type"
    default: typing.ClassVar[str | None] = None
    kind: typing.ClassVar[str | None] = None
    registry: typing.ClassVar[dict[str, type]] = {}

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs):
        super().__pydantic_init_subclass__(**kwargs)
        if "registry" in cls.__dict__:  # a family root: its own registry
            return
        if cls.__dict__.get("kind") is not None:
            cls.registry[cls.kind] = cls

    @classmethod
    def family_root(cls) -> type:
        """The class that owns this family's registry."""
        return next(c for c in cls.__mro__ if "registry" in c.__dict__)


def kind_union(root: type[Registered]):
    """A field type accepting every kind registered under ``root``, chosen by ``root.tag`` when
    the value is validated (a kind registered later is accepted too); serialized as its kind."""
    from pydantic import SerializeAsAny, WrapValidator

    def dispatch(v, handler):
        if isinstance(v, root):
            return v
        tag = v.get(root.tag, root.default) if isinstance(v, dict) else None
        cls = root.registry.get(tag) if isinstance(tag, str) else None
        if cls is None:
            if not isinstance(v, dict):
                return handler(v)  # pydantic's own "expected a table" error
            msg = (f"got {tag!r}{did_you_mean(str(tag), root.registry)}; expected one of "
                   f"{', '.join(root.registry)}")
            raise ValidationError.from_exception_data(root.__name__, [dict(
                type=fail(msg), loc=(root.tag,), input=tag)])
        try:
            return cls.__pydantic_validator__.validate_python(v)
        except ValidationError as exc:  # messages in the kind's own keys, locations kept
            raise ValidationError.from_exception_data(cls.__name__, [
                dict(type=fail(msg), loc=loc, input=None) for loc, msg in problems(exc, cls)]) from None

    schema_input = typing.Union[tuple(root.registry.values())] if root.registry else dict
    return Annotated[SerializeAsAny[root], WrapValidator(dispatch, json_schema_input_type=schema_input)]
