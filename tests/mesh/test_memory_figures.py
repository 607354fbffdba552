"""The memory guard's per-cell figures against the peak memory solves actually reach.

Each case runs ``benchmarks/memory_probe.py`` in a fresh process: the peak resident memory of
one solve above that of the process after imports and a warm-up solve, per cell. The guard
refuses grids by these figures, so a figure below a measured peak lets a grid through that
does not fit; each case asserts the measured peak is within its path's figure. The cases are
large enough (0.4–4 M cells) that fixed allocations are a few per cent of the peak.

The coupled solid + coolant steady solve must also cost at most 250 B per cell (the coupled
system is the conduction stencil plus small coolant blocks, never a CSR matrix of the grid).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from thermal_cpo.layout import load_layout
from thermal_cpo.mesh.memory import bytes_per_cell

PROBE = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "benchmarks", "memory_probe.py")
#: the coupled steady solve's target at millions of cells (B/cell)
COUPLED_STEADY_TARGET = 250

#: (probe arguments, layout, transient?)
CASES = {
    "conduction steady": (["die-tim-lid@2"], "die-tim-lid", False),
    "conduction k(T) steady": (["quickstart@8"], "quickstart", False),
    "resolved channels steady": (["tuckerman-pease-1981@2"], "tuckerman-pease-1981", False),
    "conduction transient": (["die-tim-lid", "transient", "0.02"], "die-tim-lid", True),
    "compact plate transient": (["cpo-51t2-switch", "transient", "0.02"], "cpo-51t2-switch", True),
}


def _probe(args) -> dict:
    proc = subprocess.run([sys.executable, PROBE, *args], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_a_solve_stays_within_the_guard_figure_of_its_path(case):
    args, layout, transient = CASES[case]
    data = _probe(args)
    figure = bytes_per_cell(load_layout(layout), transient=transient)
    print(f"\n{case}: {data['cells']:,} cells, {data['bytes_per_cell']:.0f} B/cell "
          f"(guard {figure} B/cell), solve {data['wall_time']:.1f} s")
    assert data["bytes_per_cell"] <= figure


@pytest.mark.slow
def test_the_coupled_steady_solve_costs_at_most_250_bytes_a_cell():
    """The compact-plate path within its guard figure, and the cost of one more cell: the peak's
    growth from the default grid of cpo-51t2-switch (0.52 M cells) to the grid split twice
    (4.17 M), so that what a run allocates once (the coolant network's set-up, a first call
    into scipy's LU) does not count."""
    small, large = _probe(["cpo-51t2-switch"]), _probe(["cpo-51t2-switch@2"])
    figure = bytes_per_cell(load_layout("cpo-51t2-switch"))
    assert large["bytes_per_cell"] <= figure and small["bytes_per_cell"] <= figure
    slope = (large["peak_bytes"] - small["peak_bytes"]) / (large["cells"] - small["cells"])
    print(f"\ncoupled steady: {slope:.0f} B per added cell ({large['bytes_per_cell']:.0f} B/cell "
          f"at {large['cells']:,} cells, {small['bytes_per_cell']:.0f} at {small['cells']:,})")
    assert slope <= COUPLED_STEADY_TARGET


def test_the_guard_takes_the_figure_of_the_solve_it_guards():
    """A grid that fits a steady multigrid solve under a limit is refused for the transient and
    for a matrix solver, whose figures are larger; the refusal names the cells and the limit."""
    from thermal_cpo import LayoutError
    from thermal_cpo.mesh import voxelize
    from thermal_cpo.mesh.memory import MATRIX_BYTES, PATH_BYTES

    pkg = load_layout("die-tim-lid")
    n = voxelize(pkg).n_cells
    steady, transient = bytes_per_cell(pkg), bytes_per_cell(pkg, transient=True)
    assert steady == PATH_BYTES["conduction"] < transient == PATH_BYTES["transient"]
    assert bytes_per_cell(pkg, solver="amg-sa") == MATRIX_BYTES["conduction"] > steady
    limit = 0.5 * (steady + transient) * n  # bytes: between the two needs
    assert voxelize(pkg, memory_limit_bytes=limit).n_cells == n
    for kw in ({"transient": True}, {"solver": "amg"}):
        with pytest.raises(LayoutError, match=f"{n:,} cells.*above the memory limit"):
            voxelize(pkg, memory_limit_bytes=limit, **kw)
