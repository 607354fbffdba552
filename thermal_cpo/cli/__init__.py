"""The ``thermal-cpo`` command line: the group in :mod:`.main`, one module per command, the text
it prints in :mod:`.render`."""

from __future__ import annotations

from .info import environment
from .main import cli, main

__all__ = ["cli", "main", "environment"]
