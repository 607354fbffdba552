"""Paths of names into a layout's tables: ``layers.tim.thickness``,
``layers.die.blocks.pe0.eic.x``, ``coldplates.coldplate.flow_rate``, ``boundaries.top.h``.

A step into an array of tables (``layers``, ``blocks``, ``boxes``, ``coldplates``, ``loops``,
``probes``) picks the entry by its ``name``; a name may itself hold dots (``pe0.eic``): the
longest run of steps that names an entry wins. The layout is the TOML structure as written, so
values keep the layout's units.
"""

from __future__ import annotations

from ... import units as u
from ...errors import LayoutError


def _entry(items: list, tokens: list[str], i: int, where: str, key: str) -> tuple[int, int]:
    """``(index of the entry, next token)`` of the entry of ``items`` named by tokens from ``i``."""
    names = [item.get("name") for item in items if isinstance(item, dict)]
    for j in range(len(tokens) - 1, i, -1):
        name = ".".join(tokens[i:j])
        if name in names:
            return names.index(name), j
    if ".".join(tokens[i:]) in names:
        raise LayoutError(f"{where}: {'.'.join(tokens[i:])!r} is a whole entry; name a field of it",
                          path=where)
    shown = ", ".join(str(n) for n in names) or "none"
    raise LayoutError(f"no {key} entry named {tokens[i]!r} at {where or key} (names: {shown})", path=where)


def locate(data: dict, path: str) -> tuple[dict, str, str]:
    """``(table, key, layout path)`` of the value ``path`` names in the layout ``data``; the key
    need not be set yet (a default the variant gives)."""
    tokens = path.split(".")
    if not all(tokens):
        raise LayoutError(f"{path!r} is not a path of names separated by dots", path=path)
    node, where, i = data, "", 0
    while True:
        if not isinstance(node, dict):
            raise LayoutError(f"{where} is a value, not a table: {path!r} goes past it", path=where)
        key = tokens[i]
        if i == len(tokens) - 1:
            return node, key, f"{where}.{key}" if where else key
        if key not in node:
            known = ", ".join(sorted(node)) or "none"
            raise LayoutError(f"no {key!r} in {where or 'the layout'} (keys: {known})", path=where or key)
        child, where = node[key], f"{where}.{key}" if where else key
        i += 1
        if isinstance(child, list) and child and all(isinstance(x, dict) for x in child):
            k, i = _entry(child, tokens, i, where, key)
            node, where = child[k], f"{where}[{k}]"
        else:
            node = child


def get_value(data: dict, path: str):
    """The value at ``path`` (None where the layout leaves it to the default)."""
    table, key, _ = locate(data, path)
    return table.get(key)


def set_value(data: dict, path: str, value) -> str:
    """Set the value at ``path`` in ``data`` (in place); returns its layout path."""
    table, key, where = locate(data, path)
    table[key] = value
    return where


def shift_range(data: dict, path: str, offset, length_unit: str) -> list[str]:
    """Shift the range ``[lo, hi]`` at ``path`` by ``offset`` (a length; bare: ``length_unit``),
    written back in metres with units."""
    table, key, where = locate(data, path)
    old = table.get(key)
    if not (isinstance(old, list) and len(old) == 2):
        raise LayoutError(f"{where}: offset moves a range [lo, hi], but the layout has {old!r} there",
                          path=where)
    token = u.LENGTH_UNIT.set(length_unit)
    try:
        d = u.parse_plain(offset, u.LENGTH, f"offset of {path}")
        lo, hi = (u.parse_plain(v, u.LENGTH, where) for v in old)
    finally:
        u.LENGTH_UNIT.reset(token)
    table[key] = [f"{lo + d!r} m", f"{hi + d!r} m"]
    return table[key]


__all__ = ["locate", "get_value", "set_value", "shift_range"]
