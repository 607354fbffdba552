"""Coolant models: cold plates and resolved channels as coolant nodes coupled to the cells."""

from __future__ import annotations

from .network import CoolantGroup, CoolantNetwork

__all__ = ["CoolantNetwork", "CoolantGroup"]
