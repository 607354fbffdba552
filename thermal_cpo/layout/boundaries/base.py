"""The family of boundary-condition kinds on an outer face, chosen by ``type``.

A kind is one module here (its schema and checks) and one module under
:mod:`thermal_cpo.operator.boundaries` (the conductances and fluxes it adds to the operator).
``x``, ``y`` (or ``z`` on side faces) restrict a condition to a rectangle of its face; outside
it the face stays adiabatic.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError

from ...schema import Range, Registered, fail


class Boundary(Registered):
    """Base of the boundary kinds (default ``adiabatic``)."""

    default: ClassVar[str] = "adiabatic"
    registry: ClassVar[dict[str, type]] = {}

    x: Range | None = None
    y: Range | None = None
    z: Range | None = None

    @property
    def active(self) -> bool:
        """Whether the condition adds anything to the operator (adiabatic adds nothing)."""
        return True

    @property
    def reference_T(self) -> float | None:
        """The temperature (°C) heat flows to through this face, if it has one."""
        return getattr(self, "T", None)

    def describe(self) -> str:
        """The condition's values in one line (for tables)."""
        return ""

    def files(self) -> dict[str, str]:
        """Files (key → path) the condition reads, resolved against the layout's folder."""
        return {}


def require(model, **messages):
    """``model`` itself, or a validation error naming each key of ``messages`` left unset (the
    message says what the key is for)."""
    errors = [dict(type=fail(msg), loc=(key,), input=None) for key, msg in messages.items()
              if getattr(model, key) is None]
    if errors:
        raise ValidationError.from_exception_data(type(model).__name__, errors)
    return model
