"""Reading a result file refuses what it cannot trust: a newer major format version (naming the
file and both versions) and a temperature field that is not finite (naming the dataset)."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.cli.main import cli
from thermal_cpo.io.checksum import stamp
from thermal_cpo.io.hdf5 import FORMAT_VERSION
from thermal_cpo.layout import Package
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady


def _package() -> Package:
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=500, max_cell_z=100),
        layers=[dict(name="die", thickness=300, material="silicon",
                     blocks=[dict(name="hot", x=[500, 1500], y=[500, 1500], power=1.0)])],
        boundaries=dict(top=dict(type="convective", h=1e4, T=25.0))))


@pytest.fixture(scope="module")
def steady_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("checks") / "slab.h5"
    solve_steady(_package()).save(path)
    return path


def _copy(src, tmp_path, name="copy.h5"):
    dst = tmp_path / name
    dst.write_bytes(src.read_bytes())
    return dst


def test_the_written_file_reads_back(steady_file):
    assert np.isfinite(load_result(steady_file).temperature).all()


@pytest.mark.parametrize("newer", [FORMAT_VERSION + 1, f"{FORMAT_VERSION + 1}.0"])
def test_newer_major_format_version_is_refused(steady_file, tmp_path, newer):
    f = _copy(steady_file, tmp_path)
    with h5py.File(f, "r+") as h:
        h.attrs["format_version"] = newer
    with pytest.raises(LayoutError) as exc:
        load_result(f)
    msg = str(exc.value)
    assert str(f) in msg and f"version {newer} is newer" in msg and f"format version {FORMAT_VERSION} and older" in msg
    res = CliRunner().invoke(cli, ["report", str(f)])
    assert res.exit_code == 2 and "newer" in res.output


def test_same_major_with_a_minor_reads(steady_file, tmp_path):
    f = _copy(steady_file, tmp_path)
    with h5py.File(f, "r+") as h:
        h.attrs["format_version"] = f"{FORMAT_VERSION}.3"
    assert load_result(f).temperature.size > 0


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_temperature_names_the_dataset(steady_file, tmp_path, bad):
    f = _copy(steady_file, tmp_path)
    with h5py.File(f, "r+") as h:
        d = h["fields/temperature"]
        d[0, 0, 0] = bad
        # as a diverged solve writes it: the NaN is the content, its checksum matches
        stamp(d, d[()])
    with pytest.raises(LayoutError, match=r"dataset /fields/temperature holds 1 non-finite value \(NaN or inf\)"):
        load_result(f)
    res = CliRunner().invoke(cli, ["report", str(f)])
    assert res.exit_code == 2 and "/fields/temperature" in res.output


def test_non_finite_transient_step_names_its_dataset(tmp_path):
    from thermal_cpo.solve import solve_transient

    f = tmp_path / "heat_up.h5"
    solve_transient(_package(), t_end=0.01, save_every=0.005).save(f)
    with h5py.File(f, "r+") as h:
        steps = sorted(h["fields/temperature"])
        d = h["fields/temperature"][steps[1]]
        d[0, 0, 0] = np.nan
        stamp(d, d[()])  # written so by the run, not damaged later
    with pytest.raises(LayoutError, match=f"dataset /fields/temperature/{steps[1]} holds 1 non-finite"):
        load_result(f)
