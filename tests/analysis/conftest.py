import pytest

from thermal_cpo.layout import Package


def _three_sources(powers=(10.0, 4.0, 2.0)):
    """A small linear (constant-k) package with three powered dies under one lid."""
    return Package.from_dict(dict(
        name="three", footprint=dict(x=8000, y=6000), grid=dict(max_cell_xy=250, max_cell_z=100),
        materials={"si": dict(k=148, rho=2330, cp=705), "cu": dict(k=400, rho=8960, cp=385)},
        layers=[dict(name="die", thickness=300, material="si", blocks=[
                    dict(name="asic", x=[500, 3500], y=[1000, 5000], power=powers[0], power_at="bottom", limit=95),
                    dict(name="pic", x=[4500, 6000], y=[1000, 3000], power=powers[1], power_at="top"),
                    dict(name="eic", x=[6500, 7500], y=[3500, 5500], power=powers[2])]),
                dict(name="tim", thickness=50, material="indium"),
                dict(name="lid", thickness=1000, material="cu")],
        boundaries=dict(top=dict(type="convective", h=2e4, T=35.0))))


@pytest.fixture
def three_sources():
    """The builder of the three-die package: ``three_sources(powers=(10, 4, 2))`` (W)."""
    return _three_sources
