"""A compact micro-channel cold plate on a face: not meshed, one coolant stream per row of face
cells across the flow, each face cell coupled to its node through the half cell, the plate's
base and the effective h of the finned channels (the h of the flow regime — Shah–London H1 in
fully developed laminar flow — with the fin efficiency of the walls; :mod:`.correlations`)."""

from __future__ import annotations


from .base import CoolingModel, FaceStreams
from .correlations import channel_performance, check_plausible


class CompactPlate(CoolingModel):
    """``G = A / (d/(2k) + t_base/k_plate + 1/h_eff)`` from each face cell to its node; the
    flow of a stream is the share of the plate's width its row of cells covers."""

    kind = "microchannel"
    label = "coldplate"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        cp = self.spec
        self.streams = FaceStreams(mesh, cp)
        self.n_along, self.n_nodes = self.streams.n_along, self.streams.n_nodes
        self.k_plate = region.plate.k[2]
        geo = cp.geometry(mesh.setup.footprint)
        self.geometry = {"length": geo["length"], "span": geo["span"], "n_channels": geo["n_channels"],
                         "channel_width": cp.channel_width, "wall_width": geo["wall_width"],
                         "channel_height": cp.channel_height, "base_thickness": cp.base_thickness,
                         "material": cp.material, "face": cp.face, "flow_direction": cp.flow_direction}

    def performance(self, props, k_at):
        cp, gm = self.spec, self.geometry
        return channel_performance(width=cp.channel_width, height=cp.channel_height,
                                   n_channels=gm["n_channels"], flow_rate=cp.flow_rate,
                                   length=gm["length"], props=props, k_wall=self.k_plate,
                                   wall_width=gm["wall_width"], developing=cp.developing,
                                   bends=cp.bends, roughness=cp.roughness)

    def couple(self, props, k_at):
        cp, gm = self.spec, self.geometry
        perf = self.performance(props, k_at)
        check_plausible(self.region.name, self.region.path, cp.flow_rate, perf)
        frac = cp.channel_width / (cp.channel_width + gm["wall_width"])
        return self.streams.coupling(r_series=cp.base_thickness / self.k_plate + 1.0 / perf["h_eff"],
                                     mcp=perf["mcp"], k_at=k_at, perf=perf,
                                     capacity_per_area=props["rho"] * props["cp"] * cp.channel_height * frac)
