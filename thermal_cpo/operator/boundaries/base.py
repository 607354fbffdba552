"""What a boundary kind adds to the operator: a :class:`BoundaryPatch` of conductances to a
temperature and of heat fluxes, on the cells of one face.

A kind is a :class:`BoundaryModel` subclass naming its ``kind`` (the layout's ``type``); it is
found by :func:`model_for`. Its schema lives in :mod:`thermal_cpo.layout.boundaries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from ...errors import LayoutError
from ...mesh import FaceCondition, face_cells


@dataclass(frozen=True)
class BoundaryPatch:
    """Terms of one active outer face on its cells, in the face's layout (``(ny, nx)`` for
    top/bottom, ``(nz, ny)`` for x faces, ``(nz, nx)`` for y faces): conductances ``G`` (W/K) to
    the temperature ``T`` (°C), and ``Q`` (W) entering each cell whatever its temperature (a
    prescribed flux; None when the kind has none). Zero outside the condition's rectangle."""

    face: str
    type: str
    T: float
    G: np.ndarray
    Q: np.ndarray | None = None

    def cells(self, field: np.ndarray) -> np.ndarray:
        """The face's layer of cells of a ``(nz, ny, nx)`` field, in the layout of ``G``."""
        return face_cells(self.face, field)

    def heat_out(self, temperature: np.ndarray) -> float:
        """Heat (W) leaving through this patch for a cell temperature field (°C)."""
        q = float(np.sum(self.G * (self.cells(temperature) - self.T)))
        return q - float(np.sum(self.Q)) if self.Q is not None else q

    @property
    def has_heat_path(self) -> bool:
        """Whether any cell is tied to the patch's temperature."""
        return bool(np.any(self.G > 0))


class BoundaryModel:
    """Base of the boundary kinds' physics; subclasses set ``kind`` and implement :meth:`patch`."""

    kind: ClassVar[str | None] = None
    registry: ClassVar[dict[str, type["BoundaryModel"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind") is not None:
            BoundaryModel.registry[cls.kind] = cls

    def __init__(self, condition: FaceCondition):
        self.condition = condition
        self.spec = condition.spec

    def patch(self, r_half: np.ndarray, area: np.ndarray) -> BoundaryPatch:
        """The face's terms given each face cell's half-cell resistance ``r_half`` = d/(2k)
        (m²·K/W, normal to the face) and face area ``area`` (m²), both in the face's layout."""
        raise NotImplementedError

    def _patch(self, G, T=0.0, Q=None) -> BoundaryPatch:
        mask = self.condition.mask
        return BoundaryPatch(self.condition.face, self.kind, float(T), G * mask,
                             None if Q is None else Q * mask)


def model_for(condition: FaceCondition) -> BoundaryModel:
    """The physics of a face condition, by its layout kind."""
    kind = condition.spec.type
    cls = BoundaryModel.registry.get(kind)
    if cls is None:
        raise LayoutError(f"boundary type {kind!r} has no operator model (known: "
                          f"{', '.join(BoundaryModel.registry)})", path=f"{condition.path}.type")
    return cls(condition)
