"""Peak memory of one steady solve, measured in a fresh process (run as a script).

    python memory_probe.py CASE [SOLVER]          # steady: CASE "128", "450x40" or a layout
    python memory_probe.py CASE transient T_END   # an adaptive implicit run to T_END seconds
    python memory_probe.py LAYOUT@N ...           # the layout's grid split N ways (refine=N)

Prints JSON: cells, peak resident bytes added by the solve (over the process after imports and
a warm-up solve that compiles the kernels), and bytes per cell.
"""

from __future__ import annotations

import json
import resource
import sys


def _peak_rss() -> int:
    from thermal_cpo.bench import status_bytes

    peak = status_bytes("VmHWM")
    if peak is None:  # pragma: no cover - not Linux
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return peak


def main(argv):
    from thermal_cpo.bench import stack
    from thermal_cpo.layout import load_layout
    from thermal_cpo.solve.steady import solve_steady

    target = argv[1]
    refine = 1
    solve_steady(stack(12))  # compile/load kernels, import solvers: not part of the solve's memory
    if len(argv) > 3 and argv[2] == "transient":
        from thermal_cpo.solve.transient import solve_transient

        solve_transient(stack(12), t_end=1e-3, method="implicit")
    if target.replace("x", "").isdigit():  # "128" → stack(128); "450x40" → stack(450, nz=40)
        n, _, nz = target.partition("x")
        pkg = stack(int(n), nz=int(nz) if nz else None)
    else:
        name, _, split = target.partition("@")
        pkg = load_layout(name)
        refine = int(split or 1)
    import gc

    from thermal_cpo.bench import reset_peak, status_bytes

    gc.collect()
    base = status_bytes("VmRSS") if reset_peak() else None
    if base is None:  # pragma: no cover - not Linux: the peak since start instead
        base = _peak_rss()
    if len(argv) > 3 and argv[2] == "transient":
        from thermal_cpo.solve.transient import solve_transient

        from thermal_cpo.mesh import voxelize

        t_end = float(argv[3])
        mesh = voxelize(pkg, refine=refine) if refine != 1 else pkg  # inside the measured span
        r = solve_transient(mesh, t_end=t_end, method="implicit", save_every=t_end / 4)
    else:
        r = solve_steady(pkg, solver=argv[2] if len(argv) > 2 else "auto", refine=refine)
    extra = _peak_rss() - base
    print(json.dumps({"cells": r.mesh.n_cells, "peak_bytes": extra, "baseline_bytes": base,
                      "bytes_per_cell": extra / r.mesh.n_cells, "wall_time": r.solver["wall_time"],
                      "iterations": r.solver["iterations"]}))


if __name__ == "__main__":
    main(sys.argv)
