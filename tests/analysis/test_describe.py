"""describe(pkg): the resolved facts of a layout agree with the package and its voxelized grid,
and the `validate` command prints exactly them."""

import pytest
from catalogue import CASES
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.analysis import describe
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import dump_toml, load_layout
from thermal_cpo.mesh import bytes_per_cell, voxelize


def test_describe_agrees_with_the_package_and_grid(catalogue_case):
    name, pkg = catalogue_case
    d = describe(pkg)
    mesh = voxelize(pkg)
    assert d["name"] == pkg.name
    # a component's power is its own, or its heat-source model's at the start (nominal_power)
    assert d["total_power_W"] == pytest.approx(sum(c.nominal_power for c in pkg.components()))
    assert d["total_power_W"] == pytest.approx(sum(c["power_W"] for c in d["components"]))
    assert d["grid"]["n_cells"] == mesh.n_cells
    assert (d["grid"]["nz"], d["grid"]["ny"], d["grid"]["nx"]) == mesh.shape
    assert d["grid"]["dz_m"] == (pytest.approx(mesh.dz.min()), pytest.approx(mesh.dz.max()))
    # every layer, bottom to top, stacked without gaps and covering every cell layer once
    assert [r["name"] for r in d["layers"]] == [layer.name for layer in pkg.layers]
    assert d["layers"][0]["z_bottom_m"] == 0.0
    for below, above in zip(d["layers"], d["layers"][1:]):
        assert above["z_bottom_m"] == pytest.approx(below["z_top_m"])
    assert sum(r["cells_z"] for r in d["layers"]) == mesh.shape[0]
    assert d["layers"][-1]["z_top_m"] == pytest.approx(pkg.height)
    # components as voxelized; their volumes fill the package
    assert [c["name"] for c in d["components"]] == [c.name for c in pkg.components()]
    vol = pkg.footprint.x * pkg.footprint.y * pkg.height
    assert sum(c["volume_m3"] for c in d["components"]) == pytest.approx(vol, rel=1e-9)
    assert all((c["power_at"] is None) == (c["power_W"] == 0) for c in d["components"])
    # the active faces with the reference temperature their kind gives
    active = [(f, bc) for f, bc in pkg.boundaries.items() if bc.active]
    assert [(b["face"], b["type"], b["T_C"]) for b in d["boundaries"]] == [
        (f, bc.type, bc.reference_T) for f, bc in active]
    n_cooling = len(pkg.coldplates) + sum(layer.channels is not None for layer in pkg.layers)
    assert len(d["coolings"]) == n_cooling
    assert d["memory_estimate_bytes"] == mesh.n_cells * bytes_per_cell(pkg)
    assert d["all_adiabatic"] is False


def test_describe_flux_face_has_no_reference_temperature():
    d = describe(CASES["flux_bottom"]())
    flux = next(b for b in d["boundaries"] if b["face"] == "bottom")
    assert flux["type"] == "flux" and flux["T_C"] is None and flux["h_W_m2K"] is None
    top = next(b for b in d["boundaries"] if b["face"] == "top")
    assert (top["h_W_m2K"], top["T_C"], top["ranges_m"]) == (2e4, 30.0, {})


def test_describe_coolings():
    (plate,) = describe(CASES["compact_plate"]())["coolings"]
    assert plate["resolved"] is False and plate["face"] == "top" and plate["flow_direction"] == "+y"
    assert plate["flow_rate_m3_s"] == pytest.approx(50e-6 / 60) and plate["inlet_T_C"] == 25.0
    assert plate["n_channels"] == 10  # 3 mm across the flow at a 300 µm pitch
    (cavity,) = describe(CASES["resolved_cavity"]())["coolings"]
    assert cavity["resolved"] is True and cavity["name"] == "cavity"
    assert cavity["channel_height_m"] == pytest.approx(200e-6) and cavity["flow_direction"] == "-x"


def test_describe_refuses_a_grid_above_the_memory_limit():
    with pytest.raises(LayoutError, match="memory limit"):
        describe(load_layout("quickstart"), memory_limit="1 kB")


def test_an_all_adiabatic_package_is_flagged():
    pkg = CASES["convective_top"]()
    pkg = pkg.model_copy(update={"boundaries": pkg.boundaries.model_copy(update={"top": pkg.boundaries.xmin})})
    d = describe(pkg)
    assert d["all_adiabatic"] is True and d["boundaries"] == []


@pytest.mark.parametrize("case", ["fixed_sides", "compact_plate"])
def test_validate_prints_the_description(tmp_path, case):
    """The command shows describe's facts: the grid line and the cooling and boundary rows."""
    pkg = CASES[case]()
    f = tmp_path / f"{case}.toml"
    f.write_text(dump_toml(pkg), encoding="utf-8")
    d = describe(load_layout(str(f)))
    res = CliRunner().invoke(cli, ["validate", str(f)])
    assert res.exit_code == 0, res.output
    g = d["grid"]
    assert f"total power {d['total_power_W']:g} W; grid {g['nx']} × {g['ny']} × {g['nz']} = {g['n_cells']:,} cells" \
        in res.stdout
    assert ("Cooling" in res.stdout) == bool(d["coolings"])
    assert res.stdout.splitlines()[0] == f"{d['name']} — {d['source']}"
