"""What a transient keeps as it runs: every step's component statistics, probe temperatures and
powers (:class:`History`), the fields at the output times (:class:`Fields`, optionally streamed
to a result file), and a progress callback (:class:`Progress`).

A recorder sees the cell temperatures (°C, ``(nz, ny, nx)``) at t = 0 (:meth:`Recorder.start`)
and after every step (:meth:`Recorder.step`); :meth:`Recorder.abort` is called when the run
fails or is interrupted.
"""

from __future__ import annotations

import numpy as np

from ...mesh import Mesh


class Recorder:
    """Base of the recorders; every hook does nothing by default."""

    def start(self, t: float, T: np.ndarray) -> None:
        self.step(t, T)

    def step(self, t: float, T: np.ndarray) -> None:
        pass

    def abort(self, exc: BaseException) -> None:
        pass


class History(Recorder):
    """Per step: each component's T_max and volume-mean T (°C), each probe's T (°C, interpolated
    at its position) and each component's power (W)."""

    def __init__(self, mesh: Mesh, powers_at):
        from ...kernels.stats import component_stats

        self.mesh, self.powers_at, self._stats = mesh, powers_at, component_stats
        n = len(mesh.components)
        self._max, self._min, self._sum, self._vol = (np.empty(n) for _ in range(4))
        self._arg = np.empty(n, dtype=np.int64)
        from ...mesh import point_weights

        self.probe_names = [name for name, _ in mesh.setup.probes]
        # interpolated between the cell centres around each probe, so that a probe's history does
        # not jump with the cell that happens to contain it
        self.probe_weights = [point_weights(mesh, *xyz) for _, xyz in mesh.setup.probes]
        self.t, self.T_max, self.T_mean, self.points, self.power = [], [], [], [], []

    def step(self, t, T):
        m = self.mesh
        self._stats(T, m.component, m.dx, m.dy, m.dz, len(m.components), self._max, self._min,
                    self._sum, self._vol, self._arg)
        self.t.append(t)
        self.T_max.append(self._max.copy())
        self.T_mean.append(self._sum / np.where(self._vol > 0, self._vol, 1.0))
        flat = T.reshape(-1)
        self.points.append([flat[i] @ w for i, w in self.probe_weights])
        self.power.append(self.powers_at(t))

    def table(self) -> dict:
        """The history as the result's ``probes``: arrays with time along the first axis."""
        n = len(self.t)
        return {"time": np.array(self.t), "power": np.array(self.power), "T_max": np.array(self.T_max),
                "T_mean": np.array(self.T_mean),
                "points": np.array(self.points).reshape(n, len(self.probe_weights)),
                "components": [c.name for c in self.mesh.components], "point_names": self.probe_names}


class StepPower:
    """The power density (W/m^3, ``(nz, ny, nx)``) the sources apply at a time (s): every
    component's power at that instant (as :class:`History` records it) spread over its cells.
    The same array is handed out while the component powers repeat, so steps of a trace that
    holds still share one field in memory and in the file."""

    def __init__(self, mesh: Mesh, sources):
        self.sources, self.volumes = sources, mesh.cell_volumes()
        self._last: tuple[np.ndarray, np.ndarray, tuple] | None = None

    def __call__(self, t: float) -> np.ndarray:
        powers = self.sources.powers_at(t)
        stage = self.sources.stage(t)
        if self._last is None or not np.array_equal(powers, self._last[0]) or stage != self._last[2]:
            self._last = (powers, self.sources.field(powers, t) / self.volumes, stage)
        return self._last[1]


class Fields(Recorder):
    """The fields at the output times (s), kept in memory and, with ``output``, streamed to an
    HDF5 result file (kept, marked incomplete, when the run stops early). With ``sources``,
    the power density applied at each output time (W/m^3, :class:`StepPower`) is kept beside
    its field (``powers``) and stored with it."""

    def __init__(self, mesh: Mesh, outputs: np.ndarray, output=None, command_line: str | None = None,
                 sources=None):
        self.outputs, self.eps = outputs, 1e-12 * float(outputs[-1])
        self.next = 0
        self.times: list[float] = []
        self.fields: list[np.ndarray] = []
        self.power = StepPower(mesh, sources) if sources is not None else None
        self.powers: list[np.ndarray] = []
        self.writer = None
        #: the run's result so far, set by the driver when the run stops early: its tables go
        #: into the kept file
        self.partial = None
        if output is not None:
            from ...io.transient_writer import TransientWriter

            self.writer = TransientWriter(output, mesh, command_line=command_line)

    def _store(self, t: float, T: np.ndarray, write: bool) -> None:
        power = self.power(t) if self.power is not None else None
        self.times.append(t)
        self.fields.append(T.copy())
        if power is not None:
            self.powers.append(power)
        if write:
            self.writer.add(t, T, power)

    def step(self, t, T):
        if self.next < len(self.outputs) and self.outputs[self.next] <= t + self.eps:
            # every output time is a hit, so t is that time
            self._store(t, T, self.writer is not None)
            while self.next < len(self.outputs) and self.outputs[self.next] <= t + self.eps:
                self.next += 1

    def keep(self, t: float, T: np.ndarray) -> None:
        """The run stopped at ``t`` (s) with the field ``T`` (°C): store it too, unless it is
        the last stored one, so the kept file reaches the time the run reached."""
        if not self.times or t > self.times[-1] + self.eps:
            # not after a failed write
            self._store(t, T, self.writer is not None and self.writer.f.id.valid)

    def abort(self, exc):
        if self.writer is not None:
            self.writer.stop(self.partial)

    def close(self, result) -> None:
        """Write the result's tables and put the file in place."""
        if self.writer is not None:
            self.writer.close(result)


class Progress(Recorder):
    """Calls ``callback(t, t_end)`` after every step."""

    def __init__(self, callback, t_end: float):
        self.callback, self.t_end = callback, t_end

    def start(self, t, T):
        pass

    def step(self, t, T):
        self.callback(t, self.t_end)
