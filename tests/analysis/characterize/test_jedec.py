"""JEDEC metrics, compact models and Zth on packages with exact answers: a 1-D layered stack
(uniform heating over the whole footprint, every lateral face adiabatic), where θJC and θJB are
series sums of layer resistances and the two-resistor model is exact, and the quickstart
package for the DELPHI-style fit."""

from __future__ import annotations

import numpy as np
import pytest

from thermal_cpo import load_layout
from thermal_cpo.analysis.characterize import (characterize, fit_compact, foster_to_cauer, jedec_metrics,
                                               resistance_at_capacity, separation, with_thicker_layer)
from thermal_cpo.layout import parse_toml

A = 2e-3 * 2e-3  # m², the stack's footprint
LAYERS = {"substrate": (300e-6, 20.0, 1.8e6), "die": (500e-6, 130.0, 1.631e6), "tim": (100e-6, 4.0, 2.0e6),
          "lid": (1000e-6, 400.0, 3.4496e6)}  # thickness m, k W/(m·K), ρc J/(m³·K)
R = {name: t / (k * A) for name, (t, k, _) in LAYERS.items()}
C = {name: t * rc * A for name, (t, _, rc) in LAYERS.items()}


def stack(dz_um: float = 25.0, h_top: float = 1e4, h_bottom: float | None = None, substrate: bool = True):
    """The 1-D stack: substrate / die (10 W on its bottom face) / TIM / lid, or without the
    substrate the die's bottom face the package's. One cell across: the model is then exactly a
    chain. (With several identical columns, rounding seeds the lateral modes that the uniform
    start vector does not excite in exact arithmetic; they sit at the top of the spectrum, the
    Lanczos recurrence amplifies them, and its ladder degrades some 50 stages in.)"""
    mats = {"substrate": (20, 1000, 1800), "die": (130, 2330, 700), "tim": (4, 2500, 800), "lid": (400, 8960, 385)}
    text = [f'schema_version = 1\nname = "stack"\n[footprint]\nx = "2 mm"\ny = "2 mm"\n[grid]\nmax_cell_xy = 2000\n'
            f'max_cell_z = {dz_um}']
    for name, (k, rho, cp) in mats.items():
        text.append(f"[materials.m-{name}]\nk = {k}\nrho = {rho}\ncp = {cp}")
    for name, (t, _, _) in LAYERS.items():
        if name == "substrate" and not substrate:
            continue
        extra = '\npower = 10\npower_at = "bottom"' if name == "die" else ""
        text.append(f'[[layers]]\nname = "{name}"\nthickness = {t * 1e6:g}\nmaterial = "m-{name}"{extra}')
    text.append(f'[boundaries.top]\ntype = "convective"\nh = {h_top}\nT = 25')
    if h_bottom is not None:
        text.append(f'[boundaries.bottom]\ntype = "convective"\nh = {h_bottom}\nT = 25')
    return parse_toml("\n".join(text))


def test_theta_jc_is_the_series_sum_of_the_layers():
    """The powered face's temperature is exact in 1-D, so θJC is the sum to solver tolerance."""
    m = jedec_metrics(stack(substrate=False), tol=1e-12)
    assert m.junction == "die" and m.case == "lid"
    assert m.theta_jc == pytest.approx(R["die"] + R["tim"] + R["lid"], rel=1e-9)
    # under the layout's own boundaries all heat goes up: the top-centre reading is θJC below Tj
    assert m.psi_jt == pytest.approx(m.theta_jc, rel=1e-9)


def test_theta_jb_is_the_substrate_and_theta_jc_holds_with_one_below():
    """With a substrate under the junction, its face lies between two cells: the discrete field
    holds the substrate at the die cell's centre temperature, not the face's, so a reading is
    off by at most the die's half-cell resistance (12.5 µm of silicon here)."""
    m = jedec_metrics(stack(), tol=1e-12)
    half_cell = 12.5e-6 / (LAYERS["die"][1] * A)
    assert abs(m.theta_jb - R["substrate"]) <= half_cell
    assert abs(m.theta_jc - (R["die"] + R["tim"] + R["lid"])) <= half_cell
    # the unheated substrate sits at the junction's temperature under the layout's own boundaries
    assert abs(m.psi_jb) <= half_cell


@pytest.mark.slow
def test_the_two_resistor_model_is_exact_in_one_dimension_and_the_network_fits():
    """With adiabatic sides a 1-D stack is two resistors from the junction plane, whatever the
    top and bottom h; the DELPHI-style network reproduces every set of the 16. The discrete
    model injects face power in the face cell, which adds that cell's half to the path down:
    a relative error of at most (d/2k)·h_bottom (d = 25 µm, h_bottom = 1e4: 9.6e-4)."""
    pkg = stack(substrate=False)
    m = jedec_metrics(pkg, tol=1e-12)
    fit = fit_compact(pkg, m, tol=1e-12)
    bound = 12.5e-6 / LAYERS["die"][1] * 1e4
    assert fit.max_error_two_resistor <= 1.05 * bound
    assert fit.max_error < 0.01


@pytest.mark.slow
def test_the_network_of_a_real_package_meets_the_usual_acceptance():
    """quickstart (a die under a TIM and a lid on a substrate): the network's junction rise is
    within 10 % on every boundary set, as compact models are accepted; the two-resistor model,
    which has no path through the sides and no spreading that changes with h, is not."""
    pkg = load_layout("quickstart")
    fit = fit_compact(pkg, jedec_metrics(pkg))
    assert fit.max_error <= 0.10
    assert fit.max_error_two_resistor > fit.max_error


@pytest.fixture(scope="module")
def characterized():
    """The stack characterized (10 µm cells in z) and again with its TIM twice as thick."""
    pkg = stack(dz_um=10.0, substrate=False)
    return characterize(pkg, compact=False), characterize(with_thicker_layer(pkg, "tim", 2.0), compact=False)


@pytest.mark.slow
def test_zth_rises_as_a_semi_infinite_solid_then_settles_on_the_steady_rise(characterized):
    ch, _ = characterized
    # before the heat reaches the die's far side (diffusion length ≤ a fifth of it) and after
    # it crosses a few cells, the face rises as into a semi-infinite solid: 2/A·√(t/(π k ρc))
    t_die = LAYERS["die"][0] ** 2 * LAYERS["die"][2] / LAYERS["die"][1]
    early = (ch.t > 0.002 * t_die) & (ch.t < 0.04 * t_die)
    assert early.sum() >= 5
    exact = 2.0 / A * np.sqrt(ch.t[early] / (np.pi * LAYERS["die"][1] * LAYERS["die"][2]))
    np.testing.assert_allclose(ch.zth[early], exact, rtol=0.03)  # cells of 10 µm, first order at the front
    assert ch.zth[-1] == pytest.approx(ch.theta, rel=1e-3)
    # steady: the stack's resistance up to the top film, 1/(h A)
    assert ch.theta == pytest.approx(R["die"] + R["tim"] + R["lid"] + 1 / (1e4 * A), rel=1e-9)
    assert np.all(np.diff(ch.zth) > 0)


@pytest.mark.slow
def test_the_networks_reproduce_zth_and_hold_the_stack(characterized):
    ch, _ = characterized
    fitted = ch.foster.network.zth(ch.t)
    assert np.max(np.abs(fitted / ch.zth - 1)) <= 0.01
    np.testing.assert_allclose(foster_to_cauer(ch.foster.network).zth(ch.t), fitted, rtol=1e-9)
    # the structure function ends at the junction-to-ambient resistance and holds the capacity
    # of every layer
    assert ch.structure.r_total == pytest.approx(ch.theta, rel=0.01)
    assert ch.structure.c_total == pytest.approx(C["die"] + C["tim"] + C["lid"], rel=0.05)


@pytest.mark.slow
def test_the_model_structure_function_finds_every_layer(characterized):
    """The model's own ladder (Lanczos, no fit): at the capacity of each layer boundary the
    cumulative resistance is the layers' sum within 2 % (the reading is the junction cells'
    mean, 5 µm above the face: 1 % of the die), and it holds every joule per kelvin."""
    ch, _ = characterized
    sf = ch.model_structure
    bounds_C = np.array([C["die"], C["die"] + C["tim"]])
    bounds_R = np.array([R["die"], R["die"] + R["tim"]])
    np.testing.assert_allclose(resistance_at_capacity(sf, bounds_C), bounds_R, rtol=0.02)
    assert sf.c_total == pytest.approx(C["die"] + C["tim"] + C["lid"], rel=1e-9)
    assert sf.r_total == pytest.approx(ch.theta, rel=0.01)


@pytest.mark.slow
def test_a_doubled_tim_separates_the_structure_functions_at_the_tim(characterized):
    """At equal capacity the two curves coincide through the die and, the TIM being the same
    material, through the nominal TIM too; they part where the nominal TIM ends."""
    nominal, degraded = characterized
    assert degraded.metrics.theta_jc - nominal.metrics.theta_jc == pytest.approx(R["tim"], rel=1e-6)
    sep = separation(nominal.model_structure, degraded.model_structure)
    assert sep == pytest.approx(R["die"] + R["tim"], rel=0.02)


def test_a_thicker_box_grows_with_the_layer_its_top_lies_in():
    """A bond line that is a box through two layers: doubled, it and the layer holding its top
    grow by its thickness, and whatever lay above moves up by as much."""
    base = stack(substrate=False)
    data = base.to_dict()
    data["boxes"] = [{"name": "bond", "x": [0.0, 1e-3], "y": [0.0, 1e-3], "z": [400e-6, 550e-6], "material": "m-tim"},
                     {"name": "above", "x": [0.0, 1e-3], "y": [0.0, 1e-3], "z": [1000e-6, 1100e-6], "material": "m-lid"}]
    pkg = type(base).model_validate(data)
    grown = with_thicker_layer(pkg, "bond", 2.0)
    bond, above = grown.boxes
    assert bond.z == pytest.approx((400e-6, 700e-6))
    assert above.z == pytest.approx((1150e-6, 1250e-6))
    assert [la.thickness for la in grown.layers] == pytest.approx([500e-6, 250e-6, 1000e-6])
