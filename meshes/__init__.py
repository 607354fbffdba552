"""Shipped package layouts (TOML), loadable by name: ``thermal_cpo.load_layout("die-tim-lid")``."""
