"""Export formats, one module each.

A module here registers its format at import time with
:func:`thermal_cpo.io.registry.register_format`; the registry imports every module of this
package (names starting with ``_`` excepted) on its first look-up, so a new format needs no
change anywhere else. Writers take any object with ``mesh`` and ``temperature`` (and
``times``/``steps`` for transients) — the data of a result file as
:func:`thermal_cpo.io.read.read_result` returns it — and must write through
:func:`thermal_cpo.io.atomic.atomic`, so no half-written file ever appears.
"""
