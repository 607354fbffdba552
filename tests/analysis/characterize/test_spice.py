"""SPICE subcircuits of thermal networks, checked in ngspice against the analytic response."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from thermal_cpo.analysis.characterize import (CauerNetwork, FosterNetwork, foster_to_cauer,
                                               spice_subcircuit)
from thermal_cpo.errors import LayoutError

FIVE = FosterNetwork(R=np.array([0.05, 0.20, 0.10, 0.30, 0.15]), tau=np.logspace(-4, 0, 5))
T_STOP = 5.0  # s: five of the slowest time constant

# a 1 A step into the junction from rest (uic: every capacitor starts at 0 V); tight tolerances
# and a bounded step so that the integrator's error stays far below the 1e-6 comparison
DECK = """thermal step response
{subckt}
X1 j 0 {name}
I1 0 j DC 1
.options reltol=1e-9 abstol=1e-15 vntol=1e-12 chgtol=1e-20 trtol=0.1 method=gear
.tran 1e-6 {t_stop} 0 1e-3 uic
.control
run
wrdata {out} v(j)
quit
.endc
.end
"""


def _simulate(text, name, tmp_path):
    ngspice = shutil.which("ngspice")
    assert ngspice, "ngspice is needed for this test (Debian/Ubuntu: apt-get install ngspice)"
    out = tmp_path / f"{name}.txt"
    deck = tmp_path / f"{name}.cir"
    deck.write_text(DECK.format(subckt=text, name=name, t_stop=T_STOP, out=out.name))
    run = subprocess.run([ngspice, "-b", deck.name], cwd=tmp_path, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0 and out.exists(), run.stdout + run.stderr
    data = np.loadtxt(out)
    return data[:, 0], data[:, 1]


@pytest.mark.parametrize("kind", ["foster", "cauer"])
def test_ngspice_step_response_matches_the_analytic_one(kind, tmp_path):
    network = FIVE if kind == "foster" else foster_to_cauer(FIVE)
    t, v = _simulate(spice_subcircuit(network, f"th_{kind}", kind=kind), f"th_{kind}", tmp_path)
    assert t[-1] == pytest.approx(T_STOP) and t.size > 100
    # 1 A for 1 W: the node voltage in V is the rise in K; wrdata writes 9 significant digits
    # and the integrator is held to ~1e-7 of Zth(inf), so 1e-6 is the requirement with margin
    err = np.max(np.abs(v - FIVE.step_response(t, power=1.0))) / FIVE.r_total
    assert err <= 1e-6


def _values(text):
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^([RC]\d+) \S+ \S+ (\S+)$", text, flags=re.M)}


def test_foster_text_holds_every_value_exactly():
    text = spice_subcircuit(FIVE, "th")
    assert ".subckt th junction ambient" in text and ".ends th" in text
    assert "1 V = 1 K" in text and "1 A = 1 W" in text and "K/W" in text and "J/K" in text
    values = _values(text)
    assert len(values) == 2 * FIVE.n_terms
    # 17 significant digits round-trip a float exactly
    assert [values[f"R{i + 1}"] for i in range(FIVE.n_terms)] == list(FIVE.R)
    assert [values[f"C{i + 1}"] for i in range(FIVE.n_terms)] == list(FIVE.C)


def test_cauer_capacitors_return_to_ambient():
    ladder = foster_to_cauer(FIVE)
    text = spice_subcircuit(ladder, "lad")
    caps = re.findall(r"^C\d+ (\S+) (\S+) ", text, flags=re.M)
    assert len(caps) == ladder.n_terms and all(b == "ambient" for _, b in caps)
    assert caps[0][0] == "junction"
    assert [_values(text)[f"R{i + 1}"] for i in range(ladder.n_terms)] == list(ladder.R)


def test_bad_arguments():
    with pytest.raises(LayoutError, match="name must"):
        spice_subcircuit(FIVE, "1bad name")
    with pytest.raises(LayoutError, match="kind must"):
        spice_subcircuit(FIVE, "th", kind="norton")
    with pytest.raises(LayoutError, match="does not match"):
        spice_subcircuit(FIVE, "th", kind="cauer")
    with pytest.raises(LayoutError, match="network must"):
        spice_subcircuit({"R": [1.0]}, "th")
    assert isinstance(foster_to_cauer(FIVE), CauerNetwork)
