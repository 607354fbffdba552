"""The command line: every subcommand's output agrees with the Python API it wraps."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numba
import numpy as np
import pytest
from click.testing import CliRunner

import thermal_cpo
from thermal_cpo.cli.main import cli
from thermal_cpo.mesh import voxelize
from thermal_cpo.layout import load_layout, shipped_layouts
from thermal_cpo.materials import coolants, library
from thermal_cpo.layout import Package


def invoke(*args):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def table_rows(text: str, title: str) -> list[list[str]]:
    """Body rows of the plain (ASCII) table printed under ``title``: lists of stripped cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    # title, border, header, border, rows..., border
    assert lines[start + 1].startswith("+") and lines[start + 3].startswith("+")
    rows = []
    for line in lines[start + 4:]:
        if line.startswith("+"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    assert rows and all(r[0] for r in rows), f"a wrapped or empty row in {title!r}:\n{text}"
    return rows


def table_header(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    return [c.strip() for c in lines[start + 2].strip().strip("|").split("|")]


# ---------------------------------------------------------------------------------------------
# layouts
# ---------------------------------------------------------------------------------------------
def test_layouts_lists_every_shipped_layout():
    result = invoke("layouts")
    assert result.exit_code == 0, result.output
    rows = table_rows(result.stdout, "Shipped layouts")
    shipped = shipped_layouts()
    assert [r[0] for r in rows] == list(shipped)
    assert len(shipped) >= 1 and "quickstart" in shipped
    for (name, desc), row in zip(shipped.items(), rows):
        assert desc, f"shipped layout {name} has no description"
        assert row[1] == desc[: len(row[1])] and len(row[1]) >= min(len(desc), 40)


def test_every_shipped_layout_validates():
    for name in shipped_layouts():
        result = invoke("validate", name)
        assert result.exit_code == 0, f"{name}: {result.output}"
        assert result.stderr == ""


# ---------------------------------------------------------------------------------------------
# materials
# ---------------------------------------------------------------------------------------------
def test_materials_lists_library_and_coolants():
    result = invoke("materials")
    assert result.exit_code == 0, result.output
    title = next(line.strip() for line in result.stdout.splitlines() if line.startswith("Material library"))
    rows = table_rows(result.stdout, title)
    lib = library()
    assert [r[0] for r in rows] == list(lib)
    for row in rows:
        m = lib[row[0]]
        assert row[1] == m.category
        kx, ky, kz = m.k
        k = f"{kx:g}" if m.isotropic else f"{kx:g}/{ky:g}/{kz:g}"
        assert row[2] == k + (" k(T)" if m.temperature_dependent else "")
        assert float(row[3]) == pytest.approx(m.rho, rel=1e-5)
        assert float(row[4]) == pytest.approx(m.cp, rel=1e-5)
        assert (row[5] == "A") == m.assumed
    cool = table_rows(result.stdout, "Coolants")
    assert [r[0] for r in cool] == list(coolants())
    for row in cool:
        c = coolants()[row[0]]
        assert row[1] == f"{c.T[0]:g}–{c.T[-1]:g}"


def test_materials_copper_shows_k():
    result = invoke("materials", "copper")
    assert result.exit_code == 0, result.output
    m = library()["copper"]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("copper (metal)")
    assert f"k = {m.k[0]:g} W/(m·K)" in lines
    assert f"rho = {m.rho:g} kg/m³" in lines
    assert f"cp = {m.cp:g} J/(kg·K)" in lines
    assert any(line.startswith("source: ") and len(line) > len("source: ") + 5 for line in lines)


def test_materials_anisotropic_and_temperature_dependent():
    lib = library()
    aniso = next(n for n, m in lib.items() if not m.isotropic)
    kx, ky, kz = lib[aniso].k
    result = invoke("materials", aniso)
    assert result.exit_code == 0
    assert f"k = [{kx:g}, {ky:g}, {kz:g}] W/(m·K)" in result.stdout.splitlines()
    hot = next(n for n, m in lib.items() if m.temperature_dependent)
    result = invoke("materials", hot)
    assert result.exit_code == 0
    m = lib[hot]
    assert f"n = {m.n:g}" in result.stdout and "k(T)" in result.stdout


def test_materials_coolant():
    name, c = next(iter(coolants().items()))
    result = invoke("materials", name)
    assert result.exit_code == 0, result.output
    rows = table_rows(result.stdout, f"coolant {name}")
    assert [float(r[0]) for r in rows] == pytest.approx(list(c.T))
    assert [float(r[3]) for r in rows] == pytest.approx(list(c.k), rel=1e-3)
    assert "source:" in result.stdout


@pytest.mark.parametrize("name, hint", [("nosuch", None), ("coper", "'copper'"),
                                         ("silicone", "'silicon'")])
def test_materials_unknown_name(name, hint):
    result = invoke("materials", name)
    assert result.exit_code == 2
    assert result.stdout == ""
    msg = result.stderr.strip()
    assert msg.startswith("error: ") and "\n" not in msg
    assert f"unknown material or coolant {name!r}" in msg
    assert "thermal-cpo materials" in msg  # where to find the list, even with no near miss
    if hint:
        assert "did you mean" in msg and hint in msg


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------
def test_validate_quickstart_matches_api():
    result = invoke("validate", "quickstart")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = result.stdout
    pkg = load_layout("quickstart")
    mesh = voxelize(pkg)
    nz, ny, nx = mesh.shape
    assert out.splitlines()[0] == f"{pkg.name} — shipped:quickstart"

    layers = table_rows(out, "Layers (bottom to top)")
    assert [r[0] for r in layers] == [layer.name for layer in pkg.layers]
    assert [r[3] for r in layers] == [layer.material for layer in pkg.layers]
    cells_z = [int(r[4]) for r in layers]
    assert sum(cells_z) == nz and all(n >= 1 for n in cells_z)

    comps = table_rows(out, "Components")
    assert [r[0] for r in comps] == [c.name for c in pkg.components()]
    assert [r[1] for r in comps] == [c.kind for c in mesh.components]
    assert [r[2] for r in comps] == [c.material for c in mesh.components]
    assert [float(r[3]) for r in comps] == pytest.approx([c.power for c in pkg.components()])
    vols = mesh.component_volumes() * 1e9
    assert [float(r[5]) for r in comps] == pytest.approx(list(vols), rel=1e-3)
    assert sum(float(r[5]) for r in comps) == pytest.approx(
        pkg.footprint.x * pkg.footprint.y * pkg.height * 1e9, rel=1e-3)

    bcs = table_rows(out, "Boundaries (other faces adiabatic)")
    active = [(f, bc) for f, bc in pkg.boundaries.items() if bc.active]
    assert [r[0] for r in bcs] == [f for f, _ in active]
    assert [float(r[2]) for r in bcs] == [bc.h for _, bc in active]
    assert [float(r[3]) for r in bcs] == [bc.T for _, bc in active]

    total = f"total power {pkg.total_power:g} W"
    assert total in out and pkg.total_power == 100.0
    assert f"{nx} × {ny} × {nz} = {mesh.n_cells:,} cells" in out
    assert mesh.n_cells >= 1000  # the thousands separator is really exercised
    assert "warning" not in out


def test_validate_json_is_the_resolved_layout():
    result = invoke("validate", "quickstart", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == load_layout("quickstart").to_dict()
    assert Package.from_dict(data) == load_layout("quickstart")


def test_validate_file_and_adiabatic_warning(tmp_path):
    text = """
name = "floating"
[footprint]
x = 1000
y = 1000
[[layers]]
name = "slab"
thickness = 100
material = "copper"
power = 1
"""
    f = tmp_path / "floating.toml"
    f.write_text(text, encoding="utf-8")
    result = invoke("validate", str(f))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"floating — {f}"
    assert "every face is adiabatic" in result.stdout
    assert "total power 1 W" in result.stdout


# ---------------------------------------------------------------------------------------------
# info, schema, help
# ---------------------------------------------------------------------------------------------
def test_info():
    result = invoke("info")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"thermal_cpo {thermal_cpo.__version__}"
    threads = [line for line in lines if line.startswith("numba threads ")]
    assert len(threads) == 1
    assert threads[0].startswith(
        f"numba threads {numba.get_num_threads()} of {numba.config.NUMBA_NUM_THREADS}")
    assert any(line.startswith(f"numpy {np.__version__}") for line in lines)
    assert re.search(r"^cpus \d+; memory available [\d.]+(e[+-]?\d+)? [kMGT]?B$", result.stdout, re.M)


def test_schema_is_json_describing_the_layout():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == Package.json_schema()
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert {"footprint", "layers"} <= set(schema["required"])
    for key in ("footprint", "grid", "materials", "layers", "boxes", "boundaries", "contacts"):
        assert key in schema["properties"]
    assert "Layer" in schema["$defs"] and "thickness" in schema["$defs"]["Layer"]["properties"]


def _schema_errors(data):
    import jsonschema  # a test dependency (pyproject [test])
    validator = jsonschema.Draft202012Validator(Package.json_schema())
    return [(list(e.absolute_path), e.message) for e in validator.iter_errors(data)]


@pytest.mark.parametrize("name", sorted(shipped_layouts()))
def test_shipped_layouts_satisfy_the_schema(name):
    """An editor using the schema must accept the shipped files (strings with units included)."""
    import tomllib

    data = tomllib.loads(load_layout(name).source_text)
    errors = _schema_errors(data)
    assert errors == []


def test_schema_accepts_scalar_material_k():
    data = {"footprint": {"x": 1, "y": 1}, "materials": {"m": {"k": 5, "rho": 1, "cp": 1}},
            "layers": [{"name": "a", "thickness": 1, "material": "m"}]}
    Package.from_dict(data)
    assert _schema_errors(data) == []


def test_schema_rejects_typos():
    data = {"footprint": {"x": "2 mm", "y": 2000},
            "layers": [{"name": "a", "thicknes": 1, "material": "copper"}]}
    errors = _schema_errors(data)
    assert any(path == ["layers", 0] and "thicknes" in msg for path, msg in errors)


def test_help_and_version_in_process():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("validate", "layouts", "materials", "info", "schema", "run"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command
    result = invoke("--version")
    assert result.exit_code == 0 and thermal_cpo.__version__ in result.stdout
    result = invoke("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_python_m_help():
    proc = subprocess.run([sys.executable, "-m", "thermal_cpo", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Usage: ")
    assert "validate" in proc.stdout and "materials" in proc.stdout
    assert proc.stderr == ""


# ---------------------------------------------------------------------------------------------
# problems found in the command line, fixed; kept as regression tests
# ---------------------------------------------------------------------------------------------
def test_coolant_table_headers_keep_their_units():
    name = next(iter(coolants()))
    result = invoke("materials", name)
    header = table_header(result.stdout, f"coolant {name}")
    assert header[1] == "ρ [kg/m³]" and header[4] == "μ [mPa·s]"


def test_materials_suggests_coolants():
    result = invoke("materials", "watr")
    assert result.exit_code == 2
    assert "'water'" in result.stderr


def test_names_with_brackets_are_printed_verbatim(tmp_path):
    f = tmp_path / "brackets.toml"
    f.write_text('name = "pkg [/x]"\n[footprint]\nx = 1000\ny = 1000\n'
                 '[[layers]]\nname = "slab [b]"\nthickness = 100\nmaterial = "copper"\n'
                 '[boundaries.top]\ntype = "fixed"\nT = 25\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(f)])
    assert result.exit_code == 0
    assert "pkg [/x]" in result.stdout and "slab [b]" in result.stdout


def test_bench_reports_multigrid_beside_stream_and_pyamg():
    r = invoke("bench", "16x30", "quickstart", "--repeats", "1", "--stream-mib", "24", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["triad_GBps"] > 0
    rows = {(c["case"], c["solver"]): c for c in data["cases"]}
    assert set(rows) == {("stack-16x30", "multigrid"), ("stack-16x30", "amg-rs"),
                         ("quickstart", "multigrid"), ("quickstart", "amg-rs")}
    for c in rows.values():
        assert c["residual"] <= 1e-9 and c["iterations"] >= 1
        assert c["total"] == pytest.approx(c["setup"] + c["solve"])
        assert c["sweeps"] == pytest.approx(c["total"] / c["sweep"])
        assert c["sweep_floor"] == pytest.approx(48 * c["cells"] / (data["triad_GBps"] * 1e9))
        assert c["step"] > 0 and c["step_iterations"] >= 1 and c["step_dt"] == 1e-3
    assert rows[("stack-16x30", "multigrid")]["cells"] == voxelize(
        __import__("thermal_cpo.bench", fromlist=["stack"]).stack(16, nz=30)).n_cells
    text = invoke("bench", "12", "--no-amg", "--repeats", "1", "--stream-mib", "24")
    assert text.exit_code == 0 and "STREAM triad" in text.output and "amg" not in text.output
    assert "Implicit step" in text.output


def test_bench_whole_solves_once_and_gives_time_and_peak_memory():
    """The whole solve's figures are those of solve_steady on the same package; a case of 0.5 M
    cells makes the peak a figure of the grid (between the operator and CG alone, 40 B/cell,
    and the guard's 140 B/cell)."""
    r = invoke("bench", "100x40", "--whole", "--json")
    assert r.exit_code == 0, r.output
    (c,) = json.loads(r.output)["cases"]
    mesh = voxelize(__import__("thermal_cpo.bench", fromlist=["stack"]).stack(100, nz=40))
    assert c["case"] == "stack-100x40" and c["cells"] == mesh.n_cells
    assert c["shape"] == list(mesh.shape) and c["iterations"] >= 1 and c["energy_balance"] <= 1e-9
    assert c["wall"] > 0 and 40 <= c["bytes_per_cell"] <= 140
    text = invoke("bench", "12", "--whole")
    assert text.exit_code == 0 and "Whole steady solve" in text.output and "B/cell" in text.output


@pytest.mark.parametrize("args, word", [(["no-such-layout"], "no-such-layout"),
                                         (["12", "--repeats", "0"], "repeats")])
def test_bench_bad_input_exits_2(args, word):
    r = invoke("bench", *args, "--stream-mib", "24")
    assert r.exit_code == 2 and word in r.output


def test_run_solver_option_and_unknown_solver():
    a = invoke("run", "quickstart", "--solver", "multigrid", "--json")
    b = invoke("run", "quickstart", "--solver", "amg", "--json")
    assert a.exit_code == 0 and b.exit_code == 0
    ja, jb = json.loads(a.output), json.loads(b.output)
    assert ja["solver"]["method"] == "multigrid" and jb["solver"]["method"] == "amg-rs"
    ta = {c["name"]: c["T_max"] for c in ja["components"]}
    tb = {c["name"]: c["T_max"] for c in jb["components"]}
    assert ta == pytest.approx(tb, rel=1e-9)
    bad = invoke("run", "quickstart", "--solver", "multigird")
    assert bad.exit_code == 2 and "multigrid" in bad.output


def test_run_refuses_to_write_its_result_over_the_layout(tmp_path):
    """``run L.toml -o L.toml`` is an input error and the layout file is left as it was."""
    from thermal_cpo.layout import dump_toml, load_layout

    layout = tmp_path / "pkg.toml"
    layout.write_text(dump_toml(load_layout("quickstart")), encoding="utf-8")
    before = layout.read_bytes()
    for cmd in (["run", str(layout), "-o", str(layout)], ["crosstalk", str(layout), "-o", str(layout)]):
        res = CliRunner().invoke(cli, cmd)
        assert res.exit_code == 2, res.output
        assert "layout file itself" in res.output and "Traceback" not in res.output
        assert layout.read_bytes() == before
