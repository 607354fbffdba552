"""Per-cell materials of components with a copper-density map or a void map, painted after the
components themselves (:func:`.voxelize.voxelize`).

A density map is resampled onto the component's cell columns conservatively — each column gets
the area-weighted mean of the pixels it overlaps (:func:`.power_maps.cell_means`, the overlap
matrices of the power maps) — the column densities are quantised
(:func:`thermal_cpo.materials.mixing.quantise`) and each level becomes one material, named by
:func:`thermal_cpo.layout.media.level_name`. A void map (:mod:`.voids`) turns the columns it
covers most into cells of its material. Only the component's own visible cells change.
"""

from __future__ import annotations

import numpy as np

from ..errors import LayoutError
from ..layout.media import level_material, level_name
from ..layout.power_map import pixel_edges
from ..materials import Material
from ..materials.mixing import DENSITY_LEVELS, quantise
from .power_maps import cell_means
from .voids import column_coverage, select_columns, void_raster


def column_densities(comp, x_nodes, y_nodes) -> np.ndarray:
    """The area-weighted mean metal density ``(ny, nx)`` of ``comp``'s map over the grid columns
    between ``x_nodes`` and ``y_nodes`` (m; the component's own span), to 1e-13."""
    rows = np.array(comp.metal_density, dtype=float)
    ny, nx = rows.shape
    xe = pixel_edges(x_nodes[0], x_nodes[-1], nx)
    ye = pixel_edges(y_nodes[0], y_nodes[-1], ny)
    # rounded to 1e-13 (far below any map's precision): the rounding of the overlap sums
    # would otherwise split one density of the map into several levels an ulp apart
    return np.clip(np.round(cell_means(rows, xe, ye, x_nodes, y_nodes), 13), 0.0, 1.0)


def paint_media(pkg, objs, infos, x, y, material, component, mat_id,
                path_of=lambda name: name) -> tuple[dict[str, Material], dict]:
    """Repaint the cells of every component with a density or void map (``objs``: the layout
    components in painting order, ``infos`` their :class:`~.mesh.ComponentInfo`; ``x``, ``y``:
    node arrays in m); ``material`` (uint16 ids) is changed in place, new names get ids from
    ``mat_id(name)``; ``path_of(name)`` gives a component's layout path for errors. Returns the
    generated materials by name and, per component with a map, ``{"levels", "bound"}``
    (density map: the level densities and the largest quantisation error of a density) or
    ``{"fraction"}`` (void map: the realised void fraction, dimensionless)."""
    generated: dict[str, Material] = {}
    report: dict[str, dict] = {}
    for obj, c in zip(objs, infos):
        density, voids = getattr(obj, "metal_density", None), getattr(obj, "voids", None)
        if density is None and voids is None:
            continue
        k0, k1, j0, j1, i0, i1 = c.index
        xn, yn = np.asarray(x[i0:i1 + 1], dtype=float), np.asarray(y[j0:j1 + 1], dtype=float)
        own = component[k0:k1, j0:j1, i0:i1] == c.id
        block = material[k0:k1, j0:j1, i0:i1]
        if density is not None:
            seen = own.any(axis=0)  # columns later components cover entirely need no level
            levels, index, bound = quantise(column_densities(obj, xn, yn)[seen], DENSITY_LEVELS)
            ids = np.empty(len(levels), dtype=np.uint16)
            for n, d in enumerate(levels):
                name = level_name(obj.name, d)
                generated[name] = level_material(pkg, obj, float(d))
                ids[n] = mat_id(name)
            column_ids = np.zeros(seen.shape, dtype=np.uint16)
            column_ids[seen] = ids[index]
            block[own] = np.broadcast_to(column_ids, block.shape)[own]
            report[obj.name] = {"levels": levels, "bound": bound}
        if voids is not None:
            try:
                covered, xe, ye, _ = void_raster((xn[0], xn[-1], yn[0], yn[-1]), voids.diameter,
                                                 voids.fraction, voids.seed)
            except LayoutError as exc:
                raise LayoutError(exc.problems[0][1], path=f"{path_of(c.name)}.{exc.path}") from None
            void, realised = select_columns(column_coverage(covered, xe, ye, xn, yn), xn, yn, voids.fraction)
            mask = own & void[None, :, :]
            block[mask] = mat_id(voids.material)
            report[obj.name] = {"fraction": realised}
    return generated, report


__all__ = ["paint_media", "column_densities"]
