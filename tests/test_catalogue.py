"""Every package of the catalogue through the whole pipeline: it reads back from its own TOML,
conserves energy, and its result file reads back to the same field."""

import numpy as np

from thermal_cpo.layout import dump_toml, parse_toml
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady


def test_layout_round_trips_through_toml(catalogue_case):
    _, pkg = catalogue_case
    assert parse_toml(dump_toml(pkg)) == pkg


def test_steady_field_conserves_energy_and_round_trips(catalogue_case, tmp_path):
    """Sources in = heat out (boundaries and coolant) to the solver's tolerance; the saved
    field, component table and coolant streams read back bit for bit."""
    name, pkg = catalogue_case
    r = solve_steady(pkg, tol=1e-11)
    # the linear solve's relative residual 1e-11 bounds the imbalance it can leave, with a
    # margin for the coolant outer iteration's last linear solve
    assert r.energy_balance < 1e-8, name
    # what the grid dissipates is what the layout declares (a source model's nominal power)
    assert abs(r.solver["power_in"] - pkg.total_power) <= 1e-12 * pkg.total_power, name
    back = load_result(r.save(tmp_path / f"{name}.h5"))
    np.testing.assert_array_equal(back.temperature, r.temperature)
    assert [c.as_dict() for c in back.components] == [c.as_dict() for c in r.components]
    if r.coolant is not None:
        for k, v in r.coolant["streams"].items():
            np.testing.assert_array_equal(back.coolant["streams"][k], v)
