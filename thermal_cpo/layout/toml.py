"""Layout files: TOML text ↔ :class:`~thermal_cpo.layout.package.Package`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import LayoutError
from .checks import LAYOUT_DIR
from .package import Package

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def read_toml(path) -> Package:
    """Read and validate a TOML layout file; errors name the file and the field path."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise LayoutError(f"{p}: no such layout file") from None
    except IsADirectoryError:
        raise LayoutError(f"{p}: is a directory, not a layout file") from None
    except OSError as exc:
        raise LayoutError(f"{p}: cannot read the layout file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")  # editors on Windows may start the file with a BOM
    except UnicodeDecodeError as exc:
        raise LayoutError(f"{p}: not UTF-8 text (byte {exc.start}); is this a layout file?") from None
    return parse_toml(text, str(p))

def parse_toml(text: str, origin: str = "<string>") -> Package:
    """Validate layout text (TOML); ``origin`` names it in error messages, and its folder is
    where the relative file names inside are read from."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"{origin}: malformed TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise LayoutError(f"{origin}: malformed TOML: arrays or inline tables nested too deeply "
                          "for a layout") from None
    token = LAYOUT_DIR.set(Path(origin).parent)
    try:
        pkg = Package.from_dict(data)
    except LayoutError as exc:
        err = LayoutError(f"{origin}: {exc}", problems=exc.problems)  # str(exc) names the path
        err.path = exc.path
        raise err from None
    finally:
        LAYOUT_DIR.reset(token)
    pkg._source_text = text
    pkg._source_path = origin
    return pkg


def dump_toml(pkg: Package) -> str:
    """The resolved package as TOML text (SI, lengths in metres); reads back to an equal package."""
    return _to_toml(pkg.to_dict())


def toml_text(data: dict) -> str:
    """Layout data (the TOML structure: tables, arrays of tables, scalars, lists) as TOML text."""
    return _to_toml(data)


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
