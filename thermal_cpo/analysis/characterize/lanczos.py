"""The model's own Cauer ladder, without fitting a sampled Zth: Lanczos tridiagonalization of the
conduction operator from the junction.

With ``C`` the cell capacities (J/K), ``G`` the conductance operator (W/K) and ``p`` the
junction's power distribution (W per cell, summing to 1 W), the junction's impedance is
``Z(s) = pᵀ (sC + G)⁻¹ p``. Lanczos on ``A = C^-½ G C^-½`` started from ``C^-½ p`` gives the
Jacobi matrix of that impedance; a Jacobi matrix is one Cauer ladder (capacitances to the
reference, resistances in series, the last one to the reference), read off stage by stage:
``C₁ = 1/Σ p²/C``, ``g_i = C_i α_i − g_{i−1}``, ``C_{i+1} = g_i² / (β_i² C_i)``. A full run
(as many stages as cells) is the model's exact ladder; a shorter one matches the impedance
from the junction outwards (high frequencies first) and its last resistance is set so that
the ladder's sum equals the steady rise of the same reading. Full re-orthogonalisation keeps
the recurrence honest, so the stages are capped to bound the memory it takes. A start vector
with an exact symmetry of the mesh (identical parallel columns under a uniform source) excites,
in exact arithmetic, only the modes of that symmetry; rounding seeds the others, and where they
lie at the top of the spectrum the recurrence amplifies them until the ladder's deeper stages
are lost (measured: some 50 stages into a 2 × 2-column stack).
"""

from __future__ import annotations

import numpy as np

from ...errors import SolverError
from ...operator import Operator
from .cauer import CauerNetwork

#: the re-orthogonalisation basis is kept below this many float64 values (~400 MB)
MAX_BASIS = 50_000_000


def _recurrence(op: Operator, p: np.ndarray, stages: int) -> tuple[float, list, list]:
    C = np.asarray(op.capacity, dtype=float).ravel()
    s = 1.0 / np.sqrt(C)
    v = s * p
    norm = float(np.linalg.norm(v))
    Q = np.zeros((stages, C.size))
    q, q_prev, beta = v / norm, np.zeros(C.size), 0.0
    alphas, betas = [], []
    for i in range(stages):
        Q[i] = q
        w = s * op.apply((s * q).reshape(op.mesh.shape)).ravel()
        a = float(q @ w)
        w -= a * q + beta * q_prev
        for _ in range(2):  # twice is enough (Kahan–Parlett)
            w -= Q[:i + 1].T @ (Q[:i + 1] @ w)
        alphas.append(a)
        beta = float(np.linalg.norm(w))
        if i == stages - 1 or beta <= 1e-13 * abs(a):
            break
        betas.append(beta)
        q_prev, q = q, w / beta
    return 1.0 / norm ** 2, alphas, betas


def model_cauer(op: Operator, p: np.ndarray, rise_per_watt: float, stages: int = 300) -> CauerNetwork:
    """The Cauer ladder (K/W, J/K) of the conduction operator ``op`` seen from the power
    distribution ``p`` (W per cell, ``(nz, ny, nx)`` or flat, summing to 1), whose steady
    reading ``pᵀT`` rises ``rise_per_watt`` (K/W). Coolant-coupled operators are not
    symmetric and have no such ladder."""
    if op.coolant is not None:
        raise SolverError("a coolant-coupled package has no symmetric operator to tridiagonalize")
    p = np.asarray(p, dtype=float).ravel()
    stages = int(max(1, min(stages, p.size, MAX_BASIS // p.size)))
    C1, alphas, betas = _recurrence(op, p, stages)
    caps, gs = [C1], []
    for i in range(len(alphas) - 1):
        gs.append(caps[i] * alphas[i] - (gs[i - 1] if i else 0.0))
        caps.append(gs[i] ** 2 / (betas[i] ** 2 * caps[i]))
    R = [1.0 / g for g in gs]
    last = rise_per_watt - sum(R)
    if not last > 0:  # the recurrence's own last stage, when the steady sum leaves nothing
        last = 1.0 / (caps[-1] * alphas[-1] - (gs[-1] if gs else 0.0))
    R.append(last)
    R, caps = np.array(R), np.array(caps)
    if not (np.all(R > 0) and np.all(caps > 0)):
        raise SolverError("the Lanczos ladder has a non-positive element (lost orthogonality)")
    return CauerNetwork(R=R, C=caps)
