"""What a peer's deck says, in SI and bottom to top, before it becomes a layout.

Every value keeps the place it came from (``file:line``) so the layout written from it can say
where each number was read, and every error names the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import LayoutError


class DeckError(LayoutError):
    """A deck the importer cannot read: ``path`` is ``file:line``."""


def deck_error(origin: str, message: str) -> DeckError:
    """A :class:`DeckError` at ``origin`` (``file:line``)."""
    return DeckError(message, path=origin)


def read_deck_text(path, what: str) -> tuple[str, str]:
    """``(text, file name)`` of a deck file, or a one-line error naming ``what`` it should be."""
    p = Path(path)
    if not p.is_file():
        raise LayoutError(f"{what} {str(path)!r} does not exist or is not a file")
    try:
        return p.read_text(encoding="utf-8", errors="strict"), p.name
    except UnicodeDecodeError as exc:
        raise LayoutError(f"{what} {p.name!r} is not a text file ({exc.reason} at byte {exc.start})") from None


@dataclass(frozen=True)
class DeckMaterial:
    """A solid of the deck: conductivity W/(m·K) and volumetric heat capacity J/(m³·K)."""

    name: str
    k: float
    rho_cp: float
    origin: str


@dataclass(frozen=True)
class Unit:
    """A floorplan element: a rectangle ``[x0, x1] × [y0, y1]`` (m) and its power (W) — one
    value, or one per interval of ``interval`` seconds for a trace."""

    name: str
    x0: float
    x1: float
    y0: float
    y1: float
    powers: tuple[float, ...]
    origin: str
    material: str | None = None  # a unit of its own material (HotSpot's 7-column floorplans)

    @property
    def powered(self) -> bool:
        """Whether the unit dissipates at any time."""
        return any(p != 0.0 for p in self.powers)


@dataclass(frozen=True)
class Sublayer:
    """One layer of the peer's stack (its discretisation: one node or one cell thick)."""

    name: str
    thickness: float
    material: str
    origin: str
    units: tuple[Unit, ...] = ()
    source: bool = False  # the layer the peer injects power into
    channels: dict | None = None  # a micro-channel cavity (SI): see threedice._microchannel

    @property
    def powered(self) -> bool:
        """Whether any unit of this layer dissipates."""
        return self.source and any(u.powered for u in self.units)


@dataclass(frozen=True)
class Sink:
    """A convective face: ``h`` W/(m²·K) to ``T_ambient`` K."""

    h: float
    T_ambient: float
    origin: str


@dataclass
class Deck:
    """A peer's deck in SI: footprint and lateral cell (m), sublayers bottom to top, materials,
    the convective faces, the initial temperature (K), the power interval (s) of a trace, and
    what the import had to say (notes go into the layout's comments, warnings also to stderr)."""

    peer: str
    name: str
    footprint: tuple[float, float]
    cell: tuple[float, float]
    sublayers: list[Sublayer]
    materials: dict[str, DeckMaterial]
    top: Sink | None = None
    bottom: Sink | None = None
    initial_K: float | None = None
    interval: float | None = None
    step: float | None = None  # the peer's own time step (s), when it names one
    map_mode: str = "max"  # how the peer reduces a unit's cells to one number: max | mean | min | center
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """A difference in meaning the user should know of: a warning and a layout comment."""
        self.warnings.append(message)
