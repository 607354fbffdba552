"""Fixtures of the plot tests: the figures the command line saves, read back."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402


@pytest.fixture
def saved(monkeypatch):
    """``(figure, savefig keyword arguments)`` of every figure saved while the test runs."""
    figs, original = [], Figure.savefig

    def record(self, *args, **kwargs):
        figs.append((self, kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", record)
    return figs
