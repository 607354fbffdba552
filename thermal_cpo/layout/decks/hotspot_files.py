"""HotSpot's input files, read line by line: the configuration (``-name value``), floorplans
(``.flp``), the grid model's layer file (``.lcf``) and power traces (``.ptrace``).

Formats as HotSpot 7 reads them [huang-hotspot-2006]: ``#`` starts a comment, lengths in m,
resistivities in m·K/W, volumetric heat capacities in J/(m³·K), temperatures in K.
"""

from __future__ import annotations

import math

from ...errors import did_you_mean
from .deck import Unit, deck_error

#: every name HotSpot's configuration takes, the floorplanner's included (the import reads the
#: thermal ones and ignores the rest)
CONFIG_NAMES = frozenset("""
t_chip k_chip p_chip thermal_threshold c_convec r_convec s_sink t_sink k_sink p_sink s_spreader
t_spreader k_spreader p_spreader t_interface k_interface p_interface model_secondary r_convec_sec
c_convec_sec n_metal t_metal t_c4 s_c4 n_c4 s_sub t_sub s_solder t_solder s_pcb t_pcb ambient
init_file init_temp steady_file sampling_intvl base_proc_freq dtm_used model_type leakage_used
leakage_mode package_model_used package_config_file block_omit_lateral grid_rows grid_cols
grid_layer_file grid_steady_file grid_map_mode all_transient_file steady_state_print_disable type
detailed_3D_used use_microfluidic_cooling materials_file grid_transient_file f p o c d
wrap_l2 l2_label model_rim rim_thickness compact_ratio n_orients P0 Davg Kmoves Rcool Rreject Nmax
lambdaA lambdaT lambdaW
""".split())
#: a file option HotSpot reads as "not given"
NULL = "(null)"

#: HotSpot's built-in values of the options the import reads [huang-hotspot-2006]
DEFAULTS = dict(t_chip=0.15e-3, k_chip=100.0, p_chip=1.75e6, t_interface=2.0e-5, k_interface=4.0,
                p_interface=4.0e6, s_spreader=0.03, t_spreader=1.0e-3, k_spreader=400.0,
                p_spreader=3.55e6, s_sink=0.06, t_sink=6.9e-3, k_sink=400.0, p_sink=3.55e6,
                r_convec=0.1, c_convec=140.4, ambient=318.15, init_temp=318.15,
                sampling_intvl=3.333e-6, grid_rows=64, grid_cols=64, model_type="block",
                model_secondary=0, package_model_used=0, leakage_used=0, dtm_used=0,
                use_microfluidic_cooling=0, detailed_3D_used=0)


def _lines(text: str, fname: str):
    """``(origin, fields)`` of each line that is not blank or a comment."""
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            yield f"{fname}:{n}", line.split()


def number(token: str, origin: str, what: str, *, positive: bool = False) -> float:
    """A finite number from a deck, or an error naming ``what`` and the line."""
    try:
        v = float(token)
    except ValueError:
        raise deck_error(origin, f"{what}: expected a number, got {token!r}") from None
    if not math.isfinite(v) or (positive and v <= 0):
        raise deck_error(origin, f"{what}: expected a {'positive ' if positive else ''}finite number, got {token!r}")
    return v


def read_config(text: str, fname: str) -> dict[str, tuple[str, str]]:
    """``{name: (value, origin)}`` of a HotSpot configuration file."""
    out = {}
    for origin, fields in _lines(text, fname):
        key = fields[0]
        if not key.startswith("-") or len(fields) != 2:
            raise deck_error(origin, f"expected '-name value', got {' '.join(fields)!r}")
        name = key[1:]
        if name not in CONFIG_NAMES:
            raise deck_error(origin, f"unknown HotSpot option -{name}{did_you_mean(name, CONFIG_NAMES)}")
        if name in out:
            raise deck_error(origin, f"-{name} is given twice (first at {out[name][1]})")
        if fields[1] != NULL:
            out[name] = (fields[1], origin)
    return out


def read_flp(text: str, fname: str) -> list[Unit]:
    """The units of a floorplan: ``name width height left-x bottom-y [cv resistivity]`` (m)."""
    units, seen = [], {}
    for origin, f in _lines(text, fname):
        if len(f) not in (5, 7):
            raise deck_error(origin, "expected 'name width height left-x bottom-y' (metres), optionally "
                                     f"followed by specific heat and resistivity; got {len(f)} fields")
        name = f[0]
        if name in seen:
            raise deck_error(origin, f"unit {name!r} is defined twice (first at {seen[name]})")
        w, h = (number(t, origin, f"{name}: {what}", positive=True) for t, what in zip(f[1:3], ("width", "height")))
        x, y = (number(t, origin, f"{name}: {what}") for t, what in zip(f[3:5], ("left-x", "bottom-y")))
        material = None
        if len(f) == 7:
            cv = number(f[5], origin, f"{name}: volumetric heat capacity", positive=True)
            rho = number(f[6], origin, f"{name}: resistivity", positive=True)
            material = (cv, rho)
        seen[name] = origin
        units.append(Unit(name, x, x + w, y, y + h, (0.0,), origin, material=material))
    if not units:
        raise deck_error(f"{fname}:1", "the floorplan has no units")
    return units


def read_lcf(text: str, fname: str) -> list[dict]:
    """The layers of a layer file, in its order (bottom, farthest from the sink, first): each
    ``{number, lateral, power, cv, resistivity, thickness, flp, origin}``."""
    entries = list(_lines(text, fname))
    if len(entries) % 7:
        origin = entries[-(len(entries) % 7)][0]
        raise deck_error(origin, "a layer takes 7 lines (number, lateral Y/N, power Y/N, volumetric heat "
                                 "capacity, resistivity, thickness, floorplan); this one is incomplete")
    layers = []
    for i in range(0, len(entries), 7):
        block = entries[i:i + 7]
        (o0, f0), (o1, f1), (o2, f2), (o3, f3), (o4, f4), (o5, f5), (o6, f6) = block
        if any(len(f) != 1 for _, f in block):
            bad = next(o for o, f in block if len(f) != 1)
            raise deck_error(bad, "each line of a layer holds one value")
        if f0[0] != str(len(layers)):
            raise deck_error(o0, f"expected layer number {len(layers)}, got {f0[0]!r}")
        for o, f, what in ((o1, f1, "lateral heat flow"), (o2, f2, "power dissipation")):
            if f[0] not in ("Y", "N", "y", "n"):
                raise deck_error(o, f"{what}: expected Y or N, got {f[0]!r}")
        layers.append(dict(number=len(layers), lateral=f1[0] in "Yy", power=f2[0] in "Yy",
                           cv=number(f3[0], o3, "volumetric heat capacity", positive=True),
                           resistivity=number(f4[0], o4, "resistivity", positive=True),
                           thickness=number(f5[0], o5, "thickness", positive=True),
                           flp=f6[0], origin=o0, flp_origin=o6))
    if not layers:
        raise deck_error(f"{fname}:1", "the layer file has no layers")
    return layers


def read_ptrace(text: str, fname: str) -> tuple[list[str], list[list[float]], str]:
    """``(names, rows of watts, origin of the header)`` of a power trace."""
    entries = list(_lines(text, fname))
    if len(entries) < 2:
        raise deck_error(f"{fname}:1", "a power trace needs a header of unit names and at least one row of watts")
    (ho, names), rows = entries[0], []
    for origin, f in entries[1:]:
        if len(f) != len(names):
            raise deck_error(origin, f"{len(f)} values for {len(names)} units in the header")
        row = [number(t, origin, f"power of {n}") for t, n in zip(f, names)]
        if any(p < 0 for p in row):
            raise deck_error(origin, "a power is negative")
        rows.append(row)
    return names, rows, ho
