"""Cold start: ``thermal-cpo run`` with an empty numba cache against the same run warm.

Run: ``python benchmarks/cold_start.py [LAYOUT ...] [--repeats N] [--top K] [--json FILE]``.

Every run is a fresh process. A cold run points ``NUMBA_CACHE_DIR`` at a new empty folder, so
numba compiles every kernel the run calls; the warm runs that follow reuse that folder (the
kernels load from it). Each run also records, from numba's dispatchers, which kernel signatures
it compiled or loaded and how long each took (:func:`thermal_cpo.kernels.jit.compile_report`),
and one more fresh process times the imports a run needs. Prints per layout: cold and warm wall
time, their ratio against the target, and the kernels that cost the most to compile.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: cold / warm wall time each layout must stay under
TARGETS = {"quickstart": 2.5, "cpo-51t2-switch": 1.6}

# runs `thermal-cpo ARGS...` in this process, then leaves numba's compile report in a file
_WRAPPER = r"""
import atexit, json, os, sys
from thermal_cpo.cli.main import main

def _report():
    from thermal_cpo.kernels.jit import compile_report
    with open(os.environ["COLD_START_REPORT"], "w") as f:
        json.dump(compile_report(), f)

atexit.register(_report)
main(sys.argv[1:])
"""

_IMPORTS = r"""
import time
t0 = time.perf_counter()
import thermal_cpo.cli.main, thermal_cpo.layout, thermal_cpo.linalg, thermal_cpo.solve
print(time.perf_counter() - t0)
"""


def run_once(layout: str, cache_dir: str, report: Path) -> tuple[float, list[dict]]:
    """Wall seconds of one ``thermal-cpo run LAYOUT -q`` in a fresh process with numba's cache
    in ``cache_dir``, and its compile report."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, COLD_START_REPORT=str(report))
    env.pop("THERMAL_CPO_COMPILE_NOTICE", None)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", _WRAPPER, "run", layout, "-q"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    return wall, json.loads(report.read_text())


def import_seconds() -> float:
    """Seconds a fresh process spends importing the CLI and the solver stack."""
    out = subprocess.run([sys.executable, "-c", _IMPORTS], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def measure(layout: str, repeats: int = 2) -> dict:
    """Cold and warm wall time (s) of ``thermal-cpo run LAYOUT``, their ratio, and what the
    cold run compiled: ``{"layout", "cold_s", "warm_s", "ratio", "compiled", "loaded_warm",
    "compile_s"}`` (``compiled``: the cold run's report rows that were compiled)."""
    with tempfile.TemporaryDirectory(prefix="numba-cold-") as cache, \
            tempfile.TemporaryDirectory(prefix="cold-report-") as tmp:
        report = Path(tmp) / "report.json"
        cold, rows = run_once(layout, cache, report)
        warm_runs = [run_once(layout, cache, report) for _ in range(repeats)]
    warm = statistics.median(w for w, _ in warm_runs)
    compiled = sorted((r for r in rows if r["compiled"]), key=lambda r: -r["seconds"])
    return {"layout": layout, "cold_s": cold, "warm_s": warm, "ratio": cold / warm,
            "compiled": compiled, "compile_s": sum(r["seconds"] for r in compiled),
            "compiled_warm": sum(r["compiled"] for r in warm_runs[-1][1])}


def _table(results: list[dict], imports: float, top: int) -> str:
    lines = [f"imports of a run (fresh process, warm): {imports:.2f} s", "",
             f"{'layout':18s} {'cold s':>7s} {'warm s':>7s} {'ratio':>6s} {'target':>7s} "
             f"{'kernels':>8s} {'compile s':>10s} {'warm compiled':>13s}"]
    for r in results:
        target = TARGETS.get(r["layout"])
        mark = "" if target is None else (" ok" if r["ratio"] <= target else " MISSED")
        lines.append(f"{r['layout']:18s} {r['cold_s']:7.2f} {r['warm_s']:7.2f} {r['ratio']:6.2f} "
                     f"{'' if target is None else f'≤ {target}':>7s} {len(r['compiled']):8d} "
                     f"{r['compile_s']:10.2f} {r['compiled_warm']:13d}{mark}")
    for r in results:
        lines += ["", f"{r['layout']}: the {top} costliest compilations of the cold run "
                      "(numba's compiler-lock seconds, nested helpers counted in their callers too)"]
        for row in r["compiled"][:top]:
            lines.append(f"  {row['seconds']:6.2f} s  {row['name']}  {row['signature'][:90]}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("layouts", nargs="*", default=list(TARGETS))
    parser.add_argument("--repeats", type=int, default=2, help="warm runs per layout (median)")
    parser.add_argument("--top", type=int, default=8, help="costliest compilations listed")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    imports = import_seconds()
    results = [measure(layout, args.repeats) for layout in args.layouts]
    print(_table(results, imports, args.top))
    if args.json:
        args.json.write_text(json.dumps({"imports_s": imports, "runs": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
