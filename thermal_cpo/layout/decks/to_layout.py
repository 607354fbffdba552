"""A :class:`Deck` → a commented layout (TOML text) whose every value names the deck line it
came from, plus the peer's own regions (layer × floorplan unit) for its result table.

The peer's sublayers are its vertical discretisation (one node or one cell each); consecutive
sublayers of one material become one layer of ours whose ``max_cell_z`` is the thickest of them,
so the grid keeps the peer's resolution and the layers stay the physical ones. A power sublayer
at the bottom (or top) of such a group becomes face power on that face of the merged layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..package import Package
from ..toml import parse_toml
from .deck import Deck, Sublayer

#: the decks give ρ·c_p only; this density is a placeholder that keeps the product exact
_RHO = 1000.0


@dataclass(frozen=True)
class Region:
    """A peer's reporting region: a floorplan unit of one of its layers, as a box (m)."""

    name: str
    x: tuple[float, float]
    y: tuple[float, float]
    z: tuple[float, float]
    component: str | None = None  # the block that carries the unit's power, when there is one
    group: str = ""  # the peer's layer (HotSpot) or die (3D-ICE) the unit belongs to


@dataclass
class Imported:
    """An imported deck: the layout text, its validated Package, the peer's regions, the
    reduction the peer applies to them (``max``, ``mean``, ``min``, ``center``) and the
    warnings the import raised."""

    peer: str
    toml: str
    package: Package
    regions: list[Region]
    map_mode: str
    warnings: list[str]


def _um(v: float) -> str:
    return f"{v * 1e6:.10g}"


def _num(v: float) -> str:
    return f"{v:.10g}"


def _groups(deck: Deck) -> list[list[Sublayer]]:
    """Consecutive sublayers of one material, with at most one power sublayer, at an end."""
    groups: list[list[Sublayer]] = []
    open_group = False
    for s in deck.sublayers:
        own = any(u.material is not None for u in s.units) or s.channels is not None
        g = groups[-1] if groups else None
        joinable = (open_group and g is not None and g[0].material == s.material and not own
                    and g[0].channels is None and not any(u.material is not None for x in g for u in x.units))
        if s.powered:
            if joinable and not any(x.powered for x in g):
                g.append(s)
                open_group = False  # power at the top closes the group
                continue
            groups.append([s])
            open_group = not own
            continue
        if joinable:
            g.append(s)
        else:
            groups.append([s])
            open_group = not own
    return groups


def _group_name(g: list[Sublayer]) -> str:
    heads = {s.name.split(".")[0] for s in g}
    if len(heads) == 1 and "." in g[0].name:
        return heads.pop()
    return g[0].name if len(g) == 1 else f"{g[0].name}-{g[-1].name.split('_')[-1]}" if g[0].name.startswith("layer_") \
        else f"{g[0].name}-{g[-1].name}"


def _span(g: list[Sublayer]) -> str:
    """``file:first-last`` of the lines a merged layer came from."""
    parts = [s.origin.rsplit(":", 1) for s in g]
    if not all(len(p) == 2 and p[1].isdigit() for p in parts):
        return ", ".join(dict.fromkeys(s.origin for s in g))
    files = {p[0] for p in parts}
    lines = sorted(int(p[1]) for p in parts)
    if len(files) == 1 and lines[0] != lines[-1]:
        return f"{files.pop()}:{lines[0]}-{lines[-1]}"
    return ", ".join(sorted({s.origin for s in g}))


def block_names(deck: Deck) -> dict:
    """The block name of each ``(sublayer, unit)`` that becomes a block: the unit's own name,
    or, where several layers share a floorplan, the peer's ``layer_unit`` name."""
    keys = [(s.name, u.name) for s in deck.sublayers for u in s.units
            if (u.powered and s.powered) or u.material is not None]
    count = {}
    for _, unit in keys:
        count[unit] = count.get(unit, 0) + 1
    return {(sl, unit): unit if count[unit] == 1 else f"{sl}_{unit}" for sl, unit in keys}


def _block_lines(deck: Deck, g: list[Sublayer], names: dict) -> list[str]:
    powered = [s for s in g if s.powered]
    out = []
    where = "volume" if len(g) == 1 else ("bottom" if powered and powered[0] is g[0] else "top")
    for s in g:
        for u in s.units:
            if not u.powered and u.material is None:
                continue
            out += ["", "  [[layers.blocks]]", f'  name = "{names[(s.name, u.name)]}"        # {u.origin}',
                    f"  x = [{_um(u.x0)}, {_um(u.x1)}]", f"  y = [{_um(u.y0)}, {_um(u.y1)}]"]
            if u.material is not None:
                out.append(f'  material = "{u.material}"')
            if u.powered and s.powered:
                out.append(f"  power = {_num(u.powers[0])}   # W")
                if where != "volume":
                    out.append(f'  power_at = "{where}"   # the peer injects it in {s.name} ({_um(s.thickness)} µm)')
                if len(u.powers) > 1:
                    pts = ", ".join(f"[{_num(i * deck.interval)}, {_num(p)}]" for i, p in enumerate(u.powers))
                    out += [f"  trace = [{pts}]   # s, W: one power per {_num(deck.interval)} s interval",
                            '  trace_kind = "step"']
    if where != "volume" and powered:
        s = powered[0]
        k = deck.materials[s.material].k
        deck.warn(f"{s.origin}: the power of {s.name} ({_um(s.thickness)} µm) is applied on the "
                  f"{where} face of {_group_name(g)}; spread through the sublayer it would sit up to "
                  f"q''·t/(2k) = {_worst_flux(s) * s.thickness / (2 * k):.3g} K lower")
    return out


def _channel_lines(s: Sublayer, body: list) -> list[str]:
    """The cavity's ``[layers.channels]`` (appended to ``body``) and its coolant's table (returned):
    the deck gives the coolant's ρ·c_p and its heat transfer coefficients, nothing else."""
    c = s.channels
    name = f"{s.name}-coolant"
    body += ["", f"  [layers.channels]   # {c['origin']}", f"  width = {_um(c['width'])}", f"  wall = {_um(c['wall'])}",
             f"  count = {c['count']}   # from the chip length, as the peer fits it",
             f"  edge_wall = {_um(c['first'])}   # the first and last wall",
             '  direction = "+y"   # the peer\'s coolant flows in +y', f'  flow_rate = "{_num(c["flow_ml_min"])} ml/min"',
             f"  inlet_T = {_num(c['T_in'] - 273.15)}   # °C ({_num(c['T_in'])} K)", f'  coolant = "{name}"',
             f"  h_side = {_num(c['h'][0])}   # W/(m^2*K), the deck's", f"  h_top = {_num(c['h'][1])}",
             f"  h_bottom = {_num(c['h'][2])}"]
    return ["", f'[coolants."{name}"]   # {c["origin"]}: the deck gives rho*cp only',
            "T = [-50, 300]   # °C: constant properties", f"rho = [{_RHO:g}, {_RHO:g}]   # placeholder (assumption)",
            f"cp = [{_num(c['rho_cp'] / _RHO)}, {_num(c['rho_cp'] / _RHO)}]   # rho*cp = {_num(c['rho_cp'])} J/(m^3*K)",
            "k = [0.6, 0.6]   # W/(m*K), water-like (assumption; unused with the deck's h)",
            "mu = [8.9e-4, 8.9e-4]   # Pa*s, water at 25 °C (assumption; sets only Re and the pressure drop)",
            f'source = "3D-ICE deck, {c["origin"]}"', "assumed = true"]


def _worst_flux(s: Sublayer) -> float:
    return max((max(u.powers) / ((u.x1 - u.x0) * (u.y1 - u.y0)) for u in s.units if u.powered), default=0.0)


def _sink_lines(deck: Deck) -> list[str]:
    out = []
    for face in ("top", "bottom"):
        sink = getattr(deck, face)
        if sink is not None:
            out += ["", f"[boundaries.{face}]   # {sink.origin}", 'type = "convective"',
                    f"h = {_num(sink.h)}   # W/(m^2*K)", f"T = {_num(sink.T_ambient - 273.15)}   # °C ({_num(sink.T_ambient)} K)"]
    return out


def deck_to_toml(deck: Deck) -> tuple[str, list[Region]]:
    """The layout text of ``deck`` and the peer's regions (one per layer and floorplan unit)."""
    fx, fy = deck.footprint
    body, regions, z, coolant_lines = [], [], 0.0, []
    names = block_names(deck)
    for g in _groups(deck):
        t = sum(s.thickness for s in g)
        body += ["", "[[layers]]", f'name = "{_group_name(g)}"   # {_span(g)}',
                 f'thickness = "{_um(t)} um"', f'material = "{g[0].material}"',
                 f'max_cell_z = "{_um(max(s.thickness for s in g))} um"']
        body += _block_lines(deck, g, names)
        if g[0].channels is not None:
            coolant_lines += _channel_lines(g[0], body)
        for s in g:
            regions += [Region(f"{s.name}_{u.name}" if deck.peer == "HotSpot" else u.name,
                               (u.x0, u.x1), (u.y0, u.y1), (z, z + s.thickness),
                               names.get((s.name, u.name)),
                               s.name.split(".")[0])
                        for u in s.units]
            z += s.thickness
    lines = [f"# Imported from {deck.peer}: {', '.join(deck.files)}.",
             "# Every value names the deck line it was read from (file:line). The peer's sublayers are",
             "# its vertical discretisation: consecutive sublayers of one material are one layer here,",
             "# meshed no coarser than the peer's thickest sublayer (max_cell_z).",
             f"# The decks give rho*cp only: rho = {_RHO:g} kg/m^3 is a placeholder (assumption), cp = rho*cp / rho."]
    if deck.interval is not None:
        n = max(len(u.powers) for sl in deck.sublayers for u in sl.units)
        dt = f" --dt {_num(deck.step)}" if deck.step is not None else ""
        lines.append(f"# The deck is a transient of {n} power intervals of {_num(deck.interval)} s: "
                     f"thermal-cpo run LAYOUT --transient --t-end {_num(n * deck.interval)}{dt}")
    lines += [f"# note: {n}" for n in deck.notes]
    lines += [f"# warning: {w}" for w in deck.warnings]
    lines += ["", "schema_version = 1", f'name = "{deck.name}"',
              f'description = "Imported from {deck.peer} ({", ".join(deck.files)})."',
              "", "[footprint]", f'x = "{_um(fx)} um"', f'y = "{_um(fy)} um"',
              "", "[grid]", f"max_cell_xy = {_um(min(deck.cell))}   # the peer's lateral cell (µm)",
              f"max_cell_z = {_um(max(s.thickness for s in deck.sublayers))}"]
    for name, m in deck.materials.items():
        lines += ["", f'[materials."{name}"]   # {m.origin}', f"k = {_num(m.k)}   # W/(m*K)",
                  f"rho = {_RHO:g}   # kg/m^3, placeholder (assumption)",
                  f"cp = {_num(m.rho_cp / _RHO)}   # J/(kg*K): rho*cp = {_num(m.rho_cp)}",
                  f'source = "{deck.peer} deck, {m.origin}"', "assumed = true"]
    lines += coolant_lines + body
    lines += _sink_lines(deck)
    if deck.interval is not None and deck.initial_K is not None:
        lines += ["", "[initial]", f"T = {_num(deck.initial_K - 273.15)}   # °C ({_num(deck.initial_K)} K)"]
    return "\n".join(lines) + "\n", regions


def to_imported(deck: Deck) -> Imported:
    """The layout of ``deck`` validated into a :class:`Package`."""
    text, regions = deck_to_toml(deck)
    pkg = parse_toml(text, f"{deck.name}.toml")
    return Imported(deck.peer, text, pkg, regions, deck.map_mode, list(deck.warnings))
