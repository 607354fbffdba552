"""Checks across the parts of a package that no single part can make: names unique, materials
and coolants known, geometry on the package, rings inside their components, contacts between
existing components, coolings that fit and do not overlap. Every problem is reported with its
layout path, all at once."""

from __future__ import annotations

from ..errors import did_you_mean
from ..materials import coolants, library
from ..schema import fail, format_path
from .geometry import FACE_AXES, SNAP, overlap

EPS = 0.5 * SNAP


class PackageChecks:
    """Runs every cross-check of one package; ``errors`` collects pydantic error dicts."""

    def __init__(self, pkg):
        self.pkg = pkg
        self.errors: list[dict] = []
        self.known_materials = set(library()) | set(pkg.materials)
        self.known_coolants = {**coolants(), **pkg.coolants}
        self.seen: dict[str, tuple] = {}

    def run(self) -> list[dict]:
        """All problems found (empty when the package is consistent)."""
        self.components()
        self.boundaries()
        self.rings()
        self.probes()
        self.contacts()
        self.cooling()
        return self.errors

    # -- helpers ----------------------------------------------------------------------------------
    def err(self, loc, msg, value=None):
        self.errors.append(dict(type=fail(msg), loc=tuple(loc), input=value))

    def material(self, loc, name):
        if name is not None and name not in self.known_materials:
            self.err(loc, f"unknown material {name!r}{did_you_mean(name, self.known_materials)} "
                          "(see `thermal-cpo materials`, or define it under [materials])", name)

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

    def rings(self):
        pkg = self.pkg
        fx, fy = pkg.footprint.x, pkg.footprint.y
        extents = {}
        for i, (layer, (z0, z1)) in enumerate(zip(pkg.layers, pkg.layer_bounds())):
            extents[("layers", i)] = (layer, (0.0, fx), (0.0, fy), (z0, z1))
            for j, b in enumerate(layer.blocks):
                extents[("layers", i, "blocks", j)] = (b, b.x, b.y, (z0, z1))
        for j, b in enumerate(pkg.boxes):
            extents[("boxes", j)] = (b, b.x, b.y, b.z)
        for base, (comp, xr, yr, zr) in extents.items():
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
        for j, c in enumerate(self.pkg.contacts):
            for m, name in enumerate(c.between):
                if name not in self.seen:
                    self.err(("contacts", j, "between", m), f"no component named {name!r}"
                             f"{did_you_mean(name, self.seen)}", name)
            if c.between[0] == c.between[1]:
                self.err(("contacts", j, "between"), "a contact joins two different components", list(c.between))

    def coolant(self, loc, name, inlet):
        known = self.known_coolants
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
