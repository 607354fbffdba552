"""The six outer faces of a package, each holding one registered boundary kind."""

from __future__ import annotations

from ...schema import Frozen, kind_union
from ..geometry import FACES
from .adiabatic import Adiabatic
from .base import Boundary

#: a field type accepting every registered boundary kind
BoundaryKind = kind_union(Boundary)


class Boundaries(Frozen):
    """The six outer faces of the package (each adiabatic unless given)."""

    top: BoundaryKind = Adiabatic()
    bottom: BoundaryKind = Adiabatic()
    xmin: BoundaryKind = Adiabatic()
    xmax: BoundaryKind = Adiabatic()
    ymin: BoundaryKind = Adiabatic()
    ymax: BoundaryKind = Adiabatic()

    def items(self):
        """``[(face name, boundary), ...]`` in the order of :data:`FACES`."""
        return [(f, getattr(self, f)) for f in FACES]
