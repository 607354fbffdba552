"""``thermal-cpo info``: :func:`environment`, printed. The numba settings are read here, in the
command line: the rest of the package reaches numba through its kernels only."""

from __future__ import annotations

import click

#: the distributions whose versions `info` reports, in this order
DISTRIBUTIONS = ("numpy", "scipy", "numba", "llvmlite", "h5py", "pydantic", "pint", "pyamg", "threadpoolctl",
                 "click", "rich")


def environment() -> dict:
    """What the solver runs with here, as plain data: ``version`` (thermal_cpo), ``python``,
    ``machine``, ``system``, ``distributions`` (name → version, None when not installed),
    ``numba_threads`` (in use) of ``numba_max_threads``, ``threading_layer``, ``numba_cache_dir``
    (None: beside the kernels' sources), ``blas`` ((library, threads) pairs loaded), ``cpus`` and
    ``memory_available_bytes``."""
    import importlib.metadata as md
    import os
    import platform

    import numba

    from .. import __version__
    from ..mesh import available_memory
    from ..threads import blas_threads

    versions = {}
    for dist in DISTRIBUTIONS:
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = None
    return {"version": __version__, "python": platform.python_version(), "machine": platform.machine(),
            "system": platform.system(), "distributions": versions,
            "numba_threads": numba.get_num_threads(), "numba_max_threads": numba.config.NUMBA_NUM_THREADS,
            "threading_layer": numba.config.THREADING_LAYER, "numba_cache_dir": numba.config.CACHE_DIR or None,
            "blas": blas_threads(), "cpus": os.cpu_count(), "memory_available_bytes": available_memory()}


@click.command("info")
def info():
    """Versions, numba threads and cache directory."""
    from .render import print_environment

    print_environment(environment())
