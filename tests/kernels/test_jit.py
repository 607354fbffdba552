"""The numba flags module: compiled kernels and their on-disk cache.

numba keys its cache on the signature, the CPU and the bytecode but not on ``parallel``; a serial
and a threaded compilation of one function must still get separate entries, or whichever was
compiled first is loaded for both (threaded kernels then run on one thread).
"""

import json
import os
import subprocess
import sys

import pytest

_PROBE = r"""
import json, sys
import numpy as np
from thermal_cpo.kernels import multigrid as m
variant = getattr(m, sys.argv[1])
x = np.ones((3, 4, 5))
value = variant["dot"](x, x)
print(json.dumps({"value": value, "hits": sum(variant["dot"].stats.cache_hits.values()),
                  "misses": sum(variant["dot"].stats.cache_misses.values())}))
"""


def _run(variant, cache_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", _PROBE, variant], env=env, capture_output=True,
                         text=True, check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_serial_and_threaded_compilations_are_cached_apart(tmp_path):
    first = _run("serial", tmp_path)          # compiles the serial variant and caches it
    threaded = _run("threaded", tmp_path)     # must not be served the serial code
    again = _run("threaded", tmp_path)        # its own entry is reused
    assert first["value"] == threaded["value"] == again["value"] == 60.0
    assert threaded["hits"] == 0 and threaded["misses"] == 1
    assert again["hits"] == 1 and again["misses"] == 0


def test_threaded_kernels_keep_their_docstring_and_name():
    from thermal_cpo.kernels.jit import THREADED_SUFFIX
    from thermal_cpo.kernels.multigrid import serial, threaded

    for name in serial:
        assert threaded[name].py_func.__doc__ == serial[name].py_func.__doc__
        assert threaded[name].py_func.__qualname__ == serial[name].py_func.__qualname__ + THREADED_SUFFIX


@pytest.mark.parametrize("kind", ["steady", "transient"])
def test_solves_run_with_one_blas_thread_and_restore_it(kind):
    """BLAS threads spinning after a dot product take the cores numba's threads need, so a solve
    holds BLAS to one thread; the caller's setting is back afterwards."""
    import numpy as np
    import scipy.sparse.linalg as spla
    from threadpoolctl import threadpool_limits

    from thermal_cpo.layout import load_layout
    from thermal_cpo.solve.steady import solve_steady
    from thermal_cpo.solve.transient import solve_transient
    from thermal_cpo.threads import blas_threads

    seen = []

    def direct(A, b):
        seen.append([n for _, n in blas_threads()])
        return spla.spsolve(A.tocsc(), b)

    pkg = load_layout("die-tim-lid")
    pkg = pkg.model_copy(update={"grid": pkg.grid.model_copy(update={"max_cell_xy": 1000.0, "max_cell_z": 500.0})})
    with threadpool_limits(limits=2, user_api="blas"):
        before = [n for _, n in blas_threads()]
        if kind == "steady":
            r = solve_steady(pkg, solver=direct)
        else:
            r = solve_transient(pkg, t_end=2e-3, dt=1e-3, method="implicit", solver=direct)
        after = [n for _, n in blas_threads()]
    assert np.isfinite(r.temperature).all()
    assert seen and all(n == 1 for counts in seen for n in counts)
    assert after == before
