"""Two results side by side (``thermal-cpo compare A.h5 B.h5``): per component, T_max, T_mean
and, where both have one, T_junction of A and B and their difference ΔT = B − A (K); where the
two grids are the same, the map of B − A over one cell layer.

A component is compared when both results hold one of its name; the others are listed as only in
A or only in B. Of a transient result the last stored field is compared (its component table is
that of the last step). Grids are the same when their node coordinates agree to 1 pm: geometry is
snapped to 1 nm, so a difference below that is rounding, and the two fields then share their cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import LayoutError

#: the temperatures compared, in the order of the table (°C)
QUANTITIES = ("T_max", "T_mean", "T_junction")
#: node coordinates (m) of two grids closer than this are the same grid line
GRID_TOL = 1e-12
#: half-width (K) of the difference map's colour scale when B equals A everywhere
ZERO_WINDOW = 0.5


@dataclass
class Comparison:
    """What :func:`compare` found: ``rows`` (one dict per shared component: ``name`` and, per
    quantity Q of :data:`QUANTITIES`, ``Q_a``, ``Q_b`` (°C) and ``dQ`` = B − A (K); None where
    either lacks it), ``only_in_a`` / ``only_in_b`` (component names), ``same_grid``, ``note``
    (why there is no map, or ""), and where the grids are the same the map: ``difference``
    ``(ny, nx)`` of B − A (K) at cell layer ``k`` (``where`` says which), on the nodes ``x``,
    ``y`` (m); ``image``: the file it was saved to."""

    a: str
    b: str
    rows: list = field(default_factory=list)
    only_in_a: list = field(default_factory=list)
    only_in_b: list = field(default_factory=list)
    same_grid: bool = False
    note: str = ""
    difference: np.ndarray | None = None
    k: int | None = None
    where: str = ""
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    image: str | None = None

    def as_dict(self) -> dict:
        """The comparison as plain JSON-able data (the map as its extremes, not its cells)."""
        out = {"a": self.a, "b": self.b, "components": self.rows, "only_in_a": self.only_in_a,
               "only_in_b": self.only_in_b, "same_grid": self.same_grid, "note": self.note,
               "difference": None, "image": self.image}
        if self.difference is not None:
            out["difference"] = {"k": self.k, "where": self.where, "min": float(self.difference.min()),
                                 "max": float(self.difference.max())}
        return out

    def plot(self, cmap: str = "RdBu_r"):
        """The map of B − A (K) on a diverging colour map centred at 0 (symmetric limits, the
        largest |B − A|); a matplotlib Figure. An error when the grids differ."""
        if self.difference is None:
            raise LayoutError(f"no difference map: {self.note}", path="output")
        from ..viz.common import _cmap, _new_axes

        d = self.difference
        lim = float(np.abs(d).max()) or ZERO_WINDOW
        xm, ym = self.x * 1e3, self.y * 1e3
        aspect = (ym[-1] - ym[0]) / (xm[-1] - xm[0])
        fig, ax = _new_axes(None, (7.6, float(np.clip(1.25 + 5.6 * aspect, 3.5, 9.5))))
        qm = ax.pcolormesh(xm, ym, d, shading="flat", cmap=_cmap(cmap), vmin=-lim, vmax=lim, rasterized=True)
        fig.colorbar(qm, ax=ax, shrink=0.92, pad=0.02).set_label("B − A [K]")
        ax.set_aspect("equal")
        ax.set_xlabel("x [mm]")
        ax.set_ylabel("y [mm]")
        ax.set_title(f"B − A: {Path(self.b).name} − {Path(self.a).name}\n{self.where};  "
                     f"ΔT = {d.min():+.3g} to {d.max():+.3g} K", fontsize=10)
        return fig


def _load(r, name: str):
    """``(result, label)``: a Result as given, or read from a result file."""
    if hasattr(r, "temperature") and hasattr(r, "components"):
        return r, getattr(r.package, "name", name)
    from ..results import load_result

    return load_result(r), str(r)


def _rows(ra, rb) -> tuple[list, list, list]:
    """The table of the components both hold (in A's order), and those only in A, only in B."""
    by_b = {c.name: c for c in rb.components}
    names_a = [c.name for c in ra.components]
    rows = []
    for ca in ra.components:
        cb = by_b.get(ca.name)
        if cb is None:
            continue
        row = {"name": ca.name}
        for q in QUANTITIES:
            va, vb = getattr(ca, q), getattr(cb, q)
            both = va is not None and vb is not None
            row[f"{q}_a"], row[f"{q}_b"] = va, vb
            row[f"d{q}"] = float(vb) - float(va) if both else None
        rows.append(row)
    return rows, [n for n in names_a if n not in by_b], [c.name for c in rb.components if c.name not in names_a]


def same_grid(ma, mb) -> bool:
    """Whether two meshes have the same node coordinates (to :data:`GRID_TOL`, m)."""
    for axis in ("x", "y", "z"):
        na, nb = np.asarray(getattr(ma, axis)), np.asarray(getattr(mb, axis))
        if na.shape != nb.shape or not np.allclose(na, nb, rtol=0.0, atol=GRID_TOL):
            return False
    return True


def _layer(cmp: Comparison, ra, d: np.ndarray, z) -> None:
    """Fill in the map of ``d`` = B − A ``(nz, ny, nx)`` at height ``z`` (bare µm or with units;
    None: the cell layer holding the largest |B − A|)."""
    from ..viz import inputs
    from ..viz.slicing import _cell_index, _layer_of_row

    mesh = ra.mesh
    zm = inputs.length(z, "z")
    if zm is None:
        k = int(np.unravel_index(np.argmax(np.abs(d)), d.shape)[0])
        cmp.where = f"the cell layer of the largest |B − A|, in {_layer_of_row(ra, k)}"
    else:
        zm = inputs.within(mesh.z, zm, "z", "z")
        k = _cell_index(mesh.z, zm)
        cmp.where = f"z = {zm * 1e6:.6g} µm, in {_layer_of_row(ra, k)}"
    cmp.k, cmp.difference = k, d[k]
    cmp.x, cmp.y = np.asarray(mesh.x), np.asarray(mesh.y)


def compare(a, b, z=None, output=None, dpi: int = 110) -> Comparison:
    """Compare two results (Result objects or result-file paths): the component table and,
    where the grids are the same, the map of B − A (K) at height ``z`` (bare µm or a string with
    units; default the cell layer holding the largest |B − A|), saved to ``output`` (.png,
    .pdf, .svg) when given. Grids that differ give the table alone and a ``note`` saying so
    (nothing is saved). Bad input raises :class:`~thermal_cpo.errors.LayoutError` whose ``path``
    is the keyword (``z``, ``output``)."""
    if output is not None and Path(output).suffix.lower() not in (".png", ".pdf", ".svg"):
        raise LayoutError(f"{output}: the image must be .png, .pdf or .svg", path="output")
    ra, la = _load(a, "A")
    rb, lb = _load(b, "B")
    cmp = Comparison(la, lb)
    cmp.rows, cmp.only_in_a, cmp.only_in_b = _rows(ra, rb)
    cmp.same_grid = same_grid(ra.mesh, rb.mesh)
    if not cmp.same_grid:
        sa, sb = "×".join(map(str, ra.mesh.shape)), "×".join(map(str, rb.mesh.shape))
        cmp.note = (f"the grids differ (A: {sa} cells, B: {sb}{'' if sa != sb else ', other node positions'}): "
                    "components compared, no difference map")
        return cmp
    d = np.asarray(rb.temperature, dtype=float) - np.asarray(ra.temperature, dtype=float)
    _layer(cmp, ra, d, z)
    if output is not None:
        try:
            cmp.plot().savefig(output, dpi=dpi)
        except OSError as exc:
            raise LayoutError(f"{output}: cannot write the image ({exc.strerror or exc})", path="output") from None
        cmp.image = str(output)
    return cmp


__all__ = ["compare", "Comparison", "same_grid", "QUANTITIES"]
