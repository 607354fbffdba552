"""Components whose material would melt: a solder or metallic TIM hotter than its solidus.

A material of the library (or of the layout) may carry ``T_solidus`` (°C); a liquid metal
(``liquid_by_design``) is liquid on purpose and is never flagged. The check compares the
hottest temperature reported for a component, ``T_hot`` (°C: the hottest of its T_max and its
faces, see :attr:`thermal_cpo.results.ComponentResult.T_hot`), with the solidus of the
component's material.
"""

from __future__ import annotations


def component_materials(package) -> dict[str, str]:
    """Component name → material name: a layer's fill, a block's own material or else its
    layer's, a box's."""
    out: dict[str, str] = {}
    for layer in package.layers:
        out[layer.name] = layer.material
        for block in layer.blocks:
            out[block.name] = block.material or layer.material
    for box in package.boxes:
        out[box.name] = box.material
    return out


def above_solidus(result) -> list[dict]:
    """Per component hotter than its material's solidus: ``component``, ``material``,
    ``T_max`` (°C, the cell-centre maximum), ``T_hot`` (°C, the hottest reported temperature,
    the one compared), ``T_solidus`` (°C) and ``excess`` = T_hot − T_solidus (K, > 0). Empty
    when nothing melts. ``result`` is a steady :class:`~thermal_cpo.results.Result` (or one
    stored step of a transient)."""
    pkg = result.package
    materials = component_materials(pkg)
    rows = []
    for c in result.components:
        name = materials.get(c.name)
        if name is None:
            continue
        m = pkg.material(name)
        if m.T_solidus is None or m.liquid_by_design:
            continue
        if c.T_hot > m.T_solidus:
            rows.append({"component": c.name, "material": name, "T_max": c.T_max, "T_hot": c.T_hot,
                         "T_solidus": m.T_solidus, "excess": c.T_hot - m.T_solidus})
    return rows


__all__ = ["above_solidus", "component_materials"]
