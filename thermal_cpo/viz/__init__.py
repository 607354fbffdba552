"""matplotlib figures of a Result: layer maps, sections, time plots."""
