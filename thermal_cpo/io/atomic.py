"""Writing files so that nothing half-written ever appears under the final name.

Every writer in :mod:`thermal_cpo.io` goes through here: the data go to a temporary file beside
the target, which is renamed into place (``os.replace``, atomic on one file system) only when
complete; on any failure the temporary is removed and an existing file at the target is left
untouched. A failure of the file system (read-only, full, no permission) is a
:class:`~thermal_cpo.errors.LayoutError` that names the target and the reason.

A temporary is named after its target, this host and the writing process
(``.out.h5.<host>.<pid>.<random>.tmp``), so that one left by a writer that was killed
(SIGKILL, a crash) is removed by the next write of the same target on this host.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import socket
import tempfile
import threading
from pathlib import Path

from ..errors import LayoutError

#: this host in temporary names: only temporaries of this host's processes are judged stale
_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:32] or "host"


def check_target(path: Path) -> Path:
    """The directory ``path`` will be written in; a :class:`LayoutError` if it cannot be."""
    path = Path(path)
    if path.is_dir():
        raise LayoutError(f"{path}: is a directory; give a file name", path="output")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        blocking = next((p for p in (parent, *parent.parents) if p.exists()), None)
        if blocking is not None and not blocking.is_dir():
            raise LayoutError(f"{path}: cannot write there, {blocking} is a file, not a directory",
                              path="output")
        raise LayoutError(f"{path}: the directory {parent} does not exist", path="output")
    return parent


def write_error(path, exc: OSError) -> LayoutError:
    """The input error for a failed write of ``path``: the target (not its temporary) and the
    reason, e.g. 'No space left on device'."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return LayoutError(f"{path}: cannot write the file: {reason}", path="output")


def check_writable(path) -> None:
    """A :class:`LayoutError` now, before a long solve, when ``path`` cannot be written (its
    directory missing, read-only or not ours): tried by creating and removing a temporary."""
    os.unlink(temporary_beside(path))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _remove_stale(parent: Path, name: str) -> None:
    """Remove the temporaries of ``name`` in ``parent`` whose writer, on this host, is gone."""
    if os.name != "posix":  # elsewhere os.kill(pid, 0) would end the process, not probe it
        return
    pattern = re.compile(rf"\.{re.escape(name)}\.{re.escape(_HOST)}\.(\d+)\.[^.]+\.tmp\Z")
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(f".{name}.")]
    except OSError:
        return
    for entry in entries:
        m = pattern.match(entry.name)
        if m and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def temporary_beside(path: Path) -> str:
    """A new empty temporary file in ``path``'s directory, with the usual (umask) file mode."""
    path = Path(path)
    parent = check_target(path)
    _remove_stale(parent, path.name)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{_HOST}.{os.getpid()}.", suffix=".tmp",
                                   dir=parent)
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    except OSError as exc:
        raise write_error(path, exc) from exc
    return tmp


@contextlib.contextmanager
def atomic(path: Path):
    """Yield a temporary path beside ``path``; renamed to ``path`` on success, removed on failure.
    An ``OSError`` inside the block (a full disk, say) becomes a :class:`LayoutError` naming
    ``path``."""
    tmp = temporary_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from exc
        raise


@contextlib.contextmanager
def signals_held():
    """Hold Ctrl-C (SIGINT) and SIGTERM, where Python code handles them, until the block ends;
    then the first one caught goes to its handler (which raises KeyboardInterrupt).

    HDF5 calls back into Python (:class:`Sink`) while it writes: an exception raised there by a
    signal handler fails the write inside the library, which then cannot close the file. Held
    here, the signal lands between two whole writes instead. Python runs signal handlers in the
    main thread only, so in any other there is nothing to hold.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            handler = signal.getsignal(sig)
            if callable(handler):  # SIG_DFL / SIG_IGN act outside Python: nothing to hold
                previous[sig] = handler
                signal.signal(sig, lambda signum, frame: caught.append(signum))
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            previous[caught[0]](caught[0], None)


class Sink:
    """The file under a temporary name, as the file object HDF5's ``fileobj`` driver writes.

    It never reports a failed write to HDF5: a library whose write failed is left with a file
    it can neither flush nor close, and its clean-up has crashed the process (a segfault on a
    full disk). The first ``OSError`` of a write, a truncation or the final sync is kept in
    :attr:`error` instead, later writes are dropped, and the owner checks :attr:`error` after
    each batch of writes and discards the file. Reads past the end give zeros, as from HDF5's
    own POSIX driver. Positions and sizes in bytes.
    """

    def __init__(self, path):
        self.path = str(path)
        self.fd = os.open(self.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        self.pos = self.end = 0
        self.error: OSError | None = None

    def _fail(self, exc: OSError) -> None:
        if self.error is None:
            self.error = exc

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: self.end}[whence]
        self.pos = base + offset
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, size: int = -1) -> bytes:
        size = max(self.end - self.pos, 0) if size is None or size < 0 else size
        data = b""
        try:
            os.lseek(self.fd, self.pos, os.SEEK_SET)
            while len(data) < size:
                chunk = os.read(self.fd, size - len(data))
                if not chunk:
                    break
                data += chunk
        except OSError as exc:
            self._fail(exc)
        self.pos += size
        return data + bytes(size - len(data))

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        if self.error is None:
            try:
                os.lseek(self.fd, self.pos, os.SEEK_SET)
                done = 0
                while done < len(view):
                    done += os.write(self.fd, view[done:])
            except OSError as exc:
                self._fail(exc)
        self.pos += len(view)
        self.end = max(self.end, self.pos)
        return len(view)

    def truncate(self, size: int | None = None) -> int:
        size = self.pos if size is None else size
        if self.error is None:
            try:
                os.ftruncate(self.fd, size)
            except OSError as exc:
                self._fail(exc)
        self.end = size
        return size

    def flush(self) -> None:
        """Nothing: every write goes straight to the file; :meth:`close` syncs it."""

    def close(self) -> None:
        """Sync the file to disk (a network file system may report a failed write only then)
        and close it."""
        if self.fd < 0:
            return
        try:
            if self.error is None:
                os.fsync(self.fd)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # a file system that cannot sync
                self._fail(exc)
        finally:
            fd, self.fd = self.fd, -1
            try:
                os.close(fd)
            except OSError as exc:
                self._fail(exc)


class Staged:
    """A file written through a :class:`Sink` under a temporary name beside ``path``, then
    renamed into place (:meth:`commit`) or removed (:meth:`discard`). ``handle``: the writer's
    open file over the sink (an h5py File), closed first when the file is discarded."""

    def __init__(self, path):
        self.path = Path(path)
        self.handle = None
        self.tmp = temporary_beside(self.path)
        try:
            self.sink = Sink(self.tmp)
        except OSError as exc:
            os.unlink(self.tmp)
            raise write_error(self.path, exc) from exc

    def check(self) -> None:
        """After a failed write the file is incomplete in unknown ways: remove it, and raise a
        :class:`LayoutError` naming the target and the reason."""
        if self.sink.error is not None:
            self.discard()
            raise write_error(self.path, self.sink.error) from self.sink.error

    def discard(self) -> None:
        if self.handle is not None and self.handle:  # an h5py File is false once closed
            self.handle.close()
        self.sink.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)

    def commit(self) -> None:
        """Sync, check and rename into place (the writer has closed the file)."""
        self.sink.close()
        self.check()
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise write_error(self.path, exc) from exc
