"""Regression fields: solve every shipped layout (steady) and a catalogue of transients, store
the fields, and compare two such dumps — the check that a refactor changes no temperature.

    PYTHONPATH=<old checkout> python benchmarks/field_dump.py dump OLD_DIR
    python benchmarks/field_dump.py dump NEW_DIR
    python benchmarks/field_dump.py compare OLD_DIR NEW_DIR   # max relative difference per case

Only the public API is used, so any version of the package can write a dump.
"""
import sys
from pathlib import Path

import numpy as np

from thermal_cpo import load_layout, solve_steady
from thermal_cpo.layout import Package

try:
    from thermal_cpo.solve.transient import solve_transient
except ImportError:  # the flat layout of earlier versions
    from thermal_cpo.transient import solve_transient

def save(out: Path, name: str, r) -> None:
    """Store a result's field, coolant streams and, for a transient, its steps, history and
    energy figures."""
    d = {"T": r.temperature}
    for k, v in (r.coolant or {}).get("streams", {}).items():
        d["stream_" + k] = np.asarray(v)
    if r.steps:
        d["steps"], d["times"] = np.array(r.steps), np.asarray(r.times)
        for k in ("T_max", "T_mean", "points", "power", "time"):
            d["probe_" + k] = np.asarray(r.probes[k])
        for k in ("energy_in", "energy_out", "energy_stored", "steps", "rejected_steps"):
            d["s_" + k] = np.asarray(r.solver[k])
    np.savez(out / f"{name}.npz", **d)
    print(name, float(r.temperature.max()), flush=True)


# a die with a linear trace and a stepped block over it, a probe, a convective top (assumed
# silicon-like values; a numerics case, not a package)
SLAB = dict(name="slab", footprint=dict(x=2000, y=1000), grid=dict(max_cell_xy=250, max_cell_z=50),
            materials={"si": dict(k=148, rho=2330, cp=705, source="assumption")},
            layers=[dict(name="slab", thickness=775, material="si", power_at="bottom",
                         trace=[[0, 0], [0.001, 2.0], [0.004, 2.0], [0.005, 0.5]],
                         blocks=[dict(name="hot", x=[0, 500], y=[0, 500],
                                      trace=[[0, 1.0], [0.002, 0.0]], trace_kind="step")])],
            probes=[dict(name="p", x=100, y=100, z=10)],
            boundaries=dict(top=dict(type="convective", h=2e4, T=25.0)), initial=dict(T=30.0))
TRANSIENTS = {
    "tr_be": dict(t_end=0.01, save_every=0.002),
    "tr_cn": dict(t_end=0.01, scheme="cn", save_every=0.0025),
    "tr_fixed": dict(t_end=0.006, method="implicit", dt=2e-4, adaptive=False, scheme="cn"),
    "tr_explicit": dict(t_end=0.002, method="explicit"),
    "tr_steady0": dict(t_end=0.005, initial="steady"),
}
SHIPPED = ("quickstart", "die-tim-lid", "oe-unit-cell", "tuckerman-pease-1981", "gpu-hbm-cpo-2p5d",
           "cpo-51t2-switch")


def dump(out: Path, only=()) -> None:
    """Write ``<case>.npz`` for every case (or those named in ``only``) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, kw in TRANSIENTS.items():
        if not only or name in only:
            save(out, name, solve_transient(Package.from_dict(SLAB), **kw))
    for name in SHIPPED:
        if not only or name in only:
            save(out, name, solve_steady(load_layout(name)))
    if not only or "tr_tuckerman-pease-1981" in only:  # a transient with coolant
        save(out, "tr_tuckerman-pease-1981",
             solve_transient(load_layout("tuckerman-pease-1981"), t_end=0.05, save_every=0.025))


def compare(a_dir: Path, b_dir: Path) -> float:
    """Print the largest relative difference of every stored array per case; return the worst."""
    worst_all = 0.0
    for f in sorted(a_dir.glob("*.npz")):
        a, b = np.load(f), np.load(b_dir / f.name)
        worst, where = 0.0, ""
        for k in a.files:
            x, y = a[k].astype(float), b[k].astype(float)
            if x.shape != y.shape:
                raise SystemExit(f"{f.stem}: {k} has shape {x.shape} against {y.shape}")
            d = float(np.max(np.abs(x - y)) / max(np.max(np.abs(x)), 1e-300)) if x.size else 0.0
            if d > worst:
                worst, where = d, k
        print(f"{f.stem:24s} max rel diff {worst:.1e} {where}")
        worst_all = max(worst_all, worst)
    return worst_all


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "dump":
        dump(Path(sys.argv[2]), sys.argv[3:])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
