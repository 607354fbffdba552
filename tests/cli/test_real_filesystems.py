"""A real full and a real read-only file system: a small tmpfs in a private mount namespace.

The fault tests beside this one simulate ENOSPC and EROFS through the module every result file is
written through; here the kernel answers. A child shell mounts a tmpfs just larger than the
earlier result, puts that result at the target, runs the command line at it and reports what
is left, before its namespace (and the mount) goes away. The mount needs a user and mount
namespace (``unshare -rm``), which containers and CI runners may refuse: there the test cannot
be run and says so.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from cli.test_faults import TIMEOUT, files  # noqa: F401 (the fixture)


def _namespaces() -> bool:
    """Can this machine mount a tmpfs in a private namespace?"""
    import tempfile

    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as d:
        probe = subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d],
                               capture_output=True)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(sys.platform != "linux" or not _namespaces(),
                                reason="a real tmpfs needs a mount namespace (unshare -rm)")

#: the child: mount, put the earlier result at the target, run, report the exit status, stderr
#: and the digests of what is at the target, and list the directory
SCRIPT = r"""
set -u
mount -t tmpfs -o size={size} tmpfs "$DIR"
cp "$EARLIER" "$DIR/out.h5"; cp "${{EARLIER%.h5}}.xdmf" "$DIR/out.xdmf"
{remount}
"$PY" -m thermal_cpo {command} -o "$DIR/out.h5" 2> "$ERR" > /dev/null
echo "rc=$?"
sha256sum "$DIR/out.h5" "$DIR/out.xdmf" | cut -d' ' -f1
ls -A "$DIR"
"""


@pytest.fixture(scope="module")
def inputs(files):
    """The fault tests' layouts and earlier result, with their folder for the mount points."""
    return {**files, "dir": files["earlier"].parent}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _in_tmpfs(inputs, command: str, size: int, read_only: bool = False):
    mnt = inputs["dir"] / f"mnt-{len(list(inputs['dir'].iterdir()))}"
    mnt.mkdir()
    err = inputs["dir"] / f"{mnt.name}.err"
    script = SCRIPT.format(size=size, command=command,
                           remount='mount -o remount,ro "$DIR"' if read_only else "")
    env = {**os.environ, "DIR": str(mnt), "EARLIER": str(inputs["earlier"]), "ERR": str(err),
           "PY": sys.executable}
    out = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True,
                         env=env, timeout=TIMEOUT)
    lines = out.stdout.split()
    assert lines and lines[0].startswith("rc="), out.stdout + out.stderr
    return int(lines[0][3:]), lines[1:3], sorted(lines[3:]), err.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["run {fine} -q", "crosstalk {fine}",
                                     "run {small} --transient --t-end 0.01 --save-every 0.0005 -q"])
def test_a_full_tmpfs(inputs, command):
    """The tmpfs holds the earlier result and 64 kB more; the new one (a 0.33 M-cell field, about
    2.6 MB, or a transient's 21 fields of 35 kB, the disk filling part way) cannot fit: one
    line, exit 2, the earlier result whole, no temporary left."""
    earlier = inputs["earlier"]
    size = earlier.stat().st_size + earlier.with_suffix(".xdmf").stat().st_size + 64 * 1024
    rc, digests, names, err = _in_tmpfs(inputs, command.format(**inputs), size)
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and os.strerror(28) in lines[0], err
    assert digests == [_digest(earlier), _digest(earlier.with_suffix(".xdmf"))]
    assert names == ["out.h5", "out.xdmf"]


def test_a_read_only_tmpfs(inputs):
    """Root included, a read-only mount refuses the write; refused before solving, in one line."""
    earlier = inputs["earlier"]
    rc, digests, names, err = _in_tmpfs(inputs, f"run {inputs['small']} -q", 1 << 20, read_only=True)
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and os.strerror(30) in lines[0], err
    assert digests == [_digest(earlier), _digest(earlier.with_suffix(".xdmf"))]
    assert names == ["out.h5", "out.xdmf"]
