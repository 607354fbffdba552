"""The coolant network: every cooling of a package as 1-D coolant streams, solved together with
the solid (the discretization; README, "Numerics").

Every cooling kind (:mod:`.compact`, :mod:`.resolved`, or any registered :class:`CoolingModel`)
becomes part of one structure of *coolant nodes* (extra unknowns after the ``n`` grid cells):
each node is a stretch of coolant one grid cell long in the flow direction, with

- an upstream node (or the inlet at ``T_in``) and a heat-capacity flow ``ṁ c_p`` (W/K): the
  first-order upwind energy balance ``ṁ c_p (T_n − T_up) = Σ G (T_cell − T_n)``, which is
  conservative: summed over a stream it telescopes to ``ṁ c_p (T_out − T_in)`` = heat picked up;
- couplings ``G`` (W/K) to solid cells;
- a capacity ``ρ c_p V`` (J/K) for transients.

The layout of the nodes (:class:`CoolantLayout`) does not depend on the coolant's properties and
is built once per mesh; a :class:`CoolantNetwork` holds the terms at one set of mean coolant
temperatures. The coupled matrix is not symmetric (advection); see
:class:`thermal_cpo.linalg.NonsymmetricSolver`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..errors import LayoutError
from ..mesh import Mesh
from .base import ConductivityAt, model_for
from .feeds import feed_links, inlet_temperature, plan_loops, solve_loops


@dataclass
class CoolantGroup:
    """One cooling (a cold plate or a channel cavity): its nodes ``[n0, n1)`` (0-based among the
    coolant nodes), the coolant and flow, and the correlation figures at the mean coolant T."""

    name: str
    kind: str  # the report's label: "coldplate" | "channels" | ...
    path: str  # where it is in the layout, e.g. coldplates[0] or layers[3].channels
    coolant: str
    flow_rate: float  # m^3/s
    T_in: float  # °C
    n0: int = 0
    n1: int = 0
    perf: dict = field(default_factory=dict)
    T_mean: float = 0.0
    geometry: dict = field(default_factory=dict)
    loop: str | None = None  # the loop that feeds it; T_in is then the loop's inlet
    stage: int = 0  # its stage in the loop (0: fed at the loop's inlet)
    feed: tuple[int, ...] = ()  # the groups whose mixed outlets are its inlet (the stage before)


class CoolantLayout:
    """Where the coolant nodes are: one model per cooling region of the mesh, their node ranges,
    upstream links (``up``, −1 = inlet), outlets and the resolved fluid cells (``fluid``)."""

    def __init__(self, mesh: Mesh):
        self.mesh = mesh
        self.regions = mesh.setup.coolings
        self.models = [model_for(r, mesh) for r in self.regions]
        self.fluid = np.zeros(mesh.shape, dtype=bool)
        self.offsets = []
        n = 0
        for m in self.models:
            if m.fluid is not None:
                self.fluid |= m.fluid
            self.offsets.append(n)
            n += m.n_nodes
        self.n_nodes = n
        self.up = np.full(n, -1, dtype=np.int64)
        self.outlet = np.zeros(n, dtype=bool)
        for m, n0 in zip(self.models, self.offsets):
            idx = np.arange(n0, n0 + m.n_nodes)
            order = (idx - n0) % m.n_along
            self.up[idx] = np.where(order > 0, idx - 1, -1)
            self.outlet[idx] = order == m.n_along - 1


class CoolantNetwork:
    """The coolant terms at given mean coolant temperatures. Arrays over nodes: ``up``,
    ``mcp`` (W/K), ``T_in`` (°C, used at inlet nodes), ``capacity`` (J/K), ``outlet`` (bool);
    couplings ``cpl_cell`` (flat cell index), ``cpl_node``, ``cpl_G`` (W/K); tied fluid cells
    ``slave_cell``, ``slave_node``. ``k_at(axis, cells)`` gives the solid's conductivity."""

    def __init__(self, layout: CoolantLayout, k_at: ConductivityAt, t_mean: dict | None = None):
        self.layout = layout
        self.mesh = layout.mesh
        self.n_cells = layout.mesh.n_cells
        self.n_nodes = layout.n_nodes
        self.up, self.outlet = layout.up, layout.outlet
        self.k_at = k_at
        self.groups = [CoolantGroup(r.name, m.label, r.path, r.spec.coolant, r.spec.flow_rate,
                                    r.spec.inlet_T, n0, n0 + m.n_nodes, geometry=m.geometry)
                       for r, m, n0 in zip(layout.regions, layout.models, layout.offsets)]
        self.plans = plan_loops(layout.mesh.setup.loops, self.groups)
        self.loop_flows: dict = {}
        self._build(t_mean or {})

    @property
    def fluid(self) -> np.ndarray:
        """``(nz, ny, nx)`` bool: the resolved fluid cells."""
        return self.layout.fluid

    def at(self, t_mean: dict) -> "CoolantNetwork":
        """The same network with the coolant properties at ``t_mean`` (°C per group name)."""
        return CoolantNetwork(self.layout, self.k_at, t_mean)

    def _build(self, t_mean: dict):
        """ṁc_p, couplings and capacities with the properties at ``t_mean`` (the inlet T where
        a group is absent)."""
        n = self.n_nodes
        self.mcp, self.T_in, self.capacity = np.zeros(n), np.zeros(n), np.zeros(n)
        cells, nodes, Gs, slaves_c, slaves_n = [], [], [], [], []
        props = []
        for g, region in zip(self.groups, self.layout.regions):
            g.T_mean = T = float(t_mean.get(g.name, g.T_in))
            props.append(_properties(region, g, T))
        flows = solve_loops(self, props)
        for i, (g, model) in enumerate(zip(self.groups, self.layout.models)):
            if i in flows:
                g.flow_rate = flows[i]
                model = model.at_flow(flows[i])
            c = model.couple(props[i], self.k_at)
            sl = slice(g.n0, g.n1)
            self.T_in[sl] = g.T_in
            self.mcp[sl] = c.mcp
            self.capacity[sl] = c.capacity
            cells.append(c.cells)
            nodes.append(c.nodes + g.n0)
            Gs.append(c.G)
            slaves_c.append(c.slave_cells)
            slaves_n.append(c.slave_nodes + g.n0)
            g.perf = c.perf
        empty = np.zeros(0, dtype=np.int64)
        self.cpl_cell = np.concatenate(cells) if cells else empty
        self.cpl_node = np.concatenate(nodes) if nodes else empty
        self.cpl_G = np.concatenate(Gs) if Gs else np.zeros(0)
        self.slave_cell = np.concatenate(slaves_c).astype(np.int64) if slaves_c else empty
        self.slave_node = np.concatenate(slaves_n).astype(np.int64) if slaves_n else empty
        self.feed_node, self.feed_src, self.feed_mcp = feed_links(self)
        self.fed = np.zeros(n, dtype=bool)
        self.fed[self.feed_node] = True

    # -- the coupled system ----------------------------------------------------------------------
    def entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The coolant's entries ``(rows, cols, vals)`` (W/K) of the coupled matrix over cells
        then nodes, repeated entries to be added: couplings, upwind balances, fluid-cell ties
        and loop feeds."""
        n, m = self.n_cells, self.n_nodes
        c, q, G = self.cpl_cell, self.cpl_node + n, self.cpl_G
        nodes = np.arange(m) + n
        has_up = self.up >= 0
        s = self.mcp[self.slave_node]  # scale of the tie rows: the node's own ṁc_p
        rows = np.concatenate([c, c, q, q, nodes, nodes[has_up], self.slave_cell, self.slave_cell,
                               self.feed_node + n])
        cols = np.concatenate([c, q, c, q, nodes, self.up[has_up] + n, self.slave_cell,
                               self.slave_node + n, self.feed_src + n])
        vals = np.concatenate([G, -G, -G, G, self.mcp, -self.mcp[has_up], s, -s, -self.feed_mcp])
        return rows, cols, vals

    def coupled_matrix(self, A_solid: sp.csr_matrix) -> sp.csr_matrix:
        """The ``(n + m) × (n + m)`` matrix (W/K) of cells then coolant nodes (not symmetric),
        assembled as one CSR from the solid's CSR ``A_solid`` and :meth:`entries`."""
        n, m = self.n_cells, self.n_nodes
        rows, cols, vals = self.entries()
        extra = sp.csr_matrix((vals, (rows, cols)), shape=(n + m, n + m))
        # the cell block padded with m empty rows, sharing the solid matrix's arrays (block_diag
        # would go through COO and cost more than the whole coupling)
        indptr = np.concatenate([A_solid.indptr, np.full(m, A_solid.indptr[-1], dtype=A_solid.indptr.dtype)])
        A = sp.csr_matrix((A_solid.data, A_solid.indices, indptr), shape=(n + m, n + m)) + extra
        A.sum_duplicates()
        A.sort_indices()
        return A

    def coupled_rhs(self, b_solid: np.ndarray, t_ref: float) -> np.ndarray:
        """Right-hand side (W): the solid's, then ṁc_p (T_in − t_ref) on the inlet nodes (not on
        those a loop feeds from the stage before: their inlet is in the matrix)."""
        b = np.zeros(self.n_cells + self.n_nodes)
        b[:self.n_cells] = b_solid
        inlet = (self.up < 0) & ~self.fed
        b[self.n_cells:][inlet] = self.mcp[inlet] * (self.T_in[inlet] - t_ref)
        return b

    def coupled_capacity(self, C_cells: np.ndarray) -> np.ndarray:
        """Capacities (J/K) of cells then nodes; tied fluid cells carry none of their own."""
        C = np.concatenate([np.asarray(C_cells, dtype=float).ravel(), self.capacity])
        C[self.slave_cell] = 0.0
        return C

    # -- results ---------------------------------------------------------------------------------
    def outlet_temperature(self, g: CoolantGroup, T_nodes: np.ndarray) -> float:
        """The mixed-cup outlet temperature (°C) of group ``g`` for node temperatures ``T_nodes``."""
        sl = slice(g.n0, g.n1)
        o = self.outlet[sl]
        return float(np.sum(self.mcp[sl][o] * T_nodes[sl][o]) / np.sum(self.mcp[sl][o]))

    def heat_out(self, T_nodes: np.ndarray) -> dict[str, float]:
        """Heat (W) carried away by each group for the node temperatures ``T_nodes`` (°C): Σ over
        its outlets ṁ c_p (T_out − T_in), T_in its inlet (a loop's stage: the stage before's
        mixed outlet)."""
        out = {}
        for g in self.groups:
            sl = slice(g.n0, g.n1)
            o = self.outlet[sl]
            t_in = inlet_temperature(self, g, T_nodes)
            out[f"coolant:{g.name}"] = float(np.sum(self.mcp[sl][o] * (T_nodes[sl][o] - t_in)))
        return out

    def mean_temperatures(self, T_nodes: np.ndarray) -> dict[str, float]:
        """Mean coolant temperature of each group (°C): (T_in + mixed-cup T_out)/2."""
        return {g.name: 0.5 * (inlet_temperature(self, g, T_nodes) + self.outlet_temperature(g, T_nodes))
                for g in self.groups}

    def summary(self, T_nodes: np.ndarray) -> list[dict]:
        """Per cold plate / cavity for the node temperatures ``T_nodes`` (°C): coolant, flow,
        inlet/outlet T, bulk ΔT, Re, regime, Nu, h, fin efficiency, h_eff, ΔP, pumping power,
        heat picked up (W), and the loop and stage that feed it (None, 0 without a loop)."""
        T = T_nodes
        heat = self.heat_out(T)
        rows = []
        for g in self.groups:
            sl = slice(g.n0, g.n1)
            o = self.outlet[sl]
            t_in, t_out = inlet_temperature(self, g, T), self.outlet_temperature(g, T)
            p = g.perf
            row = {"name": g.name, "kind": g.kind, "path": g.path, "coolant": g.coolant,
                   "flow_rate": g.flow_rate, "flow_rate_l_min": g.flow_rate * 6e4, "T_in": t_in,
                   "T_out": t_out, "T_out_max": float(T[sl][o].max()), "delta_T": t_out - t_in,
                   "T_mean_properties": g.T_mean, "heat": heat[f"coolant:{g.name}"],
                   "loop": g.loop, "stage": g.stage}
            # what the kind's correlations give (a kind without a figure reports None for it)
            for key in ("Re", "regime", "Pr", "Nu", "h", "eta_fin", "h_eff", "dP", "dP_friction", "dP_minor",
                        "pumping_power", "mcp", "D_h", "u"):
                row[key] = p.get(key)
            row["turbulent"] = p.get("regime") in ("transitional", "turbulent")
            row["warnings"] = list(p.get("warnings") or [])
            for key in ("h_side", "h_top", "h_bottom"):
                if key in p:
                    row[key] = p[key]
            row.update({f"geometry.{k}": v for k, v in g.geometry.items()})
            rows.append(row)
        return rows

    def node_temperatures(self, group: str, T_nodes: np.ndarray) -> np.ndarray:
        """The node temperatures ``T_nodes`` (°C) of one group as ``(streams, cells along the
        flow)``, each row ordered from inlet to outlet."""
        T = T_nodes
        for g, m in zip(self.groups, self.layout.models):
            if g.name == group:
                return T[g.n0:g.n1].reshape(-1, m.n_along)
        raise KeyError(group)


def _properties(region, g: CoolantGroup, T: float) -> dict:
    """The coolant's properties at ``T`` °C; outside its table an input error naming the flow."""
    try:
        return region.coolant.properties(T)
    except LayoutError:
        c = region.coolant
        raise LayoutError(
            f"the coolant of {g.name!r} ({g.coolant}) reaches a mean temperature of {T:.1f} °C, "
            f"outside its property table [{c.T[0]:g}, {c.T[-1]:g}] °C: the flow is too small "
            "for the heat it picks up (raise flow_rate) or the inlet is too close to the table's "
            "end", path=f"{g.path}.flow_rate") from None
