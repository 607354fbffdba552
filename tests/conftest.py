import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "oracles"))  # analytic.py, the exact solutions
sys.path.insert(0, os.path.dirname(__file__))  # catalogue.py, the small packages shared by the tests

from hypothesis import settings

# the thread count a solve runs on stays the one numba starts with, whatever else the machine
# runs: tests that compare threaded and serial runs or count compilations need it fixed (the
# fitting itself is tested with its inputs given, tests/kernels/test_fitted_threads.py)
os.environ.setdefault("THERMAL_CPO_ADAPT_THREADS", "0")

# CI machines are shared and noisy: no per-example deadline, a fixed number of examples
settings.register_profile("ci", deadline=None, max_examples=40, derandomize=True)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

import pytest  # noqa: E402

from catalogue import CASES  # noqa: E402


@pytest.fixture(params=sorted(CASES))
def catalogue_case(request):
    """Each small package of the catalogue in turn: ``(name, Package)``."""
    return request.param, CASES[request.param]()
