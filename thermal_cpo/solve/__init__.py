"""The solve stage: steady and transient fields of a package."""

from __future__ import annotations

from .steady import solve_steady
from .transient import solve_transient

__all__ = ["solve_steady", "solve_transient"]
