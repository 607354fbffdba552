"""Heat-source kinds: registered by name on both sides (layout schema, solver model).

A kind defined here — a pulse train, with its schema and its model in this module and nothing
else changed — is validated from a layout, hit at every edge by the transient and dissipates
exactly its closed-form energy; the built-in kinds agree with the shorthands they stand for."""

from typing import ClassVar, Literal

import numpy as np
import pytest

from thermal_cpo import LayoutError
from thermal_cpo.layout import Package
from thermal_cpo.layout.sources import HeatSourceSpec
from thermal_cpo.operator.sources import HeatSource, PowerTrace, source_for
from thermal_cpo.schema import Power, Time
from thermal_cpo.solve.transient import solve_transient


class PulseSpec(HeatSourceSpec):
    """``power`` W for ``width`` s at the start of every ``period`` s, nothing in between."""

    kind: ClassVar[str] = "pulse-train"
    model: Literal["pulse-train"] = "pulse-train"
    power: Power
    period: Time
    width: Time

    @property
    def nominal_power(self) -> float:
        return self.power * self.width / self.period


class PulseTrain(HeatSource):
    kind = "pulse-train"

    def __init__(self, power, period, width):
        self.power, self.period, self.width = power, period, width

    @classmethod
    def from_spec(cls, spec):
        return cls(spec.power, spec.period, spec.width)

    def at(self, t):
        return self.power if (t % self.period) < self.width else 0.0

    def _energy_to(self, t):
        n, r = divmod(t, self.period)
        return self.power * (n * self.width + min(r, self.width))

    def integral(self, a, b):
        return self._energy_to(b) - self._energy_to(a) if b > a else 0.0

    def breakpoints(self, t_end):
        starts = np.arange(0.0, t_end + self.period, self.period)
        return np.sort(np.concatenate([starts, starts + self.width]))


def _package(source=None, **layer):
    die = dict(name="die", thickness=500, material="silicon", **layer)
    if source is not None:
        die["source"] = source
    return Package.from_dict(dict(
        name="pulsed", footprint=dict(x=2000, y=2000), grid=dict(max_cell_xy=500, max_cell_z=125),
        layers=[die, dict(name="lid", thickness=1000, material="copper")],
        boundaries=dict(top=dict(type="convective", h=5e4, T=25.0)), initial=dict(T=25.0)))


PULSE = dict(model="pulse-train", power="3 W", period="2 ms", width="0.5 ms")


def test_a_kind_defined_outside_the_package_is_validated_and_solved():
    pkg = _package(PULSE)
    assert isinstance(pkg.layers[0].source, PulseSpec)
    assert pkg.total_power == pytest.approx(0.75)  # the nominal power: the pulse train's mean
    r = solve_transient(pkg, t_end=0.01, method="implicit", dt=1e-4, adaptive=False)
    # every pulse edge is a step boundary, so the step-mean source is exactly the train's energy
    assert r.solver["energy_in"] == pytest.approx(5 * 3.0 * 0.5e-3, rel=1e-12)
    # the discrete balance ΔE = ∫P − ∫Q is exact for the scheme up to the linear solver's tolerance
    assert r.solver["energy_balance"] < 1e-8
    t, P = r.probes["time"], r.probes["power"][:, 0]
    for edge in (0.5e-3, 2e-3, 2.5e-3, 8.5e-3):
        assert np.min(np.abs(t - edge)) < 1e-15  # hit exactly
    on = (t % 2e-3) < 0.5e-3 - 1e-12
    assert np.all(P[on] == 3.0) and np.all(P[~on] == 0.0)


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(LayoutError) as exc:
        _package(dict(model="pulse-trian", power=1))
    assert "pulse-train" in str(exc.value) and "model" in str(exc.value)


def test_power_and_source_together_are_refused():
    with pytest.raises(LayoutError) as exc:
        _package(PULSE, power=2.0)
    assert "power" in str(exc.value)


@pytest.mark.parametrize("interpolation", ["linear", "step"])
def test_a_trace_source_is_the_trace_shorthand(interpolation):
    points = [[0, 0.0], [0.002, 4.0], [0.005, 1.0]]
    by_source = solve_transient(_package(dict(model="trace", points=points, interpolation=interpolation)),
                                t_end=0.008, save_every=0.002)
    by_trace = solve_transient(_package(trace=points, trace_kind=interpolation, power=0.0),
                               t_end=0.008, save_every=0.002)
    assert by_source.solver["energy_in"] == by_trace.solver["energy_in"]
    np.testing.assert_array_equal(by_source.temperature, by_trace.temperature)


def test_a_constant_source_is_the_power_shorthand():
    a = solve_transient(_package(dict(model="constant", power=2.0)), t_end=0.004)
    b = solve_transient(_package(power=2.0), t_end=0.004)
    np.testing.assert_array_equal(a.temperature, b.temperature)
    assert a.solver["energy_in"] == pytest.approx(2.0 * 0.004, rel=1e-14)


@pytest.mark.parametrize("kind", ["linear", "step"])
def test_trace_integral_is_exact_between_any_two_times(kind):
    """∫P dt of a trace against a fine midpoint sum of its own point values."""
    tr = PowerTrace([0.0, 1.0, 1.5, 4.0], [2.0, 0.0, 3.0, 1.0], kind)
    for a, b in [(0.0, 4.0), (0.3, 1.2), (1.2, 1.4), (-1.0, 5.0), (3.9, 6.0)]:
        n = 200_000
        mid = a + (np.arange(n) + 0.5) * (b - a) / n
        vals = (np.interp(mid, tr.t, tr.P) if kind == "linear" else
                tr.P[np.clip(np.searchsorted(tr.t, mid, side="right") - 1, 0, None)])
        approx = float(np.sum(vals)) * (b - a) / n
        # midpoint rule: exact on linear pieces, an O(h) error only in the cells holding a step
        assert tr.integral(a, b) == pytest.approx(approx, abs=4 * 3.0 * (b - a) / n + 1e-12)


def test_source_for_finds_the_registered_model():
    assert type(source_for(PulseSpec(power=1.0, period=1.0, width=0.5))) is PulseTrain
