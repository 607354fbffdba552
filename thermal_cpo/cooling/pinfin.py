"""A compact pin-fin cold plate on a face: not meshed, one coolant stream per row of face cells
across the flow, each face cell coupled to its node through the half cell, the plate's base and
the effective h of the pin bank (Žukauskas' tube-bank h on the pins and the base, with the pin
efficiency; :mod:`.pinfin_correlations`)."""

from __future__ import annotations


from .base import CoolingModel, FaceStreams
from .correlations import check_plausible
from .pinfin_correlations import pinfin_performance


class PinFinPlate(CoolingModel):
    """``G = A / (d/(2k) + t_base/k_plate + 1/h_eff)`` from each face cell to its node; the flow
    of a stream is the share of the plate's width its row of cells covers."""

    kind = "pinfin"
    label = "pinfin"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        cp = self.spec
        self.streams = FaceStreams(mesh, cp)
        self.n_along, self.n_nodes = self.streams.n_along, self.streams.n_nodes
        self.k_plate = region.plate.k[2]
        geo = cp.geometry(mesh.setup.footprint)
        self.geometry = {"length": geo["length"], "span": geo["span"], "pins_across": geo["pins_across"],
                         "rows": geo["rows"], "pin_diameter": cp.pin_diameter, "pin_height": cp.pin_height,
                         "pitch_transverse": cp.pitch_transverse, "pitch_longitudinal": cp.s_l,
                         "arrangement": cp.arrangement, "base_thickness": cp.base_thickness,
                         "material": cp.material, "face": cp.face, "flow_direction": cp.flow_direction}

    def performance(self, props, k_at):
        cp, gm = self.spec, self.geometry
        return pinfin_performance(d=cp.pin_diameter, height=cp.pin_height, s_t=cp.pitch_transverse,
                                  s_l=cp.s_l, arrangement=cp.arrangement, flow_rate=cp.flow_rate,
                                  span=gm["span"], length=gm["length"], props=props, k_pin=self.k_plate)

    def couple(self, props, k_at):
        cp = self.spec
        perf = self.performance(props, k_at)
        check_plausible(self.region.name, self.region.path, cp.flow_rate, perf)
        return self.streams.coupling(r_series=cp.base_thickness / self.k_plate + 1.0 / perf["h_eff"],
                                     mcp=perf["mcp"], k_at=k_at, perf=perf,
                                     capacity_per_area=props["rho"] * props["cp"] * cp.pin_height * perf["porosity"])
