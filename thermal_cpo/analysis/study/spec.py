"""A design study as the user writes it: a base layout, the parameters that vary (each addressed
by a path of names into the layout), the design that combines them and the outputs to tabulate.

```toml
base = "die-tim-lid"                 # a shipped layout or a file (relative to the study file)
design = "grid"                      # grid | latin-hypercube | one-at-a-time
samples = 16                         # latin-hypercube: the number of variants
seed = 1                             # latin-hypercube: the sampling seed
outputs = ["die.T_max", "*.T_mean", "coolant.*.dP"]

[[vary]]
path = "layers.tim.thickness"
values = ["50 um", "100 um"]         # or: range = ["50 um", "150 um"], count = 3
[[vary]]
path = "layers.die.blocks.core.x"    # a range (x, y or z): offset shifts both ends
offset = ["0 mm", "1 mm"]
```

Values keep the layout's conventions: a bare number is what the layout would read there (bare
lengths in the layout's ``length_unit``); a string carries its unit. ``range`` spreads ``count``
values evenly between its ends, in the unit of the first end.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ...errors import LayoutError
from ...schema import Frozen, fail

Value = float | int | str | bool | list


class Vary(Frozen):
    """One parameter: ``path`` into the layout and exactly one of ``values`` (a list), ``range``
    (two ends, with ``count`` ≥ 2 values) or ``offset`` (shifts of a range-valued field)."""

    path: str = Field(min_length=1)
    values: tuple[Value, ...] | None = None
    range: tuple[float | str, float | str] | None = None
    count: int | None = Field(default=None, ge=2)
    offset: tuple[float | str, ...] | None = None

    @model_validator(mode="after")
    def _check(self):
        given = [k for k in ("values", "range", "offset") if getattr(self, k) is not None]
        errors = []
        if len(given) != 1:
            errors.append(dict(type=fail("give exactly one of values, range (with count) or offset"),
                               loc=(given[-1] if given else "values",), input=None))
        elif self.range is not None and self.count is None:
            errors.append(dict(type=fail("a range needs count (the number of values, >= 2)"),
                               loc=("count",), input=None))
        elif self.range is None and self.count is not None:
            errors.append(dict(type=fail("count goes with range"), loc=("count",), input=self.count))
        elif (self.values is not None and not self.values) or (self.offset is not None and not self.offset):
            errors.append(dict(type=fail("give at least one value"), loc=(given[0],), input=[]))
        if errors:
            raise ValidationError.from_exception_data("Vary", errors)
        return self


class Study(Frozen):
    """A whole study; see the module's docstring. ``base`` is resolved against ``folder`` (the
    study file's, set by :func:`load_study`)."""

    base: str = Field(min_length=1)
    vary: tuple[Vary, ...] = Field(min_length=1)
    design: Literal["grid", "latin-hypercube", "one-at-a-time"] = "grid"
    samples: int | None = Field(default=None, ge=1)
    seed: int = 0
    outputs: tuple[str, ...] = ("*.T_max",)
    folder: str = "."

    @model_validator(mode="after")
    def _check(self):
        errors = []
        if self.design == "latin-hypercube" and self.samples is None:
            errors.append(dict(type=fail("a latin-hypercube design needs samples (the number of variants)"),
                               loc=("samples",), input=None))
        paths = [v.path for v in self.vary]
        for i, p in enumerate(paths):
            if p in paths[:i]:
                errors.append(dict(type=fail(f"{p!r} is varied twice"), loc=("vary", i, "path"), input=p))
        if errors:
            raise ValidationError.from_exception_data("Study", errors)
        return self


def load_study(source) -> Study:
    """A :class:`Study` from a TOML file path, a dict, or a Study; errors name the field."""
    if isinstance(source, Study):
        return source
    origin = "<study>"
    if isinstance(source, dict):
        data = dict(source)
    else:
        path = Path(source)
        origin = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LayoutError(f"{origin}: cannot read the study: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LayoutError(f"{origin}: malformed TOML: {exc}") from None
        data.setdefault("folder", str(path.parent))
    try:
        return Study.model_validate(data)
    except LayoutError as exc:
        raise LayoutError(f"{origin}: {exc}", problems=exc.problems) from None


__all__ = ["Study", "Vary", "load_study"]
