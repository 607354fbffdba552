"""A design study's folder as a table for the figures (:mod:`.study`): the finished rows, each
parameter's values as quantities in one unit, the unit of each output."""

from __future__ import annotations

import csv
import json
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import units as u
from ..errors import LayoutError, did_you_mean

FIXED = ("variant", "key", "status")
TAIL = ("energy_balance", "wall_s", "worker", "error")
KINDS = ("curves", "tornado", "maps")
#: the most variants drawn side by side in one figure of layer maps
MAX_MAPS = 12
#: the unit of each output field (as the study tabulates it)
FIELD_UNITS = {"T_max": "°C", "T_mean": "°C", "T_min": "°C", "T_junction": "°C", "T_hot": "°C",
               "T_ring_max": "°C", "T_out": "°C", "power": "W", "heat": "W", "pumping_power": "W",
               "delta_T": "K", "drift_max": "pm", "spread": "pm", "dP": "Pa", "flow_rate": "m³/s",
               "h": "W/(m²·K)", "h_eff": "W/(m²·K)"}
_KINDS = [k for k in vars(u).values() if isinstance(k, u.Kind) and k is not u.DIMENSIONLESS]


@dataclass
class StudyTable:
    """A study folder as read: its ``design``, parameter paths, output columns, every row of
    ``results.csv`` (values as text) and the layout's unit of bare lengths."""

    folder: Path
    design: str
    params: list
    outputs: list
    rows: list
    length_unit: str = "um"

    def ok(self) -> list[dict]:
        """The rows of the variants that finished."""
        return [r for r in self.rows if r.get("status") == "ok"]

    def output(self, name: str) -> str:
        """``name`` when it is an output column; else an error naming ``output``."""
        if name not in self.outputs:
            raise LayoutError(f"no output {name!r} in {self.folder / 'results.csv'}"
                              f"{did_you_mean(name, self.outputs)} (outputs: {', '.join(self.outputs)})",
                              path="output")
        return name


def read_study(folder) -> StudyTable:
    """The :class:`StudyTable` of a study folder; an error naming ``folder`` when it holds no
    study, or no variant that finished."""
    folder = Path(folder)
    spec_file, table = folder / "study.json", folder / "results.csv"
    if not spec_file.is_file() or not table.is_file():
        raise LayoutError(f"{folder}: no study results here (study.json and results.csv, written by "
                          f"thermal-cpo study -o {folder})", path="folder")
    try:
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LayoutError(f"{spec_file}: not a study's description ({exc})", path="folder") from None
    with open(table, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), list(reader.fieldnames or [])
    params = [v["path"] for v in spec.get("vary", [])]
    outputs = [c for c in header if c not in FIXED + TAIL and c not in params]
    if "energy_balance" in spec.get("outputs", []):
        outputs.append("energy_balance")
    t = StudyTable(folder, spec.get("design", "grid"), params, outputs, rows)
    if not t.ok():
        raise LayoutError(f"{table}: no variant finished (status ok) to draw", path="folder")
    variant = folder / "variants" / f"{int(t.ok()[0]['variant']):04d}.toml"
    if variant.is_file():
        t.length_unit = tomllib.loads(variant.read_text(encoding="utf-8")).get("length_unit", "um")
    return t


def _num(text) -> float:
    """A table cell as a float (NaN when empty or not a number)."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _kind_of(units):
    """The layout kind whose unit ``units`` converts to (None when none does)."""
    for kind in _KINDS:
        try:
            (1.0 * units).to(kind.si)
        except Exception:  # pint raises several unrelated types on a mismatch
            continue
        return kind
    return None


def param_axis(texts, length_unit: str = "um", name: str = "parameter"):
    """``(x, unit, categories)`` of a parameter's values ``texts`` (as the table writes them):
    ``x`` the numbers in ``unit`` (the unit of the first value written with one, as pint shows
    it; ``""`` when every value is bare), or with ``categories`` (the distinct texts, in order)
    the index of each value among them."""
    ureg = u._ureg()
    read = []
    for t in texts:
        try:
            read.append((float(t), None))
            continue
        except ValueError:
            pass
        try:
            q = u._evaluate(ureg, str(t).strip().replace("µ", "u").replace("°C", "degC").replace("°", "deg"))
            read.append((float(q.magnitude), None if q.unitless else q.units))
        except Exception:  # not a quantity: a name, drawn as a category
            cats = list(dict.fromkeys(texts))
            return np.array([cats.index(t) for t in texts], dtype=float), "", cats
    given = [un for _, un in read if un is not None]
    if not given:
        return np.array([x for x, _ in read]), "", None
    unit, kind = given[0], _kind_of(given[0])
    token = u.LENGTH_UNIT.set(length_unit)
    try:
        x = [ureg.Quantity(v, un).to(unit).magnitude if un is not None else
             ureg.Quantity(v, unit).magnitude if kind is None else
             ureg.Quantity(u.parse_plain(v, kind, name), kind.si).to(unit).magnitude for v, un in read]
    except Exception as exc:
        raise LayoutError(f"{name}: its values {list(dict.fromkeys(texts))} do not share one kind ({exc})",
                          path="folder") from None
    finally:
        u.LENGTH_UNIT.reset(token)
    return np.array(x, dtype=float), f"{unit:~P}", None


def _label(name: str, unit: str) -> str:
    return f"{name} [{unit}]" if unit else name


def _output_unit(column: str) -> str:
    return FIELD_UNITS.get(column.rpartition(".")[2], "")
