"""Every dataset of a result file carries a checksum that reading verifies: a dataset changed after
it was written (in place through HDF5, or bytes flipped on disk) is refused, naming the file and
the dataset, and ``thermal-cpo report`` says so in one line with exit code 2; files written
before checksums still read."""

from __future__ import annotations

import shutil

import h5py
import numpy as np
import pytest
from click.testing import CliRunner

from thermal_cpo import LayoutError
from thermal_cpo.cli.main import cli
from thermal_cpo.io.checksum import ATTR, checksum
from thermal_cpo.io.read import read_result
from thermal_cpo.layout import Package
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady, solve_transient


def _package() -> Package:
    return Package.from_dict(dict(
        name="slab", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=500, max_cell_z=100),
        layers=[dict(name="die", thickness=300, material="silicon",
                     blocks=[dict(name="hot", x=[500, 1500], y=[500, 1500], power=1.0,
                                  trace=[[0, 0.5], [0.004, 1.0]])])],
        boundaries=dict(top=dict(type="convective", h=1e4, T=25.0))))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("checksums")
    steady, transient = d / "steady.h5", d / "transient.h5"
    solve_steady(_package()).save(steady)
    solve_transient(_package(), t_end=0.01, save_every=0.005).save(transient)
    return {"steady": steady, "transient": transient}


def _copy(src, tmp_path):
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    return dst


def _flip(d) -> None:
    """Change one byte of the dataset ``d`` through HDF5, as an edit in place would."""
    values = d[()]
    if d.dtype.names:  # a table: one byte of a number in its first row
        values["T_max"][0:1].view(np.uint8)[3] ^= 0x10
    elif d.dtype.kind == "O":  # text
        text = values.decode()
        values = text[:10] + ("X" if text[10:11] != "X" else "Y") + text[11:]
    else:
        flat = values.reshape(-1)
        flat[flat.size // 2:flat.size // 2 + 1].view(np.uint8)[0] ^= 0x01
    d[()] = values


DATASETS = {"steady": ["fields/temperature", "fields/power", "grid/x", "grid/z", "grid/material",
                       "grid/component", "components", "input/resolved", "input/layout"],
            "transient": ["fields/temperature/000001", "fields/step_power/000000", "time",
                          "probes/T_max", "probes/power"]}
CASES = [(kind, name) for kind, names in DATASETS.items() for name in names]


@pytest.mark.parametrize("kind, name", CASES)
def test_every_dataset_carries_a_checksum_of_its_contents(files, kind, name):
    with h5py.File(files[kind]) as f:
        d = f[name]
        assert d.attrs[ATTR] == checksum(d[()])


def test_no_dataset_is_left_without_a_checksum(files):
    for path in files.values():
        missing = []
        with h5py.File(path) as f:
            f.visititems(lambda n, o: missing.append(n) if isinstance(o, h5py.Dataset)
                         and ATTR not in o.attrs else None)
        assert missing == [], path


@pytest.mark.parametrize("kind, name", CASES)
def test_a_changed_dataset_is_refused_by_name(files, tmp_path, kind, name):
    path = _copy(files[kind], tmp_path)
    with h5py.File(path, "r+") as f:
        _flip(f[name])
    with pytest.raises(LayoutError) as info:
        read_result(path, step_power=True)
    msg = str(info.value)
    assert str(path) in msg and f"dataset /{name} " in msg and "corrupted" in msg
    assert "\n" not in msg
    res = CliRunner().invoke(cli, ["report", str(path)])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.output
    assert f"/{name} " in lines[0] and "corrupted" in lines[0] and "Traceback" not in res.output


def test_bytes_flipped_on_disk_are_found(files, tmp_path):
    """Bit rot under HDF5: the raw bytes of the (contiguous) temperature field, then of a
    compressed chunk, which HDF5 may no longer inflate at all."""
    path = _copy(files["steady"], tmp_path)
    with h5py.File(path) as f:
        at = f["fields/temperature"].id.get_offset() + 100
        chunk = f["grid/component"].id.get_chunk_info(0)
    with open(path, "r+b") as fh:
        fh.seek(at)
        byte = fh.read(1)
        fh.seek(at)
        fh.write(bytes([byte[0] ^ 0x04]))
    with pytest.raises(LayoutError, match=r"corrupted: dataset /fields/temperature does not match its checksum"):
        load_result(path)
    (tmp_path / "chunk").mkdir()
    path = _copy(files["steady"], tmp_path / "chunk")
    with open(path, "r+b") as fh:
        fh.seek(chunk.byte_offset + chunk.size // 2)
        fh.write(b"\xff\x00\xff\x00")
    with pytest.raises(LayoutError, match=r"corrupted: dataset /grid/component "):
        load_result(path)


def test_a_file_without_checksums_still_reads(files, tmp_path):
    """Files written before checksums: nothing to verify, everything read as before."""
    want = read_result(files["transient"], step_power=True)
    path = _copy(files["transient"], tmp_path)
    with h5py.File(path, "r+") as f:
        names = []
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
        for n in names:
            del f[n].attrs[ATTR]
    got = read_result(path, step_power=True)
    for a, b in zip(got["steps"], want["steps"]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(got["step_power"], want["step_power"]):
        np.testing.assert_array_equal(a, b)
    assert got["components"] == want["components"]
    res = CliRunner().invoke(cli, ["report", str(path)])
    assert res.exit_code == 0, res.output


def test_the_checksum_follows_the_values_not_their_encoding():
    a = np.arange(12.0).reshape(3, 4)
    assert checksum(a) == checksum(a.astype(">f8")) == checksum(np.asfortranarray(a))
    assert checksum("résumé") == checksum("résumé".encode())
    assert checksum(a) != checksum(a.reshape(4, 3))  # the shape counts
    assert checksum(a) != checksum(a.astype("<f4"))  # and the dtype
    b = a.copy()
    b.reshape(-1).view(np.uint8)[40] ^= 0x01  # one bit of one value
    assert checksum(a) != checksum(b)
    assert checksum(a).startswith("crc32:") and len(checksum(a)) == len("crc32:") + 8
