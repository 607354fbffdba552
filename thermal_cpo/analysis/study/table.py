"""A study's folder: the study as run (``study.json``), one layout per variant
(``variants/NNNN.toml``), and the table of finished variants as CSV (``results.csv``, rewritten
after every variant under a temporary name, then renamed, so a killed study keeps every row it
finished) and HDF5 (``results.h5``, written from the table when the study stops).

Rows: ``variant``, ``key`` (a digest of the parameters), ``status`` (``ok``, ``failed``: the
solve failed, ``invalid``: the variant's layout was refused), one column per parameter (its
path), one per output, ``energy_balance``, ``wall_s`` (the solve's wall time, s), ``worker`` and
``error``. A rerun into the same folder skips the variants whose row is there.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np

from ...errors import LayoutError

FIXED = ("variant", "key", "status")
TAIL = ("energy_balance", "wall_s", "worker", "error")


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


class StudyFolder:
    """The folder ``path`` of one study, described by ``spec`` (a JSON-able dict): refuses a
    folder that holds another study; ``rows`` the finished rows by variant index."""

    def __init__(self, path, spec: dict, params: list[str]):
        self.path = Path(path)
        self.params = params
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "variants").mkdir(exist_ok=True)
        self.spec_file = self.path / "study.json"
        text = json.dumps(spec, indent=2, sort_keys=True, default=str)
        if self.spec_file.exists():
            if json.loads(self.spec_file.read_text(encoding="utf-8")) != json.loads(text):
                raise LayoutError(f"{self.path} holds another study ({self.spec_file.name} differs); "
                                  "give a new folder, or remove it to start again", path="-o")
        else:
            _atomic_write(self.spec_file, lambda p: p.write_text(text, encoding="utf-8"))
        self.rows: dict[int, dict] = {}
        self.columns: list[str] = []
        csv_path = self.path / "results.csv"
        if csv_path.exists():
            with open(csv_path, newline="", encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    self.rows[int(row["variant"])] = row
            self.columns = list(self.rows[next(iter(self.rows))].keys()) if self.rows else []

    def finished(self, variant) -> bool:
        """Whether ``variant`` has its row (with the same parameters) already."""
        row = self.rows.get(variant.index)
        return row is not None and row.get("key") == variant.key

    def write_variant(self, variant, text: str) -> Path:
        """The variant's layout file (reproduce it with ``thermal-cpo run``)."""
        path = self.path / "variants" / f"{variant.index:04d}.toml"
        _atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
        return path

    def add(self, row: dict) -> None:
        """Record a finished variant and rewrite the CSV table."""
        self.rows[int(row["variant"])] = row
        self._write_csv()

    def _header(self) -> list[str]:
        seen = list(FIXED) + list(self.params)
        for row in self.rows.values():
            seen += [k for k in row if k not in seen and k not in TAIL]
        return seen + list(TAIL)

    def _write_csv(self) -> None:
        header = self._header()

        def write(p):
            with open(p, "w", newline="", encoding="utf-8") as f:
                w = csv.DictWriter(f, fieldnames=header, restval="")
                w.writeheader()
                for i in sorted(self.rows):
                    w.writerow({k: self.rows[i].get(k, "") for k in header})

        _atomic_write(self.path / "results.csv", write)

    def write_h5(self) -> Path:
        """``results.h5``: one dataset per numeric column (float, NaN where absent), string
        columns as UTF-8 arrays, in variant order; attrs ``columns`` and ``study`` (the JSON)."""
        import h5py

        header = self._header()
        order = sorted(self.rows)
        path = self.path / "results.h5"

        def write(p):
            with h5py.File(p, "w") as f:
                f.attrs["columns"] = json.dumps(header)
                f.attrs["study"] = self.spec_file.read_text(encoding="utf-8")
                g = f.create_group("table")
                for col in header:
                    vals = [self.rows[i].get(col, "") for i in order]
                    nums = _numbers(vals)
                    if nums is not None:
                        g.create_dataset(col, data=nums)
                    else:
                        g.create_dataset(col, data=np.array([str(v) for v in vals], dtype=h5py.string_dtype()))

        _atomic_write(path, write)
        return path


def _numbers(vals) -> np.ndarray | None:
    """The values as floats (empty → NaN), or None when any is not a number."""
    out = []
    for v in vals:
        if v == "" or v is None:
            out.append(np.nan)
            continue
        if isinstance(v, bool):
            return None
        try:
            out.append(float(v))
        except (TypeError, ValueError):
            return None
    return np.array(out, dtype=float)


def read_table(folder) -> list[dict]:
    """The rows of a study folder's ``results.csv``, numbers as floats."""
    with open(Path(folder) / "results.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for k, v in row.items():
            try:
                row[k] = float(v) if k not in ("key", "status", "worker", "error") else v
            except ValueError:
                pass
    return rows


__all__ = ["StudyFolder", "read_table"]
