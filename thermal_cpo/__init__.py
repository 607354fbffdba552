"""thermal_cpo — 3-D thermal solver for co-packaged-optics (CPO) chip packages.

Describe a package (Python or TOML: :func:`load_layout`, the model classes), check what it
resolves to (:func:`describe`), solve it (:func:`solve_steady`, :func:`solve_transient`), read
per-component temperatures (:func:`report`, :func:`crosstalk`; :func:`load_result` for a saved
result; :func:`import_hotspot` and :func:`import_3dice` for the peers' decks); run design studies
(:func:`study`). Every name here
loads on first use, so ``import thermal_cpo`` stays cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import LayoutError, SolverError, ThermalCPOError  # noqa: E402

_LAZY = {
    "Package": "layout", "Layer": "layout", "Block": "layout", "Box": "layout", "Boundary": "layout",
    "Boundaries": "layout", "Contact": "layout", "Footprint": "layout", "GridSpec": "layout",
    "ColdPlate": "layout", "Channels": "layout", "Photonics": "layout", "Probe": "layout",
    "Initial": "layout", "Material": "materials", "load_layout": "layout", "shipped_layouts": "layout",
    "voxelize": "mesh", "Mesh": "mesh", "Operator": "operator",
    "solve_steady": "solve", "solve_transient": "solve", "Result": "results", "load_result": "results",
    "crosstalk": "analysis", "report": "analysis", "describe": "analysis",
    "import_hotspot": "layout.decks", "import_3dice": "layout.decks",
    "study": "analysis.study", "load_study": "analysis.study",
}


def __getattr__(name):  # keep `import thermal_cpo` cheap: numba and friends load on first use
    if name in _LAZY:
        import importlib

        mod = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(mod, name)
    raise AttributeError(f"module 'thermal_cpo' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *_LAZY})


__all__ = ["LayoutError", "SolverError", "ThermalCPOError", "__version__", *_LAZY]
