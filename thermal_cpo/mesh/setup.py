"""What the stages after voxelizing need from the package, resolved once on the grid: the face
conditions with the cells they cover, contact resistances between component ids, the cooling
regions with their coolants, probe cells, the folder relative input files are read from, the
trace file and a transient's initial condition.

Nothing in the pipeline after the mesh reads the Package: it reads this (the consumers of a
result — report, plots, the result file — still name its layers and components).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..layout import Package
from ..layout.geometry import FACE_AXES
from ..materials import Coolant, Material

#: the layout of each face's cells in a (nz, ny, nx) field: the two axes of its 2-D arrays
FACE_LAYOUT = {"top": ("y", "x"), "bottom": ("y", "x"), "xmin": ("z", "y"), "xmax": ("z", "y"),
               "ymin": ("z", "x"), "ymax": ("z", "x")}


def face_cells(face: str, field: np.ndarray) -> np.ndarray:
    """The layer of cells of a ``(nz, ny, nx)`` field on one outer face (a view), in the face's
    layout: ``(ny, nx)`` for top/bottom, ``(nz, ny)`` for x faces, ``(nz, nx)`` for y faces."""
    return {"bottom": lambda f: f[0], "top": lambda f: f[-1],
            "xmin": lambda f: f[:, :, 0], "xmax": lambda f: f[:, :, -1],
            "ymin": lambda f: f[:, 0, :], "ymax": lambda f: f[:, -1, :]}[face](field)


@dataclass(frozen=True, eq=False)
class FaceCondition:
    """A boundary condition on one face: its layout spec (a registered boundary kind), ``mask``
    (1.0 on the face cells inside its rectangle, else 0.0; the face's layout), the cell-centre
    coordinates (m) along the face's two layout axes, the rectangle ``span`` ((lo, hi) m per
    layout axis: its ranges, else the whole face) and where relative files are read from."""

    face: str
    spec: object
    mask: np.ndarray
    centres: tuple[np.ndarray, np.ndarray]
    span: tuple[tuple[float, float], tuple[float, float]]
    source_dir: Path

    @property
    def path(self) -> str:
        """Where the condition is in the layout (for error messages)."""
        return f"boundaries.{self.face}"


@dataclass(frozen=True, eq=False)
class CoolingRegion:
    """One cooling of the package: its layout spec (a registered cooling kind), its name and
    layout path, ``family`` (``"face"`` or ``"layer"``), the z range (m) of its layer and that
    layer's component id (layer coolings), and its coolant's property tables."""

    spec: object
    name: str
    path: str
    family: str
    z_range: tuple[float, float]
    component: int
    coolant: Coolant
    plate: Material | None = None  # the material of a plate that is not meshed
    wall_material: str | None = None  # the fill of a layer cooling's layer (its walls)
    thickness: float = 0.0  # the thickness (m) of a layer cooling's layer, as declared


@dataclass(frozen=True, eq=False)
class MeshSetup:
    """The package resolved on a grid; see the module's docstring."""

    faces: tuple[FaceCondition, ...]
    contacts: tuple[tuple[int, int, float], ...]
    coolings: tuple[CoolingRegion, ...]
    #: (name, (x, y, z) in m) per probe; values are interpolated there (:func:`.sampling.point_weights`)
    probes: tuple[tuple[str, tuple[float, float, float]], ...]
    footprint: object  # the package outline (x, y in m)
    source_dir: Path
    trace_file: Path | None = None  # the layout's CSV of power traces, resolved
    initial: object = None  # the layout's [initial] of a transient (a layout.Initial)
    loops: tuple = ()  # the layout's coolant loops (layout.Loop), members named as the coolings

    @property
    def has_coolant(self) -> bool:
        return bool(self.coolings)


def source_dir(pkg: Package) -> Path:
    """The folder relative file names in a layout are read from: the layout file's own, else
    the working directory (a shipped layout or one built in Python)."""
    where = pkg.source_path
    if where and not where.startswith("shipped:"):
        return Path(where).parent
    return Path(".")


def _face_condition(face, bc, x, y, z, base) -> FaceCondition:
    centres = {ax: 0.5 * (n[1:] + n[:-1]) for ax, n in (("x", x), ("y", y), ("z", z))}
    a0, a1 = FACE_LAYOUT[face]
    nodes = {"x": x, "y": y, "z": z}
    masks, span = [], []
    for ax in (a0, a1):
        rng, c = getattr(bc, ax), centres[ax]
        masks.append(np.ones(len(c), bool) if rng is None else (c > rng[0]) & (c < rng[1]))
        span.append(tuple(rng) if rng is not None else (float(nodes[ax][0]), float(nodes[ax][-1])))
    mask = (masks[0][:, None] & masks[1][None, :]).astype(float)
    return FaceCondition(face, bc, mask, (centres[a0], centres[a1]), tuple(span), base)


def mesh_setup(pkg: Package, x, y, z, components) -> MeshSetup:
    """Resolve the package's conditions on the grid of node arrays ``x, y, z`` (m) with its
    voxelized ``components`` (:class:`~.mesh.ComponentInfo`, painting order)."""
    base = source_dir(pkg)
    faces = tuple(_face_condition(f, bc, x, y, z, base) for f, bc in pkg.boundaries.items() if bc.active)
    ids = {c.name: c.id for c in components}
    contacts = tuple((ids[c.between[0]], ids[c.between[1]], c.r) for c in pkg.contacts)
    coolings = [CoolingRegion(cp, cp.name, f"coldplates[{i}]", "face", (0.0, pkg.height), -1,
                              _coolant(pkg, cp.name, cp), _plate(pkg, cp)) for i, cp in enumerate(pkg.coldplates)]
    for i, (layer, zr) in enumerate(zip(pkg.layers, pkg.layer_bounds())):
        if layer.channels is not None:
            coolings.append(CoolingRegion(layer.channels, layer.name, f"layers[{i}].channels", "layer",
                                          zr, ids[layer.name], _coolant(pkg, layer.name, layer.channels),
                                          wall_material=layer.material, thickness=layer.thickness))
    probes = tuple((p.name, (float(p.x), float(p.y), float(p.z))) for p in pkg.probes)
    trace_file = None
    if pkg.trace_file:
        trace_file = Path(pkg.trace_file) if Path(pkg.trace_file).is_absolute() else base / pkg.trace_file
    return MeshSetup(faces, contacts, tuple(coolings), probes, pkg.footprint, base, trace_file, pkg.initial,
                     tuple(pkg.loops))


def _coolant(pkg: Package, name: str, spec) -> Coolant:
    """A cooling's coolant: its loop's, else its own."""
    loop = pkg.loop_of(name)
    return pkg.coolant(loop.coolant if loop is not None else spec.coolant)


def _plate(pkg: Package, spec) -> Material | None:
    name = getattr(spec, "material", None)
    return pkg.material(name) if name is not None else None


__all__ = ["FACE_LAYOUT", "FACE_AXES", "face_cells", "FaceCondition", "CoolingRegion", "MeshSetup",
           "mesh_setup", "source_dir"]
