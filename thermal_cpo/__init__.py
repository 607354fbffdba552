"""thermal_cpo — 3-D thermal solver for co-packaged-optics (CPO) chip packages.

Describe a package (Python or TOML), voxelize it, solve, read per-component temperatures.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import LayoutError, SolverError, ThermalCPOError  # noqa: E402

_LAZY = {
    "Package": "model", "Layer": "model", "Block": "model", "Box": "model", "Boundary": "model",
    "Boundaries": "model", "Contact": "model", "Footprint": "model", "GridSpec": "model",
    "Material": "materials", "load_layout": "layout", "shipped_layouts": "layout",
    "voxelize": "grid", "Mesh": "grid", "Operator": "physics",
    "solve_steady": "steady", "Result": "results", "load_result": "results",
}


def __getattr__(name):  # keep `import thermal_cpo` cheap: numba and friends load on first use
    if name in _LAZY:
        import importlib

        mod = importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(mod, name)
    raise AttributeError(f"module 'thermal_cpo' has no attribute {name!r}")


__all__ = ["LayoutError", "SolverError", "ThermalCPOError", "__version__", *_LAZY]
