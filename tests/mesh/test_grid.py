"""Voxelizer invariants on random layouts (hypothesis): exact volumes and powers, grid lines on
every interface, grading respected, every layer resolved."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from thermal_cpo import LayoutError
from thermal_cpo.mesh import graded_axis, voxelize
from thermal_cpo.layout import Package

um = st.integers(1, 2000)


@st.composite
def rect(draw, fx, fy):
    x0 = draw(st.integers(0, fx - 1))
    x1 = draw(st.integers(x0 + 1, fx))
    y0 = draw(st.integers(0, fy - 1))
    y1 = draw(st.integers(y0 + 1, fy))
    return [x0, x1], [y0, y1]


@st.composite
def layouts(draw):
    fx = draw(st.integers(200, 8000))
    fy = draw(st.integers(200, 8000))
    thick = draw(st.lists(st.sampled_from([2, 5, 37, 100, 250, 775, 2000]) | um, min_size=1, max_size=4))
    layers, n = [], 0
    mats = ["silicon", "copper", "sio2", "indium", "beol"]
    for i, t in enumerate(thick):
        blocks = []
        for _ in range(draw(st.integers(0, 3))):
            x, y = draw(rect(fx, fy))
            n += 1
            blocks.append(dict(name=f"b{n}", x=x, y=y, material=draw(st.sampled_from(mats)),
                               power=draw(st.floats(0, 500)),
                               power_at=draw(st.sampled_from(["volume", "bottom", "top"]))))
        layers.append(dict(name=f"L{i}", thickness=t, material=draw(st.sampled_from(mats)),
                           power=draw(st.sampled_from([0.0, 1.5])), blocks=blocks))
    height = sum(thick)
    boxes = []
    for _ in range(draw(st.integers(0, 2))):
        x, y = draw(rect(fx, fy))
        z0 = draw(st.integers(0, height - 1))
        z1 = draw(st.integers(z0 + 1, height))
        n += 1
        boxes.append(dict(name=f"box{n}", x=x, y=y, z=[z0, z1], material=draw(st.sampled_from(mats)),
                          power=draw(st.floats(0, 50))))
    grid = dict(max_cell_xy=max(fx, fy) / draw(st.integers(2, 24)),
                max_cell_z=height / draw(st.integers(1, 12)), grading=draw(st.floats(1.1, 2.0)))
    return dict(name="random", footprint=dict(x=fx, y=fy), grid=grid, layers=layers, boxes=boxes,
                boundaries=dict(top=dict(type="convective", h=1e4, T=25)))


def _voxelize_or_explain(data):
    """Voxelize; where a powered component is refused as fully covered, unpower it and retry,
    returning the names refused so the test can check they really have no visible cell."""
    import copy
    import re

    data = copy.deepcopy(data)
    hidden = []
    while True:
        pkg = Package.from_dict(data)
        try:
            return pkg, voxelize(pkg), hidden
        except LayoutError as exc:
            m = re.search(r"component '([^']+)' dissipates .* no cell of its own", str(exc))
            assert m, str(exc)
            hidden.append(m.group(1))
            for layer in data["layers"]:
                for item in [layer, *layer["blocks"]]:
                    if item["name"] == m.group(1):
                        item["power"] = 0.0
            for box in data["boxes"]:
                if box["name"] == m.group(1):
                    box["power"] = 0.0


def _reference_volumes(pkg, mesh):
    """Visible volumes by an independent painter on the coarse grid of fixed lines only."""
    xs, ys, zs = (np.unique(np.round(a, 12)) for a in (mesh.x, mesh.y, mesh.z))
    comp = np.full((len(zs) - 1, len(ys) - 1, len(xs) - 1), -1)
    for c in mesh.components:
        x0, x1, y0, y1, z0, z1 = c.bounds
        sl = tuple(slice(*np.searchsorted(a, [lo - 1e-13, hi - 1e-13]))
                   for a, lo, hi in ((zs, z0, z1), (ys, y0, y1), (xs, x0, x1)))
        comp[sl] = c.id
    vol = np.diff(zs)[:, None, None] * np.diff(ys)[None, :, None] * np.diff(xs)[None, None, :]
    return np.bincount(comp.ravel(), weights=vol.ravel(), minlength=len(mesh.components))


def _ratios(nodes):
    d = np.diff(nodes)
    return np.maximum(d[1:] / d[:-1], d[:-1] / d[1:]) if len(d) > 1 else np.ones(1)


@given(layouts())
def test_voxelizer_invariants(data):
    pkg, mesh, hidden = _voxelize_or_explain(data)
    for name in hidden:  # refused: a powered component with no visible cell where its power goes
        c = mesh.components[mesh.component_id(name)]
        k0, k1, j0, j1, i0, i1 = c.index
        if c.power_at == "bottom":
            k1 = k0 + 1
        elif c.power_at == "top":
            k0 = k1 - 1
        assert not np.any(mesh.component[k0:k1, j0:j1, i0:i1] == c.id)
    g = pkg.grid
    # interfaces on grid lines: every layer boundary and block/box face is a node (1 nm snapped)
    for c in mesh.components:
        x0, x1, y0, y1, z0, z1 = c.bounds
        for nodes, vals in ((mesh.x, (x0, x1)), (mesh.y, (y0, y1)), (mesh.z, (z0, z1))):
            for v in vals:
                assert np.min(np.abs(nodes - v)) < 1e-15
    # grading and largest cell size respected everywhere
    for nodes, hmax in ((mesh.x, g.max_cell_xy), (mesh.y, g.max_cell_xy), (mesh.z, g.max_cell_z)):
        assert np.all(np.diff(nodes) > 0)
        assert _ratios(nodes).max() <= g.grading * (1 + 1e-9)
        assert np.diff(nodes).max() <= hmax * (1 + 1e-9)
    # every layer has its own cells
    for z0, z1 in pkg.layer_bounds():
        assert np.count_nonzero((mesh.z[:-1] >= z0 - 1e-15) & (mesh.z[1:] <= z1 + 1e-15)) >= 1
    # volumes: visible volume equals the exact painted volume; unpainted-over ones the declared one
    vols = mesh.component_volumes()
    ref = _reference_volumes(pkg, mesh)
    np.testing.assert_allclose(vols, ref, rtol=1e-12, atol=1e-12 * ref.max())
    assert vols.sum() == pytest.approx(pkg.footprint.x * pkg.footprint.y * pkg.height, rel=1e-12)
    last = mesh.components[-1]
    assert vols[last.id] == pytest.approx(last.declared_volume, rel=1e-12)
    # power: per component and in total, to 1e-12
    per = np.bincount(mesh.component.ravel(), weights=mesh.power.ravel(), minlength=len(mesh.components))
    for c in mesh.components:
        if c.power > 0:
            assert per[c.id] == pytest.approx(c.power, rel=1e-12)
            if c.power_at != "volume":  # face powers sit in one cell layer of the component
                k = c.index[0] if c.power_at == "bottom" else c.index[1] - 1
                layer = mesh.power[k][mesh.component[k] == c.id].sum()
                assert layer == pytest.approx(c.power, rel=1e-12)
    assert mesh.power.sum() == pytest.approx(pkg.total_power, rel=1e-12, abs=1e-300)


@given(st.lists(st.floats(1e-3, 1e3), min_size=1, max_size=8), st.floats(0.5, 500), st.floats(1.1, 2.0))
def test_graded_axis_respects_grading_and_fixed_lines(lengths, h, g):
    br = np.unique(np.round(np.concatenate([[0], np.cumsum(lengths)]) * 1e-6 / 1e-9) * 1e-9)
    if len(br) < 2:
        return
    nodes = graded_axis(br, np.full(len(br) - 1, h * 1e-6), g)
    assert np.all(np.diff(nodes) > 0)
    assert _ratios(nodes).max() <= g * (1 + 1e-9)
    assert np.diff(nodes).max() <= h * 1e-6 * (1 + 1e-9)
    for b in br:
        assert np.min(np.abs(nodes - b)) == 0.0


def test_thin_film_keeps_its_own_cell():
    """A 2 µm film under mm layers is one (or more) cells of its own, not averaged away."""
    pkg = Package.from_dict(dict(
        name="film", footprint=dict(x=1000, y=1000), grid=dict(max_cell_z=500),
        layers=[dict(name="die", thickness=775, material="silicon"),
                dict(name="film", thickness=2, material="sio2"),
                dict(name="lid", thickness=2000, material="copper")],
        boundaries=dict(top=dict(type="convective", h=1e4, T=25))))
    mesh = voxelize(pkg)
    film = mesh.component == mesh.component_id("film")
    assert film.any()
    ks = np.nonzero(film[:, 0, 0])[0]
    assert mesh.z[ks[-1] + 1] - mesh.z[ks[0]] == pytest.approx(2e-6, rel=1e-9)
