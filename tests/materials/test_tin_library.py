"""The tin-based library: pure Sn, In52Sn48, the Cu–Sn intermetallics, sintered silver, the RDL
dielectrics and the glass core carry their published figures; derived numbers follow from their
inputs; sintered silver obeys the Hashin–Shtrikman bound for voids; every solder and metallic TIM
has a solidus, and liquid metals are marked liquid by design."""

from __future__ import annotations

import pytest

from thermal_cpo.materials import get, library
from thermal_cpo.materials.effective import maxwell_eucken

#: name -> (k W/(m·K), rho kg/m³, cp J/(kg·K)) as the entries quote or derive them
FIGURES = {
    "tin": (67.0, 7310.0, 227.0),            # [materialproperties-tin-nd]
    "in52sn48": (34.0, 7300.0, 230.0),       # [indium-master-properties-nd]; cp Neumann–Kopp
    "sn-bi": (20.0, 8560.0, 166.0),          # [kester-snbi58-2005]
    "sintered-silver-p08": (228.5, 9610.0, 235.0),  # [mtcomm-sintered-ag-2021]
    "sintered-silver-p23": (126.3, 8040.0, 235.0),  # [mtcomm-sintered-ag-2021]
    "cu6sn5": (34.0, 8280.0, 289.0),
    "cu3sn": (70.0, 8900.0, 324.0),
    "polyimide": (0.12, 1420.0, 1090.0),     # [dupont-kapton-nd]
    "pbo": (0.2, 1400.0, 1090.0),
    "glass-core": (1.1, 2380.0, 753.0),      # rho [stewart-glass-myths-nd]
}
SOLIDUS = {"indium": 156.6, "in52sn48": 118.0, "sn-bi": 138.0, "tin": 231.9, "sac305": 217.0,
           "sn-ag": 221.0, "sn-cu": 227.0, "au-sn": 280.0, "in-ag": 143.0}
LIQUID = {"galinstan": -19.0, "egain": 15.5}
NON_METALLIC_TIMS = {"thermal-grease", "phase-change-pad", "pyrolytic-graphite"}
#: handbook elemental specific heats (J/(kg·K)) the library's Neumann–Kopp values use
CP = {"Cu": 385.0, "Sn": 227.0, "In": 233.0, "Ag": 235.0}
MOLAR = {"Cu": 63.546, "Sn": 118.71}  # g/mol
AG_BULK_K, AG_BULK_RHO = 429.0, 10490.0  # [indium-alloy-conductivity-nd]; the density an assumption


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_entries_carry_their_figures(name):
    m = get(name)
    assert (m.k, m.rho, m.cp) == ((FIGURES[name][0],) * 3, *FIGURES[name][1:])
    assert m.source.startswith(("[", "assumption")), m.source


def test_entries_without_a_source_for_a_number_say_assumed():
    for name in ("in52sn48", "cu6sn5", "cu3sn", "pbo", "glass-core", "sintered-silver-p08"):
        assert get(name).assumed, name
    for name in ("tin", "polyimide"):
        assert not get(name).assumed, name


@pytest.mark.parametrize("formula, n_cu, n_sn", [("cu6sn5", 6, 5), ("cu3sn", 3, 1)])
def test_intermetallic_heat_capacity_is_the_neumann_kopp_average(formula, n_cu, n_sn):
    m_cu, m_sn = n_cu * MOLAR["Cu"], n_sn * MOLAR["Sn"]
    cp = (m_cu * CP["Cu"] + m_sn * CP["Sn"]) / (m_cu + m_sn)
    assert get(formula).cp == pytest.approx(cp, abs=0.5)  # the library rounds to 1 J/(kg·K)


def test_in52sn48_heat_capacity_is_the_neumann_kopp_average():
    assert get("in52sn48").cp == pytest.approx(0.52 * CP["In"] + 0.48 * CP["Sn"], abs=0.5)


@pytest.mark.parametrize("name, porosity", [("sintered-silver-p08", 0.084), ("sintered-silver-p23", 0.234)])
def test_sintered_silver_lies_below_the_bound_for_voids(name, porosity):
    m = get(name)
    # the Hashin–Shtrikman upper bound (= Maxwell–Eucken, k_void = 0) holds for any isotropic
    # two-phase structure: a measured porous k above it would be an error in the entry
    assert m.k[0] < maxwell_eucken(porosity, 0.0, AG_BULK_K)
    assert m.rho == pytest.approx(AG_BULK_RHO * (1 - porosity), rel=1e-3)  # rounded to 3 figures
    assert m.void_fraction == 0.0  # measured at that porosity: voids must not be applied again


def test_sintered_silver_conducts_less_the_more_porous_it_is():
    assert get("sintered-silver-p23").k[0] < get("sintered-silver-p08").k[0]


def test_tin_diffusivity_is_that_of_a_metal():
    m = get("tin")
    alpha = m.k[0] / (m.rho * m.cp)  # m²/s: 67 / (7310 · 227) = 4.04e-5
    assert alpha == pytest.approx(4.04e-5, rel=1e-2)


def test_dielectrics_insulate_and_the_glass_core_is_denser_than_borosilicate():
    for name in ("polyimide", "pbo"):
        assert get(name).k[0] < 0.5
    assert get("glass-core").rho > get("borosilicate-glass").rho


@pytest.mark.parametrize("name", sorted(SOLIDUS))
def test_every_solder_has_its_solidus(name):
    m = get(name)
    assert m.T_solidus == SOLIDUS[name] and not m.liquid_by_design


@pytest.mark.parametrize("name", sorted(LIQUID))
def test_liquid_metals_are_liquid_by_design(name):
    m = get(name)
    assert m.T_solidus == LIQUID[name] and m.liquid_by_design
    assert m.T_solidus < 25.0  # liquid at room temperature: the whole point


def test_every_metallic_tim_has_a_solidus():
    missing = [n for n, m in library().items()
               if m.category == "tim" and n not in NON_METALLIC_TIMS and m.T_solidus is None]
    assert not missing
    assert set(SOLIDUS) | set(LIQUID) == {n for n, m in library().items() if m.T_solidus is not None}


def test_a_low_temperature_solder_melts_below_indium():
    # the eutectic lies below both pure metals (In 156.6, Sn 231.9)
    assert get("in52sn48").T_solidus < min(get("indium").T_solidus, get("tin").T_solidus)
    assert get("sn-bi").T_solidus < get("tin").T_solidus
