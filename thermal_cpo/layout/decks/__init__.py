"""Decks of the peer solvers — HotSpot and 3D-ICE — read into layouts.

``import_hotspot(config, flp, lcf=None, ptrace=None)`` and ``import_3dice(stk)`` return an
:class:`Imported`: the commented layout text (every value traceable to its deck line), its
validated :class:`~thermal_cpo.layout.Package`, the peer's reporting regions and the warnings
(differences in meaning the user should know of). A bad deck raises :class:`DeckError`, a
:class:`~thermal_cpo.errors.LayoutError` whose path is ``file:line``.
"""

from __future__ import annotations

from .deck import Deck, DeckError
from .hotspot import read_hotspot
from .threedice import read_3dice
from .to_layout import Imported, Region, deck_to_toml, to_imported

__all__ = ["Deck", "DeckError", "Imported", "Region", "deck_to_toml", "import_3dice", "import_hotspot",
           "read_3dice", "read_hotspot", "to_imported"]


def import_hotspot(config, flp, lcf=None, ptrace=None) -> Imported:
    """A HotSpot deck as a layout: see :func:`read_hotspot` for the files."""
    return to_imported(read_hotspot(config, flp, lcf=lcf, ptrace=ptrace))


def import_3dice(stk) -> Imported:
    """A 3D-ICE stack file (and the floorplans it names, beside it) as a layout."""
    return to_imported(read_3dice(stk))
