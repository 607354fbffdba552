"""Cooling kinds are registered on both sides (layout schema, coolant model): a kind defined
outside the package takes part in the layout, the grid, the checks, the coupled solve and the
report with no other change."""

from typing import ClassVar, Literal

import numpy as np
import pytest
from thermal_cpo.cooling import CoolingModel, Coupling
from thermal_cpo.cooling.base import FaceStreams
from thermal_cpo.layout import Package
from thermal_cpo.layout.cooling import FaceCooling
from thermal_cpo.schema import HTCoeff
from thermal_cpo.solve.steady import solve_steady


class UniformPlate(FaceCooling):
    """A plate given by its base-area h alone (no channel geometry)."""

    kind: ClassVar[str] = "test-uniform"
    model: Literal["test-uniform"] = "test-uniform"
    h: HTCoeff


class UniformPlateModel(CoolingModel):
    kind = "test-uniform"
    label = "uniform"

    def __init__(self, region, mesh):
        super().__init__(region, mesh)
        self.streams = FaceStreams(mesh, self.spec)
        self.n_along, self.n_nodes = self.streams.n_along, self.streams.n_nodes

    def couple(self, props, k_at):
        st = self.streams
        mcp = props["rho"] * props["cp"] * self.spec.flow_rate
        G = st.area / (st.half / k_at(0, st.cells) + 1.0 / self.spec.h)
        return Coupling(mcp=mcp * st.share, capacity=np.zeros(self.n_nodes), cells=st.cells, nodes=st.node,
                        G=G, perf={"mcp": mcp, "h_eff": self.spec.h})


@pytest.fixture
def registered():
    yield
    FaceCooling.registry.pop("test-uniform")
    CoolingModel.registry.pop("test-uniform")


def _package(plate):
    return Package(name="kind", footprint={"x": 4000, "y": 2000}, grid={"max_cell_xy": 500, "max_cell_z": 100},
                   materials={"zsil": {"k": [1e-9, 1e-9, 150.0], "rho": 2330, "cp": 705}},
                   layers=[{"name": "die", "thickness": 300, "material": "zsil", "power": 8.0,
                            "power_at": "bottom"}], coldplates=[plate])


def test_a_new_face_cooling_is_one_schema_and_one_model(registered):
    """The new kind with h equal to the compact plate's base plus 1/h_eff in series gives the
    compact plate's fields: the same couplings and flows, so round-off only."""
    common = {"name": "cp", "flow_direction": "-x", "flow_rate": "5 ml/min", "inlet_T": 30}
    compact = solve_steady(_package({**common, "channel_width": 100, "wall_width": 100,
                                     "channel_height": 400, "base_thickness": 200, "material": "copper"}),
                           solver="direct")
    g = compact.coolant["groups"][0]
    cu = compact.package.material("copper").k[2]
    h = 1.0 / (200e-6 / cu + 1.0 / g["h_eff"])
    pkg = _package({**common, "model": "test-uniform", "h": h})
    # both runs take the coolant properties at their own solved mean temperatures, which agree
    new = solve_steady(pkg, solver="direct")
    assert new.coolant["groups"][0]["kind"] == "uniform"
    np.testing.assert_allclose(new.temperature, compact.temperature, rtol=1e-9)
    np.testing.assert_allclose(new.coolant["streams"]["cp"], compact.coolant["streams"]["cp"], rtol=1e-12)
    assert new.energy_balance < 1e-10
