"""Micro-channels resolved on the grid in a layer (a cavity): the fluid cells of each channel
cross-section one cell long form one coolant node (the cells are tied to it, so the field shows
the coolant); every face between a fluid and a solid cell couples the solid cell to the node
through its half cell and the film coefficient of that wall (side, top or bottom)."""

from __future__ import annotations

import numpy as np

from .base import CoolingModel, Coupling
from .correlations import channel_performance, check_plausible


class ResolvedChannels(CoolingModel):
    """``G = A / (d_s/(2 k_s) + 1/h)`` per fluid–solid face; h given per wall or from the
    correlations; each channel carries an equal share of the flow."""

    kind = "straight"
    label = "channels"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        ch = self.spec
        nz, ny, nx = mesh.shape
        xc, yc, zc = mesh.centers()
        z0, z1 = region.z_range
        ks = np.nonzero((zc > z0) & (zc < z1))[0]
        across_c = yc if ch.axis == "x" else xc
        spans = ch.spans(mesh.setup.footprint)
        chan_of = np.full(len(across_c), -1)
        for c, (lo, hi) in enumerate(spans):
            chan_of[(across_c > lo) & (across_c < hi)] = c
        sel = np.zeros(mesh.shape, dtype=bool)
        if ch.axis == "x":
            sel[ks[:, None], np.nonzero(chan_of >= 0)[0][None, :], :] = True
        else:
            sel[ks[:, None, None], :, np.nonzero(chan_of >= 0)[0][None, None, :]] = True
        self.fluid = sel & (mesh.component == region.component)
        self.n_along = nx if ch.axis == "x" else ny
        K, J, I = np.nonzero(self.fluid)
        chan = chan_of[J] if ch.axis == "x" else chan_of[I]
        pos = I if ch.axis == "x" else J
        order = pos if ch.sign > 0 else self.n_along - 1 - pos
        self.KJI = (K, J, I)
        self.node = chan * self.n_along + order
        self.fluid_cells = (K * ny + J) * nx + I
        self.n_channels = len(spans)
        self.n_nodes = self.n_channels * self.n_along
        self.sizes = (mesh.dz, mesh.dy, mesh.dx)
        self.fluid_volume = mesh.cell_volumes().ravel()[self.fluid_cells]
        fp = mesh.setup.footprint
        self.geometry = {"length": fp.x if ch.axis == "x" else fp.y, "n_channels": self.n_channels,
                         "channel_width": ch.width, "wall_width": ch.wall,
                         "channel_height": region.thickness, "flow_direction": ch.direction,
                         "material": region.wall_material,
                         "edge_walls": (spans[0][0], (fp.y if ch.axis == "x" else fp.x) - spans[-1][1])
                         if spans else None}

    def performance(self, props, k_at):
        ch = self.spec
        return channel_performance(width=ch.width, height=self.geometry["channel_height"],
                                   n_channels=self.n_channels, flow_rate=ch.flow_rate,
                                   length=self.geometry["length"], props=props, wall_width=ch.wall,
                                   developing=ch.developing, bends=ch.bends, roughness=ch.roughness)

    def couple(self, props, k_at):
        ch = self.spec
        perf = self.performance(props, k_at)
        check_plausible(self.region.name, self.region.path, ch.flow_rate, perf)
        perf["h_side"] = ch.h_side or perf["h"]
        perf["h_top"] = ch.h_top or perf["h"]
        perf["h_bottom"] = ch.h_bottom or perf["h"]
        cells, nodes, Gs = [], [], []
        for ax in (0, 1, 2):
            for step in (-1, 1):
                c, n, G = self._faces(ax, step, perf, k_at)
                cells.append(c)
                nodes.append(n)
                Gs.append(G)
        capacity = np.zeros(self.n_nodes)
        np.add.at(capacity, self.node, props["rho"] * props["cp"] * self.fluid_volume)
        return Coupling(mcp=np.full(self.n_nodes, perf["mcp"] / self.n_channels), capacity=capacity,
                        cells=np.concatenate(cells), nodes=np.concatenate(nodes), G=np.concatenate(Gs),
                        perf=perf, slave_cells=self.fluid_cells, slave_nodes=self.node)

    def _faces(self, ax, step, perf, k_at):
        """Couplings through the fluid cells' faces towards ``step`` along axis ``ax`` (0 = z)."""
        F = self.fluid
        dims = F.shape
        idx = list(self.KJI)
        nb = idx[ax] + step
        ok = (nb >= 0) & (nb < dims[ax])
        nidx = [a[ok] for a in idx]
        nidx[ax] = nb[ok]
        solid = ~F[nidx[0], nidx[1], nidx[2]]
        nidx = [a[solid] for a in nidx]
        ncell = (nidx[0] * dims[1] + nidx[1]) * dims[2] + nidx[2]
        other = [a for a in (0, 1, 2) if a != ax]
        area = self.sizes[other[0]][nidx[other[0]]] * self.sizes[other[1]][nidx[other[1]]]
        d = self.sizes[ax][nidx[ax]]
        h = (perf["h_top"] if step > 0 else perf["h_bottom"]) if ax == 0 else perf["h_side"]
        return ncell, self.node[ok][solid], area / (0.5 * d / k_at(ax, ncell) + 1.0 / h)
