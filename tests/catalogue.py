"""A catalogue of small packages, one per feature the pipeline carries: every boundary kind, a
contact resistance, overlapping blocks, a free box, anisotropic and k(T) materials, a compact
cold plate, a resolved cavity, a power trace, heat-source models. Tests take them through the ``catalogue_case``
fixture (conftest.py) or by name from :data:`CASES`."""

from __future__ import annotations

from thermal_cpo.layout import Package

_MATS = {"aniso": {"k": [5.0, 5.0, 150.0], "rho": 2330, "cp": 705},
         "si_kt": {"k": 150, "rho": 2330, "cp": 705, "k_model": "power", "T0": "300 K", "n": 1.3}}


def _base(name, layers, boundaries, **kw) -> dict:
    return dict(name=name, footprint=dict(x=3000, y=2000),
                grid=dict(max_cell_xy=500, max_cell_z=100, grading=1.3), materials=_MATS,
                layers=layers, boundaries=boundaries, **kw)


def _die(power=5.0, material="silicon", **extra) -> list[dict]:
    return [dict(name="die", thickness=300, material=material, power=power, power_at="bottom", **extra),
            dict(name="tim", thickness=50, material="indium"),
            dict(name="lid", thickness=500, material="copper")]


TOP = {"top": {"type": "convective", "h": 2e4, "T": 30}}


def convective_top() -> Package:
    return Package.from_dict(_base("convective-top", _die(), TOP))


def fixed_sides() -> Package:
    return Package.from_dict(_base("fixed-sides", _die(), {"xmin": {"type": "fixed", "T": 25},
                                                            "xmax": {"type": "fixed", "T": 40, "z": [0, 300]}}))


def flux_bottom() -> Package:
    return Package.from_dict(_base("flux-bottom", _die(power=0.0), {**TOP, "bottom": {"type": "flux", "q": 2e5}}))


def patch_and_contact() -> Package:
    layers = _die()
    layers[0]["blocks"] = [dict(name="core", x=[500, 1500], y=[500, 1500], power=3.0),
                           dict(name="hot", x=[1000, 2000], y=[800, 1200], power=1.0, material="aniso")]
    return Package.from_dict(_base("patch-and-contact", layers,
                                   {"top": {"type": "convective", "h": 5e4, "T": 20, "x": [0, 2000]}},
                                   contacts=[dict(between=["die", "tim"], r=2e-6)]))


def box_and_kt() -> Package:
    return Package.from_dict(_base("box-and-kt", _die(material="si_kt"), TOP,
                                   boxes=[dict(name="bump", x=[2000, 2600], y=[200, 800], z=[100, 800],
                                               material="copper", power=0.5)]))


def compact_plate() -> Package:
    return Package.from_dict(_base("compact-plate", _die(power=20.0), {}, coldplates=[dict(
        name="plate", channel_width=200, wall_width=100, channel_height=1000, base_thickness=500,
        flow_direction="+y", flow_rate="50 ml/min", inlet_T=25)]))


def resolved_cavity() -> Package:
    layers = _die(power=10.0)[:1] + [dict(name="cavity", thickness=200, material="silicon",
                                          channels=dict(width=100, wall=100, direction="-x",
                                                        flow_rate="20 ml/min", inlet_T=25)),
                                     dict(name="cap", thickness=200, material="silicon")]
    return Package.from_dict(_base("resolved-cavity", layers, {}))


def traced() -> Package:
    layers = _die()
    layers[0]["trace"] = [[0, 1.0], [0.01, 1.0], [0.0101, 8.0]]
    return Package.from_dict(_base("traced", layers, TOP, probes=[dict(name="centre", x=1500, y=1000, z=10)]))


def source_models() -> Package:
    layers = _die(power=0.0, source={"model": "trace", "points": [[0, 2.0], [0.005, 6.0]],
                                     "interpolation": "step"})
    layers[1]["source"] = {"model": "constant", "power": "0.5 W"}
    return Package.from_dict(_base("source-models", layers, TOP))


def cavity_feeding_a_plate() -> Package:
    """A resolved channel cavity in the die feeding a compact plate on the bottom face through
    one loop: every kind of coolant entry (couplings, fluid-cell ties, upwind links, the loop's
    feed). Not in :data:`CASES`: the loop tests and the coupled-operator tests use it."""
    plate = {"name": "under", "face": "bottom", "y": None, "channel_width": 100, "wall_width": 100,
             "channel_height": 500, "material": "copper", "flow_direction": "+x"}
    return Package(name="cavity-loop", footprint={"x": 4000, "y": 4000},
                   grid={"max_cell_xy": 200, "max_cell_z": 100},
                   layers=[{"name": "die", "thickness": 300, "material": "silicon", "power": 20.0,
                            "power_at": "bottom"},
                           {"name": "cav", "thickness": 200, "material": "silicon",
                            "channels": {"width": 100, "wall": 100, "direction": "+x"}},
                           {"name": "cover", "thickness": 100, "material": "silicon"}],
                   coldplates=[plate],
                   loops=[{"name": "L", "inlet_T": 20, "flow_rate": "50 ml/min", "path": ["cav", "under"]}])


CASES = {f.__name__: f for f in (convective_top, fixed_sides, flux_bottom, patch_and_contact, box_and_kt,
                                 compact_plate, resolved_cavity, traced, source_models)}
