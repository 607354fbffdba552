"""Benchmarks a user can run on their own machine (``thermal-cpo bench``): the stack-like test
packages (µm films under mm layers, 1000:1 conductivity contrast), the STREAM-triad
yardstick, and the solver figures set beside it."""

from __future__ import annotations

from thermal_cpo.model import Package

FOOT = 20_000.0  # µm


def stack(n: int, nz: int | None = None) -> Package:
    """About n × n × n cells (n × n × ``nz`` when given): a 20 × 20 mm die (k 148) with a 2 µm
    BEOL-like film (k 0.4), a 20 µm TIM (k 4) and a 2 mm copper lid (k 400); 300 W over the
    centre, convective top. The material values are the cited library-like ones, rounded."""
    thickness = [500.0, 2.0, 20.0, 2000.0]
    # z: the film and TIM and their graded neighbourhoods take ~24 cells; the rest is uniform
    max_z = sum(thickness) / max((n if nz is None else nz) - 24, 4)
    return Package.from_dict(dict(
        name=f"stack-{n}", footprint=dict(x=FOOT, y=FOOT),
        grid=dict(max_cell_xy=FOOT / n, max_cell_z=max_z, grading=1.3),
        materials={
            "die": dict(k=148, rho=2330, cp=705, source="S16"),
            "film": dict(k=0.4, rho=2200, cp=703, source="S16 (porous low-k BEOL)"),
            "tim": dict(k=4, rho=2500, cp=1000, source="S21 HotSpot default TIM"),
            "lid": dict(k=400, rho=8960, cp=385, source="S21 HotSpot copper"),
        },
        layers=[
            dict(name="die", thickness=thickness[0], material="die",
                 blocks=[dict(name="core", x=[5000, 15000], y=[5000, 15000], power=300,
                              power_at="bottom")]),
            dict(name="film", thickness=thickness[1], material="film"),
            dict(name="tim", thickness=thickness[2], material="tim"),
            dict(name="lid", thickness=thickness[3], material="lid"),
        ],
        boundaries=dict(top=dict(type="convective", h=2e4, T=25.0)),
    ))
