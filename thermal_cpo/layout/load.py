"""A package by file path or by the name of a shipped layout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import LayoutError, did_you_mean
from .package import Package
from .toml import parse_toml, read_toml, tomllib

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
