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
