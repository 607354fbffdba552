"""Faults around the result file: signals during a run, a full or read-only file system, a path
that cannot be written, two writers at once.

The earlier result at the target survives every failure; a failure is one line on stderr naming
the path and the reason (exit 2), never a traceback; no temporary is left behind; Ctrl-C and
SIGTERM stop a transient with the steps stored so far, which every command then reads as an
incomplete result.

The signal tests run the command line in child processes and wait for markers (the command has
started, the transient's temporary file holds several fields), never for fixed times, so they
hold on a slow, shared machine.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import h5py
import pytest
from click.testing import CliRunner

import thermal_cpo.io.atomic as atomic
from thermal_cpo.cli.main import cli
from thermal_cpo.layout import Package, dump_toml, load_layout
from thermal_cpo.results import load_result
from thermal_cpo.solve import solve_steady

NO_SPACE = os.strerror(errno.ENOSPC)
#: how long a child may take at most; it is killed after that (a stuck test, not a slow one)
TIMEOUT = 120.0


def _package(fine: bool = False) -> Package:
    """A die (a powered core and a side block), a TIM and a lid, convective top and bottom, one
    probe; ``fine``: 103 × 103 × 31 cells, so that a steady solve lasts long enough to be
    interrupted, else 17 × 17 × 15."""
    grid = dict(max_cell_xy=60, max_cell_z=50) if fine else dict(max_cell_xy=500, max_cell_z=200)
    core = dict(name="core", x=[1500, 4500], y=[1500, 4500], power=20.0, power_at="bottom")
    return Package.from_dict(dict(
        name="small", footprint=dict(x=6000, y=6000), grid=grid,
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=500, material="si",
                     blocks=[core, dict(name="side", x=[5000, 5800], y=[200, 1000], power=2.0)]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        probes=[dict(name="centre", x=3000, y=3000, z=100)],
        initial=dict(T=30.0),
        boundaries=dict(top=dict(type="convective", h=2e4, T=30.0),
                        bottom=dict(type="convective", h=200, T=30.0))))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The two layouts as TOML files and an earlier (steady) result with its sidecar."""
    d = tmp_path_factory.mktemp("faults")
    small, fine = d / "small.toml", d / "fine.toml"
    small.write_text(dump_toml(_package()))
    fine.write_text(dump_toml(_package(fine=True)))
    earlier = d / "earlier.h5"
    solve_steady(load_layout(str(small))).save(earlier)
    return dict(small=small, fine=fine, earlier=earlier)


def _earlier_at(files, target: Path) -> dict[Path, bytes]:
    """Put the earlier result (and sidecar) at ``target``; their bytes, to compare with later."""
    for src, dst in ((files["earlier"], target), (files["earlier"].with_suffix(".xdmf"),
                                                  target.with_suffix(".xdmf"))):
        shutil.copyfile(src, dst)
    return {p: p.read_bytes() for p in (target, target.with_suffix(".xdmf"))}


def _temporaries(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.endswith(".tmp"))


def invoke(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in res.output + res.stderr, res.output + res.stderr
    return res


def one_line_error(res, *words) -> str:
    """A user error: exit 2, one line on stderr with every word in it, nothing on stdout."""
    lines = res.stderr.strip().splitlines()
    assert res.exit_code == 2, (res.exit_code, res.output, res.stderr, res.exception)
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for w in words:
        assert str(w) in lines[0], (w, lines[0])
    assert res.stdout == ""
    return lines[0]


# ---------------------------------------------------------------------------------------------
# child processes
# ---------------------------------------------------------------------------------------------
#: the command line in a child, which prints "started" once the command runs (its signal
#: handlers set, the slow imports done): load_layout is the first thing a solving command calls
CHILD = """
import os, sys, time
import h5py, thermal_cpo.solve
import thermal_cpo.layout as layout
from thermal_cpo.cli.main import main

load = layout.load_layout

def marked(*args, **kwargs):
    print("started", flush=True)
    return load(*args, **kwargs)

layout.load_layout = marked
if os.environ.get("HOLD_IN_MESHING"):  # a signal certain to land inside the run, not after it
    import importlib

    # the modules themselves: the packages re-export functions of the same names
    xt, st = (importlib.import_module(m) for m in ("thermal_cpo.analysis.crosstalk", "thermal_cpo.solve.steady"))

    def held(real):
        def mesh(*args, **kwargs):
            print("meshing", flush=True)
            time.sleep(60)
            return real(*args, **kwargs)
        return mesh

    st.voxelize, xt.voxelize = held(st.voxelize), held(xt.voxelize)
main(sys.argv[1:])
"""


class Child:
    """``thermal-cpo ARGS`` in a child process, with its stdout read as it comes."""

    def __init__(self, cwd: Path, *args, hold: bool = False):
        env = {**os.environ, **({"HOLD_IN_MESHING": "1"} if hold else {})}
        self.p = subprocess.Popen([sys.executable, "-c", CHILD, *map(str, args)], cwd=cwd, text=True,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  preexec_fn=_default_sigint, env=env)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(x) for x in self.p.stdout], daemon=True).start()

    def wait_for_start(self, marker: str = "started") -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                if self.lines.get(timeout=0.2).strip() == marker:
                    return
            except queue.Empty:
                assert self.p.poll() is None, f"the child ended early: {self.p.stderr.read()}"
        raise AssertionError("the child never started")

    def finish(self, sig=None) -> tuple[int, str]:
        """Send ``sig`` (when given), then its exit code and stderr."""
        if sig is not None:
            self.p.send_signal(sig)
        try:
            err = self.p.stderr.read()
            rc = self.p.wait(timeout=TIMEOUT)
        finally:
            if self.p.poll() is None:
                self.p.kill()
                self.p.wait()
        return rc, err


def _wait_for_fields(target: Path, header: int, n_cells: int, fields: int = 4) -> None:
    """Until the transient's temporary beside ``target`` holds about ``fields`` stored fields
    (float64 per cell) past ``header`` bytes."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for p in target.parent.glob(f".{target.name}.*.tmp"):
            try:
                if p.stat().st_size >= header + fields * 8 * n_cells:
                    return
            except FileNotFoundError:
                pass
        time.sleep(0.02)
    raise AssertionError(f"no stored fields appeared beside {target}")


def _default_sigint() -> None:
    """In the child before exec: SIGINT back to its default, so Python makes it Ctrl-C's
    KeyboardInterrupt even where the suite runs with SIGINT ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def spawn():
    """Start :class:`Child` processes; any still running when the test ends is killed."""
    started: list[Child] = []

    def start(cwd, *args, **kwargs) -> Child:
        started.append(Child(cwd, *args, **kwargs))
        return started[-1]

    yield start
    for child in started:
        if child.p.poll() is None:
            child.p.kill()
            child.p.wait()


EXIT = {signal.SIGINT: (130, "interrupted"), signal.SIGTERM: (143, "terminated by SIGTERM"),
        signal.SIGKILL: (-signal.SIGKILL, None)}


@pytest.mark.slow
def test_a_signal_during_a_steady_run_or_crosstalk_keeps_the_earlier_result(files, tmp_path, spawn):
    """SIGINT, SIGTERM and SIGKILL during `run -o` and SIGTERM during `crosstalk -o`, each over
    an earlier result: that result is left byte for byte, and nothing else is left there."""
    cases = [("run", signal.SIGINT), ("run", signal.SIGTERM), ("run", signal.SIGKILL),
             ("crosstalk", signal.SIGTERM)]
    runs = []
    for command, sig in cases:  # side by side: one wait for all
        d = tmp_path / f"{command}-{sig.name}"
        d.mkdir()
        target = d / "out.h5"
        before = _earlier_at(files, target)
        extra = ["-q"] if command == "run" else []
        runs.append((command, sig, d, target, before,
                     spawn(d, command, files["fine"], "-o", target, *extra, hold=True)))
    for *_, child in runs:
        child.wait_for_start("meshing")  # inside the run, held there until the signal comes
    for command, sig, *_, child in runs:
        child.p.send_signal(sig)
    for command, sig, d, target, before, child in runs:
        rc, err = child.finish()
        code, line = EXIT[sig]
        assert rc == code, (command, sig, rc, err)
        assert "Traceback" not in err
        if line is not None:
            assert err.strip().splitlines() == [line], err
        for path, data in before.items():
            assert path.read_bytes() == data, (command, sig, path)
        assert load_result(target).complete
        if sig != signal.SIGKILL:  # a killed writer may leave its temporary: see the test below
            assert _temporaries(d) == []


def _transient_args(target: Path, layout: Path):
    """A run far longer than the test waits (1e5 fixed implicit steps), a field every 10 steps."""
    return ("run", layout, "--transient", "--t-end", "100", "--method", "implicit", "--dt", "1e-3",
            "--save-every", "1e-2", "-q", "-o", target)


@pytest.mark.slow
def test_a_signal_during_a_transient(files, tmp_path, spawn):
    """Ctrl-C and SIGTERM keep the steps so far as an incomplete result that every command
    reads; SIGKILL leaves the earlier result, and its temporary goes with the next write."""
    n_cells = int(load_result(files["earlier"]).temperature.size)
    # a steady file is the header, one field and the tables: so "header" + 3 fields are >= 4
    header = files["earlier"].stat().st_size
    runs = []
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        d = tmp_path / sig.name
        d.mkdir()
        target = d / "out.h5"
        before = _earlier_at(files, target)
        runs.append((sig, d, target, before, spawn(d, *_transient_args(target, files["small"]))))
    for sig, d, target, before, child in runs:
        child.wait_for_start()
        _wait_for_fields(target, header, n_cells, fields=3)
        rc, err = child.finish(sig)
        code, line = EXIT[sig]
        assert rc == code, (sig, rc, err)
        assert "Traceback" not in err
        if sig == signal.SIGKILL:
            assert all(p.read_bytes() == data for p, data in before.items())
            load_result(files["earlier"]).save(target)  # the next write of the same target
            assert _temporaries(d) == []
            continue
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(line + ": stopped at t = "), err
        assert str(target) in lines[0] and "incomplete" in lines[0]
        assert _temporaries(d) == []
        _check_the_kept_transient(target)


def _check_the_kept_transient(target: Path) -> None:
    """The file a stopped transient kept: its steps and probes up to the stop, and report,
    report --json, plot --time and export say it is incomplete and up to which time."""
    r = load_result(target)
    assert r.complete is False and len(r.times) >= 3 and r.t_stop > 0
    assert r.solver["interrupted"] and r.solver["t_stop"] == pytest.approx(r.t_stop)
    assert r.probes["time"][-1] == pytest.approx(r.t_stop)
    assert r.probes["points"].shape == (len(r.probes["time"]), 1)  # the probe "centre"
    # the temperatures reported are those of the last stored step, where the run stopped
    assert (r.temperature == r.steps[-1]).all()
    assert max(c.T_max for c in r.components) == pytest.approx(float(r.steps[-1].max()))
    when = f"t = {r.t_stop:g} s of 100 s"
    res = invoke("report", target)
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines()[0].startswith("incomplete:") and when in res.stdout
    res = invoke("report", target, "--json")
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)
    assert rep["complete"] is False and rep["t_stop"] == pytest.approx(r.t_stop) and when in rep["note"]
    assert {c["name"] for c in rep["components"]} == {"die", "core", "side", "tim", "lid"}
    res = invoke("export", target, "-f", "vtr")
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(target.with_suffix(".vtr")) and Path(res.stdout.strip()).exists()
    assert "incomplete" in res.stderr and when in res.stderr
    try:
        import matplotlib
    except ImportError:
        return
    matplotlib.use("Agg")
    res = invoke("plot", target, "--time", "-o", target.with_suffix(".png"))
    assert res.exit_code == 0, res.output + res.stderr
    assert target.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "incomplete" in res.stderr and when in res.stderr


def test_a_killed_writers_temporary_goes_with_the_next_write(files, tmp_path):
    """Only this host's temporaries of the same target whose writer is gone are removed."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    target = tmp_path / "out.h5"
    stale = tmp_path / f".out.h5.{atomic._HOST}.{gone.pid}.abcd1234.tmp"
    live = tmp_path / f".out.h5.{atomic._HOST}.{os.getpid()}.abcd1234.tmp"
    other = tmp_path / f".other.h5.{atomic._HOST}.{gone.pid}.abcd1234.tmp"
    for p in (stale, live, other):
        p.write_bytes(b"\0" * 1000)
    load_result(files["earlier"]).save(target)
    assert _temporaries(tmp_path) == sorted([live.name, other.name])
    assert load_result(target).complete


# ---------------------------------------------------------------------------------------------
# a full disk, a read-only or foreign directory, a path that cannot be a file
# ---------------------------------------------------------------------------------------------
class FullDisk:
    """Stands for the ``os`` module of :mod:`thermal_cpo.io.atomic`, through which every result
    file is written: writes fail with ENOSPC once ``budget`` bytes have gone through."""

    def __init__(self, budget: int):
        self.budget = budget

    def __getattr__(self, name):
        return getattr(os, name)

    def write(self, fd, data):
        n = memoryview(data).nbytes
        if n > self.budget:
            raise OSError(errno.ENOSPC, NO_SPACE)
        self.budget -= n
        return os.write(fd, data)


FULL_DISK_RUNS = {
    "steady": (["run", "{small}", "-q"], 20_000),
    "transient": (["run", "{small}", "--transient", "--t-end", "0.01", "--save-every", "0.001", "-q"],
                  150_000),  # fails part way, after a few stored fields (35 kB each)
    "crosstalk": (["crosstalk", "{small}", "--json"], 20_000),
}


@pytest.mark.parametrize("kind", sorted(FULL_DISK_RUNS))
def test_a_full_disk_is_one_line_and_keeps_the_earlier_result(files, tmp_path, monkeypatch, kind):
    args, budget = FULL_DISK_RUNS[kind]
    target = tmp_path / "out.h5"
    before = _earlier_at(files, target)
    monkeypatch.setattr(atomic, "os", FullDisk(budget))
    res = invoke(*[a.format(small=files["small"]) for a in args], "-o", target)
    one_line_error(res, target, NO_SPACE)
    assert all(p.read_bytes() == data for p, data in before.items())
    assert _temporaries(tmp_path) == []


def test_a_failed_write_reaches_neither_hdf5_nor_the_target(tmp_path, monkeypatch):
    """HDF5 never sees the failure (a library whose write failed cannot close its file and has
    crashed the process): the sink keeps it, the staged file raises it and is gone."""
    target = tmp_path / "x.h5"
    monkeypatch.setattr(atomic, "os", FullDisk(3000))
    out = atomic.Staged(target)
    with h5py.File(out.sink, "w") as f:
        for i in range(5):
            f.create_dataset(str(i), data=[float(i)] * 1000)
    assert out.sink.error.errno == errno.ENOSPC
    with pytest.raises(atomic.LayoutError, match=NO_SPACE) as info:
        out.commit()
    assert str(target) in str(info.value)
    assert not target.exists() and _temporaries(tmp_path) == []


def test_a_failing_hdf5_write_names_the_target(files, tmp_path, monkeypatch):
    import thermal_cpo.io.hdf5 as hdf5

    def full(*args):
        raise OSError(errno.ENOSPC, NO_SPACE)

    target = tmp_path / "out.h5"
    before = _earlier_at(files, target)
    monkeypatch.setattr(hdf5, "_write_tables", full)
    one_line_error(invoke("run", files["small"], "-q", "-o", target), target, NO_SPACE)
    assert all(p.read_bytes() == data for p, data in before.items()) and _temporaries(tmp_path) == []


class _FullFile:
    def __init__(self, fh, budget):
        self.fh, self.budget = fh, budget

    def write(self, data):
        n = len(data) if isinstance(data, str) else memoryview(data).nbytes
        if n > self.budget:
            raise OSError(errno.ENOSPC, NO_SPACE)
        self.budget -= n
        return self.fh.write(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


@pytest.mark.parametrize("fmt, module", [("vtr", "thermal_cpo.io.formats.vtr"), ("xdmf", "thermal_cpo.io.xdmf")])
def test_export_to_a_full_disk(files, tmp_path, monkeypatch, fmt, module):
    import importlib

    h5 = tmp_path / "r.h5"
    _earlier_at(files, h5)
    target = h5.with_suffix("." + fmt)
    target.write_text("earlier export")
    monkeypatch.setattr(importlib.import_module(module), "open",
                        lambda path, mode="r", *a, **k: _FullFile(open(path, mode, *a, **k), 500),
                        raising=False)
    one_line_error(invoke("export", h5, "-f", fmt), target, NO_SPACE)
    assert target.read_text() == "earlier export" and _temporaries(tmp_path) == []


def _refused(files, target: Path):
    """Each writing command at ``target``: run -o, crosstalk -o and export -o."""
    h5 = files["earlier"]
    return {"run": invoke("run", files["small"], "-q", "-o", target),
            "crosstalk": invoke("crosstalk", files["small"], "-o", target),
            "export": invoke("export", h5, "-f", "vtr", "-o", target.with_suffix(".vtr"))}


@pytest.mark.parametrize("code, reason", [(errno.EACCES, "Permission denied"),
                                          (errno.EROFS, "Read-only file system")])
def test_a_directory_that_cannot_be_written_is_refused_before_solving(files, tmp_path, monkeypatch,
                                                                      code, reason):
    """As the file system answers for a read-only mount or a directory of someone else's (the
    refusal simulated: root may write anywhere)."""
    import thermal_cpo.solve as solve

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    def no_solve(*args, **kwargs):
        raise AssertionError("solved before finding that the output cannot be written")

    monkeypatch.setattr(atomic, "tempfile", type("T", (), {"mkstemp": staticmethod(refuse)}))
    monkeypatch.setattr(solve, "solve_steady", no_solve)
    target = tmp_path / "out.h5"
    for command, res in _refused(files, target).items():  # out.h5, or out.vtr for export
        one_line_error(res, tmp_path / "out.", reason)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only directory")
def test_a_read_only_directory(files, tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    target = d / "out.h5"
    before = _earlier_at(files, target)
    d.chmod(0o555)
    try:
        for command, res in _refused(files, target).items():
            one_line_error(res, d / "out.", "Permission denied")
        assert all(p.read_bytes() == data for p, data in before.items())
    finally:
        d.chmod(0o755)


def test_a_path_under_a_regular_file_is_refused_for_everyone(files, tmp_path):
    """ENOTDIR whoever runs it, root included."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    for command, res in _refused(files, blocker / "out.h5").items():
        one_line_error(res, blocker / "out", "not a directory")
    assert blocker.read_text() == "not a directory" and sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# ---------------------------------------------------------------------------------------------
# two writers, interrupted writes
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_two_writers_of_one_target_leave_one_complete_result(files, tmp_path):
    target = tmp_path / "out.h5"
    children = [subprocess.Popen([sys.executable, "-m", "thermal_cpo", "run", str(files["small"]), "-q",
                                  "-o", str(target)], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    for child in children:
        _, err = child.communicate(timeout=TIMEOUT)
        assert child.returncode == 0, err
    # and in one process, many times over, two threads saving one result onto one target
    r = load_result(files["earlier"])
    failures = []

    def save():
        try:
            for _ in range(5):
                r.save(target)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=save) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    back = load_result(target)
    assert back.complete and [c.name for c in back.components] == [c.name for c in r.components]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.h5", "out.xdmf"]


def test_a_signal_during_a_write_is_held_until_the_write_is_whole():
    """SIGINT inside HDF5's writes would fail them in the library; held, it lands after."""
    # Ctrl-C as a terminal delivers it, whatever this suite inherited (a background job
    # ignores SIGINT)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        reached = []
        with pytest.raises(KeyboardInterrupt):
            with atomic.signals_held():
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(1000):  # handlers would run here, at the latest
                    pass
                reached.append(True)
        assert reached == [True]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, inherited)


def test_a_transient_stopped_before_its_tables_is_still_readable(files, tmp_path):
    """A file holding only the stored fields (as an earlier version kept them): report and
    export read it, say it is incomplete; plot --time says what it lacks."""
    from thermal_cpo.io.hdf5 import TransientWriter

    r = load_result(files["earlier"])
    target = tmp_path / "cut.h5"
    w = TransientWriter(target, r.mesh)
    for i in range(3):
        w.add(0.01 * i, r.temperature + i)
    assert w.stop() == str(target)
    back = load_result(target)
    assert back.complete is False and back.t_stop == pytest.approx(0.02)
    assert back.component("core").T_max == pytest.approx(r.component("core").T_max + 2)
    res = invoke("report", target)
    assert res.exit_code == 0 and "interrupted at t = 0.02 s" in res.stdout, res.output
    assert json.loads(invoke("report", target, "--json").stdout)["complete"] is False
    res = invoke("export", target, "-f", "vtr")
    assert res.exit_code == 0 and "incomplete" in res.stderr, res.output
    one_line_error(invoke("plot", target, "--time"), target, "time series")
