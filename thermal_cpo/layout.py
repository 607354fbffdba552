"""Layout files: TOML ↔ :class:`~thermal_cpo.model.Package`, and the shipped layouts by name."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

from .errors import LayoutError
from .model import Package
from .validation import did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SHIPPED_PACKAGE = "thermal_cpo.meshes"


def shipped_layouts() -> dict[str, str]:
    """Names of the layouts that ship with thermal_cpo, with their one-line descriptions."""
    out = {}
    for entry in sorted(resources.files(_SHIPPED_PACKAGE).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            name = entry.name[: -len(".toml")]
            try:
                desc = tomllib.loads(entry.read_text(encoding="utf-8")).get("description", "")
            except tomllib.TOMLDecodeError:  # pragma: no cover - shipped files are tested
                desc = ""
            out[name] = str(desc).strip().splitlines()[0] if desc else ""
    return out


def parse_toml(text: str, origin: str = "<string>") -> Package:
    """Validate layout text (TOML); errors name ``origin`` and the field path."""
    return Package.from_toml_text(text, origin)


def read_toml(path) -> Package:
    """Read a TOML layout file into a validated package."""
    return Package.from_toml(path)


def load_layout(path_or_name) -> Package:
    """A package from a TOML file path, or from the name of a shipped layout (``die-tim-lid``)."""
    if isinstance(path_or_name, Package):
        return path_or_name
    s = str(path_or_name)
    p = Path(s)
    if p.exists() or p.suffix == ".toml" or "/" in s or "\\" in s:
        return read_toml(p)
    shipped = shipped_layouts()
    if s in shipped:
        text = resources.files(_SHIPPED_PACKAGE).joinpath(s + ".toml").read_text(encoding="utf-8")
        pkg = parse_toml(text, f"{s}.toml")
        pkg._source_path = f"shipped:{s}"
        return pkg
    raise LayoutError(
        f"{s!r} is neither a layout file nor a shipped layout{did_you_mean(s, shipped)} "
        f"(shipped: {', '.join(shipped)})"
    )


def dump_toml(pkg: Package) -> str:
    """The resolved package as TOML text (SI, lengths in metres); reads back to an equal package."""
    return _to_toml(pkg.to_dict())


def _to_toml(data: dict) -> str:
    """Minimal TOML writer for the layout structure (tables, arrays of tables, scalars, lists)."""
    lines: list[str] = []

    def scalar(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(float(v)) if isinstance(v, float) else str(v)
        if isinstance(v, str):
            return _quote(v)
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(scalar(x) for x in v) + "]"
        raise TypeError(type(v))

    def emit(table: dict, prefix: str, array: bool):
        simple = {k: v for k, v in table.items() if v is not None and not _is_table(v)}
        nested = {k: v for k, v in table.items() if _is_table(v)}
        if prefix:
            lines.append(f"\n[[{prefix}]]" if array else f"\n[{prefix}]")
        for k, v in simple.items():
            lines.append(f"{_key(k)} = {scalar(v)}")
        for k, v in nested.items():
            sub = f"{prefix}.{_key(k)}" if prefix else _key(k)
            if isinstance(v, dict):
                emit(v, sub, False)
            else:
                for item in v:
                    emit(item, sub, True)

    emit(data, "", False)
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table(v) -> bool:
    return isinstance(v, dict) or (isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, dict) for x in v))


def _key(k: str) -> str:
    return k if k.isascii() and k.replace("-", "").replace("_", "").isalnum() else _quote(k)


def _quote(text: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = []
    for ch in text:
        if ch == "\\" or ch == '"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif (ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
