"""The variants of a study: each parameter's values, combined by the study's design, and each
variant's layout text.

- ``grid``: every combination (the first parameter varies slowest);
- ``latin-hypercube``: ``samples`` variants, each parameter's range cut into ``samples`` equal
  strata, one sample in each, the strata paired at random (seeded: the same seed gives the same
  variants); a parameter given as a list of values picks the value whose share of [0, 1) the
  stratified sample falls in;
- ``one-at-a-time``: the base layout, then each parameter alone at each of its values with the
  others as the base has them (the variants a tornado chart needs).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tomllib
from dataclasses import dataclass

import numpy as np

from ... import units as u
from ...errors import LayoutError
from ...layout.toml import toml_text
from .paths import set_value, shift_range
from .spec import Study, Vary


@dataclass(frozen=True)
class Variant:
    """One variant: ``index`` in the study, ``params`` (path → value as set, in the study's
    words), and ``key``, a digest of the params that tells a finished row apart on resume."""

    index: int
    params: dict

    @property
    def key(self) -> str:
        text = json.dumps(self.params, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _spread(v: Vary, count: int) -> list:
    """``count`` values evenly over ``v.range``, in the unit of its first end."""
    a, b = v.range
    if not isinstance(a, str) and not isinstance(b, str):
        return [float(x) for x in np.linspace(float(a), float(b), count)]
    ureg = u._ureg()
    try:
        qa = ureg.Quantity(a) if isinstance(a, str) else ureg.Quantity(float(a), "dimensionless")
        qb = (ureg.Quantity(b) if isinstance(b, str) else ureg.Quantity(float(b), "dimensionless")).to(qa.units)
    except Exception as exc:  # pint raises several unrelated types for bad or mismatched units
        raise LayoutError(f"vary {v.path}: cannot spread the range {list(v.range)} ({exc})",
                          path=f"{v.path}.range") from None
    unit = f"{qa.units:~C}"
    return [f"{x:.12g} {unit}".rstrip() for x in np.linspace(qa.magnitude, qb.magnitude, count)]


def levels(v: Vary) -> list:
    """The values a parameter takes in a grid or one-at-a-time design."""
    if v.values is not None:
        return list(v.values)
    if v.offset is not None:
        return list(v.offset)
    return _spread(v, v.count)


def _lhs(study: Study) -> list[dict]:
    rng = np.random.default_rng(study.seed)
    n = study.samples
    out = [{} for _ in range(n)]
    for v in study.vary:
        strata = (rng.permutation(n) + rng.random(n)) / n  # one point in each of n strata
        if v.range is not None:
            fine = _spread(v.model_copy(update={"count": 2001}), 2001)  # the range on a fine lattice
            picks = [fine[int(round(s * 2000))] for s in strata]
        else:
            vals = levels(v)
            picks = [vals[min(int(s * len(vals)), len(vals) - 1)] for s in strata]
        for row, value in zip(out, picks):
            row[v.path] = value
    return out


def variants(study: Study) -> list[Variant]:
    """Every variant of ``study`` by its design, numbered from 0."""
    if study.design == "grid":
        combos = itertools.product(*(levels(v) for v in study.vary))
        rows = [dict(zip((v.path for v in study.vary), c)) for c in combos]
    elif study.design == "latin-hypercube":
        rows = _lhs(study)
    else:
        rows = [{}] + [{v.path: x} for v in study.vary for x in levels(v)]
    return [Variant(i, row) for i, row in enumerate(rows)]


def variant_text(base_text: str, study: Study, variant: Variant) -> str:
    """The layout text (TOML) of ``variant``: the base's, with each parameter set (or a range
    shifted by its offset)."""
    data = tomllib.loads(base_text)
    unit = data.get("length_unit", "um")
    by_path = {v.path: v for v in study.vary}
    for path, value in variant.params.items():
        if by_path[path].offset is not None:
            shift_range(data, path, value, unit)
        else:
            set_value(data, path, value)
    return toml_text(data)


__all__ = ["Variant", "variants", "variant_text", "levels"]
