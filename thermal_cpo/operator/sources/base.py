"""What a heat-source kind dissipates: the power of one component against time.

A kind is a :class:`HeatSource` subclass naming its ``kind`` (the layout's ``source.model``); it
is found by :func:`source_for`. Its schema lives in :mod:`thermal_cpo.layout.sources`.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from ...errors import LayoutError


class HeatSource:
    """Base of the heat-source kinds' physics.

    A subclass sets ``kind`` and implements :meth:`from_spec`, :meth:`at` and :meth:`integral`;
    :meth:`breakpoints` are the times (s) where its power has a kink or a step, which a
    transient hits exactly.
    """

    kind: ClassVar[str | None] = None
    registry: ClassVar[dict[str, type["HeatSource"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind") is not None:
            HeatSource.registry[cls.kind] = cls

    @classmethod
    def from_spec(cls, spec) -> "HeatSource":
        """The model of a validated layout spec of this kind."""
        raise NotImplementedError

    def at(self, t: float) -> float:
        """Power (W) at time ``t`` (s); at a step edge the new value."""
        raise NotImplementedError

    def integral(self, a: float, b: float) -> float:
        """Energy ∫_a^b P dt (J) dissipated from ``a`` to ``b`` (s), exact."""
        raise NotImplementedError

    def breakpoints(self, t_end: float) -> np.ndarray:
        """Times (s) up to ``t_end`` where the power has a kink or a step."""
        return np.empty(0)

    @property
    def powered(self) -> bool:
        """Whether the source dissipates at any time."""
        return True


def source_for(spec) -> HeatSource:
    """The physics of a component's heat-source spec, by its kind."""
    cls = HeatSource.registry.get(spec.kind)
    if cls is None:
        raise LayoutError(f"heat-source model {spec.kind!r} has no solver model (known: "
                          f"{', '.join(HeatSource.registry)})", path="source.model")
    return cls.from_spec(spec)
