"""Transient probes read the field interpolated at their position, not the containing cell."""

from __future__ import annotations

import numpy as np

import thermal_cpo as tc
from thermal_cpo.layout import Package


def test_a_probe_in_a_linear_field_reads_the_exact_value():
    # x faces fixed at 20 and 80 °C, no power, starting from the steady state: T = 20 + 60 x/L at
    # every step; probes off the 100 µm cell centres, where a containing cell would be up to 3 K off
    xs = [137.0, 421.0, 868.0]
    pkg = Package.from_dict(dict(
        name="gradient", footprint=dict(x=1000, y=600), grid=dict(max_cell_xy=100, max_cell_z=50),
        materials={"si_c": {"k": 150, "rho": 2330, "cp": 705}},
        layers=[dict(name="pic", thickness=100, material="si_c")],
        boundaries={"xmin": dict(type="fixed", T=20.0), "xmax": dict(type="fixed", T=80.0)},
        probes=[dict(name=f"p{i}", x=x, y=300.0, z=37.0) for i, x in enumerate(xs)]))
    r = tc.solve_transient(pkg, t_end=1e-3, initial="steady", method="implicit")
    exact = [20.0 + 60.0 * x / 1000.0 for x in xs]
    np.testing.assert_allclose(r.probes["points"], np.broadcast_to(exact, r.probes["points"].shape),
                               rtol=0, atol=1e-6)
