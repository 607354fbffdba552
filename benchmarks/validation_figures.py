"""Print the validation figures the tests assert: spreading series, k(T), convergence order,
and every shipped layout's energy balance. Run from the repository root:
``python benchmarks/validation_figures.py``."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import numpy as np
import test_steady_exact as te, test_steady_order as to
from analytic import kirchhoff_slab, rect_spreading
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady
from thermal_cpo.layout import load_layout, shipped_layouts
from thermal_cpo.linalg import make_solver
from thermal_cpo.operator import Operator
UM=1e6
# spreading
for case in te.SPREADING:
    _, a, b, c, d, t, k, h, hxy, hz = case
    pkg = Package.from_dict(dict(name="s", footprint=dict(x=c*UM, y=d*UM), grid=dict(max_cell_xy=hxy*UM, max_cell_z=hz*UM, grading=1.2),
        materials={"plate": dict(k=k, rho=1000, cp=1000)},
        layers=[dict(name="heater", thickness=0.1, material="plate", blocks=[dict(name="src", x=[0, a*UM], y=[0, b*UM], power=0.25)]),
                dict(name="plate", thickness=t*UM-0.1, material="plate")],
        boundaries=dict(top=dict(type="convective", h=h, T=0.0))))
    r = solve_steady(pkg, tol=1e-11); m=r.mesh; T=r.temperature
    sel = m.component == m.component_id("src"); w=m.cell_volumes()[sel]; avg=(T[sel]*w).sum()/w.sum()
    r1,sa,sc=rect_spreading(a,b,c,d,t,k,h)
    print(f"{case[0]}: {m.n_cells} cells avg {avg:.5f} exact {r1+sa:.5f} ({(avg/(r1+sa)-1)*100:+.3f}%), centre {T[0,0,0]:.5f} exact {r1+sc:.5f} ({(T[0,0,0]/(r1+sc)-1)*100:+.3f}%)")
# kT
for L,q,Tc,Th in te.KT_CASES:
    film=0.01
    pkg = Package.from_dict(dict(name="kT", footprint=dict(x=1000, y=1000), grid=dict(max_cell_xy=1000, max_cell_z=L*UM/100, grading=1.3),
        materials={"si": dict(k=150, rho=2330, cp=705, k_model="power", T0="300 K", n=4/3)},
        layers=[dict(name="heater", thickness=film, material="si", power=q*1e-6), dict(name="slab", thickness=L*UM-film, material="si")],
        boundaries=dict(top=dict(type="fixed", T=f"{Tc} K"))))
    r = solve_steady(pkg, solver="direct"); zc=r.mesh.centers()[2]
    ex = kirchhoff_slab(zc, L, q, Tc, 150, 300, 4/3)-273.15
    print(f"k(T) L={L*1e3}mm q={q/1e4}W/cm2: max|T-exact| {np.max(np.abs(r.temperature[:,0,0]-ex))*1e3:.3f} mK; hot face {r.temperature[0,0,0]+273.15:.4f} K vs {Th}; Picard {r.solver['picard_iterations']}")
# MMS
hs, errs = [], []
for n in (8, 16, 32):
    mesh = to._mesh(n)
    op = Operator(mesh); src = to._cell_source(mesh.x, mesh.y, mesh.z)
    lin = make_solver("direct" if n <= 16 else "amg", mesh.n_cells, tol=1e-13).setup(op.matrix())
    T, _ = lin.solve(op.rhs(power=src)); xc, yc, zc = mesh.centers()
    exact = to._exact(xc[None, None, :], yc[None, :, None], zc[:, None, None])
    errs.append(np.max(np.abs(T.reshape(mesh.shape) - exact))); hs.append(max(mesh.dx.max(), mesh.dy.max(), mesh.dz.max()))
print("MMS max-norm errors", [f"{e:.4g}" for e in errs], "fitted slope", f"{np.polyfit(np.log(hs), np.log(errs), 1)[0]:.3f}")
for name in shipped_layouts():
    r = solve_steady(load_layout(name))
    print(f"{name}: {r.mesh.n_cells} cells, energy balance {r.energy_balance:.1e}, {r.solver['iterations']} its, Picard {r.solver['picard_iterations']}, wall {r.solver['wall_time']:.1f}s, Tmax {r.T_max:.2f}")

# transient (exact slab solution [carslaw-jaeger-1959]): slab surface temperature, energy, order
import test_transient as tt  # noqa: E402
from analytic import slab_flux_series  # noqa: E402
from thermal_cpo.solve.transient import solve_transient  # noqa: E402

for method, kw in (("implicit", dict(scheme="cn", rtol=1e-5, atol=1e-6)), ("explicit", {})):
    r = solve_transient(tt._slab(), t_end=10 * tt.TAU, method=method, save_times=tt.TIMES, **kw)
    errs = [(tt._surface(r, i) / slab_flux_series(0.0, t, tt.L, tt.Q, tt.K, tt.ALPHA)[0] - 1) * 100
            for i, t in enumerate(tt.TIMES, start=1)]
    print(f"slab {method}: surface error at 0.1, 1, 3, 10 tau: " + ", ".join(f"{e:+.3f}%" for e in errs)
          + f" ({r.solver['steps']} steps)")
for scheme in ("be", "cn"):
    r = solve_transient(tt._package(tt.STEPS_AND_RAMPS), t_end=0.4, scheme=scheme)
    print(f"energy balance, steps and ramps, {scheme}: {r.solver['energy_balance']:.1e} "
          f"({r.solver['steps']} steps, {r.solver['rejected_steps']} rejected)")
for scheme in ("be", "cn"):
    pkg = tt._slab(nz=40, trace=[[0, 0], [tt.TAU, tt.Q * 1e-6]])
    ref = solve_transient(pkg, t_end=tt.TAU, method="implicit", scheme="cn", dt=tt.TAU / 4096,
                          adaptive=False).temperature
    dts, errs = [], []
    for n in (8, 16, 32, 64):
        r = solve_transient(pkg, t_end=tt.TAU, method="implicit", scheme=scheme, dt=tt.TAU / n, adaptive=False)
        dts.append(tt.TAU / n)
        errs.append(np.max(np.abs(r.temperature - ref)))
    print(f"temporal order {scheme}: errors {[f'{e:.3g}' for e in errs]}, "
          f"slope {np.polyfit(np.log(dts), np.log(errs), 1)[0]:.3f}")
pkg = tt._package()
st = solve_steady(pkg, solver="direct")
r = solve_transient(pkg, t_end=200.0)
print(f"long-time limit vs steady: max |diff| / max rise = "
      f"{np.max(np.abs(r.temperature - st.temperature)) / np.max(st.temperature - 30.0):.2e}")
