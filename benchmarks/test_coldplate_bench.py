"""Cold-plate benchmarks: a resolved micro-channel cavity with ≥ 1 million cells solved
together with its coolant (non-symmetric system: BiCGSTAB with the geometric multigrid, or
classical AMG, on the cell block), and the compact plate of the CPO switch layout.

Run: ``pytest benchmarks/test_coldplate_bench.py --benchmark-enable -s`` (compile time is kept out
of the timed region by a warm-up solve of a small resolved case; the figures printed are the
solve time, the Krylov iterations and the energy balance).
"""

from __future__ import annotations

import time

import pytest

from thermal_cpo.mesh import voxelize
from thermal_cpo.layout import load_layout
from thermal_cpo.layout import Package
from thermal_cpo.solve.steady import solve_steady


def resolved_cavity(n_along: int, channel: float = 50.0, footprint: float = 10_000.0) -> Package:
    """A 10 × 10 mm, 500 µm silicon die (300 W on its bottom, constant k 148 so that the outer
    iteration is for the coolant properties only) under a 300 µm cavity of ``channel`` µm
    channels and walls (resolved: one cell each across), water 400 ml/min in +x, and a 100 µm
    silicon cover; ``n_along`` cells along the flow."""
    return Package.from_dict(dict(
        name=f"cavity-{n_along}", footprint=dict(x=footprint, y=footprint),
        grid=dict(max_cell_xy=footprint / n_along, max_cell_z=60.0, grading=1.3),
        materials={"si": dict(k=148, rho=2330, cp=705, source="[flexcompute-cpoheat-nd] (silicon at 300 K, constant)")},
        layers=[
            dict(name="die", thickness=500, material="si", power=300.0, power_at="bottom"),
            dict(name="cavity", thickness=300, material="si",
                 channels=dict(width=channel, wall=channel, direction="+x", flow_rate="400 ml/min",
                               inlet_T=25)),
            dict(name="cover", thickness=100, material="si"),
        ],
    ))


@pytest.fixture(scope="module", autouse=True)
def warm():
    # compile / load every kernel outside the timings: the serial ones on a small cavity, the
    # threaded ones (and pyamg) on one large enough for them
    solve_steady(resolved_cavity(8, channel=500.0))
    solve_steady(resolved_cavity(40))
    solve_steady(resolved_cavity(40), solver="amg")


@pytest.mark.parametrize("solver", ["auto", "amg"])
def test_resolved_cavity_million_cells(benchmark, solver):
    """The default (the geometric multigrid on the cell block) beside the AMG block."""
    pkg = resolved_cavity(250)
    mesh = voxelize(pkg)
    assert mesh.n_cells >= 1_000_000

    def solve():
        t0 = time.perf_counter()
        r = solve_steady(mesh, solver=solver)
        return r, time.perf_counter() - t0

    r, wall = benchmark.pedantic(solve, rounds=1, iterations=1)
    s = r.solver
    g = r.coolant["groups"][0]
    benchmark.extra_info.update(cells=mesh.n_cells, coolant_nodes=s["n_coolant_nodes"],
                                iterations=s["iterations"], outer=s["picard_iterations"],
                                setup_time=s["setup_time"], wall_time=s["wall_time"],
                                energy_balance=s["energy_balance"], T_out=g["T_out"])
    print(f"\nresolved cavity: {mesh.summary()} + {s['n_coolant_nodes']:,} coolant nodes; "
          f"{s['method']}: {s['iterations']} iterations over {s['picard_iterations'] + 1} solves, "
          f"set-up {s['setup_time']:.2f} s, wall {s['wall_time']:.2f} s; energy balance "
          f"{s['energy_balance']:.1e}; T_out {g['T_out']:.2f} °C, die T_max "
          f"{r.component('die').T_max:.2f} °C")
    assert s["energy_balance"] < 1e-6


def test_cpo_switch_with_cold_plate(benchmark):
    """The Quick-start job: cpo-51t2-switch with its compact cold plate, voxelizing included."""
    pkg = load_layout("cpo-51t2-switch")
    r = benchmark.pedantic(lambda: solve_steady(pkg), rounds=1, iterations=1)
    s = r.solver
    benchmark.extra_info.update(cells=r.mesh.n_cells, iterations=s["iterations"],
                                wall_time=s["wall_time"], energy_balance=s["energy_balance"])
    print(f"\ncpo-51t2-switch: {r.mesh.summary()}, {s['method']} {s['iterations']} iterations, "
          f"wall {s['wall_time']:.2f} s, energy balance {s['energy_balance']:.1e}")
    assert s["energy_balance"] < 1e-6
