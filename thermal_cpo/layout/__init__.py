"""The input stage: a validated :class:`Package` from Python or a TOML layout file.

Each part is its own module: the stack's parts (:mod:`.components`), boundary kinds
(:mod:`.boundaries`), cooling kinds (:mod:`.cooling`), heat-source kinds (:mod:`.sources`), the
package and its cross-checks, TOML reading and writing, and the shipped layouts.
"""

from __future__ import annotations

from .boundaries import Adiabatic, Boundaries, Boundary, Convective, Fixed
from .components import Block, Box, Component, Heater, Initial, Layer, Photonics, Probe
from .power_models import LaserModel, LeakageModel, PowerModelSpec
from .cooling import Channels, ColdPlate
from .geometry import FACES, SNAP, channel_spans, snap
from .load import load_layout, shipped_layouts
from .package import SCHEMA_VERSION, Contact, Footprint, GridSpec, Package
from .sources import ConstantSource, HeatSourceSpec, TraceSource
from .toml import dump_toml, parse_toml, read_toml

__all__ = ["Package", "Layer", "Block", "Box", "Component", "Photonics", "Probe", "Initial",
           "Boundary", "Boundaries", "Adiabatic", "Convective", "Fixed", "ColdPlate", "Channels",
           "Contact", "Footprint", "GridSpec", "HeatSourceSpec", "ConstantSource", "TraceSource",
           "Heater", "PowerModelSpec", "LeakageModel", "LaserModel",
           "FACES", "SNAP", "snap", "channel_spans", "SCHEMA_VERSION", "load_layout",
           "shipped_layouts", "dump_toml", "parse_toml", "read_toml"]
