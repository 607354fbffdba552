"""A transient result at one of its stored steps: which step is nearest a time, and the result as
it stood there (that step's field and component table)."""

from __future__ import annotations

import dataclasses


# the time rules of `plot --at` and `report --at` are one: the viz layer below owns them
from ..viz.inputs import format_time, step_index, stored_range  # noqa: F401 (re-exported)
from .components import component_table


def at_step(result, index: int):
    """``result`` as it stood at stored step ``index``: ``temperature`` that step's field (°C) and
    ``components`` its table (T_max, T_mean, T_min, location of T_max; declared powers, as a
    transient's own table has), with the figures stored for the last step only (the coolant's,
    the heat out by face) left out. The last step gives ``result`` itself."""
    last = len(result.times) - 1
    if index in (last, -1):
        return result
    T = result.steps[index]
    return dataclasses.replace(result, temperature=T, components=component_table(result.mesh, T),
                               coolant=None, heat_out={})
