"""Print the validation figures the tests assert: spreading series, k(T), convergence order,
and every shipped layout's energy balance. Run from the repository root:
``python benchmarks/validation_figures.py``."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import numpy as np
import test_steady_exact as te, test_steady_order as to
from analytic import kirchhoff_slab, rect_spreading
from thermal_cpo.model import Package
from thermal_cpo.steady import solve_steady
from thermal_cpo.layout import load_layout, shipped_layouts
from thermal_cpo.linalg import make_solver
from thermal_cpo.physics import Operator
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
