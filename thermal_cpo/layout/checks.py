"""Checks across the parts of a package that no single part can make: names unique, materials
and coolants known, geometry on the package, rings inside their components, contacts between
existing components that touch, given once, a trace given once, k(T) laws that stay physical,
coolings that fit and do not overlap. Every problem is reported with its layout path, all at once."""

from __future__ import annotations

import contextvars
import math
from pathlib import Path

from ..errors import did_you_mean
from ..materials import coolants, library
from ..schema import K_MAX, K_MIN, fail, format_path
from .geometry import FACE_AXES, SNAP, overlap
from .loops import check_loops

EPS = 0.5 * SNAP
#: The folder relative file names of the layout being validated are read from (the layout
#: file's own; set while a file is read, else the working directory, as the mesh resolves them).
LAYOUT_DIR = contextvars.ContextVar("thermal_cpo_layout_dir", default=Path("."))
#: The hottest temperature (°C) k(T) laws are checked up to, unless the layout states a hotter
#: one: no working package goes beyond it (solders melt from ~220 °C and reflow peaks at 260 °C,
#: JEDEC J-STD-020), so a law that fails only above it is a failed design, not an input error.
T_CHECK_MAX = 400.0


class PackageChecks:
    """Runs every cross-check of one package; ``errors`` collects pydantic error dicts."""

    def __init__(self, pkg):
        self.pkg = pkg
        self.errors: list[dict] = []
        self.known_materials = set(library()) | set(pkg.materials)
        self.known_coolants = {**coolants(), **pkg.coolants}
        self.seen: dict[str, tuple] = {}
        self.used_materials: dict[str, tuple] = {}  # library or inline name → first use

    def run(self) -> list[dict]:
        """All problems found (empty when the package is consistent). Inline effective
        materials and void fractions are resolved first (:func:`.media.resolve_media`), so the
        checks below see material names only."""
        from .media import resolve_media

        self.errors += resolve_media(self.pkg)
        self.known_materials = set(library()) | set(self.pkg.materials)
        self.components()
        self.media()
        self.boundaries()
        self.rings()
        self.probes()
        self.contacts()
        self.cooling()
        check_loops(self)
        self.trace_file()
        self.conductivity_laws()
        return self.errors

    # -- helpers ----------------------------------------------------------------------------------
    def err(self, loc, msg, value=None):
        self.errors.append(dict(type=fail(msg), loc=tuple(loc), input=value))

    def material(self, loc, name):
        if name is not None and not isinstance(name, str):
            return  # an inline table that did not resolve: reported by resolve_media
        if name is not None and name not in self.known_materials:
            self.err(loc, f"unknown material {name!r}{did_you_mean(name, self.known_materials)} "
                          "(see `thermal-cpo materials`, or define it under [materials])", name)
        elif name is not None:
            self.used_materials.setdefault(name, tuple(loc))

    def inside(self, loc, rng, lo, hi, what):
        if rng is not None and (rng[0] < lo - EPS or rng[1] > hi + EPS):
            self.err(loc, f"[{rng[0] * 1e6:g}, {rng[1] * 1e6:g}] µm lies outside the {what} "
                          f"[{lo * 1e6:g}, {hi * 1e6:g}] µm", list(rng))

    def name(self, loc, name):
        if name in self.seen:
            self.err(loc, f"duplicate component name {name!r} (first used at "
                          f"{format_path(self.seen[name])})", name)
        else:
            self.seen[name] = tuple(loc[:-1])

    # -- the checks -------------------------------------------------------------------------------
    def components(self):
        pkg = self.pkg
        fx, fy = pkg.footprint.x, pkg.footprint.y
        for i, layer in enumerate(pkg.layers):
            self.name(("layers", i, "name"), layer.name)
            self.material(("layers", i, "material"), layer.material)
            for j, b in enumerate(layer.blocks):
                base = ("layers", i, "blocks", j)
                self.name(base + ("name",), b.name)
                self.material(base + ("material",), b.material)
                self.inside(base + ("x",), b.x, 0.0, fx, "footprint in x")
                self.inside(base + ("y",), b.y, 0.0, fy, "footprint in y")
        for j, b in enumerate(pkg.boxes):
            base = ("boxes", j)
            self.name(base + ("name",), b.name)
            self.material(base + ("material",), b.material)
            self.inside(base + ("x",), b.x, 0.0, fx, "footprint in x")
            self.inside(base + ("y",), b.y, 0.0, fy, "footprint in y")
            self.inside(base + ("z",), b.z, 0.0, pkg.height, "stack height")

    def media(self):
        """A density map's metal and dielectric and a void map's material are known materials;
        neither map goes on a layer with cooling channels (its cells are the channel walls)."""
        for base, (comp, *_) in self.extents().items():
            for key in ("metal_density", "voids"):
                if getattr(comp, key, None) is not None and getattr(comp, "channels", None) is not None:
                    self.err(base + (key,), f"a layer with cooling channels takes no {key}: its cells "
                             "are the channels' walls (put the map on a layer or block beside it)")
            for key in ("metal", "dielectric"):
                self.material(base + (key,), getattr(comp, key, None))
            if getattr(comp, "voids", None) is not None:
                self.material(base + ("voids", "material"), comp.voids.material)

    def boundaries(self):
        pkg = self.pkg
        extent = {"x": pkg.footprint.x, "y": pkg.footprint.y, "z": pkg.height}
        for face, bc in pkg.boundaries.items():
            for ax in "xyz":
                rng = getattr(bc, ax)
                if rng is None:
                    continue
                if ax not in FACE_AXES[face]:
                    self.err(("boundaries", face, ax), f"the {face} face is limited by "
                             f"{' and '.join(FACE_AXES[face])} ranges, not {ax}", list(rng))
                else:
                    self.inside(("boundaries", face, ax), rng, 0.0, extent[ax], f"package extent in {ax}")

    def extents(self) -> dict[tuple, tuple]:
        """Layout path → (component, x, y, z ranges in m) of every layer, block and box."""
        pkg = self.pkg
        fx, fy = pkg.footprint.x, pkg.footprint.y
        extents = {}
        for i, (layer, (z0, z1)) in enumerate(zip(pkg.layers, pkg.layer_bounds())):
            extents[("layers", i)] = (layer, (0.0, fx), (0.0, fy), (z0, z1))
            for j, b in enumerate(layer.blocks):
                extents[("layers", i, "blocks", j)] = (b, b.x, b.y, (z0, z1))
        for j, b in enumerate(pkg.boxes):
            extents[("boxes", j)] = (b, b.x, b.y, b.z)
        return extents

    def rings(self):
        for base, (comp, xr, yr, zr) in self.extents().items():
            if comp.photonics is None:
                continue
            for r, ring in enumerate(comp.photonics.rings):
                for ax, (v, (lo, hi)) in zip("xyz", zip(ring, (xr, yr, zr))):
                    if not lo - EPS <= v <= hi + EPS:
                        self.err(base + ("photonics", "rings", r), f"ring {ax} = {v * 1e6:g} µm lies "
                                 f"outside component {comp.name!r} ({lo * 1e6:g}–{hi * 1e6:g} µm)", list(ring))

    def probes(self):
        pkg = self.pkg
        for j, pr in enumerate(pkg.probes):
            for ax, v, hi in (("x", pr.x, pkg.footprint.x), ("y", pr.y, pkg.footprint.y), ("z", pr.z, pkg.height)):
                if not -EPS <= v <= hi + EPS:
                    self.err(("probes", j, ax), f"{v * 1e6:g} µm lies outside the package (0–{hi * 1e6:g} µm)", v)

    def contacts(self):
        """Contacts name existing components, two different ones that share a face, and each
        pair once (a second resistance on the same faces would silently replace the first)."""
        boxes = {comp.name: ranges for comp, *ranges in self.extents().values()}
        given: dict[frozenset, int] = {}
        for j, c in enumerate(self.pkg.contacts):
            loc, (a, b) = ("contacts", j, "between"), c.between
            for m, name in enumerate(c.between):
                if name not in self.seen:
                    self.err(loc + (m,), f"no component named {name!r}{did_you_mean(name, self.seen)}", name)
            if a == b:
                self.err(loc, "a contact joins two different components", list(c.between))
            elif frozenset((a, b)) in given:
                self.err(loc, f"the contact between {a!r} and {b!r} is already given at "
                              f"contacts[{given[frozenset((a, b))]}]", list(c.between))
            elif a in boxes and b in boxes and not _share_a_face(boxes[a], boxes[b]):
                self.err(loc, f"{a!r} and {b!r} never touch (they share no face), so the contact "
                              "resistance would act nowhere", list(c.between))
            given.setdefault(frozenset((a, b)), j)

    def coolant(self, loc, name, inlet):
        known = self.known_coolants
        if inlet is None:
            return  # fed by a loop: its coolant and inlet are the loop's, checked there
        if name not in known:
            self.err(loc + ("coolant",), f"unknown coolant {name!r}{did_you_mean(name, known)} "
                     "(built-in: " + ", ".join(sorted(coolants())) + "; or define it under [coolants])", name)
            return
        c = known[name]
        if not c.T[0] <= inlet <= c.T[-1]:
            self.err(loc + ("inlet_T",), f"{inlet:g} °C is outside the property table of {name!r} "
                     f"[{c.T[0]:g}, {c.T[-1]:g}] °C", inlet)

    def cooling(self):
        """Channel layers and cold plates: known coolant, inlet inside its table, the kind's own
        checks, plates on the package and no two coolings on one patch of a face."""
        pkg = self.pkg
        for i, layer in enumerate(pkg.layers):
            if layer.channels is not None:
                loc = ("layers", i, "channels")
                self.coolant(loc, layer.channels.coolant, layer.channels.inlet_T)
                layer.channels.check(pkg, loc, self.err)
        placed: list = []
        for i, cp in enumerate(pkg.coldplates):
            loc = ("coldplates", i)
            self.name(loc + ("name",), cp.name)
            self.material(loc + ("material",), getattr(cp, "material", None))
            self.coolant(loc, cp.coolant, cp.inlet_T)
            self.inside(loc + ("x",), cp.x, 0.0, pkg.footprint.x, "footprint in x")
            self.inside(loc + ("y",), cp.y, 0.0, pkg.footprint.y, "footprint in y")
            xr, yr = cp.extent(pkg.footprint)
            fx, fy = pkg.footprint.x, pkg.footprint.y
            if xr[0] < -SNAP or xr[1] > fx + SNAP or yr[0] < -SNAP or yr[1] > fy + SNAP:
                continue  # already reported: the plate is off the package
            cp.check(pkg, loc, self.err)
            self.plate_placement(loc, cp, xr, yr, placed)
            placed.append((cp.face, cp.name, xr, yr))

    def plate_placement(self, loc, cp, xr, yr, placed):
        pkg = self.pkg
        fx, fy = pkg.footprint.x, pkg.footprint.y
        for face, other, oxr, oyr in placed:
            if face == cp.face and overlap(xr, oxr) and overlap(yr, oyr):
                self.err(loc + ("x",), f"overlaps cold plate {other!r} on the {cp.face} face", list(xr))
        bc = getattr(pkg.boundaries, cp.face)
        if bc.active and overlap(xr, bc.x or (0.0, fx)) and overlap(yr, bc.y or (0.0, fy)):
            self.err(loc + ("face",), f"the {cp.face} face under the plate already has a "
                     f"{bc.type} boundary (boundaries.{cp.face}); restrict one of them with x/y", cp.face)

    def trace_file(self):
        """A component named by a column of the layout's trace file has no trace, source or
        power model of its own in the layout: the column would silently replace it. A file
        that cannot be read here is reported when the traces are read."""
        pkg = self.pkg
        if not pkg.trace_file:
            return
        path = Path(pkg.trace_file)
        try:
            text = (path if path.is_absolute() else LAYOUT_DIR.get() / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return
        header = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
        where = {comp.name: (base, comp) for base, (comp, *_) in self.extents().items()}
        for name in (h.strip() for h in header.split(",")[1:]):
            base, comp = where.get(name, (None, None))
            key = next((k for k in ("trace", "source", "power_model") if comp is not None
                        and getattr(comp, k) is not None), None)
            if key is None and getattr(comp, "map_units", None) == "W/mm^2" and comp.power_map is not None:
                key = "power_map"  # an absolute map is its power: a column would replace it
            if key is not None:
                self.err(base + (key,), f"component {name!r} has a {key} here and a column in the "
                         f"trace file {pkg.trace_file!r}; give its power once", None)

    def temperature_span(self) -> tuple[float, float]:
        """The temperatures (°C) a package can reach, for the k(T) checks: from the coldest one
        the layout states (faces, coolant inlets, the initial field: with non-negative sources
        nothing gets colder) to the hottest stated one or :data:`T_CHECK_MAX`."""
        pkg = self.pkg
        stated = [bc.reference_T for _, bc in pkg.boundaries.items() if bc.active]
        stated += [cp.inlet_T for cp in pkg.coldplates] + [loop.inlet_T for loop in pkg.loops]
        stated += [layer.channels.inlet_T for layer in pkg.layers if layer.channels is not None]
        stated += [pkg.initial.T] if pkg.initial is not None else []
        stated = [T for T in stated if T is not None] or [25.0]  # none stated: room temperature
        return min(stated), max(max(stated), T_CHECK_MAX)

    def conductivity_laws(self):
        """Every k(T) law in use, and every one the layout defines, stays a physical conductivity
        over :meth:`temperature_span` (a law that leaves it makes a singular system)."""
        lo, hi = self.temperature_span()
        locs = {name: ("materials", name, "n") for name in self.pkg.materials}
        locs.update({n: loc for n, loc in self.used_materials.items() if n not in self.pkg.materials})
        for name, loc in locs.items():
            mat = self.pkg.materials.get(name) or library().get(name)
            hit = mat.k_outside(lo, hi) if mat is not None else None
            if hit is None:
                continue
            T, k = hit
            how = ("turns non-positive" if not k > 0 else "falls" if k < K_MIN else "rises") + \
                (f" to {k:.3g} W/(m·K)" if math.isfinite(k) else " without bound")
            self.err(loc, f"the k(T) law of material {name!r} (k·(T/T0)^-n, n = {mat.n:g}, T0 = "
                          f"{mat.T0:g} °C) {how} at {T:.4g} °C, within the temperatures this layout can "
                          f"reach ({lo:g} to {hi:g} °C); a conductivity stays within "
                          f"[{K_MIN:g}, {K_MAX:g}] W/(m·K)", mat.n)


def _share_a_face(a, b) -> bool:
    """Whether boxes ``a`` and ``b`` (x, y, z ranges in m) can share a face: they meet in every
    axis and overlap with positive length in at least two (only touching along an edge or at a
    corner, or apart, they share none)."""
    gaps = [min(ra[1], rb[1]) - max(ra[0], rb[0]) for ra, rb in zip(a, b)]
    return all(g > -EPS for g in gaps) and sum(g > EPS for g in gaps) >= 2
