"""matplotlib figures of a Result: layer maps, sections, time plots.

:mod:`.plot` gathers the public functions; the modules hold :mod:`.layer` (layer maps),
:mod:`.section` (vertical sections), :mod:`.time` (temperature against time), :mod:`.save`
(``thermal-cpo plot``), and their shared parts :mod:`.inputs` (what a user types: bare µm, s
and °C, or strings with units, converted once), :mod:`.common` (matplotlib, axes, colours),
:mod:`.slicing` (what to draw) and :mod:`.labels` (outlines and names).
"""
