"""thermal_cpo — 3-D thermal solver for co-packaged-optics (CPO) chip packages.

Describe a package (Python or TOML), voxelize it, solve, read per-component temperatures.
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
}


def __getattr__(name):  # keep `import thermal_cpo` cheap: numba and friends load on first use
    if name in _LAZY:
        import importlib

        mod = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(mod, name)
    raise AttributeError(f"module 'thermal_cpo' has no attribute {name!r}")


__all__ = ["LayoutError", "SolverError", "ThermalCPOError", "__version__", *_LAZY]
