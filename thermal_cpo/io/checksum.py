"""Checksums of the datasets of a result file, so that a file damaged after it was written (a
flipped bit on disk, a truncated copy, an edit in place) is refused rather than read.

Every dataset the writers create carries the attribute ``checksum`` = ``"crc32:<8 hex digits>"``
over a canonical byte form of its contents: for numbers, the dtype (little-endian), the shape
and the C-order bytes; for strings, their UTF-8 bytes, each with its length; for a table
(compound dtype), every column in order. The form does not depend on how h5py hands the data
back (``str`` written, ``bytes`` read; either byte order), only on the values. CRC-32 finds
accidental damage, which is all a result file needs; it is no defence against a forged file.
A dataset without the attribute (a file written before checksums) is read unchecked.
"""

from __future__ import annotations

import zlib

import numpy as np

from ..errors import LayoutError

ATTR = "checksum"
ALGORITHM = "crc32"


def _update(crc: int, data) -> int:
    """``crc`` carried over the canonical bytes of ``data`` (any array-like, str or bytes)."""
    if isinstance(data, (str, bytes)):  # as one object: NumPy's own string types drop trailing NULs
        data = np.array([data], dtype=object).reshape(())
    a = np.asarray(data)
    if a.dtype.names:
        crc = zlib.crc32(f"table{a.shape}".encode(), crc)
        for name in a.dtype.names:
            crc = _update(zlib.crc32(name.encode(), crc), a[name])
        return crc
    if a.dtype.kind in "OSU":
        crc = zlib.crc32(f"str{a.shape}".encode(), crc)
        for v in a.reshape(-1):
            b = v if isinstance(v, bytes) else str(v).encode("utf-8")
            crc = zlib.crc32(b, zlib.crc32(len(b).to_bytes(8, "little"), crc))
        return crc
    little = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<"))
    crc = zlib.crc32(f"{little.dtype.str}{a.shape}".encode(), crc)
    return zlib.crc32(memoryview(little.reshape(-1)).cast("B"), crc)


def checksum(data) -> str:
    """The checksum of ``data`` (an array of any dtype and shape, a table, str or bytes), as
    stored in the ``checksum`` attribute: ``"crc32:xxxxxxxx"``."""
    return f"{ALGORITHM}:{_update(0, data):08x}"


def stamp(dataset, data) -> None:
    """Store the checksum of ``data`` — the values just written to ``dataset``, converted to
    the dataset's dtype so that they are what a read returns — on the dataset."""
    if dataset.dtype.names or dataset.dtype.kind == "O":
        values = data  # tables and strings: the canonical form already ignores the dtype
    else:
        values = np.asarray(data, dtype=dataset.dtype)
    dataset.attrs[ATTR] = checksum(values)


def create(group, name: str, data, **kwargs):
    """``group.create_dataset(name, data=data, **kwargs)``, stamped with its checksum."""
    d = group.create_dataset(name, data=data, **kwargs)
    stamp(d, data)
    return d


def verify(dataset, values, path) -> None:
    """Refuse ``values`` (just read from ``dataset`` of the file at ``path``) when they do not
    match the dataset's stored checksum: a :class:`LayoutError` naming the file and the
    dataset. A dataset without a checksum passes."""
    stored = dataset.attrs.get(ATTR)
    if stored is None:
        return
    stored = stored.decode() if isinstance(stored, bytes) else str(stored)
    algorithm = stored.partition(":")[0]
    if algorithm != ALGORITHM:
        raise LayoutError(f"{path}: dataset {dataset.name} has a checksum of an unknown kind "
                          f"({stored!r}; this thermal_cpo checks {ALGORITHM}); read it with a newer "
                          "thermal_cpo")
    got = checksum(values)
    if got != stored:
        raise LayoutError(f"{path}: the file is corrupted: dataset {dataset.name} does not match "
                          f"its checksum (stored {stored}, read {got}); its contents changed after "
                          "it was written. Recompute the result or restore the file from a copy")


def read(f, name: str, path):
    """The contents of the dataset ``name`` of the open file ``f`` (the file at ``path``),
    checked against its checksum; numbers keep the stored dtype and shape (cell arrays
    ``(nz, ny, nx)``). A dataset HDF5 cannot decode is a :class:`LayoutError` too."""
    d = f[name]
    try:
        values = d[()]
    except OSError as exc:  # a damaged compressed chunk: HDF5 cannot inflate it
        raise LayoutError(f"{path}: the file is corrupted: dataset {d.name} cannot be read "
                          f"({exc})") from None
    verify(d, values, path)
    return values
