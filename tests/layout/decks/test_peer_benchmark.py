"""The peers' benchmark decks (tests/decks, HotSpot 7 and 3D-ICE 4 formats) imported and solved:
the peers' converged answers, the native layout of the same problem, and the peers' own tables.

The benchmark [thermalcpo-peerdecks-2026]: 3D-ICE 4.0 gives 415.27 K at the die centre and
359.89 K in the photonic-engine sources (converged in z: 415.24 / 359.75 K with every layer
doubled); HotSpot 7.0 gives 414.35 K / 359.82 K, moving 0.43 K per doubling of its first-order
z placement, towards about 415.2 K. The continuum answer is therefore about 415.2 K and 359.8 K.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from thermal_cpo import load_layout, solve_steady
from thermal_cpo.analysis.peer_tables import peer_table
from thermal_cpo.layout.decks import import_3dice, import_hotspot

DECKS = Path(__file__).resolve().parents[2] / "decks"
K = 273.15
#: the continuum answers of the benchmark (K) and the tolerance the peers' own spread sets:
#: 3D-ICE (converged in z) and HotSpot's z-extrapolation agree on them within about 0.1 K, and
#: the source layer's 10 µm spread shifts the face by up to 0.15 K
CORE_K, PE_K, TOL_K = 415.2, 359.8, 0.3


def hotspot(lcf="cpo_bench.lcf"):
    d = DECKS / "hotspot"
    return import_hotspot(d / "cpo_bench.config", d / "die_src.flp", lcf=d / lcf, ptrace=d / "cpo_bench.ptrace")


@pytest.fixture(scope="module")
def solved():
    """``{name: (imported or None, result)}`` for the native layout and both imports."""
    out = {"native": (None, solve_steady(load_layout("die-tim-lid"), tol=1e-12))}
    for name, imp in (("3dice", import_3dice(DECKS / "3dice" / "cpo_bench.stk")), ("hotspot", hotspot())):
        out[name] = (imp, solve_steady(imp.package, tol=1e-12))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("peer", ["3dice", "hotspot"])
def test_each_import_reproduces_the_peers_converged_answer(solved, peer):
    _, r = solved[peer]
    assert abs(r.component("CORE").T_junction + K - CORE_K) <= TOL_K
    for pe in ("PE_S", "PE_N", "PE_W", "PE_E"):
        assert abs(r.component(pe).T_junction + K - PE_K) <= TOL_K
    # the deck's own energy check: the lid-top mean sits at 298.15 + 420 / (h A) = 350.65 K
    top = r.temperature[-1]
    w = r.mesh.dy[:, None] * r.mesh.dx[None, :]
    h, kz, dz = r.mesh.package.boundaries.top.h, 400.0, r.mesh.dz[-1]
    T_face = ((top * w).sum() / w.sum() * 2 * kz / dz + h * 25) / (2 * kz / dz + h)  # film balance
    assert abs(T_face - (25 + 420 / (h * 0.02 ** 2))) < 1e-8  # energy balance to 1e-12 of 52.5 K, loosely
    assert abs(T_face + K - 350.65) < 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("peer", ["3dice", "hotspot"])
def test_each_import_is_the_native_layout(solved, peer):
    """Same grid, same field: agreement to 1e-6 of the rise. The HotSpot deck's h is
    1/(r_convec·s_sink²) = 20000.0008 W/(m²·K), 4e-8 off the native 2e4."""
    _, native = solved["native"]
    _, r = solved[peer]
    assert r.mesh.shape == native.mesh.shape
    np.testing.assert_allclose(r.mesh.z, native.mesh.z, rtol=0, atol=1e-12)
    rise = native.temperature.max() - 25.0
    assert np.abs(r.temperature - native.temperature).max() <= 1e-6 * rise


@pytest.mark.slow
def test_the_tables_are_the_peers_formats_with_our_values(solved):
    imp, r = solved["3dice"]
    lines = peer_table(r, imp).splitlines()
    assert lines[0] == "% Maximum temperatures for the floorplan of the die DIE"
    names = [c.strip().removesuffix("(K)") for c in lines[1].split("\t")[1:-1]]
    assert names == ["CORE", "PE_S", "PE_N", "PE_W", "PE_E"]
    values = dict(zip(names, map(float, lines[2].split("\t")[1:-1])))
    assert values["CORE"] == pytest.approx(r.component("CORE").T_junction + K, abs=5e-4)
    imp, r = solved["hotspot"]
    rows = dict(line.split("\t") for line in peer_table(r, imp).splitlines())
    # every unit of every layer of the deck, in HotSpot's naming, in K
    assert len(rows) == 21 + 17 and "layer_0_CORE" in rows and "layer_17_ALL" in rows
    assert float(rows["layer_0_CORE"]) == pytest.approx(r.component("CORE").T_junction + K, abs=5e-3)
    # through the stack the layer maxima fall monotonically from the die to the lid top
    stack = [float(rows[f"layer_{n}_ALL"]) for n in range(1, 18)]
    assert all(a > b for a, b in zip(stack, stack[1:]))


def test_the_z2_decks_import_to_the_same_physics():
    """The doubled decks give our layers half the cell height: the same package, a finer grid."""
    a, b = import_3dice(DECKS / "3dice" / "cpo_bench.stk"), import_3dice(DECKS / "3dice" / "cpo_bench_z2.stk")
    assert [layer.thickness for layer in a.package.layers] == [layer.thickness for layer in b.package.layers]
    assert [2 * layer.max_cell_z for layer in b.package.layers] == pytest.approx(
        [layer.max_cell_z for layer in a.package.layers])
    h2 = hotspot("cpo_bench_z2.lcf")
    assert [layer.max_cell_z for layer in h2.package.layers] == pytest.approx(
        [layer.max_cell_z for layer in b.package.layers])
