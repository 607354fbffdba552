"""Print the cold-plate figures the tests assert: correlation checks, coolant enthalpy
rise against the dissipated power (steady and transient, both models), compact vs resolved,
grid refinement of the resolved model, Tuckerman & Pease 1981, and the CPO switch's coolant and
engines. Run from the repository root: ``python benchmarks/coldplate_figures.py``."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from test_coldplate import _enthalpy_rise, compact, resolved  # noqa: E402

from thermal_cpo.cooling.correlations import f_re, nu_h1, nu_t  # noqa: E402
from thermal_cpo.layout import load_layout  # noqa: E402
from thermal_cpo.layout import Package  # noqa: E402
from thermal_cpo.solve.steady import solve_steady  # noqa: E402
from thermal_cpo.solve.transient import solve_transient  # noqa: E402

print("Nu_H1(α = 1, 0.5, 0.2) =", [round(nu_h1(a), 4) for a in (1, 0.5, 0.2)], "(published 3.610, 4.126, 5.738);",
      f"Nu_T(1) = {nu_t(1):.4f} (2.98); f·Re(1) = {f_re(1):.4f} (14.23), f·Re(0) = {f_re(0):g} (24)")
c, r = solve_steady(compact()), solve_steady(resolved())
for name, res, g in (("compact", c, "cp"), ("resolved", r, "cav")):
    q = _enthalpy_rise(res, res.package, g)
    print(f"steady {name}: ṁ c_p (T_out − T_in) = {q:.12f} W for 100 W (rel. {abs(q / 100 - 1):.1e}); "
          f"energy_balance {res.energy_balance:.1e}; die T_max {res.component('die').T_max:.4f} °C")
rc, rr = c.component("die").T_max - 25, r.component("die").T_max - 25
print(f"compact vs resolved peak die rise: {rc:.3f} K vs {rr:.3f} K ({rr / rc - 1:+.2%}); "
      f"peak T {c.component('die').T_max:.3f} vs {r.component('die').T_max:.3f} °C")
for name, pk in (("compact", compact()), ("resolved", resolved(10, max_cell_z=250, span=2000, flow="20 ml/min"))):
    s = solve_transient(pk, t_end=0.1, initial=25.0, dt=0.01, adaptive=False).solver
    print(f"transient {name}: in {s['energy_in']:.6f} J = advected {s['energy_out']:.6f} J + stored "
          f"{s['energy_stored']:.6f} J; balance {s['energy_balance']:.1e}")
peaks = [solve_steady(resolved(n, max_cell_z=z)).component("die").T_max
         for n, z in ((8, 200), (16, 100), (32, 50), (64, 25))]
print("resolved refinement (8, 16, 32, 64 cells along the flow, z halved too): die T_max",
      [round(p, 4) for p in peaks], "differences", [round(b - a, 4) for a, b in zip(peaks, peaks[1:])])
pkg = load_layout("tuckerman-pease-1981")
t = solve_steady(pkg)
R = (t.component("base").T_max - pkg.coldplates[0].inlet_T) / 790
d = pkg.to_dict()
d["coldplates"][0]["developing"] = True
td = solve_steady(Package.from_dict(d))
Rd = (td.component("base").T_max - pkg.coldplates[0].inlet_T) / 790
g = t.coolant["groups"][0]
print(f"Tuckerman & Pease 1981: R = {R:.4f} K/W vs measured 0.090 ({R / 0.090 - 1:+.1%}); with the "
      f"developing-flow factor {Rd:.4f} ({Rd / 0.090 - 1:+.1%}); Re {g['Re']:.0f}, Nu {g['Nu']:.3f}, "
      f"h {g['h']:.4g}, η_fin {g['eta_fin']:.3f}, h_eff {g['h_eff']:.4g}, ΔP {g['dP'] / 1e3:.1f} kPa")
sw = solve_steady(load_layout("cpo-51t2-switch"))
g = sw.coolant["groups"][0]
print(f"cpo-51t2-switch: T_in {g['T_in']:.2f} → T_out {g['T_out']:.2f} °C (ΔT {g['delta_T']:.3f} K, {g['heat']:.2f} W), "
      f"Re {g['Re']:.0f}, h_eff {g['h_eff']:.4g}, ΔP {g['dP'] / 1e3:.2f} kPa, pump {g['pumping_power']:.3f} W; "
      "EIC T_max: " + ", ".join(f"pe{i} {sw.component(f'pe{i}.eic').T_max:.2f}" for i in range(8))
      + f"; asic {sw.component('asic').T_max:.2f}; wall {sw.solver['wall_time']:.1f} s")
