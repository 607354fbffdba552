"""The crosstalk matrix as printed: every number whole (no ellipsis), in mK/W, in column blocks
that fit the terminal width (``COLUMNS``), each parsing back to the matrix within its digits."""

from __future__ import annotations

import io

import numpy as np
from click.testing import CliRunner
from rich.console import Console

from thermal_cpo.analysis import crosstalk
from thermal_cpo.cli.crosstalk import PSI_DIGITS, print_crosstalk_matrix
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package, dump_toml


def _many_sources(n: int = 19) -> Package:
    """``n`` small powered dies (1 W each, names of varied length) in a 5-wide grid under a lid."""
    blocks = []
    for k in range(n):
        x0, y0 = 500 + 1600 * (k % 5), 500 + 1600 * (k // 5)
        blocks.append(dict(name=f"die{k}" + "x" * (k % 4), x=[x0, x0 + 1000], y=[y0, y0 + 1000],
                           power=1.0 + 0.1 * k))
    return Package.from_dict(dict(
        name="many", footprint=dict(x=8500, y=7000), grid=dict(max_cell_xy=500, max_cell_z=150),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=300, material="si", blocks=blocks),
                dict(name="lid", thickness=1000, material="cu")],
        boundaries=dict(top=dict(type="convective", h=2e4, T=35.0))))


def _blocks(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """Every crosstalk table in ``text`` (ASCII boxes): (header cells, body rows of cells)."""
    lines = text.splitlines()
    out = []
    for k, line in enumerate(lines):
        if line.startswith("|") and "target \\ source" in line:
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            for body in lines[k + 2:]:
                if not body.startswith("|"):
                    break
                rows.append([c.strip() for c in body.strip("|").split("|")])
            out.append((header, rows))
    return out


def _check_printed(text: str, sources: list[str], psi_mK: dict, width: int) -> None:
    assert "…" not in text and "..." not in text
    table_lines = [line for line in text.splitlines() if line[:1] in "|+"]
    assert table_lines and max(map(len, table_lines)) <= width, text
    blocks = _blocks(text)
    seen = []
    for header, rows in blocks:
        assert [r[0] for r in rows] == sources  # every block repeats every target row
        for row in rows:
            for name, cell in zip(header[1:], row[1:]):
                value = psi_mK[row[0], name]
                # PSI_DIGITS significant digits: half a unit of the last printed digit at most
                assert abs(float(cell) - value) <= 0.5 * 10.0 ** (1 - PSI_DIGITS) * abs(value), (cell, value)
        seen += header[1:]
    assert seen == sources and len(blocks) > 1


def test_matrix_of_many_sources_fits_80_columns_and_reads_back(tmp_path):
    """19 sources through `thermal-cpo crosstalk` at COLUMNS=80: the matrix in several blocks,
    each line within 80 characters, every cell the matrix value (mK/W) to its printed digits."""
    pkg = _many_sources()
    f = tmp_path / "many.toml"
    f.write_text(dump_toml(pkg))
    res = CliRunner().invoke(cli, ["crosstalk", str(f)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    xt = crosstalk(pkg)
    assert len(xt.sources) == 19
    psi = {(t, s): xt(t, s) * 1e3 for t in xt.sources for s in xt.sources}
    _check_printed(res.stdout, xt.sources, psi, 80)


def test_tiny_and_large_values_print_whole():
    """Values from 1e-7 to 10 K/W (exponents included) are printed whole and parse back."""
    names = [f"source_{k}" for k in range(12)]
    rng = np.random.default_rng(3)
    psi = 10.0 ** rng.uniform(-7, 1, size=(12, 12))
    buf = io.StringIO()
    out = Console(file=buf, highlight=False, soft_wrap=False, width=100)
    print_crosstalk_matrix({"sources": names, "targets": names, "psi_mean": psi.tolist()}, out)
    vals = {(a, b): psi[i, j] * 1e3 for i, a in enumerate(names) for j, b in enumerate(names)}
    _check_printed(buf.getvalue(), names, vals, 100)
