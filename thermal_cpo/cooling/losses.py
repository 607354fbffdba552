"""Minor (local) pressure losses of a channel bank: the sudden contraction from the inlet
plenum into the channels, the sudden expansion out of them, and bends. Each is a loss
coefficient K on the channel dynamic pressure, ΔP = K ρu²/2, u the mean channel velocity.

σ is the ratio of the channels' total flow area to the plenum's (0 < σ ≤ 1; for a bank of
channels of width w_c between walls w_w fed from a plenum as tall as the channels,
σ = w_c/(w_c + w_w)). The forms are the turbulent-flow ones of the handbooks
[crane-flow-2009] [rennels-pipe-2012]. In laminar flow the developing velocity profile adds an
excess loss that Kays and London fold into their K_c [kays-london-compact-1984]; here it
belongs to the apparent friction of developing flow (:mod:`.developing`), so it is not counted
twice (:func:`minor_loss_warnings`).
"""

from __future__ import annotations

import math


def _sigma(sigma: float) -> float:
    s = float(sigma)
    if not 0.0 <= s <= 1.0:
        raise ValueError(f"area ratio σ must lie in [0, 1], got {sigma}")
    return s


def k_contraction(sigma: float, method: str = "crane") -> float:
    """Loss coefficient of a sudden (sharp-edged) contraction of area ratio σ, on the downstream
    (channel) velocity (dimensionless).

    ``"crane"``: K_c = 0.5 (1 − σ) [crane-flow-2009] (K_c = 0.5 for a sharp entrance from a
    large plenum); ``"rennels"``: K_c = 0.0696 (1 − σ^2.5) λ² + (λ − 1)²,
    λ = 1 + 0.622 (1 − 0.215 σ − 0.785 σ^2.5) [rennels-pipe-2012] (the vena-contracta model).
    """
    s = _sigma(sigma)
    if method == "crane":
        return 0.5 * (1.0 - s)
    if method == "rennels":
        lam = 1.0 + 0.622 * (1.0 - 0.215 * s - 0.785 * s ** 2.5)
        return 0.0696 * (1.0 - s ** 2.5) * lam * lam + (lam - 1.0) ** 2
    raise ValueError(f"contraction method must be 'crane' or 'rennels', got {method!r}")


def k_expansion(sigma: float) -> float:
    """Loss coefficient of a sudden expansion of area ratio σ, on the upstream (channel)
    velocity: the Borda–Carnot K_e = (1 − σ)² [crane-flow-2009] [rennels-pipe-2012]
    (K_e = 1 into a large plenum). Dimensionless."""
    s = _sigma(sigma)
    return (1.0 - s) ** 2


def k_bend(angle_deg: float = 90.0) -> float:
    """Loss coefficient of a sharp (single-mitre) bend of ``angle_deg`` (degrees) in the channel
    flow (dimensionless): K = 0.42 sin(θ/2) + 2.56 sin³(θ/2) for 0 < θ ≤ 150°
    [rennels-pipe-2012] (K = 1.20 at 90°); a 180° return is taken as two 90° mitres,
    K = 2.40 (derived: the formula is not given beyond 150°, and the turn of a serpentine
    channel is two right-angle corners; their interaction is neglected, an assumption).
    """
    a = float(angle_deg)
    if a == 180.0:
        return 2.0 * k_bend(90.0)
    if not 0.0 < a <= 150.0:
        raise ValueError(f"bend angle must lie in (0, 150] degrees or be 180, got {angle_deg}")
    s = math.sin(math.radians(a) / 2.0)
    return 0.42 * s + 2.56 * s ** 3


def minor_loss_warnings(re: float, sigma: float, entrance_counted: bool = False) -> list[str]:
    """Inputs outside the range of the coefficients here. They are turbulent-flow values
    (Re ≥ 4000 here, the start of the turbulent branch [gnielinski-tubes-2013]); in laminar flow
    Kays and London's K_c [kays-london-compact-1984] also carries the excess
    loss of the developing velocity profile, which is here inside the apparent friction of
    developing flow; ``entrance_counted`` says it is (or is negligible), else its absence is
    said."""
    _sigma(sigma)
    if not float(re) > 0.0:
        raise ValueError(f"Re must be positive, got {re}")
    if re < 4000.0 and not entrance_counted:
        return [f"minor losses: Re = {re:.4g} < 4000 with fully developed friction: the entrance-region "
                "pressure excess that laminar K_c values include [kays-london-compact-1984] is left out "
                "(developing = true accounts for it)"]
    return []


def minor_loss(k_total: float, rho: float, u: float) -> float:
    """Pressure drop (Pa) of a total loss coefficient ``k_total`` at density ``rho`` (kg/m³) and
    mean velocity ``u`` (m/s): ΔP = K ρu²/2."""
    if k_total < 0.0:
        raise ValueError(f"a loss coefficient must be >= 0, got {k_total}")
    return k_total * 0.5 * rho * u * u


__all__ = ["k_contraction", "k_expansion", "k_bend", "minor_loss_warnings", "minor_loss"]
