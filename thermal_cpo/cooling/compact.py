"""A compact micro-channel cold plate on a face: not meshed, one coolant stream per row of face
cells across the flow, each face cell coupled to its node through the half cell, the plate's
base and the effective h of the finned channels (Shah–London H1 h with the fin efficiency of
the walls; :mod:`.correlations`)."""

from __future__ import annotations

import numpy as np

from .base import CoolingModel, Coupling
from .correlations import channel_performance


class CompactPlate(CoolingModel):
    """``G = A / (d/(2k) + t_base/k_plate + 1/h_eff)`` from each face cell to its node; the
    flow of a stream is the share of the plate's width its row of cells covers."""

    kind = "microchannel"
    label = "coldplate"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        cp = self.spec
        nz, ny, nx = mesh.shape
        xc, yc, _ = mesh.centers()
        xr, yr = cp.extent(mesh.setup.footprint)
        ii = np.nonzero((xc > xr[0]) & (xc < xr[1]))[0]
        jj = np.nonzero((yc > yr[0]) & (yc < yr[1]))[0]
        k = nz - 1 if cp.face == "top" else 0
        if cp.axis == "x":
            J, I = np.meshgrid(jj, np.arange(len(ii)), indexing="ij")
            order = I if cp.sign > 0 else len(ii) - 1 - I
            cells = (k * ny + J) * nx + ii[I]
            w_across, n_along, n_rows = mesh.dy[jj], len(ii), len(jj)
            row = np.repeat(np.arange(len(jj)), len(ii)).reshape(J.shape)
        else:
            J, I = np.meshgrid(np.arange(len(jj)), ii, indexing="ij")
            order = J if cp.sign > 0 else len(jj) - 1 - J
            cells = (k * ny + jj[J]) * nx + I
            w_across, n_along, n_rows = mesh.dx[ii], len(jj), len(ii)
            row = np.broadcast_to(np.arange(len(ii))[None, :], J.shape)
        self.n_along = n_along
        self.n_nodes = n_rows * n_along
        self.cells = cells.ravel()
        self.node = (row * n_along + order).ravel()
        self.share = np.repeat(w_across / w_across.sum(), n_along)  # flow share of each node's row
        self.area = (mesh.dx[None, :] * mesh.dy[:, None]).ravel()[self.cells % (nx * ny)]
        self.half = 0.5 * mesh.dz[k]
        self.k_plate = region.plate.k[2]
        geo = cp.geometry(mesh.setup.footprint)
        self.geometry = {"length": geo["length"], "span": geo["span"], "n_channels": geo["n_channels"],
                         "channel_width": cp.channel_width, "wall_width": geo["wall_width"],
                         "channel_height": cp.channel_height, "base_thickness": cp.base_thickness,
                         "material": cp.material, "face": cp.face, "flow_direction": cp.flow_direction}

    def couple(self, props, k_at):
        cp, gm = self.spec, self.geometry
        perf = channel_performance(width=cp.channel_width, height=cp.channel_height,
                                   n_channels=gm["n_channels"], flow_rate=cp.flow_rate,
                                   length=gm["length"], props=props, k_wall=self.k_plate,
                                   wall_width=gm["wall_width"], developing=cp.developing)
        r = self.half / k_at(0, self.cells) + cp.base_thickness / self.k_plate + 1.0 / perf["h_eff"]
        frac = cp.channel_width / (cp.channel_width + gm["wall_width"])
        capacity = np.zeros(self.n_nodes)
        np.add.at(capacity, self.node, props["rho"] * props["cp"] * self.area * cp.channel_height * frac)
        return Coupling(mcp=perf["mcp"] * self.share, capacity=capacity, cells=self.cells,
                        nodes=self.node, G=self.area / r, perf=perf)
