"""A HotSpot deck (configuration, floorplan, layer file, power trace) → :class:`Deck`.

What HotSpot means, made explicit [huang-hotspot-2006]:
- the layer file lists layers from the one farthest from the sink upwards, so its order is ours;
- HotSpot always appends a heat spreader and a heat sink (``s_/t_/k_/p_spreader``, ``..._sink``)
  with a lumped periphery where they overhang the chip, and a convection resistance
  ``r_convec`` (K/W) over the sink's top ``s_sink²``: ``h = 1 / (r_convec · s_sink²)``;
- without a layer file the stack is the chip (``t_chip``, ``k_chip``, ``p_chip``) under the
  interface material (``t_interface``, ...) — the default TIM;
- the grid model puts each layer's node on the layer's bottom face (first order in z); ours sits
  at cell centres and converges at second order, so the answers differ by HotSpot's own
  discretisation error, not by the model.
"""

from __future__ import annotations

from pathlib import Path

from .deck import Deck, DeckMaterial, Sink, Sublayer, Unit, deck_error, read_deck_text
from .floorplans import check_tiling, footprint_of, shift_units
from .hotspot_files import DEFAULTS, number, read_config, read_flp, read_lcf, read_ptrace

#: an appended spreader or sink at most this much (m) wider than the chip is taken as the
#: chip's size: HotSpot needs it a little wider, or its periphery resistances divide by zero
_SAME_SIZE = 1e-6
#: an appended die-sized spreader or sink whose resistance is below this share of the stack's
#: is left out (it would force µm cells into the grid for a change far below any error bar)
_NEGLIGIBLE = 1e-3


def _value(cfg, name, origin_default: str):
    """``(float value, origin)`` of a configuration option, HotSpot's default when absent."""
    if name in cfg:
        text, origin = cfg[name]
        return number(text, origin, f"-{name}"), origin
    return float(DEFAULTS[name]), f"HotSpot's default -{name}"


def _flag(cfg, name) -> tuple[int, str]:
    text, origin = cfg.get(name, (str(DEFAULTS[name]), "default"))
    return int(number(text, origin, f"-{name}")), origin


def _refuse_features(cfg) -> None:
    """Options that switch on a HotSpot model with no counterpart in the importer."""
    what = dict(model_secondary="the secondary heat path to the board (no counterpart yet: add the "
                                "board layers and a bottom boundary to the layout)",
                package_model_used="HotSpot's package model (fans and heat sinks from a package file; "
                                   "no counterpart yet: describe the cooling as a boundary or a cold plate)",
                use_microfluidic_cooling="HotSpot's micro-fluidic cooling (no counterpart in the importer yet: "
                                         "describe the channels as a layout's channels)",
                leakage_used="HotSpot's leakage loop (use a layout power_model of kind 'leakage')",
                detailed_3D_used="HotSpot's detailed 3-D floorplans")
    for name, text in what.items():
        flag, origin = _flag(cfg, name)
        if flag:
            raise deck_error(origin, f"-{name} {flag}: {text}")


def _stack_from_lcf(lcf_path: Path) -> list[tuple[dict, list[Unit]]]:
    text, fname = read_deck_text(lcf_path, "layer file")
    out = []
    for layer in read_lcf(text, fname):
        flp = Path(layer["flp"])
        flp = flp if flp.is_absolute() else lcf_path.parent / flp
        if not flp.is_file():
            raise deck_error(layer["flp_origin"], f"floorplan {layer['flp']!r} not found beside the layer file")
        out.append((layer, read_flp(*read_deck_text(flp, "floorplan"))))
    return out


def _default_stack(cfg, flp_units) -> list[tuple[dict, list[Unit]]]:
    """HotSpot's stack without a layer file: the chip (powered) and the interface material."""
    out = []
    for n, part, power in ((0, "chip", True), (1, "interface", False)):
        t, o = _value(cfg, f"t_{part}", "config")
        k, _ = _value(cfg, f"k_{part}", "config")
        cv, _ = _value(cfg, f"p_{part}", "config")
        out.append((dict(number=n, lateral=True, power=power, cv=cv, resistivity=1.0 / k, thickness=t,
                         flp="", origin=o), flp_units))
    return out


def _material(materials: dict, k: float, cv: float, origin: str) -> str:
    """The name of the deck material with this k and ρc (one per distinct pair, so that
    sublayers of one material merge)."""
    for name, m in materials.items():
        if m.k == k and m.rho_cp == cv:
            return name
    name = f"hotspot-k{k:.6g}" if not any(m.k == k for m in materials.values()) else f"hotspot-k{k:.6g}-{len(materials)}"
    materials[name] = DeckMaterial(name, k, cv, origin)
    return name


def _powers(units: list[Unit], names, rows, header_origin) -> tuple[list[Unit], set]:
    index = {n: i for i, n in enumerate(names)}
    out = []
    for u in units:
        if u.name not in index:
            raise deck_error(u.origin, f"unit {u.name!r} of a powered layer has no column in the power trace "
                                       f"(header at {header_origin})")
        out.append(Unit(u.name, u.x0, u.x1, u.y0, u.y1, tuple(r[index[u.name]] for r in rows), u.origin, u.material))
    return out, {u.name for u in units}


def read_hotspot(config, flp, lcf=None, ptrace=None) -> Deck:
    """The deck of a HotSpot run: ``config`` (``-name value`` lines), ``flp`` (the chip's
    floorplan), optionally ``lcf`` (the grid model's layer file; else the config's
    ``-grid_layer_file``, else HotSpot's chip + interface stack) and ``ptrace`` (else the
    config's ``-p``). Lengths in the result are m, temperatures K."""
    cfg_path = Path(config)
    cfg = read_config(*read_deck_text(cfg_path, "HotSpot configuration"))
    _refuse_features(cfg)
    chip = read_flp(*read_deck_text(flp, "floorplan"))
    x0, y0, fx, fy = footprint_of(chip)
    if lcf is None and "grid_layer_file" in cfg:
        lcf = cfg_path.parent / cfg["grid_layer_file"][0]
    if ptrace is None and "p" in cfg:
        ptrace = cfg_path.parent / cfg["p"][0]
    if ptrace is None:
        raise deck_error(f"{cfg_path.name}:1", "HotSpot takes the powers from a power trace: give --ptrace (or -p in the configuration)")
    names, rows, header_origin = read_ptrace(*read_deck_text(ptrace, "power trace"))
    deck = Deck(peer="HotSpot", name=cfg_path.stem, footprint=(fx, fy), cell=(0.0, 0.0), sublayers=[], materials={},
                files=[Path(p).name for p in (config, flp, lcf, ptrace) if p is not None])
    stack = _stack_from_lcf(Path(lcf)) if lcf is not None else _default_stack(cfg, chip)
    if lcf is None:
        deck.notes.append("no layer file: HotSpot's chip + interface (TIM) stack from the configuration")
    powered_names: set = set()
    for layer, units in stack:
        units = shift_units(units, x0, y0)
        lx0, ly0, lx, ly = footprint_of(units)
        if abs(lx0) > _SAME_SIZE or abs(ly0) > _SAME_SIZE or abs(lx - fx) > _SAME_SIZE or abs(ly - fy) > _SAME_SIZE:
            raise deck_error(layer["origin"], f"layer {layer['number']}'s floorplan covers {lx * 1e3:g} × {ly * 1e3:g} mm, "
                                              f"the chip {fx * 1e3:g} × {fy * 1e3:g} mm: layers of another size have no counterpart in the importer")
        check_tiling(units, fx, fy)
        if not layer["lateral"]:
            deck.warn(f"{layer['origin']}: layer {layer['number']} has lateral heat flow N; thermal_cpo always conducts laterally")
        if layer["power"]:
            units, got = _powers(units, names, rows, header_origin)
            powered_names |= got
        mat = _material(deck.materials, 1.0 / layer["resistivity"], layer["cv"], layer["origin"])
        for u in units:
            if u.material is not None:
                cv, rho = u.material
                units[units.index(u)] = Unit(u.name, u.x0, u.x1, u.y0, u.y1, u.powers, u.origin,
                                             _material(deck.materials, 1.0 / rho, cv, u.origin))
        deck.sublayers.append(Sublayer(f"layer_{layer['number']}", layer["thickness"], mat, layer["origin"],
                                       tuple(units), source=layer["power"]))
    extra = [n for n in names if n not in powered_names and any(r[names.index(n)] for r in rows)]
    if extra:
        raise deck_error(header_origin, f"the power trace gives power to {extra[0]!r}, a unit of no powered layer")
    _appended_layers(cfg, deck, fx, fy)
    _sink_and_grid(cfg, deck, fx, fy, len(rows))
    return deck


def _appended_layers(cfg, deck: Deck, fx: float, fy: float) -> None:
    """HotSpot's spreader and sink: die-sized ones become layers (or are left out, said so,
    when negligible); wider ones have no counterpart."""
    stack_r = sum(s.thickness / deck.materials[s.material].k for s in deck.sublayers)
    for part in ("spreader", "sink"):
        s, o = _value(cfg, f"s_{part}", "config")
        t, _ = _value(cfg, f"t_{part}", "config")
        k, _ = _value(cfg, f"k_{part}", "config")
        cv, _ = _value(cfg, f"p_{part}", "config")
        if s - max(fx, fy) > _SAME_SIZE or s < min(fx, fy) - _SAME_SIZE:
            raise deck_error(o, f"a {s * 1e3:g} mm {part} on a {fx * 1e3:g} × {fy * 1e3:g} mm chip: HotSpot lumps the "
                                f"overhang into periphery nodes, which have no counterpart in the importer; make s_{part} "
                                f"the chip's size (a little wider) and model a larger lid in the layout")
        if t / k < _NEGLIGIBLE * stack_r:
            deck.warn(f"{o}: HotSpot's appended {part} ({t * 1e6:g} µm, k = {k:g}) adds R'' = {t / k:.3g} m²K/W, "
                      f"{t / k / stack_r:.2%} of the stack's; left out")
            continue
        mat = _material(deck.materials, k, cv, o)
        deck.sublayers.append(Sublayer(part, t, mat, o))


def _sink_and_grid(cfg, deck: Deck, fx: float, fy: float, n_rows: int) -> None:
    r, o = _value(cfg, "r_convec", "config")
    s, _ = _value(cfg, "s_sink", "config")
    amb, o_amb = _value(cfg, "ambient", "config")
    deck.top = Sink(1.0 / (r * s * s), amb, f"{o} (h = 1/(r_convec·s_sink²)); ambient {o_amb}")
    init, _ = _value(cfg, "init_temp", "config")
    deck.initial_K = init
    rows, _ = _value(cfg, "grid_rows", "config")
    cols, _ = _value(cfg, "grid_cols", "config")
    deck.cell = (fx / cols, fy / rows)
    c, oc = _value(cfg, "c_convec", "config")
    if n_rows > 1:
        deck.interval, _ = _value(cfg, "sampling_intvl", "config")
        deck.warn(f"{oc}: the convection capacitance c_convec = {c:g} J/K has no counterpart (the boundary has no "
                  "capacity); HotSpot's steady run uses the trace's average power, thermal_cpo's its first row")
    mode = cfg.get("grid_map_mode", ("center" if "grid_map_mode" not in cfg else "", ""))[0]
    deck.map_mode = {"avg": "mean", "max": "max", "min": "min", "center": "center"}.get(mode.lower(), "center")
    if _flag(cfg, "dtm_used")[0]:
        deck.warn(f"{cfg['dtm_used'][1]}: -dtm_used 1 (dynamic thermal management) is ignored")
