"""Streaming a transient run into a result file, one dataset per stored step: the temperature
(degC) under /fields/temperature and the power density applied at that time (W/m^3) under
/fields/step_power, both ``(nz, ny, nx)`` and named by the step's index."""

from __future__ import annotations

import numpy as np

from .atomic import Staged, signals_held
from .checksum import create, stamp
from .header import COMPRESSED, POWER_STEPS, STEP, TEMPERATURE_STEPS, target, write_header
from .tables import write_tables
from .xdmf import write_sidecar_of


class TransientWriter:
    """Streams a transient run into a result file, one temperature dataset per stored step and,
    when :meth:`add` is given it, the power density applied at that step.

    The file grows under a temporary name; :meth:`close` writes the tables and renames it into
    place with ``complete = 1``. If the run stops early (:meth:`stop`, or any exception inside
    the ``with`` block, Ctrl-C included), the steps stored so far are kept: the file is renamed
    into place with ``complete = 0``, ``interrupted = 1`` and ``t_stop`` (s, the last stored
    time), readable by :func:`~thermal_cpo.io.read.read_result`. A failed write (a full disk)
    removes the file and raises a :class:`LayoutError` naming ``path``.
    """

    def __init__(self, path, mesh, command_line: str | None = None):
        import h5py

        self.path = target(path)
        self.mesh = mesh
        self.times: list[float] = []
        self._power = None  # (copy, dataset name) of the last power stored, to link repeats to
        self.out = Staged(self.path)
        try:
            with signals_held():
                self.f = self.out.handle = h5py.File(self.out.sink, "w")
                write_header(self.f, mesh, command_line)
                self.group = self.f.create_group(TEMPERATURE_STEPS)
                self.group.attrs["units"] = "degC"
                self.powers = None  # /fields/step_power, made with the first power given
                self.time = self.f.create_dataset("time", shape=(0,), maxshape=(None,), dtype="f8")
                self.time.attrs["units"] = "s"
                self.f.attrs["complete"] = 0
        except BaseException:
            self.out.discard()
            raise
        self.out.check()

    def add(self, t: float, temperature: np.ndarray, power: np.ndarray | None = None) -> None:
        """Store the field (degC, (nz, ny, nx)) at time ``t`` (s) and, when given, the power
        density applied at ``t`` (W/m^3, (nz, ny, nx)). A power equal to the last one stored
        becomes a second name of that dataset (an HDF5 hard link): a trace that holds still
        costs no space."""
        if temperature.shape != self.mesh.shape:
            raise ValueError(f"temperature shape {temperature.shape} != grid {self.mesh.shape}")
        if power is not None and np.shape(power) != self.mesh.shape:
            raise ValueError(f"power shape {np.shape(power)} != grid {self.mesh.shape}")
        name = STEP.format(len(self.times))
        with signals_held():
            d = create(self.group, name, temperature)
            d.attrs["time"] = float(t)
            d.attrs["units"] = "degC"
            if power is not None:
                self._add_power(name, power)
            self.times.append(float(t))
            self.time.resize((len(self.times),))
            self.time[-1] = float(t)
            self.f.flush()
        self.out.check()

    def _add_power(self, name: str, power: np.ndarray) -> None:
        if self.powers is None:
            self.powers = self.f.create_group(POWER_STEPS)
            self.powers.attrs["units"] = "W/m^3"
            self.powers.attrs["definition"] = (
                "the power density applied at the time of the temperature step of the same name; "
                "a step without one had the nominal /fields/power")
        last = self._power
        if last is not None and np.array_equal(last[0], power):
            self.powers[name] = self.powers[last[1]]
            return
        create(self.powers, name, power, **COMPRESSED).attrs["units"] = "W/m^3"
        # a copy: a caller may refill its array in place for the next step
        self._power = (np.array(power, dtype=float), name)

    def close(self, result=None, interrupted: bool = False) -> str:
        """Finish the file (tables from ``result`` when given) and move it into place, with its
        ParaView sidecar; the path of the result file."""
        with signals_held():  # a Ctrl-C now would lose a file that is all but written
            try:
                # stamped once here, not at every step: that would cost O(steps^2)
                stamp(self.time, self.times)
                if result is not None:
                    write_tables(self.f, result)
                self.f.attrs["complete"] = 0 if interrupted else 1
                self.f.attrs["interrupted"] = int(interrupted)
                if self.times:
                    self.f.attrs["t_stop"] = self.times[-1]
                self.f.close()
            except BaseException:
                self.out.discard()
                raise
            self.out.commit()
            write_sidecar_of(self.path)
        return str(self.path)

    def stop(self, result=None) -> str | None:
        """The run stopped early: keep the steps stored so far (with ``result``'s tables when
        given), marked incomplete; the path, or None when there was nothing to keep."""
        if not self.f.id.valid:
            return None
        if self.times or self.out.sink.error is not None:
            return self.close(result, interrupted=True)
        self.out.discard()
        return None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.f.id.valid:
            self.close() if exc_type is None else self.stop()
        return False
