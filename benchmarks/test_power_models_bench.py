"""Temperature-dependent powers against constant ones, measured in the same run.

Target: ``gpu-1k5-cpo`` with its leakage, laser and closed-loop heater unknowns (14) solves in at
most 3× the time of the same package with every power fixed at the value the models settle at:
one unit response per unknown at a loose tolerance and a few warm outer solves, the coolant
properties updated in the same loop.
"""

from __future__ import annotations

from thermal_cpo.bench import median_time
from thermal_cpo.layout import Package, load_layout
from thermal_cpo.solve.steady import solve_steady


def constant_twin(pkg: Package, result) -> Package:
    """``pkg`` with every power model replaced by the power it settled at and no heaters."""
    d = pkg.to_dict()
    settled = {c.name: c.power for c in result.components}
    for comp in [b for layer in d["layers"] for b in [layer, *layer.get("blocks", [])]] + d.get("boxes", []):
        if comp.get("power_model") is not None:
            comp.pop("power_model")
            comp["power"] = settled[comp["name"]]
        if (comp.get("photonics") or {}).get("heater") is not None:
            comp["photonics"].pop("heater")
            comp["power"] = settled[comp["name"]]  # the heaters' heat, kept in their component
    return Package.from_dict(d)


def test_power_models_cost(benchmark):
    pkg = load_layout("gpu-1k5-cpo")
    first = solve_steady(pkg)  # compile / warm caches outside the timings
    twin = constant_twin(pkg, first)
    solve_steady(twin)
    fixed = median_time(lambda: solve_steady(twin), 3, warm=False)
    r = benchmark.pedantic(lambda: solve_steady(pkg), rounds=3, iterations=1)
    models = benchmark.stats.stats.median
    ratio = models / fixed
    print(f"\ngpu-1k5-cpo: {len(r.powers)} temperature-dependent powers, {r.solver['power_iterations']} "
          f"outer iterations; constant powers {fixed:.2f} s, with models {models:.2f} s = {ratio:.2f}×")
    benchmark.extra_info.update(constant_s=fixed, models_s=models, ratio=ratio)
    assert ratio <= 3.0
