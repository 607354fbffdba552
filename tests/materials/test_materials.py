"""Material library, coolant tables and effective-medium helpers.

Numbers quoted here are those of the library's entries and their sources (the keys in each
entry's ``source``, listed in docs/references.md): solids and TIMs, the effective layers with
their derived worked values, the coolant tables (CoolProp [coolprop-2014]) and silicon's k(T)
[electronicscooling-silicon-1998]. The tests check physics and invariants, so a wrong formula,
a swapped direction or a unit slip (mPa·s vs Pa·s, J/(g·K) vs J/(kg·K)) makes them fail.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermal_cpo.errors import LayoutError
from thermal_cpo.materials import Material, coolants, library
from thermal_cpo.materials.effective import (
    area_fraction_circles,
    cylinder_array,
    laminate,
    maxwell_garnett,
    parallel,
    series,
)

LIB = library()
COOL = coolants()

# Source keys must resolve in the bibliography (tests/test_references.py checks the whole tree).
KEY = re.compile(r"[a-z][a-z0-9-]*-((18|19|20)[0-9][0-9][a-z]?|nd)")
_BIBLIOGRAPHY = Path(__file__).resolve().parents[2] / "docs" / "references.md"
REFERENCES = set(re.findall(r"^### (\S+)\s*$", _BIBLIOGRAPHY.read_text(encoding="utf-8"), re.M))

REQUIRED = {
    "silicon", "sio2", "beol", "copper", "aluminium-6061", "nickel", "borosilicate-glass",
    "mold-compound", "underfill", "organic-substrate", "si-interposer-tsv", "ubump-underfill",
    "c4-underfill", "thermal-grease", "phase-change-pad", "pyrolytic-graphite", "indium", "in-ag",
    "sac305", "sn-ag", "sn-cu", "sn-bi", "au-sn", "galinstan", "egain", "air",
}
# Entries that are anisotropic: BEOL, PGS and the effective (homogenised) layers.
ANISOTROPIC = {
    "beol", "pyrolytic-graphite", "organic-substrate", "si-interposer-tsv", "ubump-underfill",
    "c4-underfill", "sic-6h",
}

# Tolerance used for "reproduces a published figure": half a unit in the last digit printed (the
# derived worked values are rounded results of exactly these formulas), plus 1e-12
# for floating point. A wrong formula (series for parallel, a sign flip in Maxwell–Garnett) misses
# by far more than that.


def half_ulp(published: str) -> float:
    """Half a unit of the last printed digit of a published number, e.g. '12.2' -> 0.05."""
    decimals = len(published.split(".")[1]) if "." in published else 0
    return 0.5 * 10.0 ** (-decimals) + 1e-12


def assert_published(value: float, published: str):
    assert abs(value - float(published)) <= half_ulp(published), (value, published)


# ---------------------------------------------------------------------------------------------
# library contents and bookkeeping


def test_required_entries_present_and_named_by_convention():
    assert REQUIRED <= set(LIB), REQUIRED - set(LIB)
    for name in LIB:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_entry_is_sourced_and_tagged_consistently(name):
    m = LIB[name]
    assert m.source.strip(), f"{name}: empty source"
    # A source starts with a key of docs/references.md, or says "derived" (from cited inputs) or
    # "assumption" (no source); only an assumption may cite no key at all.
    keys = re.findall(r"\[([a-z][a-z0-9-]*)\]", m.source)
    assert re.match(r"\[|derived\b|assumption\b", m.source), m.source
    assert keys or m.source.startswith("assumption"), m.source
    assert all(KEY.fullmatch(k) and k in REFERENCES for k in keys), keys
    assert m.notes.strip(), f"{name}: notes should say which value was chosen and why"
    # assumed == some number of the entry is marked assumption or unverified, and the notes name it.
    tagged = bool(re.search(r"\b(assumption|unverified)\b", m.notes))
    assert m.assumed == tagged, f"{name}: assumed={m.assumed} but notes marks {'present' if tagged else 'absent'}"


def test_unverified_reference_values_are_flagged_assumed():
    # Their sources are secondary or missing (docs/references.md); never present them as verified.
    for name in ("underfill", "mold-compound", "organic-substrate", "nickel", "sn-bi", "au-sn",
                 "egain", "beol", "air", "ubump-underfill", "c4-underfill"):
        assert LIB[name].assumed, name


@pytest.mark.parametrize("name", sorted(LIB))
def test_properties_are_physically_plausible(name):
    m = LIB[name]
    assert all(k > 0 for k in m.k)
    if name == "air":
        assert 0.02 < m.k[0] < 0.03 and 1.0 < m.rho < 1.3 and 1000 < m.cp < 1010
        return
    # Solids: rho*cp within 0.5–4.5 MJ/(m^3 K) (Dulong–Petit: most solids ~1.5–3.5; porous PGS ~0.7).
    # A cp entered in J/(g K) or a rho in g/cm^3 is off by 1000 and fails here.
    assert 0.5e6 < m.volumetric_heat_capacity < 4.5e6, (name, m.volumetric_heat_capacity)
    assert 100 < m.cp < 1100 and 900 < m.rho < 20000


def test_metals_conduct_and_dielectrics_insulate():
    for name in ("copper", "aluminium-6061", "nickel", "indium", "sac305", "au-sn", "silicon"):
        assert min(LIB[name].k) > 10, name
    for name in ("sio2", "mold-compound", "underfill", "borosilicate-glass", "thermal-grease"):
        assert max(LIB[name].k) < 10, name
    assert LIB["copper"].k[0] > LIB["aluminium-6061"].k[0] > LIB["nickel"].k[0]


def test_anisotropy_directions_match_the_reference():
    for name, m in LIB.items():
        assert m.isotropic == (name not in ANISOTROPIC), name
        assert m.k[0] == m.k[1], f"{name}: in-plane must be transversely isotropic"
    pgs = LIB["pyrolytic-graphite"].k
    assert pgs[2] * 10 < pgs[0]                            # kx = ky >> kz (700–1950 vs 15 [panasonic-pgs-nd])
    assert LIB["beol"].k[0] > LIB["beol"].k[2]            # Cu lines in-plane [ncsu-pathfinder3d-nd]
    assert LIB["organic-substrate"].k[0] > LIB["organic-substrate"].k[2]  # Cu planes (laminate)
    for name in ("c4-underfill", "ubump-underfill", "si-interposer-tsv"):  # along the cylinders
        assert LIB[name].k[2] > LIB[name].k[0], name
    assert LIB["sic-6h"].k[2] < LIB["sic-6h"].k[0]        # ~30 % lower along c [burgemeister-6h-sic-1979]
    # BEOL values inside the published isotropic-equivalent range 0.45–2.25.
    assert all(0.45 <= k <= 2.25 for k in LIB["beol"].k)


def test_silicon_entry():
    si = LIB["silicon"]
    assert si.k == (148.0, 148.0, 148.0)
    assert si.k_model == "power" and si.n == pytest.approx(4.0 / 3.0, rel=1e-12)
    assert si.T0 == pytest.approx(300.0 - 273.15, abs=1e-9)  # "300 K" converted to °C
    assert LIB["silicon-doped"].k[0] == pytest.approx(0.8 * si.k[0])  # heavily doped ≈ 0.8 × pure


def test_silicon_k_of_T_power_law_at_350K():
    si = LIB["silicon"]
    # k = k0 (T/T0)^-n, T0 = 300 K, n = 4/3 [electronicscooling-silicon-1998]. (7/6)^(-4/3) = 0.81421222 (30-digit decimal
    # arithmetic, independent of the code): 148 × 0.81421222 = 120.50341 W/(m·K).
    k350 = si.k[0] * float(si.k_factor(350.0 - 273.15))
    assert k350 == pytest.approx(148.0 * (350.0 / 300.0) ** (-4.0 / 3.0), rel=1e-12)
    assert k350 == pytest.approx(120.50341, abs=1e-5)
    assert float(si.k_factor(300.0 - 273.15)) == pytest.approx(1.0, abs=1e-12)
    T = np.linspace(-40, 150, 20)
    assert np.all(np.diff(si.k_factor(T)) < 0)  # phonon scattering: k falls with T


@pytest.mark.parametrize(
    "L, q, Tc, Th_published",
    [(0.775e-3, 1e6, 350.0, "356.423"), (5.0e-3, 1e6, 300.0, "335.964"), (2.0e-3, 2e6, 330.0, "362.231")],
)
def test_silicon_k_of_T_reproduces_the_exact_slab(L, q, Tc, Th_published):
    """Integrate dT/dx = q''/k(T) through a slab with k(T) = 150·k_factor(T) (the fit's own k0 = 150)
    and compare with the exact hot-face temperatures of the Kirchhoff-transform solution, derived
    and printed to 3 decimals (-> tol 0.5 mK)."""
    from scipy.integrate import solve_ivp

    si = LIB["silicon"]
    sol = solve_ivp(lambda x, T: q / (150.0 * si.k_factor(T - 273.15)), (0.0, L), [Tc],
                    rtol=1e-11, atol=1e-9)
    assert_published(float(sol.y[0, -1]), Th_published)


# ---------------------------------------------------------------------------------------------
# effective-medium helpers: the derived worked values of the effective layers


def test_area_fractions_of_the_effective_layers():
    assert_published(area_fraction_circles(10e-6, 50e-6), "0.031")   # TSV Ø10 µm / 50 µm
    assert_published(area_fraction_circles(25e-6, 50e-6), "0.196")   # µbump Ø25 / 50
    assert_published(area_fraction_circles(100e-6, 150e-6), "0.349")  # C4 Ø100 / 150
    assert area_fraction_circles(1.0, 1.0) == pytest.approx(math.pi / 4)  # touching circles
    # Only the ratio matters: the same geometry in µm gives the same fraction.
    assert area_fraction_circles(10.0, 50.0) == pytest.approx(area_fraction_circles(10e-6, 50e-6))


@pytest.mark.parametrize(
    "d, p, k_metal, k_matrix, kz_pub, kxy_pub",
    [
        (10e-6, 50e-6, 400.0, 148.0, "156", "152"),     # Si interposer with Cu TSVs
        (25e-6, 50e-6, 60.0, 0.5, "12.2", "0.74"),      # µbump + underfill
        (100e-6, 150e-6, 58.0, 0.5, "20.6", "1.02"),    # C4 + underfill
    ],
)
def test_cylinder_array_reproduces_the_worked_values(d, p, k_metal, k_matrix, kz_pub, kxy_pub):
    phi = area_fraction_circles(d, p)
    assert_published(parallel([phi, 1 - phi], [k_metal, k_matrix]), kz_pub)
    assert_published(maxwell_garnett(phi, k_metal, k_matrix), kxy_pub)
    m = cylinder_array(phi, k_metal, k_matrix, 8000.0, 2000.0, 300.0, 900.0)
    assert isinstance(m, Material)
    assert_published(m.k[2], kz_pub)
    assert_published(m.k[0], kxy_pub)
    assert m.k[0] == m.k[1]


def test_laminate_reproduces_the_organic_substrate():
    # 12 Cu layers × 15 µm at 60 % coverage in 1.2 mm -> phi_Cu = 0.09; Cu 390, dielectric 0.4.
    phi = 12 * 15e-6 * 0.6 / 1.2e-3
    assert phi == pytest.approx(0.09)
    cu = Material(k=390, rho=8960, cp=385)
    diel = Material(k=0.4, rho=1700, cp=1000)
    m = laminate([phi, 1 - phi], [cu, diel])
    assert_published(m.k[0], "35.5")
    assert_published(m.k[1], "35.5")
    assert_published(m.k[2], "0.44")


def test_library_effective_layers_agree_with_helpers():
    """The shipped effective entries are the helpers' results rounded as printed; rho (volume-weighted)
    and cp (mass-weighted) are stored to 3 significant figures -> rel tol 0.5 %."""
    lib = LIB
    cu, si, uf = lib["copper"], lib["silicon"], lib["underfill"]
    cases = {
        "si-interposer-tsv": cylinder_array(area_fraction_circles(10e-6, 50e-6), cu.k[2], si.k[2],
                                            cu.rho, si.rho, cu.cp, si.cp),
        "ubump-underfill": cylinder_array(area_fraction_circles(25e-6, 50e-6), 60.0, uf.k[2],
                                          lib["sn-ag"].rho, uf.rho, lib["sn-ag"].cp, uf.cp),
        "c4-underfill": cylinder_array(area_fraction_circles(100e-6, 150e-6), lib["sac305"].k[2],
                                       uf.k[2], lib["sac305"].rho, uf.rho, lib["sac305"].cp, uf.cp),
    }
    for name, ref in cases.items():
        got = lib[name]
        for published, value in zip(got.k, ref.k):
            assert_published(value, f"{published:g}")
        assert got.rho == pytest.approx(ref.rho, rel=5e-3), name
        assert got.cp == pytest.approx(ref.cp, rel=5e-3), name
    # Organic substrate: laminate (Cu 390 planes) + 0.4 % Cu via columns in parallel for k_z (assumption).
    sub = lib["organic-substrate"]
    lam = laminate([0.09, 0.91], [Material(k=390, rho=8960, cp=385), lib["organic-dielectric"]])
    assert_published(lam.k[0], f"{sub.k[0]:g}")
    assert_published(parallel([0.004, 0.996], [390.0, lam.k[2]]), f"{sub.k[2]:g}")
    assert 1.0 <= sub.k[2] <= 3.0  # the assumed "1–3 with via columns" band
    assert sub.rho == pytest.approx(lam.rho, rel=5e-3) and sub.cp == pytest.approx(lam.cp, rel=5e-3)


def test_cylinder_array_conserves_mass_and_heat_capacity():
    phi = 0.2
    m = cylinder_array(phi, 400, 148, 8960, 2330, 385, 705)
    assert m.rho == pytest.approx(phi * 8960 + (1 - phi) * 2330, rel=1e-12)
    # mass-weighted cp <=> volumetric heat capacity is volume-weighted
    assert m.rho * m.cp == pytest.approx(phi * 8960 * 385 + (1 - phi) * 2330 * 705, rel=1e-12)
    assert m.category == "effective"


# ---------------------------------------------------------------------------------------------
# effective-medium helpers: bounds and limits

k_values = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
fractions01 = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(phi=fractions01, k_m=k_values, k_d=k_values)
def test_wiener_bounds_contain_maxwell_garnett(phi, k_m, k_d):
    fr, ks = [phi, 1.0 - phi], [k_m, k_d]
    lo, hi = series(fr, ks), parallel(fr, ks)
    mg = maxwell_garnett(phi, k_m, k_d)
    rel = 1e-12 * max(k_m, k_d)  # floating-point slack only (bounds coincide at phi = 0, 1)
    assert lo - rel <= mg <= hi + rel
    assert min(k_m, k_d) - rel <= lo and hi <= max(k_m, k_d) + rel


@settings(max_examples=200, deadline=None)
@given(weights=st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=1, max_size=6),
       data=st.data())
def test_laminate_in_plane_never_below_through_plane(weights, data):
    fs = [w / sum(weights) for w in weights]
    fs[-1] = 1.0 - math.fsum(fs[:-1])
    ks = data.draw(st.lists(k_values, min_size=len(fs), max_size=len(fs)))
    mats = [Material(k=k, rho=1000.0, cp=1000.0) for k in ks]
    m = laminate(fs, mats)
    assert m.k[2] <= m.k[0] * (1 + 1e-12)
    assert m.k[0] == pytest.approx(parallel(fs, ks), rel=1e-12)
    assert m.k[2] == pytest.approx(series(fs, ks), rel=1e-12)


def test_maxwell_garnett_limits():
    assert maxwell_garnett(0.0, 400, 148) == pytest.approx(148, rel=1e-14)
    assert maxwell_garnett(1.0, 400, 148) == pytest.approx(400, rel=1e-14)
    assert maxwell_garnett(0.37, 5.0, 5.0) == pytest.approx(5.0, rel=1e-14)
    # Dilute limit: k/k_d ≈ 1 + 2φ(k_m − k_d)/(k_m + k_d) for small φ (2-D Maxwell).
    phi = 1e-6
    assert maxwell_garnett(phi, 400, 148) / 148 - 1 == pytest.approx(2 * phi * 252 / 548, rel=1e-5)


def test_laminate_of_a_single_material_returns_it():
    pgs = LIB["pyrolytic-graphite"]
    m = laminate([1.0], [pgs])
    assert m.k == pytest.approx(pgs.k, rel=1e-14)
    assert m.rho == pytest.approx(pgs.rho) and m.cp == pytest.approx(pgs.cp)
    # The same material split into several sheets is still that material.
    cu = LIB["copper"]
    m2 = laminate([0.2, 0.3, 0.5], [cu, cu, cu])
    assert m2.k == pytest.approx(cu.k, rel=1e-12)
    assert m2.isotropic or max(m2.k) - min(m2.k) < 1e-9


@pytest.mark.parametrize(
    "call, argname",
    [
        (lambda: parallel([0.5, 0.4], [1.0, 2.0]), "fractions"),
        (lambda: series([0.5, 0.5], [1.0, -2.0]), "ks[1]"),
        (lambda: series([0.5, 0.5], [1.0, 0.0]), "ks[1]"),
        (lambda: parallel([1.2, -0.2], [1.0, 2.0]), "fractions[0]"),
        (lambda: parallel([0.5, 0.5], [1.0]), "ks"),
        (lambda: maxwell_garnett(1.5, 400, 148), "phi"),
        (lambda: maxwell_garnett(0.1, 400, -1), "k_matrix"),
        (lambda: maxwell_garnett(0.1, float("nan"), 148), "k_inclusion"),
        (lambda: area_fraction_circles(60e-6, 50e-6), "diameter"),
        (lambda: area_fraction_circles(10e-6, 0.0), "pitch"),
        (lambda: cylinder_array(0.1, 400, 148, 8960, 0, 385, 705), "rho_matrix"),
        (lambda: laminate([0.5, 0.5], [LIB["copper"]]), "materials"),
    ],
)
def test_bad_effective_medium_input_raises_layout_error_naming_the_argument(call, argname):
    with pytest.raises(LayoutError) as info:
        call()
    assert argname in str(info.value)


def test_fraction_sum_tolerance():
    parallel([0.3, 0.7 + 5e-10], [1.0, 2.0])  # within 1e-9: accepted
    with pytest.raises(LayoutError):
        parallel([0.3, 0.7 + 5e-9], [1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# coolants (derived with CoolProp [coolprop-2014])

# Pr column computed with the coolant tables. Pr is recomputed from the rounded rho/cp/k/mu
# columns, so it can differ from the printed Pr by the rounding of k and mu (~0.2 %); the glycol
# rows are internally consistent only to ~0.5 % (e.g. PG25 25 °C: 3933·2.071e-3/0.472 = 17.26 vs 17.2),
# hence rel tol 1 %. A viscosity stored in mPa·s instead of Pa·s is off by 1000x.
PUBLISHED_PR = {
    "water": {20: 7.01, 25: 6.13, 30: 5.42, 40: 4.34, 45: 3.92, 50: 3.57, 60: 3.00},
    "pg25": {25: 17.2, 40: 11.1, 45: 9.7},
    "pg30": {25: 21.4, 40: 13.4},
    "eg25": {25: 12.8, 40: 8.7},
}


def test_required_coolants_present():
    assert {"water", "pg25", "eg25"} <= set(COOL)
    for c in COOL.values():
        assert c.source.startswith("[coolprop-2014]") and "derived" in c.source


@pytest.mark.parametrize("name", sorted(COOL))
def test_coolant_interpolation_hits_table_points_exactly(name):
    c = COOL[name]
    for i, T in enumerate(c.T):
        p = c.properties(T)
        for key in ("rho", "cp", "k", "mu"):
            assert p[key] == getattr(c, key)[i], (name, T, key)  # exact, no tolerance
        assert p["Pr"] == pytest.approx(p["cp"] * p["mu"] / p["k"], rel=1e-14)


@pytest.mark.parametrize("name", sorted(COOL))
def test_coolant_interpolation_is_linear_between_rows(name):
    c = COOL[name]
    for i in range(len(c.T) - 1):
        Tm = 0.5 * (c.T[i] + c.T[i + 1])
        p = c.properties(Tm)
        for key in ("rho", "cp", "k", "mu"):
            vals = getattr(c, key)
            assert p[key] == pytest.approx(0.5 * (vals[i] + vals[i + 1]), rel=1e-12)


@pytest.mark.parametrize("name", sorted(PUBLISHED_PR))
def test_coolant_prandtl_matches_published_column(name):
    c = COOL[name]
    for T, pr in PUBLISHED_PR[name].items():
        assert c.properties(T)["Pr"] == pytest.approx(pr, rel=1e-2), (name, T)


def test_coolant_physical_trends_and_units():
    for name, c in COOL.items():
        assert np.all(np.diff(c.mu) < 0), name   # liquids thin out when warmed
        assert np.all(np.diff(c.rho) < 0), name  # above 4 °C density falls with T
        assert np.all(np.diff(c.k) > 0), name    # water-based: k rises with T
    w = COOL["water"].properties(25.0)
    assert 0.85e-3 < w["mu"] < 0.95e-3          # Pa·s
    assert 4170 < w["cp"] < 4190 and 996 < w["rho"] < 998.5
    # Glycol lowers cp and k and raises viscosity relative to water at the same temperature.
    for name in ("pg25", "eg25"):
        g = COOL[name].properties(25.0)
        assert g["cp"] < w["cp"] and g["k"] < w["k"] and g["mu"] > w["mu"]


@pytest.mark.parametrize("name", sorted(COOL))
def test_coolant_outside_table_raises(name):
    c = COOL[name]
    for T in (c.T[0] - 1.0, c.T[-1] + 1.0):
        with pytest.raises(LayoutError, match="outside its property table"):
            c.properties(T)
