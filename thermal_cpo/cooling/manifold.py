"""A compact manifold micro-channel plate on a face: not meshed, every face cell under the
plate coupled to its own coolant node through the half cell, the plate's base and the effective
h of the finned channel segments.

Flow (stated assumptions): inlet and outlet slots alternate across the channels at a pitch L_m
(inlet to inlet), so each channel carries its coolant only over segments of L_s = L_m/2 (slot
centre to slot centre). The flow divides evenly over the plate: a segment takes
V̇_s = V̇ L_s/(N_ch L), L the plate length along the channels. The manifold brings fresh coolant
at T_in along the whole plate, so each face cell is fed from the inlet and drains to the outlet
(``n_along = 1``) with the flow share of its area; the warming along one segment is the cell's
caloric rise q/(ṁ c_p), the coolant the solid couples to being the one leaving its cell.

Figures of a segment: those of a bank of N_ch·L/L_s parallel channels of length L_s sharing V̇
(:func:`.performance.channel_performance`, in every flow regime): with ``developing`` (the
default; the short segments need it) the simultaneously developing laminar Nu and apparent
friction of :mod:`.developing`, and the fin efficiency of the walls. Pressure drop of a segment,
inlet slot to outlet slot: its friction, the sudden contraction into and expansion out of the
channels (:mod:`.losses`, at the area ratio ``channel_performance`` assumes), and the turning
losses: two sharp 90° bends, K = 1.20 each [rennels-pipe-2012] (:func:`.losses.k_bend`), or
``turning_loss`` in their place. The manifold's own distribution losses are left out.
"""

from __future__ import annotations

from .base import CoolingModel, Coupling
from .correlations import check_plausible
from .fresh import FreshCells
from .losses import k_bend
from .performance import channel_performance

#: turns per segment: down from the inlet slot into the channel, up out of it into the outlet slot
TURNS = 2
#: the default loss coefficient of a segment's two turns, of the channel's ρu²/2 [rennels-pipe-2012]
TURNING_LOSS = TURNS * k_bend(90.0)


def manifold_performance(*, width: float, height: float, wall_width: float, n_channels: int,
                         length: float, segment_length: float, flow_rate: float, props: dict,
                         k_wall: float, developing: bool = True, turning_loss: float | None = None) -> dict:
    """Figures of a manifold micro-channel plate: ``n_channels`` channels ``width`` × ``height``
    (m) between walls of ``wall_width`` (m, conductivity ``k_wall`` W/(m·K)), ``length`` (m) along
    them, cut into segments of ``segment_length`` (m), sharing ``flow_rate`` (m³/s) of a coolant
    with ``props`` (ρ, cp, k, mu, Pr); ``turning_loss`` (of ρu²/2) replaces the two bends.

    Returns the dict of :func:`.performance.channel_performance` for one segment (``u`` m/s,
    ``Re, regime, Nu, h`` W/(m²·K), ``eta_fin, h_eff``, ``dP`` Pa inlet to outlet manifold,
    ``pumping_power`` W, ``mcp`` W/K, ``warnings``, …) with ``L_s`` (m), ``n_segments`` (per
    channel) and ``K_turn`` (the turning losses' coefficient, part of ``K_minor``)."""
    n_seg = length / segment_length
    perf = channel_performance(width=width, height=height, n_channels=n_channels * n_seg,
                               flow_rate=flow_rate, length=segment_length, props=props, k_wall=k_wall,
                               wall_width=wall_width, developing=developing,
                               bends=TURNS if turning_loss is None else 0)
    k_turn = TURNING_LOSS if turning_loss is None else float(turning_loss)
    if turning_loss is not None:
        extra = turning_loss * 0.5 * props["rho"] * perf["u"] ** 2
        perf.update(dP_minor=perf["dP_minor"] + extra, K_minor=perf["K_minor"] + turning_loss,
                    dP=perf["dP"] + extra)
        perf["pumping_power"] = perf["dP"] * flow_rate
    perf.update(L_s=segment_length, n_segments=n_seg, K_turn=k_turn)
    return perf


class ManifoldPlateModel(CoolingModel):
    """``G = A / (d/(2k) + t_base/k_plate + 1/h_eff)`` from each face cell to its own node; the
    flow of a node is the share of the plate's area its cell covers."""

    kind = "manifold"
    label = "manifold"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        cp = self.spec
        self.cells = FreshCells(mesh, cp)
        self.n_nodes, self.n_along = self.cells.n_nodes, 1
        self.k_plate = region.plate.k[2]
        geo = cp.geometry(mesh.setup.footprint)
        self.geometry = {**geo, "channel_width": cp.channel_width, "channel_height": cp.channel_height,
                         "manifold_pitch": cp.manifold_pitch, "base_thickness": cp.base_thickness,
                         "material": cp.material, "face": cp.face, "flow_direction": cp.flow_direction}

    def performance(self, props, k_at):
        cp, gm = self.spec, self.geometry
        return manifold_performance(width=cp.channel_width, height=cp.channel_height,
                                    wall_width=cp.wall_width, n_channels=gm["n_channels"],
                                    length=gm["length"], segment_length=gm["segment_length"],
                                    flow_rate=cp.flow_rate, props=props, k_wall=self.k_plate,
                                    developing=cp.developing, turning_loss=cp.turning_loss)

    def couple(self, props, k_at) -> Coupling:
        """The segments' h_eff at ``props`` (ρ, c_p, k, μ, Pr), in series with the base."""
        cp = self.spec
        perf = self.performance(props, k_at)
        check_plausible(self.region.name, self.region.path, cp.flow_rate, perf)
        frac = cp.channel_width / (cp.channel_width + cp.wall_width)
        held = props["rho"] * props["cp"] * cp.channel_height * frac
        return self.cells.coupling(r_series=cp.base_thickness / self.k_plate + 1.0 / perf["h_eff"],
                                   mcp=perf["mcp"], k_at=k_at, capacity_per_area=held, perf=perf)
