"""Shipped cold-plate layouts of published experiments, solved untuned against the measurement.

Each layout's header states the experiment, what was compared and which of its numbers are
assumptions; each test reports the model's figure against the measured one and asserts the band
the comparison meets, with the reason when that band is wider than a correlation's usual ~20 %.
"""

from __future__ import annotations

import math

import pytest

from thermal_cpo.layout import Package, load_layout
from thermal_cpo.solve.steady import solve_steady

#: Browne et al. 2010, single-phase R134a on 17 submerged 112 µm jets over a 1 × 1 mm heater:
#: (Re_d, measured area-mean Nu_d) at the two ends of the tested range [browne-microjet-r134a-2010]
BROWNE_R134A = ((3050.0, 53.6), (10600.0, 128.0))
#: the layout's flow gives Re_d = 3050; this flow (ml/min) gives 10,600 (derived: × 10600/3050 at
#: the same properties, the stream's mean temperature moving by under 0.1 K)
FLOW_AT_RE_10600 = "161.6 ml/min"
#: saturation temperature (°C) of R134a at the layout's 10 bar, CoolProp 8.0.0 [coolprop-2014]
T_SAT_10_BAR = 39.39


def _solve_jets(flow: str | None = None):
    """The Browne et al. layout solved at its own flow, or at ``flow`` (a volume flow string)."""
    pkg = load_layout("browne-microjet-r134a-2010")
    if flow is not None:
        d = pkg.to_dict()
        d["coldplates"][0]["flow_rate"] = flow
        pkg = Package.from_dict(d)
    return solve_steady(pkg)


def test_browne_2010_r134a_microjet_array_nusselt_number():
    """Browne et al. 2010 [browne-microjet-r134a-2010]: measured Nu_d = 53.6 at Re_d = 3050 and
    128 at 10,600. Martin's array correlation [martin-jets-1977], untuned, gives Nu_d = 20.6
    (−61.6 %) and 47.2 (−63.1 %): far below the ~20 % a correlation in its range would meet.

    Why: the array is outside everything Martin's correlation was fitted to (f = 0.1675 against
    0.004–0.04, H/D = 1.79 against 2–12; the validity warnings say so). At f = 0.17 its
    G(f) = 2√f (1 − 2.2√f)/… has fallen to 44 % of its peak (near f = 0.065) and vanishes at
    f = 0.207; the measured h of this dense array shows no such fall. The band asserted, −70 % to
    −50 %, is the miss over the plausible standoffs, which the abstract does not give: H = 100,
    200 (the layout's assumption) and 400 µm give −54 %, −62 % and −74 % at Re_d = 3050.

    What does hold is the Re dependence. The measured Nu rises 128/53.6 = 2.39× over the 3.48×
    in Re (Nu ∝ Re^0.70); Martin's F ∝ Re^(2/3) gives 2.30×. Asserted within 5 %: the exponents'
    difference is worth 3.48^0.033 − 1 = 4.2 % over this span, the abstract's three digits
    ±0.2 %, and the two runs' Re offsets (under 0.2 %) under 0.15 %."""
    nu_model = []
    for (re_meas, nu_meas), flow in zip(BROWNE_R134A, (None, FLOW_AT_RE_10600)):
        r = _solve_jets(flow)
        g = r.coolant["groups"][0]
        # the flow reproduces the published Re_d to 1 % (Nu ∝ Re^(2/3): under 0.7 % in Nu)
        assert g["Re"] == pytest.approx(re_meas, rel=0.01)
        diff = g["Nu"] / nu_meas - 1.0
        print(f"Browne 2010 R134a microjets: Re_d = {g['Re']:.0f}, Nu_model = {g['Nu']:.2f} "
              f"vs measured {nu_meas:g} ({diff:+.1%})")
        assert -0.70 < diff < -0.50
        # the array is outside the correlation's range, and the result says so
        assert any(w.startswith("f = ") for w in g["warnings"])
        assert r.energy_balance <= 1e-6
        # single phase throughout: the chip's hottest point, so its wetted face too, stays below
        # saturation at 10 bar
        assert r.component("heater").T_max < T_SAT_10_BAR
        nu_model.append(g["Nu"])
    (_, nu_lo), (_, nu_hi) = BROWNE_R134A
    assert nu_model[1] / nu_model[0] == pytest.approx(nu_hi / nu_lo, rel=0.05)


def test_browne_2010_layout_states_the_published_array():
    """The layout's array is the published one: 17 nozzles of 112 µm on the 1 mm² heater, so the
    jet-to-heater area ratio is f = 17 π d²/4 / A = 0.1675 (derived), whatever the stagger."""
    pkg = load_layout("browne-microjet-r134a-2010")
    geo = pkg.coldplates[0].geometry(pkg.footprint)
    assert geo["n_nozzles"] == pytest.approx(17.0, rel=1e-4)
    assert geo["f"] == pytest.approx(17 * math.pi * 112e-6**2 / 4 / 1e-6, rel=1e-4)
