"""A 3D-ICE stack file (``.stk``) and its floorplans → :class:`Deck`.

What 3D-ICE means, made explicit [sridhar-3dice-2010]:
- lengths in µm, conductivity W/(µm·K), volumetric heat capacity J/(µm³·K), heat transfer
  coefficients W/(µm²·K), temperatures K;
- the ``stack`` lists layers from the top down, and so do a die's layers; every layer is one
  cell thick, and power goes into the cells of the die's ``source`` layer under each floorplan
  element, uniformly;
- ``top heat sink`` / ``bottom heat sink`` couple that face to the sink temperature through the
  heat transfer coefficient; the other faces are adiabatic;
- ``power values`` lists one power per time slot of the ``transient ... slot`` length; a steady
  run takes the first;
- a ``microchannel 4rm`` cavity is one layer of walls and channels alternating along x (its
  "length"), the coolant flowing in +y, with the deck's own heat transfer coefficients on the
  side, top and bottom walls and its coolant's volumetric heat capacity; it becomes resolved
  channels with the deck's count and first/last wall widths (the 2RM and pin-fin porous-medium
  models have no counterpart).
"""

from __future__ import annotations

from pathlib import Path

from .deck import Deck, DeckMaterial, Sink, Sublayer, Unit, deck_error, read_deck_text
from .floorplans import check_overlaps
from .stk_tokens import Tokens

_UM = 1e-6
_SECTIONS = ("material", "top", "bottom", "microchannel", "pinfin", "dimensions", "layer", "die",
             "stack", "solver", "output", "heat")


def _material(tk: Tokens, deck: Deck) -> None:
    origin = tk.origin()
    name = tk.name("a material name")
    tk.expect(":")
    tk.expect("thermal", "conductivity")
    k = tk.number("thermal conductivity", positive=True) / _UM  # W/(µm·K) → W/(m·K)
    tk.expect(";")
    tk.expect("volumetric", "heat", "capacity")
    cv = tk.number("volumetric heat capacity", positive=True) / _UM ** 3  # J/(µm³·K) → J/(m³·K)
    tk.expect(";")
    if name in deck.materials:
        raise deck_error(origin, f"material {name!r} is defined twice")
    deck.materials[name] = DeckMaterial(name, k, cv, origin)


def _sink(tk: Tokens, deck: Deck, face: str, lead=("heat", "sink", ":"), ambient: bool = False) -> None:
    origin = tk.origin()
    tk.expect(*lead)
    if tk.peek() in ("sink", "plugin", "spreader"):
        raise deck_error(tk.origin(), f"a {face} heat sink given by {tk.peek()!r} (a pluggable or a physical heat sink) "
                                      "has no counterpart in the importer yet: use a heat transfer coefficient")
    tk.expect("heat", "transfer", "coefficient")
    h = tk.number("heat transfer coefficient", positive=True) / _UM ** 2  # W/(µm²·K) → W/(m²·K)
    tk.expect(";")
    if ambient:  # the older "conventional heat sink" names it the ambient temperature
        tk.expect("ambient")
    tk.expect("temperature")
    T = tk.number("heat sink temperature", positive=True)
    tk.expect(";")
    setattr(deck, face, Sink(h, T, origin))


def _microchannel(tk: Tokens, deck: Deck) -> dict:
    """A ``microchannel 4rm`` section (µm, W/(µm²·K), J/(µm³·K), ml/min, K) in SI."""
    origin = tk.origin()
    tk.take()
    model = tk.name("4rm or 2rm").lower()
    if model != "4rm":
        raise deck_error(origin, f"a microchannel {model} (porous-medium) cavity has no counterpart in the importer "
                                 "yet; only 4rm channels are imported")
    tk.expect(":")
    out = {"origin": origin}
    for key, words in (("height", ("height",)), ("width", ("channel", "length")), ("wall", ("wall", "length"))):
        tk.expect(*words)
        out[key] = tk.number(" ".join(words), positive=True) * _UM
        tk.expect(";")
    out["first"] = out["last"] = out["wall"]
    for key in ("first", "last"):
        if tk.accept(key, "wall", "length"):
            out[key] = tk.number(f"{key} wall length", positive=True) * _UM
            tk.expect(";")
    tk.expect("wall", "material")
    out["material_origin"] = tk.origin()
    out["material"] = tk.name("a material name")
    tk.expect(";")
    tk.expect("coolant", "flow", "rate")
    out["flow_ml_min"] = tk.number("coolant flow rate", positive=True)
    tk.expect(";")
    tk.expect("coolant", "heat", "transfer", "coefficient")
    if tk.accept("side"):
        h = [tk.number("side heat transfer coefficient", positive=True)]
        for face in ("top", "bottom"):
            tk.expect(",", face)
            h.append(tk.number(f"{face} heat transfer coefficient", positive=True))
    else:
        h = [tk.number("heat transfer coefficient", positive=True)] * 3
    out["h"] = tuple(v / _UM ** 2 for v in h)  # side, top, bottom in W/(m²·K)
    tk.expect(";")
    tk.expect("coolant", "volumetric", "heat", "capacity")
    out["rho_cp"] = tk.number("coolant volumetric heat capacity", positive=True) / _UM ** 3
    tk.expect(";")
    tk.expect("coolant", "incoming", "temperature")
    out["T_in"] = tk.number("coolant incoming temperature", positive=True)
    tk.expect(";")
    return out


def _dimensions(tk: Tokens, deck: Deck) -> None:
    tk.expect(":")
    tk.expect("chip", "length")
    fx = tk.number("chip length", positive=True) * _UM
    tk.expect(",", "width")
    fy = tk.number("chip width", positive=True) * _UM
    tk.expect(";")
    tk.expect("cell", "length")
    cx = tk.number("cell length", positive=True) * _UM
    tk.expect(",", "width")
    cy = tk.number("cell width", positive=True) * _UM
    tk.expect(";")
    if tk.accept("non-uniform"):
        origin = tk.origin()
        if tk.name("true or false").lower() == "true":
            raise deck_error(origin, "non-uniform grids have no counterpart in the importer yet; set non-uniform false")
        tk.expect(";")
    deck.footprint, deck.cell = (fx, fy), (cx, cy)


def _layer_def(tk: Tokens, layers: dict) -> None:
    origin = tk.origin()
    name = tk.name("a layer name")
    tk.expect(":")
    tk.expect("height")
    h = tk.number("layer height", positive=True) * _UM
    tk.expect(";")
    tk.expect("material")
    at = tk.origin()  # a wrong material name is reported on its own line
    layers[name] = (h, tk.name("a material name"), at)
    tk.expect(";")


def _die_def(tk: Tokens, dies: dict) -> None:
    name = tk.name("a die name")
    tk.expect(":")
    rows = []
    while tk.peek() in ("layer", "source"):
        origin = tk.origin()
        kind = tk.take()[1].lower()
        h = tk.number(f"{kind} height", positive=True) * _UM
        rows.append((kind, h, tk.name("a material name"), origin))
        tk.expect(";")
    if sum(r[0] == "source" for r in rows) != 1:
        raise deck_error(tk.origin(), f"die {name!r} needs exactly one source layer")
    dies[name] = rows


def _skip_statement(tk: Tokens) -> None:
    while not tk.accept(";"):
        tk.take()


def _solver(tk: Tokens, deck: Deck) -> None:
    tk.expect(":")
    if tk.accept("transient"):
        tk.expect("step")
        deck.step = tk.number("time step", positive=True)
        tk.expect(",", "slot")
        deck.interval = tk.number("slot time", positive=True)
        tk.expect(";")
    else:
        tk.expect("steady", ";")
    tk.expect("initial", "temperature")
    deck.initial_K = tk.number("initial temperature", positive=True)
    tk.expect(";")
    if tk.accept("numofcores"):
        _skip_statement(tk)


def _output(tk: Tokens) -> None:
    tk.expect(":")
    while tk.peek() in ("t", "tflp", "tflpel", "tmap", "pmap", "tcoolant"):
        _skip_statement(tk)


def read_floorplan(path: Path, n_slots_origin: str) -> list[Unit]:
    """The elements of a 3D-ICE floorplan (µm, W): ``position``/``dimension`` or one or more
    ``rectangle (x, y, length, width)``, then ``power values P1, P2, ... ;``."""
    if not path.is_file():
        raise deck_error(n_slots_origin, f"floorplan {path.name!r} not found beside the stack file")
    tk = Tokens(*read_deck_text(path, "floorplan"))
    units = []
    while not tk.at_end():
        origin = tk.origin()
        name = tk.name("a floorplan element name")
        tk.expect(":")
        rects = []
        if tk.accept("position"):
            x, y = tk.numbers("position")[:2]
            tk.expect(";", "dimension")
            w, ln = tk.numbers("dimension")[:2]
            tk.expect(";")
            rects.append((x, y, w, ln))
        while tk.accept("rectangle"):
            tk.expect("(")
            vals = tk.numbers("rectangle")
            tk.expect(")", ";")
            if len(vals) != 4:
                raise deck_error(origin, f"{name}: a rectangle is (x, y, length, width)")
            rects.append(tuple(vals))
        if not rects:
            raise deck_error(tk.origin(), f"{name}: expected 'position' or 'rectangle'")
        tk.expect("power", "values")
        powers = tk.numbers("power values")
        tk.expect(";")
        if any(p < 0 for p in powers):
            raise deck_error(origin, f"{name}: a power is negative")
        for j, (x, y, w, ln) in enumerate(rects):
            part = name if len(rects) == 1 else f"{name}.{j + 1}"
            share = w * ln / sum(r[2] * r[3] for r in rects)  # power spreads over the element's area
            units.append(Unit(part, x * _UM, (x + w) * _UM, y * _UM, (y + ln) * _UM,
                              tuple(p * share for p in powers), origin))
    check_overlaps(units)
    return units


def read_3dice(stk) -> Deck:
    """The deck of a 3D-ICE run from its stack file (floorplans beside it). SI in the result."""
    path = Path(stk)
    tk = Tokens(*read_deck_text(path, "3D-ICE stack file"))
    deck = Deck(peer="3D-ICE", name=path.stem, footprint=(0.0, 0.0), cell=(0.0, 0.0), sublayers=[],
                materials={}, files=[path.name])
    layers, dies, stack, cavity = {}, {}, None, None
    while not tk.at_end():
        word = tk.peek()
        if word == "material":
            tk.take(), _material(tk, deck)
        elif word in ("top", "bottom") and tk.peek(1) == "heat":
            tk.take(), _sink(tk, deck, word)
        elif word == "microchannel":
            cavity = _microchannel(tk, deck)
        elif word == "pinfin":
            raise deck_error(tk.origin(), "a pin-fin cavity (a porous medium in 3D-ICE) has no counterpart in the "
                                          "importer yet")
        elif word == "conventional":
            tk.take(), _sink(tk, deck, "top", lead=("heat", "sink", ":"), ambient=True)
        elif word == "dimensions":
            tk.take(), _dimensions(tk, deck)
        elif word == "layer":
            tk.take(), _layer_def(tk, layers)
        elif word == "die":
            tk.take(), _die_def(tk, dies)
        elif word == "stack":
            origin = tk.origin()
            tk.take(), tk.expect(":")
            stack = _stack(tk, layers, dies, origin, cavity)
        elif word == "solver":
            tk.take(), _solver(tk, deck)
        elif word == "output":
            tk.take(), _output(tk)
        else:
            tk.unknown(_SECTIONS)
    if stack is None or deck.footprint == (0.0, 0.0):
        raise deck_error(tk.origin(), "the stack file needs a 'dimensions' and a 'stack' section")
    _build(deck, stack, path.parent)
    return deck


def _stack(tk: Tokens, layers: dict, dies: dict, origin: str, cavity: dict | None) -> list:
    rows = []
    while tk.peek() in ("layer", "die", "channel"):
        o = tk.origin()
        kind = tk.take()[1].lower()
        name = tk.name("a name")
        if kind == "channel":
            if cavity is None:
                raise deck_error(o, f"channel {name!r}: no 'microchannel' section defines the cavity")
            tk.expect(";")
            rows.append(("channel", name, cavity, None, o))
            continue
        if kind == "layer" and tk.items[tk.i][0] == "number":  # an inline layer: height and material
            h = tk.number("layer height", positive=True) * _UM
            at = tk.origin()
            mat = tk.name("a material name")
            tk.expect(";")
            rows.append(("layer", name, (h, mat, at), None, o))
            continue
        ref = tk.name("a layer or die definition")
        table = layers if kind == "layer" else dies
        if ref not in table:
            raise deck_error(o, f"no {kind} definition {ref!r} (defined: {', '.join(table) or 'none'})")
        flp = None
        if kind == "die":
            tk.expect("floorplan")
            flp = tk.name("a floorplan file")
        tk.expect(";")
        rows.append((kind, name, table[ref], flp, o))
    if not rows:
        raise deck_error(origin, "the stack is empty")
    return rows


def _cavity_sublayer(deck: Deck, name: str, cav: dict, origin: str) -> Sublayer:
    """The 4RM cavity as a sublayer of resolved channels: its count from the chip length."""
    if cav["material"] not in deck.materials:
        raise deck_error(cav["material_origin"], f"no material {cav['material']!r} (defined: {', '.join(deck.materials)})")
    if abs(cav["first"] - cav["last"]) > 1e-12:
        raise deck_error(cav["origin"], f"first and last walls of {cav['first'] * 1e6:g} and {cav['last'] * 1e6:g} µm: "
                                        "unequal edge walls have no counterpart yet")
    fx = deck.footprint[0]
    ratio = (fx - cav["first"] - cav["last"] - cav["width"]) / (cav["width"] + cav["wall"])
    if abs(ratio - round(ratio)) > 1e-6 or ratio < 0:
        raise deck_error(cav["origin"], "the channels and walls do not fill the chip length exactly "
                                        f"({fx * 1e6:g} µm), as 3D-ICE also requires")
    channels = dict(cav, count=int(round(ratio)) + 1)
    return Sublayer(name, cav["height"], cav["material"], origin, channels=channels)


def _build(deck: Deck, stack: list, folder: Path) -> None:
    """Sublayers bottom to top from the stack (listed top down)."""
    for kind, name, ref, flp, origin in reversed(stack):
        if kind == "channel":
            deck.sublayers.append(_cavity_sublayer(deck, name, ref, origin))
            continue
        parts = [("layer", ref[0], ref[1], ref[2])] if kind == "layer" else list(reversed(ref))
        for j, (sub, h, mat, o) in enumerate(parts):
            if mat not in deck.materials:
                raise deck_error(o, f"no material {mat!r} (defined: {', '.join(deck.materials) or 'none'})")
            o = origin if kind == "layer" else o  # a stacked layer is traced to its line in the stack
            units = read_floorplan(folder / flp, origin) if sub == "source" else ()
            label = name if kind == "layer" else f"{name}.{'source' if sub == 'source' else j}"
            deck.sublayers.append(Sublayer(label, h, mat, o, tuple(units), source=sub == "source"))
    fx, fy = deck.footprint
    for s in deck.sublayers:
        for u in s.units:
            if u.x0 < -1e-12 or u.y0 < -1e-12 or u.x1 > fx * (1 + 1e-12) or u.y1 > fy * (1 + 1e-12):
                raise deck_error(u.origin, f"floorplan element {u.name!r} reaches outside the "
                                           f"{fx * 1e3:g} × {fy * 1e3:g} mm chip")
    if deck.top is None and deck.bottom is None and not any(s.channels for s in deck.sublayers):
        raise deck_error(f"{deck.files[0]}:1", "no heat sink: give a 'top heat sink' or a 'bottom heat sink'")
    deck.map_mode = "max"
