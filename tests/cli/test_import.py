"""``thermal-cpo import``: the layout it writes is the one the Python import builds, and the table
it writes is the peer's format filled from the solve of that layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from thermal_cpo import load_layout, solve_steady
from thermal_cpo.analysis.peer_tables import peer_table
from thermal_cpo.cli.main import cli
from thermal_cpo.layout.decks import import_hotspot

DECKS = Path(__file__).resolve().parents[1] / "decks"


@pytest.fixture
def coarse_hotspot(tmp_path):
    """The HotSpot benchmark deck on a 16 × 16 grid (a quick solve)."""
    d = tmp_path / "hotspot"
    shutil.copytree(DECKS / "hotspot", d)
    cfg = d / "cpo_bench.config"
    cfg.write_text(cfg.read_text().replace("-grid_rows\t\t\t128", "-grid_rows\t\t\t16")
                   .replace("-grid_cols\t\t\t128", "-grid_cols\t\t\t16"))
    return d


def _args(d: Path) -> list[str]:
    return ["--config", str(d / "cpo_bench.config"), "--flp", str(d / "die_src.flp"),
            "--lcf", str(d / "cpo_bench.lcf"), "--ptrace", str(d / "cpo_bench.ptrace")]


def test_the_written_layout_and_table_round_trip(coarse_hotspot, tmp_path):
    out, table = tmp_path / "model.toml", tmp_path / "model.steady"
    r = CliRunner().invoke(cli, ["import", "hotspot", *_args(coarse_hotspot), "-o", str(out), "--table", str(table)])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "left out" in r.output  # the appended spreader and sink
    imp = import_hotspot(*(coarse_hotspot / f for f in ("cpo_bench.config", "die_src.flp")),
                         lcf=coarse_hotspot / "cpo_bench.lcf", ptrace=coarse_hotspot / "cpo_bench.ptrace")
    assert load_layout(out) == imp.package
    assert table.read_text() == peer_table(solve_steady(load_layout(out)), imp)
    first = table.read_text().splitlines()[0].split("\t")
    assert first[0] == "layer_0_CORE" and 380 < float(first[1]) < 430  # kelvin, as HotSpot writes


def test_without_output_the_layout_goes_to_stdout(coarse_hotspot):
    r = CliRunner().invoke(cli, ["import", "hotspot", *_args(coarse_hotspot), "-q"])
    assert r.exit_code == 0
    assert "[[layers]]" in r.stdout and not any(line.startswith("warning:") for line in r.stdout.splitlines())
