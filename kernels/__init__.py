"""Compiled numba kernels (installed as ``thermal_cpo.kernels``).

Kernels import only numpy and numba, never ``thermal_cpo``, and take plain arrays and scalars.
Every numba flag is set in :mod:`.jit`.
"""
