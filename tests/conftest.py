import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # tests/analytic.py

from hypothesis import settings

# CI machines are shared and noisy: no per-example deadline, a fixed number of examples
settings.register_profile("ci", deadline=None, max_examples=40, derandomize=True)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
