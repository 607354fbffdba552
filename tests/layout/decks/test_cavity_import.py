"""A 3D-ICE ``microchannel 4rm`` cavity imported as resolved channels: the deck's channels and
walls on the grid, its heat transfer coefficients and coolant, and an energy balance through it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from thermal_cpo import solve_steady
from thermal_cpo.layout.decks import DeckError, import_3dice

DECKS = Path(__file__).resolve().parents[2] / "decks"
CAVITY = """microchannel 4rm :
   height 100 ;
   channel length 100 ;
   wall length 100 ;
   first wall length 50 ;
   last wall length 50 ;
   wall material SILICON ;
   coolant flow rate 42 ;
   coolant heat transfer coefficient side 2.7132e-8 , top 5.7132e-8 , bottom 4.7132e-8 ;
   coolant volumetric heat capacity 4.172638e-12 ;
   coolant incoming temperature 300.0 ;

top heat sink :"""


def deck(tmp_path: Path, cavity: str = CAVITY) -> Path:
    """The benchmark deck with a cavity over a 100 µm silicon cap between its two TIM sublayers,
    on 500 µm cells."""
    d = tmp_path / "3dice"
    shutil.copytree(DECKS / "3dice", d)
    stk = d / "cpo_bench.stk"
    text = stk.read_text().replace("top heat sink :", cavity)
    text = text.replace("   layer TIM2 TIM_SUB ;", "   layer TIM2 TIM_SUB ;\n   channel CAV ;\n   layer CAP 100 SILICON ;")
    stk.write_text(text.replace("cell length 156.25, width 156.25", "cell length 500, width 500"))
    return stk


def test_the_cavity_is_the_decks_channels_with_its_coefficients(tmp_path):
    imp = import_3dice(deck(tmp_path))
    cav = next(layer for layer in imp.package.layers if layer.name == "CAV")
    ch = cav.channels
    # (20000 - 50 - 50 - 100) / 200 + 1 = 100 channels, as 3D-ICE counts them
    assert (ch.count, ch.edge_wall, ch.width, ch.wall) == (100, pytest.approx(50e-6), pytest.approx(100e-6),
                                                           pytest.approx(100e-6))
    assert ch.direction == "+y" and ch.flow_rate == pytest.approx(42e-6 / 60)
    assert (ch.h_side, ch.h_top, ch.h_bottom) == (pytest.approx(27132), pytest.approx(57132), pytest.approx(47132))
    assert ch.inlet_T == pytest.approx(26.85)
    names = [layer.name for layer in imp.package.layers]
    assert cav.thickness == pytest.approx(100e-6) and names.index("CAP") == names.index("CAV") - 1


@pytest.mark.slow
def test_the_coolant_carries_what_its_heat_capacity_says(tmp_path):
    """The mixed-cup rise times ρc_p·V̇ is the heat the coolant takes, and with the top sink
    the whole 420 W leave (energy balance to solver tolerance)."""
    r = solve_steady(import_3dice(deck(tmp_path)).package)
    g = r.coolant["groups"][0]
    assert g["heat"] == pytest.approx(4.172638e6 * 42e-6 / 60 * (g["T_out"] - g["T_in"]), rel=1e-9)
    assert 0 < g["heat"] < 420 and r.energy_balance < 1e-9


def test_channels_that_do_not_fill_the_chip_are_refused_naming_the_line(tmp_path):
    stk = deck(tmp_path, CAVITY.replace("first wall length 50 ;", "first wall length 40 ;")
               .replace("last wall length 50 ;", "last wall length 40 ;"))
    with pytest.raises(DeckError, match="do not fill the chip length") as err:
        import_3dice(stk)
    line = next(n for n, t in enumerate(stk.read_text().splitlines(), 1) if "microchannel 4rm" in t)
    assert err.value.path == f"cpo_bench.stk:{line}"
