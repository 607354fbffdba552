"""Structure functions: the Cauer ladder read as cumulative capacity against cumulative
resistance along the heat path from the junction [szekely-structure-1988] [jedec-jesd5114-2010].

The cumulative structure function is the staircase of points
``(R_sum[k], C_sum[k]) = (sum_{i<=k} R_i, sum_{i<=k} C_i)``: the capacity met before the heat
has crossed the resistance ``R_sum[k]``. A homogeneous layer of thermal conductivity ``k`` and
volumetric heat capacity ``rho c`` over a cross-section ``A`` is a straight stretch of slope
``dC/dR = k rho c A^2``; a change of slope marks an interface, a vertical asymptote the
ambient. The differential structure function ``K = dC_sum / dR_sum`` makes those slopes
visible as plateaus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import LayoutError
from .cauer import CauerNetwork


@dataclass(frozen=True)
class StructureFunction:
    """Cumulative and differential structure functions of a Cauer ladder of ``N`` stages.

    ``r_sum``: shape (N,), K/W, cumulative resistance from the junction, strictly increasing.
    ``c_sum``: shape (N,), J/K, cumulative capacity, strictly increasing.
    ``r_mid``: shape (N-1,), K/W, midpoints of consecutive ``r_sum`` where ``k`` is given.
    ``k``: shape (N-1,), J/K per K/W = W^2 s / K^2, the differential structure function
    ``diff(c_sum) / diff(r_sum)``.
    """

    r_sum: np.ndarray
    c_sum: np.ndarray
    r_mid: np.ndarray
    k: np.ndarray

    @property
    def r_total(self) -> float:
        """Junction-to-ambient resistance (K/W)."""
        return float(self.r_sum[-1])

    @property
    def c_total(self) -> float:
        """Total capacity of the ladder (J/K)."""
        return float(self.c_sum[-1])


def structure_function(cauer: CauerNetwork) -> StructureFunction:
    """The cumulative and differential structure functions of ``cauer`` (see
    :class:`StructureFunction` for the arrays and their units)."""
    if not isinstance(cauer, CauerNetwork):
        raise LayoutError(f"cauer must be a CauerNetwork, got {type(cauer).__name__}")
    r_sum = np.cumsum(cauer.R)
    c_sum = np.cumsum(cauer.C)
    return StructureFunction(r_sum=r_sum, c_sum=c_sum, r_mid=0.5 * (r_sum[1:] + r_sum[:-1]),
                             k=np.diff(c_sum) / np.diff(r_sum))


def resistance_at_capacity(sf: StructureFunction, capacity) -> np.ndarray:
    """Cumulative resistance ``R_sum`` (K/W) at which the cumulative capacity reaches
    ``capacity`` (J/K, scalar or any shape; result of the same shape).

    A lumped stage stands for a slice of material centred on its node, so its capacity is all
    held half a link beyond the node. The link before the node is taken as that measure: it
    lies inside the slice's own material where a layer ends, whereas the link after it crosses
    into the next layer, whose resistance per capacity may differ by orders of magnitude (a
    TIM after silicon). The curve therefore passes through ``(node_k + R_{k-1} / 2, c_sum[k])``
    (the first stage: ``R_0 / 2``). Between those points the curve is interpolated linearly in
    ``log C_sum``, because capacities span decades along a package. A capacity outside ``[c_sum[0], c_sum[-1]]`` raises :class:`LayoutError`.
    """
    if not isinstance(sf, StructureFunction):
        raise LayoutError(f"sf must be a StructureFunction, got {type(sf).__name__}")
    c = np.asarray(capacity, dtype=float)
    lo, hi = sf.c_sum[0], sf.c_sum[-1]
    # a hair of relative slack so that the ladder's own end points are accepted after round-off
    slack = 1e-12
    if not np.all(np.isfinite(c)) or np.any(c < lo * (1 - slack)) or np.any(c > hi * (1 + slack)):
        raise LayoutError(f"capacity must lie within the structure function's range "
                          f"[{lo:.6g}, {hi:.6g}] J/K, got {capacity!r}")
    R = np.diff(np.concatenate([[0.0], sf.r_sum]))
    node = sf.r_sum - R
    points = node + 0.5 * np.concatenate([[R[0]], R[:-1]])
    return np.interp(np.log(c), np.log(sf.c_sum), points)
