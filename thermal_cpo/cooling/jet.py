"""A compact jet-impingement plate on a face: not meshed, every face cell under the plate
coupled to its own coolant node through the half cell, the target's thickness and Martin's
area-averaged h of the nozzle array (:mod:`.impingement`).

Spent flow (assumption): each face cell is fed with fresh coolant at ``T_in`` and drains
straight to the outlet (``n_along = 1``), its share of the flow in proportion to its area, as a
uniform array whose spent coolant leaves between the jets (a distributed return) does; a return
that sweeps the spent flow across the downstream jets (cross-flow) heats and deflects them, which
this model leaves out. The solid couples to the coolant leaving its cell, T_in + q/(ṁ c_p), while
Martin's h refers to the jet's own temperature: that adds the cell's caloric rise, conservative by
at most q/(ṁ c_p) of the cell.
"""

from __future__ import annotations

from ..errors import LayoutError
from .base import CoolingModel, Coupling
from .correlations import check_plausible
from .fresh import FreshCells
from .impingement import jet_array_performance


class JetPlateModel(CoolingModel):
    """``G = A / (d/(2k) + t_base/k_plate + 1/h)`` from each face cell to its own node; the
    flow of a node is the share of the plate's area its cell covers."""

    kind = "jet"
    label = "jet"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        cp = self.spec
        self.cells = FreshCells(mesh, cp)
        self.n_nodes, self.n_along = self.cells.n_nodes, 1
        self.k_plate = region.plate.k[2]
        geo = cp.geometry(mesh.setup.footprint)
        self.geometry = {"area": geo["area"], "n_nozzles": geo["n_nozzles"], "f": geo["f"],
                         "nozzle_diameter": cp.nozzle_diameter, "pitch": cp.pitch, "array": cp.array,
                         "nozzle_to_target": cp.nozzle_to_target, "base_thickness": cp.base_thickness,
                         "material": cp.material, "face": cp.face}

    def performance(self, props, k_at):
        cp = self.spec
        try:
            return jet_array_performance(diameter=cp.nozzle_diameter, pitch=cp.pitch, array=cp.array,
                                         gap=cp.nozzle_to_target, area=self.geometry["area"],
                                         flow_rate=cp.flow_rate, props=props, cd=cp.discharge_coefficient)
        except ValueError as exc:  # the schema refuses such arrays; kept for a spec built otherwise
            raise LayoutError(f"{self.region.name}: {exc}", path=f"{self.region.path}.pitch") from None

    def couple(self, props, k_at) -> Coupling:
        """Martin's h at ``props`` (ρ, c_p, k, μ, Pr), in series with the target plate."""
        cp = self.spec
        perf = self.performance(props, k_at)
        check_plausible(self.region.name, self.region.path, cp.flow_rate, perf)
        r_series = cp.base_thickness / self.k_plate + 1.0 / perf["h_eff"]
        # the coolant in the gap between the nozzle plate and the target
        held = props["rho"] * props["cp"] * cp.nozzle_to_target
        return self.cells.coupling(r_series=r_series, mcp=perf["mcp"], k_at=k_at,
                                   capacity_per_area=held, perf=perf)
