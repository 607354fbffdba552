"""Broken decks end with an error naming the file and the line (exit 2 from the command line)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from thermal_cpo.cli.main import cli
from thermal_cpo.layout.decks import DeckError, import_3dice, import_hotspot

DECKS = Path(__file__).resolve().parents[2] / "decks"


def _copy(tmp_path: Path, peer: str) -> Path:
    dst = tmp_path / peer
    shutil.copytree(DECKS / peer, dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# (file, text to replace, replacement, line marker after the edit, words the message must hold)
THREEDICE = [
    ("cpo_bench.stk", "thermal conductivity     1.30e-4 ;", "thermal conductivty 1.30e-4 ;", "thermal conductivty",
     "expected 'thermal conductivity'"),
    ("cpo_bench.stk", "material SILICON :", "materiel SILICON :", "materiel", "unknown keyword 'materiel'"),
    ("cpo_bench.stk", "layer LID7 LID_SUB ;", "layer LID7 LID_SUBX ;", "LID_SUBX", "no layer definition 'LID_SUBX'"),
    ("cpo_bench.stk", "   material COPPER ;", "   material COPPR ;", "COPPR", "no material 'COPPR'"),
    ("cpo_bench.stk", "heat transfer coefficient 2.0e-8 ;", "heat transfer coefficient -2.0e-8 ;", "-2.0e-8",
     "positive number"),
    ("die.flp", "position    9000,  1000 ;", "position    9000,  5000 ;", "PE_S :", "overlaps 'CORE'"),
    ("die.flp", "position   17000,  9000 ;", "position   19000,  9000 ;", "PE_E :", "reaches outside"),
    ("cpo_bench.stk", "   steady ;", "   steady", "initial temperature", "expected 'steady ;'"),
]


@pytest.mark.parametrize("fname, old, new, marker, words", THREEDICE)
def test_a_broken_3dice_deck_names_its_file_and_line(tmp_path, fname, old, new, marker, words):
    d = _copy(tmp_path, "3dice")
    _edit(d / fname, old, new)
    with pytest.raises(DeckError) as err:
        import_3dice(d / "cpo_bench.stk")
    where = f"{fname}:{_line_of(d / fname, marker)}"
    assert err.value.path == where, str(err.value)
    assert words in str(err.value)


HOTSPOT = [
    ("cpo_bench.config", "-grid_rows\t\t\t128", "-grid_rowz\t\t\t128", "-grid_rowz", "unknown HotSpot option -grid_rowz"),
    ("cpo_bench.config", "-r_convec\t\t\t0.1249975", "-r_convec\t\t\tfast", "-r_convec", "expected a number"),
    ("cpo_bench.config", "-package_model_used\t\t0", "-package_model_used\t\t1", "-package_model_used",
     "package model"),
    ("cpo_bench.config", "-s_spreader\t\t\t0.0200001", "-s_spreader\t\t\t0.03", "-s_spreader", "periphery"),
    ("die_src.flp", "FB3\t0.002\t0.001\t0.009\t0.000", "FB3\t0.002\t0.001\t0.009\t0.001", "FB3", "overlaps"),
    ("die_src.flp", "FT4\t0.002\t0.001\t0.009\t0.019", "", "CORE\t0.010", "uncovered"),
    ("cpo_bench.lcf", "0.00769230769\n1e-05", "0.00769230769\n-1e-05", "-1e-05", "positive"),
    ("cpo_bench.lcf", "0\nY\nY\n1.63e+06", "0\nY\nmaybe\n1.63e+06", "maybe", "expected Y or N"),
    ("cpo_bench.ptrace", "400.0\t5.0", "400.0\t5.0\t1.0", "400.0", "22 values for 21 units"),
]


@pytest.mark.parametrize("fname, old, new, marker, words", HOTSPOT)
def test_a_broken_hotspot_deck_names_its_file_and_line(tmp_path, fname, old, new, marker, words):
    d = _copy(tmp_path, "hotspot")
    _edit(d / fname, old, new)
    with pytest.raises(DeckError) as err:
        import_hotspot(d / "cpo_bench.config", d / "die_src.flp", lcf=d / "cpo_bench.lcf", ptrace=d / "cpo_bench.ptrace")
    assert err.value.path == f"{fname}:{_line_of(d / fname, marker)}", str(err.value)
    assert words in str(err.value)


def test_a_porous_cavity_is_refused_naming_the_line(tmp_path):
    d = _copy(tmp_path, "3dice")
    _edit(d / "cpo_bench.stk", "top heat sink :", "microchannel 2rm :\n   height 100 ;\n\ntop heat sink :")
    with pytest.raises(DeckError, match="2rm .porous-medium. cavity has no counterpart") as err:
        import_3dice(d / "cpo_bench.stk")
    assert err.value.path == f"cpo_bench.stk:{_line_of(d / 'cpo_bench.stk', 'microchannel 2rm')}"


def test_the_command_line_exits_2_with_one_line_and_writes_nothing(tmp_path):
    d = _copy(tmp_path, "3dice")
    out = tmp_path / "layout.toml"
    out.write_text("keep me\n")
    _edit(d / "cpo_bench.stk", "material SILICON :", "materiel SILICON :")
    r = CliRunner().invoke(cli, ["import", "3dice", str(d / "cpo_bench.stk"), "-o", str(out)])
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and "cpo_bench.stk:" in r.output and "Traceback" not in r.output
    assert out.read_text() == "keep me\n"
    r = CliRunner().invoke(cli, ["import", "3dice", str(tmp_path / "missing.stk")])
    assert r.exit_code == 2 and "does not exist" in r.output
