"""SPICE subcircuits of thermal networks, for co-simulation with electrical circuits.

The electro-thermal analogy maps temperature difference to voltage and heat flow to current:
1 V stands for 1 K, 1 A for 1 W, a resistance in ohm for K/W and a capacitance in farad for
J/K. The subcircuit has two pins, ``junction`` (drive it with the dissipated power as a current)
and ``ambient`` (tie it to a voltage source at the ambient temperature, or to ground for the
temperature rise).
"""

from __future__ import annotations

import re

from ...errors import LayoutError
from .cauer import CauerNetwork
from .foster import FosterNetwork

KINDS = ("foster", "cauer")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _value(x: float) -> str:
    # 17 significant digits round-trip every float exactly
    return f"{float(x):.17g}"


def _header(name: str, kind: str, n: int) -> list[str]:
    return [f"* {name}: {kind} thermal network of {n} stage(s)",
            "* electro-thermal analogy: 1 V = 1 K, 1 A = 1 W; R in ohm = K/W, C in farad = J/K",
            "* pins: junction (inject the power as a current), ambient (thermal ground)",
            f".subckt {name} junction ambient"]


def _foster_lines(net: FosterNetwork) -> list[str]:
    lines = []
    n = net.n_terms
    for i, (r, c) in enumerate(zip(net.R, net.C), start=1):
        top = "junction" if i == 1 else f"n{i - 1}"
        bottom = "ambient" if i == n else f"n{i}"
        lines += [f"R{i} {top} {bottom} {_value(r)}", f"C{i} {top} {bottom} {_value(c)}"]
    return lines


def _cauer_lines(net: CauerNetwork) -> list[str]:
    lines = []
    n = net.n_terms
    for i, (r, c) in enumerate(zip(net.R, net.C), start=1):
        node = "junction" if i == 1 else f"n{i - 1}"
        after = "ambient" if i == n else f"n{i}"
        lines += [f"C{i} {node} ambient {_value(c)}", f"R{i} {node} {after} {_value(r)}"]
    return lines


def spice_subcircuit(network, name: str, *, kind: str | None = None) -> str:
    """The text of a SPICE ``.subckt NAME junction ambient`` for ``network``.

    ``network``: a :class:`FosterNetwork` (a series chain of parallel RC pairs from
    ``junction`` to ``ambient``) or a :class:`CauerNetwork` (a ladder whose capacitors all
    return to ``ambient``, the thermal ground). ``kind``: "foster" or "cauer"; it must match the
    network and defaults to its type. ``name``: a SPICE identifier. Element values are written
    with 17 significant digits (R in ohm = K/W, C in farad = J/K).
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise LayoutError(f"name must be a SPICE identifier (a letter or _ then letters, digits, _), "
                          f"got {name!r}")
    own = {FosterNetwork: "foster", CauerNetwork: "cauer"}.get(type(network))
    if own is None:
        raise LayoutError(f"network must be a FosterNetwork or a CauerNetwork, got {type(network).__name__}")
    kind = own if kind is None else kind
    if kind not in KINDS:
        raise LayoutError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind != own:
        raise LayoutError(f"kind {kind!r} does not match the network, a {type(network).__name__}; "
                          f"convert it first (foster_to_cauer or CauerNetwork.to_foster)")
    body = _foster_lines(network) if kind == "foster" else _cauer_lines(network)
    return "\n".join(_header(name, kind, network.n_terms) + body + [f".ends {name}", ""])
