"""The discretize stage: Mesh → :class:`Operator` (face and boundary conductances, capacities,
sources, coolant coupling), never changed once built."""

from __future__ import annotations

from .boundaries import BoundaryPatch
from .operator import Operator
from .stencil import Stencil, as_csr

__all__ = ["Operator", "BoundaryPatch", "Stencil", "as_csr"]
