"""The component report: margins, thermal resistances to the coolant temperature, and that
temperature taken from the boundaries' and coolant inlets' own reference temperatures."""

import math

import pytest
from catalogue import CASES
from click.testing import CliRunner

from thermal_cpo.analysis import coolant_temperature, report
from thermal_cpo.cli.main import cli
from thermal_cpo.solve import solve_steady


def test_report_margin_and_thermal_resistance(three_sources):
    r = solve_steady(three_sources())
    rep = report(r)
    row = next(c for c in rep["components"] if c["name"] == "asic")
    asic = r.component("asic")
    assert rep["coolant_T"] == 35.0
    assert row["T_hot"] == max(asic.T_max, asic.T_junction or -math.inf)
    assert row["margin"] == pytest.approx(95 - row["T_hot"])
    assert row["R_th"] == pytest.approx((row["T_hot"] - 35.0) / 10.0)
    assert next(c for c in rep["components"] if c["name"] == "lid")["R_th"] is None


@pytest.mark.parametrize("case, expected", [
    ("flux_bottom", 30.0),    # a prescribed flux sets no temperature: only the convective top counts
    ("fixed_sides", 25.0),    # the lower of the two fixed faces
    ("compact_plate", 25.0),  # no active face: the cold plate's inlet
    ("resolved_cavity", 25.0),  # the cavity's inlet
])
def test_coolant_temperature_is_the_lowest_reference(case, expected):
    r = solve_steady(CASES[case]())
    assert coolant_temperature(r) == expected
    rep = report(r)
    assert rep["coolant_T"] == expected
    for row in rep["components"]:
        if row["power"] > 0:
            assert row["R_th"] == pytest.approx((row["T_hot"] - expected) / row["power"])


def test_coolant_temperature_without_any_reference_is_nan():
    """A result whose package has no active face and no coolant (never solvable, but the
    function is about the package's data) has no reference temperature."""
    pkg = CASES["flux_bottom"]()
    floating = pkg.model_copy(update={"boundaries": pkg.boundaries.model_copy(update={"top": pkg.boundaries.xmin})})
    fake = type("R", (), {"package": floating, "coolant": None})()
    assert math.isnan(coolant_temperature(fake))


@pytest.mark.parametrize("content", [None, b"not hdf5 at all"])
def test_report_bad_file_exit_2(tmp_path, content):
    path = tmp_path / "bad.h5"
    if content is not None:
        path.write_bytes(content)
    res = CliRunner().invoke(cli, ["report", str(path)])
    assert res.exit_code == 2
    assert res.stderr.startswith("error: ") and "Traceback" not in res.stderr
