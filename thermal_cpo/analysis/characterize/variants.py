"""The packages a characterization solves: the junction alone powered, and the JEDEC test
environments (one face held isothermal, every other face adiabatic, no cold plate).

What "junction" and "case" are for a layout:
- the **junction** is one component (default: the one of highest nominal power); its
  temperature is its powered face's (``T_junction``) when it is face-powered, else its hottest
  cell; only the junction dissipates in every characterization solve, at its nominal power;
- the **case** is the top face of a chosen layer (default: the top layer, so the lid of a lidded
  package); layers above it (a cold plate's base, say) and the layout's cold plates are removed
  for the θJC test, as the test fixture replaces them;
- the **board** face is the package's bottom face.
"""

from __future__ import annotations

from ...errors import LayoutError, did_you_mean
from ...layout import Package

#: component keys that make a component dissipate
_POWER_KEYS = ("power", "trace", "source", "power_model", "power_map", "map_extent", "map_units",
               "map_grid_lines")
_FACES = ("top", "bottom", "xmin", "xmax", "ymin", "ymax")


def _components(pkg: Package):
    for layer in pkg.layers:
        yield layer
        yield from layer.blocks
    yield from pkg.boxes


def junction_of(pkg: Package, name: str | None = None) -> str:
    """The junction component's name: ``name`` checked, else the highest nominal power."""
    comps = {c.name: c for c in _components(pkg)}
    if name is not None:
        if name not in comps:
            raise LayoutError(f"no component {name!r}{did_you_mean(name, comps)}", path="junction")
        if comps[name].nominal_power <= 0:
            raise LayoutError(f"{name!r} dissipates nothing: the junction is a powered component", path="junction")
        return name
    powered = [c for c in comps.values() if c.nominal_power > 0]
    if not powered:
        raise LayoutError("the layout has no powered component to take as the junction", path="junction")
    return max(powered, key=lambda c: c.nominal_power).name


def _strip_power(item: dict) -> None:
    for key in _POWER_KEYS:
        item.pop(key, None)


def only_junction(pkg: Package, junction: str) -> Package:
    """``pkg`` with every component but ``junction`` unpowered (the junction as it is)."""
    data = pkg.to_dict()
    for layer in data["layers"]:
        if layer["name"] != junction:
            _strip_power(layer)
        for block in layer.get("blocks", []):
            if block["name"] != junction:
                _strip_power(block)
    for box in data.get("boxes", []):
        if box["name"] != junction:
            _strip_power(box)
    return Package.model_validate(data)


def case_layer_of(pkg: Package, case: str | None) -> int:
    """Index of the layer whose top face is the case (default: the top layer)."""
    names = [layer.name for layer in pkg.layers]
    if case is None:
        return len(names) - 1
    if case not in names:
        raise LayoutError(f"no layer {case!r}{did_you_mean(case, names)}; the case is a layer's top face", path="case")
    return names.index(case)


def isothermal_face(pkg: Package, face: str, T: float = 25.0, case: str | None = None) -> Package:
    """The JEDEC test package: ``face`` (``top``: the case layer's top, ``bottom``: the board)
    held at ``T`` °C, every other face adiabatic, cold plates and in-layer channels removed,
    and the layers above the case layer cut off."""
    if face not in ("top", "bottom"):
        raise LayoutError(f"expected 'top' or 'bottom', got {face!r}", path="face")
    data = pkg.to_dict()
    top = case_layer_of(pkg, case)
    z_cut = sum(layer.thickness for layer in pkg.layers[:top + 1])
    data["layers"] = data["layers"][:top + 1]
    for box in data.get("boxes", []):
        if box["z"][0] < z_cut - 1e-12 < box["z"][1]:
            raise LayoutError(f"box {box['name']!r} reaches through the case face at the top of "
                              f"{pkg.layers[top].name!r}; choose another case layer", path="case")
    data["boxes"] = [b for b in data.get("boxes", []) if b["z"][1] <= z_cut + 1e-12]
    for layer in data["layers"]:
        layer.pop("channels", None)
    data["coldplates"] = []
    data["boundaries"] = {f: {"type": "adiabatic"} for f in _FACES}
    data["boundaries"][face] = {"type": "fixed", "T": T}
    data.pop("initial", None)
    return Package.model_validate(data)
