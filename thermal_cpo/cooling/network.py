"""Coolant coupling: compact cold plates and resolved channels as 1-D coolant streams solved
together with the solid (DESIGN §2 'discretize', issue 6).

Both models become one structure, a :class:`CoolantNetwork` of *coolant nodes* (extra unknowns
after the ``n`` grid cells): each node is a stretch of coolant one grid cell long in the flow
direction, with

- an upstream node (or the inlet at ``T_in``) and a heat-capacity flow ``ṁ c_p`` (W/K): the
  first-order upwind energy balance ``ṁ c_p (T_n − T_up) = Σ G (T_cell − T_n)``, which is
  conservative: summed over a stream it telescopes to ``ṁ c_p (T_out − T_in)`` = heat picked up;
- couplings ``G`` (W/K) to solid cells;
- a capacity ``ρ c_p V`` (J/K) for transients.

Compact plate (``[[coldplates]]``): one stream per row of face cells across the flow, carrying
the share of the flow of that row's width; a face cell couples to its node with
``G = A / (d/(2k) + t_base/k_plate + 1/h_eff)``, h_eff from Shah–London H1 and the fin efficiency
of the walls (reference §3.1, S26).

Resolved channels (a layer with ``channels``): the fluid cells are grid cells of the channel layer
inside a channel; every cross-section of a channel one cell long is one node (the fluid cells of
it are tied to the node temperature by a trivial equation, so the field shows the coolant), each
channel carries ``V̇/N``. Faces between fluid and solid cells couple the solid cell to the node
with ``G = A / (d_s/(2 k_s) + 1/h)``, h per surface (side/top/bottom) given or from the same
correlations; faces touching fluid cells carry no conduction.

The coupled matrix is not symmetric (advection); see :class:`thermal_cpo.linalg.NonsymmetricSolver`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .correlations import channel_performance
from ..errors import LayoutError
from ..layout import channel_spans


@dataclass
class CoolantGroup:
    """One cold plate or one channel cavity: its nodes ``[n0, n1)`` (0-based among the coolant
    nodes), the coolant and flow, and the correlation figures at the current mean coolant T."""

    name: str
    kind: str  # "coldplate" | "channels"
    path: str  # where it is in the layout, e.g. coldplates[0] or layers[3].channels
    coolant: str
    flow_rate: float  # m^3/s
    T_in: float  # °C
    n0: int = 0
    n1: int = 0
    perf: dict = field(default_factory=dict)
    T_mean: float = 0.0
    geometry: dict = field(default_factory=dict)


class CoolantNetwork:
    """Coolant nodes coupled to the cells of an :class:`~thermal_cpo.physics.Operator`.

    Built by the Operator (which it modifies: faces touching fluid cells lose their conduction and
    boundary terms). Arrays over nodes: ``up`` (upstream node, −1 = inlet), ``mcp`` (W/K),
    ``T_in`` (°C, used at inlet nodes), ``capacity`` (J/K), ``outlet`` (bool); couplings
    ``cpl_cell`` (flat cell index), ``cpl_node``, ``cpl_G`` (W/K); tied fluid cells ``slave_cell``,
    ``slave_node``. ``T_nodes`` holds the last solved node temperatures (°C) once a solver set it.
    """

    def __init__(self, op, t_mean: dict | None = None):
        self.op = op
        mesh = op.mesh
        self.mesh = mesh
        self.n_cells = mesh.n_cells
        self.groups: list[CoolantGroup] = []
        self._fluid = np.zeros(mesh.shape, dtype=bool)
        self._parts = []  # per group: a builder called with the properties
        pkg = mesh.package
        for i, cp in enumerate(pkg.coldplates):
            self.groups.append(CoolantGroup(cp.name, "coldplate", f"coldplates[{i}]", cp.coolant,
                                            cp.flow_rate, cp.inlet_T))
            self._parts.append(("coldplate", cp))
        for i, layer in enumerate(pkg.layers):
            if layer.channels is not None:
                ch = layer.channels
                self.groups.append(CoolantGroup(layer.name, "channels", f"layers[{i}].channels",
                                                ch.coolant, ch.flow_rate, ch.inlet_T))
                self._parts.append(("channels", (i, layer)))
        self._geometry()
        self._cut_fluid_faces()
        self.T_nodes = None
        self.build(t_mean or {})

    # -- geometry (independent of the coolant properties) ----------------------------------------
    def _geometry(self):
        mesh, pkg = self.mesh, self.mesh.package
        nz, ny, nx = mesh.shape
        xc, yc, zc = mesh.centers()
        n = 0
        self._geo = []
        for g, (kind, obj) in zip(self.groups, self._parts):
            if kind == "coldplate":
                cp = obj
                xr, yr = cp.extent(pkg.footprint)
                ii = np.nonzero((xc > xr[0]) & (xc < xr[1]))[0]
                jj = np.nonzero((yc > yr[0]) & (yc < yr[1]))[0]
                k = nz - 1 if cp.face == "top" else 0
                if cp.axis == "x":
                    along, across = ii, jj
                    J, I = np.meshgrid(jj, np.arange(len(ii)), indexing="ij")
                    order = I if cp.sign > 0 else len(ii) - 1 - I
                    cells = (k * ny + J) * nx + ii[I]
                    w_across = mesh.dy[jj]
                    row = np.repeat(np.arange(len(jj)), len(ii)).reshape(J.shape)
                else:
                    along, across = jj, ii
                    J, I = np.meshgrid(np.arange(len(jj)), ii, indexing="ij")
                    order = J if cp.sign > 0 else len(jj) - 1 - J
                    cells = (k * ny + jj[J]) * nx + I
                    w_across = mesh.dx[ii]
                    row = np.broadcast_to(np.arange(len(ii))[None, :], J.shape)
                n_along = len(along)
                node = n + row * n_along + order
                geo = cp.geometry(pkg.footprint)
                g.geometry = {"length": geo["length"], "span": geo["span"], "n_channels": geo["n_channels"],
                              "channel_width": cp.channel_width, "wall_width": geo["wall_width"],
                              "channel_height": cp.channel_height, "base_thickness": cp.base_thickness,
                              "material": cp.material, "face": cp.face, "flow_direction": cp.flow_direction}
                n_nodes = len(across) * n_along
                share = np.repeat(w_across / w_across.sum(), n_along)  # flow share of each node's row
                dz = mesh.dz[k]
                kz = np.array([m.k[2] for m in mesh.materials])[mesh.material.ravel()[cells.ravel()]]
                area = (mesh.dx[None, :] * mesh.dy[:, None]).ravel()[cells.ravel() % (nx * ny)]
                self._geo.append(dict(kind=kind, n=n, n_nodes=n_nodes, n_along=n_along, share=share,
                                      cells=cells.ravel(), node=node.ravel(), area=area,
                                      r_half=0.5 * dz / kz))
            else:
                li, layer = obj
                ch = layer.channels
                z0, z1 = pkg.layer_bounds()[li]
                ks = np.nonzero((zc > z0) & (zc < z1))[0]
                across_c = yc if ch.axis == "x" else xc
                spans = channel_spans(ch.width, ch.wall, (0.0, pkg.footprint.y if ch.axis == "x" else pkg.footprint.x))
                chan_of = np.full(len(across_c), -1)
                for c, (lo, hi) in enumerate(spans):
                    chan_of[(across_c > lo) & (across_c < hi)] = c
                comp_id = next(c.id for c in mesh.components if c.name == layer.name)
                sel = np.zeros(mesh.shape, dtype=bool)
                if ch.axis == "x":
                    sel[ks[:, None], np.nonzero(chan_of >= 0)[0][None, :], :] = True
                else:
                    sel[ks[:, None, None], :, np.nonzero(chan_of >= 0)[0][None, None, :]] = True
                F = sel & (mesh.component == comp_id)
                self._fluid |= F
                n_along = nx if ch.axis == "x" else ny
                K, J, I = np.nonzero(F)
                chan = chan_of[J] if ch.axis == "x" else chan_of[I]
                pos = I if ch.axis == "x" else J
                order = pos if ch.sign > 0 else n_along - 1 - pos
                node = n + chan * n_along + order
                n_nodes = len(spans) * n_along
                g.geometry = {"length": pkg.footprint.x if ch.axis == "x" else pkg.footprint.y,
                              "n_channels": len(spans), "channel_width": ch.width, "wall_width": ch.wall,
                              "channel_height": layer.thickness, "flow_direction": ch.direction,
                              "material": layer.material}
                self._geo.append(dict(kind=kind, n=n, n_nodes=n_nodes, n_along=n_along, F=F,
                                      fluid_cells=(K * ny + J) * nx + I, fluid_node=node,
                                      K=K, J=J, I=I, ch=ch, n_channels=len(spans)))
            g.n0, g.n1 = n, n + n_nodes
            n += n_nodes
        self.n_nodes = n
        self.up = np.full(n, -1, dtype=np.int64)
        self.outlet = np.zeros(n, dtype=bool)
        for geo in self._geo:
            idx = np.arange(geo["n"], geo["n"] + geo["n_nodes"])
            order = (idx - geo["n"]) % geo["n_along"]
            self.up[idx] = np.where(order > 0, idx - 1, -1)
            self.outlet[idx] = order == geo["n_along"] - 1

    def _cut_fluid_faces(self):
        """No conduction through faces touching fluid cells; no boundary terms on fluid cells."""
        F = self._fluid
        if not F.any():
            return
        op = self.op
        op.gx[F[:, :, :-1] | F[:, :, 1:]] = 0.0
        op.gy[F[:, :-1, :] | F[:, 1:, :]] = 0.0
        op.gz[F[:-1] | F[1:]] = 0.0
        for p in op.patches:
            p.G[p.cells(F)] = 0.0
        op.diag_boundary[...] = 0.0
        for p in op.patches:
            p.cells(op.diag_boundary)[...] += p.G
        op._stencil = None

    @property
    def fluid(self) -> np.ndarray:
        """``(nz, ny, nx)`` bool: the resolved fluid cells."""
        return self._fluid

    # -- properties-dependent part ----------------------------------------------------------------
    def build(self, t_mean: dict):
        """(Re)compute ṁc_p, couplings and capacities with the coolant properties at ``t_mean``
        (°C per group name; the inlet temperature where absent)."""
        mesh, pkg = self.mesh, self.mesh.package
        nz, ny, nx = mesh.shape
        n = self.n_nodes
        self.mcp = np.zeros(n)
        self.T_in = np.zeros(n)
        self.capacity = np.zeros(n)
        cells, nodes, Gs = [], [], []
        self.slave_cell = np.zeros(0, dtype=np.int64)  # resolved fluid cells, tied to their node
        self.slave_node = np.zeros(0, dtype=np.int64)
        slaves_c, slaves_n = [], []
        Kmat = np.array([m.k for m in mesh.materials])  # (n_materials, 3) x, y, z
        # k(T) of the solid cells next to the coolant, at the field the operator was built for
        kfac = self.op.k_factor(self.op.temperature) if self.op.temperature is not None else None
        kfac = np.ones(mesh.n_cells) if kfac is None else kfac.ravel()
        for g, geo, (kind, obj) in zip(self.groups, self._geo, self._parts):
            T = float(t_mean.get(g.name, g.T_in))
            g.T_mean = T
            try:
                props = pkg.coolant(g.coolant).properties(T)
            except LayoutError:
                c = pkg.coolant(g.coolant)
                raise LayoutError(
                    f"the coolant of {g.name!r} ({g.coolant}) reaches a mean temperature of {T:.1f} °C, "
                    f"outside its property table [{c.T[0]:g}, {c.T[-1]:g}] °C: the flow is too small "
                    "for the heat it picks up (raise flow_rate) or the inlet is too close to the table's "
                    "end", path=f"{g.path}.flow_rate") from None
            sl = slice(g.n0, g.n1)
            self.T_in[sl] = g.T_in
            if kind == "coldplate":
                cp = obj
                gm = g.geometry
                mat = pkg.material(cp.material)
                perf = channel_performance(width=cp.channel_width, height=cp.channel_height,
                                           n_channels=gm["n_channels"], flow_rate=cp.flow_rate,
                                           length=gm["length"], props=props, k_wall=mat.k[2],
                                           wall_width=gm["wall_width"], developing=cp.developing)
                self.mcp[sl] = perf["mcp"] * geo["share"]
                r = geo["r_half"] / kfac[geo["cells"]] + cp.base_thickness / mat.k[2] + 1.0 / perf["h_eff"]
                cells.append(geo["cells"])
                nodes.append(geo["node"])
                Gs.append(geo["area"] / r)
                frac = cp.channel_width / (cp.channel_width + gm["wall_width"])
                vol = geo["area"] * cp.channel_height * frac
                np.add.at(self.capacity, geo["node"], props["rho"] * props["cp"] * vol)
            else:
                ch = geo["ch"]
                perf = channel_performance(width=ch.width, height=g.geometry["channel_height"],
                                           n_channels=geo["n_channels"], flow_rate=ch.flow_rate,
                                           length=g.geometry["length"], props=props,
                                           developing=ch.developing)
                perf["h_side"] = ch.h_side or perf["h"]
                perf["h_top"] = ch.h_top or perf["h"]
                perf["h_bottom"] = ch.h_bottom or perf["h"]
                self.mcp[sl] = perf["mcp"] / geo["n_channels"]
                K, J, I, node, F = geo["K"], geo["J"], geo["I"], geo["fluid_node"], self._fluid
                dims = (nz, ny, nx)
                sizes = (mesh.dz, mesh.dy, mesh.dx)
                for ax in (0, 1, 2):
                    for step in (-1, 1):
                        idx = [K, J, I]
                        nb = idx[ax] + step
                        ok = (nb >= 0) & (nb < dims[ax])
                        nidx = [a[ok] for a in idx]
                        nidx[ax] = nb[ok]
                        solid = ~F[nidx[0], nidx[1], nidx[2]]
                        nidx = [a[solid] for a in nidx]
                        src_node = node[ok][solid]
                        ncell = (nidx[0] * ny + nidx[1]) * nx + nidx[2]
                        other = [a for a in (0, 1, 2) if a != ax]
                        area = sizes[other[0]][nidx[other[0]]] * sizes[other[1]][nidx[other[1]]]
                        kdir = Kmat[mesh.material[nidx[0], nidx[1], nidx[2]], 2 - ax] * kfac[ncell]
                        d = sizes[ax][nidx[ax]]
                        if ax == 0:
                            h = perf["h_top"] if step > 0 else perf["h_bottom"]
                        else:
                            h = perf["h_side"]
                        cells.append(ncell)
                        nodes.append(src_node)
                        Gs.append(area / (0.5 * d / kdir + 1.0 / h))
                vol = mesh.cell_volumes().ravel()[geo["fluid_cells"]]
                np.add.at(self.capacity, node, props["rho"] * props["cp"] * vol)
                slaves_c.append(geo["fluid_cells"])
                slaves_n.append(node)
            g.perf = perf
        self.cpl_cell = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
        self.cpl_node = np.concatenate(nodes) if nodes else np.zeros(0, dtype=np.int64)
        self.cpl_G = np.concatenate(Gs) if Gs else np.zeros(0)
        if slaves_c:
            self.slave_cell = np.concatenate(slaves_c)
            self.slave_node = np.concatenate(slaves_n)

    # -- the coupled system ----------------------------------------------------------------------
    def coupled_matrix(self, A_solid: sp.csr_matrix) -> sp.csr_matrix:
        """The ``(n + m) × (n + m)`` matrix (W/K) of cells then coolant nodes (not symmetric)."""
        n, m = self.n_cells, self.n_nodes
        c, q, G = self.cpl_cell, self.cpl_node + n, self.cpl_G
        nodes = np.arange(m) + n
        has_up = self.up >= 0
        s = self.mcp[self.slave_node]  # scale of the tie rows: the node's own ṁc_p
        rows = np.concatenate([c, c, q, q, nodes, nodes[has_up], self.slave_cell, self.slave_cell])
        cols = np.concatenate([c, q, c, q, nodes, self.up[has_up] + n, self.slave_cell,
                               self.slave_node + n])
        vals = np.concatenate([G, -G, -G, G, self.mcp, -self.mcp[has_up], s, -s])
        extra = sp.csr_matrix((vals, (rows, cols)), shape=(n + m, n + m))
        # the cell block padded with m empty rows, sharing the solid matrix's arrays (block_diag
        # would go through COO and cost more than the whole coupling)
        indptr = np.concatenate([A_solid.indptr, np.full(m, A_solid.indptr[-1], dtype=A_solid.indptr.dtype)])
        A = sp.csr_matrix((A_solid.data, A_solid.indices, indptr), shape=(n + m, n + m)) + extra
        A.sum_duplicates()
        A.sort_indices()
        return A

    def coupled_rhs(self, b_solid: np.ndarray, t_ref: float) -> np.ndarray:
        """Right-hand side (W): the solid's, then ṁc_p (T_in − t_ref) on the inlet nodes."""
        b = np.zeros(self.n_cells + self.n_nodes)
        b[:self.n_cells] = b_solid
        inlet = self.up < 0
        b[self.n_cells:][inlet] = self.mcp[inlet] * (self.T_in[inlet] - t_ref)
        return b

    def coupled_capacity(self, C_cells: np.ndarray) -> np.ndarray:
        """Capacities (J/K) of cells then nodes; tied fluid cells carry none of their own."""
        C = np.concatenate([np.asarray(C_cells, dtype=float).ravel(), self.capacity])
        C[self.slave_cell] = 0.0
        return C

    # -- results ---------------------------------------------------------------------------------
    def heat_out(self, T_nodes: np.ndarray | None = None) -> dict[str, float]:
        """Heat (W) carried away by each group: Σ over its outlets ṁ c_p (T_out − T_in)."""
        T = self.T_nodes if T_nodes is None else T_nodes
        out = {}
        for g in self.groups:
            sl = slice(g.n0, g.n1)
            o = self.outlet[sl]
            q = float(np.sum(self.mcp[sl][o] * (T[sl][o] - self.T_in[sl][o]))) if T is not None else 0.0
            out[f"coolant:{g.name}"] = q
        return out

    def mean_temperatures(self, T_nodes: np.ndarray) -> dict[str, float]:
        """Mean coolant temperature of each group (°C): (T_in + mixed-cup T_out)/2."""
        out = {}
        for g in self.groups:
            sl = slice(g.n0, g.n1)
            o = self.outlet[sl]
            t_out = float(np.sum(self.mcp[sl][o] * T_nodes[sl][o]) / np.sum(self.mcp[sl][o]))
            out[g.name] = 0.5 * (g.T_in + t_out)
        return out

    def summary(self, T_nodes: np.ndarray | None = None) -> list[dict]:
        """Per cold plate / cavity: coolant, flow, inlet/outlet T, bulk ΔT, Re, regime, Nu, h,
        fin efficiency, h_eff, ΔP, pumping power, heat picked up (W)."""
        T = self.T_nodes if T_nodes is None else T_nodes
        heat = self.heat_out(T)
        rows = []
        for g in self.groups:
            sl = slice(g.n0, g.n1)
            o = self.outlet[sl]
            t_out = float(np.sum(self.mcp[sl][o] * T[sl][o]) / np.sum(self.mcp[sl][o]))
            p = g.perf
            row = {"name": g.name, "kind": g.kind, "path": g.path, "coolant": g.coolant,
                   "flow_rate": g.flow_rate, "flow_rate_l_min": g.flow_rate * 6e4, "T_in": g.T_in,
                   "T_out": t_out, "T_out_max": float(T[sl][o].max()), "delta_T": t_out - g.T_in,
                   "T_mean_properties": g.T_mean, "heat": heat[f"coolant:{g.name}"],
                   "Re": p["Re"], "regime": p["regime"], "turbulent": p["regime"] != "laminar",
                   "Pr": p["Pr"], "Nu": p["Nu"], "h": p["h"], "eta_fin": p.get("eta_fin"),
                   "h_eff": p.get("h_eff"), "dP": p["dP"], "pumping_power": p["pumping_power"],
                   "mcp": p["mcp"], "D_h": p["D_h"], "u": p["u"]}
            for key in ("h_side", "h_top", "h_bottom"):
                if key in p:
                    row[key] = p[key]
            row.update({f"geometry.{k}": v for k, v in g.geometry.items()})
            rows.append(row)
        return rows

    def node_temperatures(self, group: str, T_nodes: np.ndarray | None = None) -> np.ndarray:
        """Coolant temperatures (°C) of one group as ``(streams, cells along the flow)``, each row
        ordered from inlet to outlet."""
        T = self.T_nodes if T_nodes is None else T_nodes
        for g, geo in zip(self.groups, self._geo):
            if g.name == group:
                return T[g.n0:g.n1].reshape(-1, geo["n_along"])
        raise KeyError(group)
