"""Writing files so that nothing half-written ever appears under the final name.

Every writer in :mod:`thermal_cpo.io` goes through here: the data go to a temporary file beside
the target, which is renamed into place (``os.replace``, atomic on one file system) only when
complete; on any failure the temporary is removed and an existing file at the target is left
untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import LayoutError


def check_target(path: Path) -> Path:
    """The directory ``path`` will be written in; a :class:`LayoutError` if it cannot be."""
    path = Path(path)
    if path.is_dir():
        raise LayoutError(f"{path}: is a directory; give a file name", path="output")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise LayoutError(f"{path}: the directory {parent} does not exist", path="output")
    return parent


def temporary_beside(path: Path) -> str:
    """A new empty temporary file in ``path``'s directory, with the usual (umask) file mode."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=check_target(path))
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    return tmp


@contextlib.contextmanager
def atomic(path: Path):
    """Yield a temporary path beside ``path``; renamed to ``path`` on success, removed on failure."""
    tmp = temporary_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
