"""``characterize``: a package's JEDEC metrics, compact models, thermal impedance, its Foster
and Cauer networks and structure functions, in one object that writes itself out (JSON, CSV,
SPICE) — what a package team hands the system team."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ...errors import LayoutError, SolverError, did_you_mean
from ...layout import Package
from .cauer import CauerNetwork, foster_to_cauer
from .delphi import CompactFit, fit_compact
from .foster import FosterFit, fit_foster
from .jedec import JedecMetrics, jedec_metrics
from .spice import spice_subcircuit
from .structure import StructureFunction, structure_function
from .zth import model_ladder, thermal_impedance

#: the Foster fit's target for a structure function: its layer boundaries need many terms
ZTH_FIT_RTOL = 2e-4


@dataclass
class Characterization:
    """Everything :func:`characterize` found; arrays in SI (s, K/W, J/K)."""

    name: str
    metrics: JedecMetrics
    compact: CompactFit | None = None
    environment: str = "own"
    t: np.ndarray | None = None
    zth: np.ndarray | None = None
    theta: float | None = None
    foster: FosterFit | None = None
    cauer: CauerNetwork | None = None
    structure: StructureFunction | None = None
    #: the model's own ladder (Lanczos, no fit) and its structure function; None with coolant
    model_cauer: CauerNetwork | None = None
    model_structure: StructureFunction | None = None
    notes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for JSON: the metrics, the compact models, the networks (no sampled arrays)."""
        out = {"name": self.name, "metrics": self.metrics.to_dict(), "notes": self.notes}
        if self.compact is not None:
            out["delphi"] = self.compact.to_dict()
        if self.foster is not None:
            f = self.foster
            out["zth"] = {"environment": self.environment, "steady_rise_per_W": self.theta,
                          "t_range": [float(self.t[0]), float(self.t[-1])], "n_samples": int(self.t.size)}
            out["foster"] = {"R": f.network.R.tolist(), "tau": f.network.tau.tolist(),
                             "max_rel_error": f.max_rel_error, "rms_rel_error": f.rms_rel_error}
            out["cauer"] = {"R": self.cauer.R.tolist(), "C": self.cauer.C.tolist()}
        if self.model_cauer is not None:
            out["model_cauer"] = {"R": self.model_cauer.R.tolist(), "C": self.model_cauer.C.tolist()}
        return out

    def write(self, folder) -> list[Path]:
        """Write ``characterization.json``, ``zth.csv``, ``structure.csv`` and the Foster and
        Cauer SPICE subcircuits into ``folder`` (created); returns the paths written."""
        from ...io.atomic import atomic

        d = Path(folder)
        d.mkdir(parents=True, exist_ok=True)
        files = {"characterization.json": json.dumps(self.to_dict(), indent=2) + "\n"}
        if self.foster is not None:
            files["zth.csv"] = "t_s,zth_K_per_W,foster_K_per_W\n" + "".join(
                f"{a:.9g},{b:.9g},{c:.9g}\n" for a, b, c in zip(self.t, self.zth, self.foster.network.zth(self.t)))
            sf = self.structure
            files["structure.csv"] = "r_sum_K_per_W,c_sum_J_per_K\n" + "".join(
                f"{a:.9g},{b:.9g}\n" for a, b in zip(sf.r_sum, sf.c_sum))
            if self.model_structure is not None:
                m = self.model_structure
                files["model_structure.csv"] = "r_sum_K_per_W,c_sum_J_per_K\n" + "".join(
                    f"{a:.9g},{b:.9g}\n" for a, b in zip(m.r_sum, m.c_sum))
            files["foster.cir"] = spice_subcircuit(self.foster.network, f"{_spice_name(self.name)}_foster")
            files["cauer.cir"] = spice_subcircuit(self.cauer, f"{_spice_name(self.name)}_cauer")
        written = []
        for fname, text in files.items():
            with atomic(d / fname) as tmp:
                Path(tmp).write_text(text, encoding="utf-8")
            written.append(d / fname)
        return written


def _spice_name(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name) or "package"


def characterize(pkg: Package, junction: str | None = None, case: str | None = None, *,
                 compact: bool = True, transient: bool = True, environment: str = "own",
                 solver="auto", tol: float = 1e-10, zth_rtol: float = 1e-5) -> Characterization:
    """Characterize ``pkg`` with only ``junction`` powered (see :mod:`.variants` for junction,
    case and board): θJC, θJB, ψJT, ψJB and the two-resistor model; with ``compact`` the
    DELPHI-style network over the boundary-condition sets; with ``transient`` Zth(t) after a
    power step in ``environment`` (``own`` boundaries or ``case`` isothermal), its Foster fit,
    the Cauer ladder and the structure functions."""
    metrics = jedec_metrics(pkg, junction, case, solver=solver, tol=tol)
    out = Characterization(name=pkg.name, metrics=metrics)
    if compact:
        out.compact = fit_compact(pkg, metrics, case, solver=solver, tol=tol)
    if transient:
        t, z, theta = thermal_impedance(pkg, metrics.junction, environment, case, rtol=zth_rtol, solver=solver)
        fit = fit_foster(t, z, rtol=ZTH_FIT_RTOL, max_terms=40)
        if not fit.met_target:
            out.notes.append(f"the Foster fit reached {fit.max_rel_error:.2%} with {fit.n_terms} terms, "
                             f"short of {ZTH_FIT_RTOL:.2%}")
        cauer = foster_to_cauer(fit.network)
        out.environment, out.t, out.zth, out.theta = environment, t, z, theta
        out.foster, out.cauer, out.structure = fit, cauer, structure_function(cauer)
        try:
            out.model_cauer, n_cells = model_ladder(pkg, metrics.junction, environment, case, solver=solver)
            out.model_structure = structure_function(out.model_cauer)
            if out.model_cauer.n_terms < n_cells:
                out.notes.append(f"the model's own ladder has {out.model_cauer.n_terms} stages for {n_cells:,} cells: "
                                 "exact near the junction, its far end (and its total capacity) approximate")
        except SolverError as exc:
            out.notes.append(f"no model structure function: {exc}")
    return out


def with_thicker_layer(pkg: Package, name: str, factor: float) -> Package:
    """``pkg`` with the layer or box ``name`` ``factor`` times as thick (a degraded bond line,
    say); everything above moves up with it. A box grows at its top, and so does the layer
    its top lies in (with that layer's blocks, which span its thickness)."""
    layers = [la.name for la in pkg.layers]
    boxes = [b.name for b in pkg.boxes]
    if name not in layers + boxes:
        raise LayoutError(f"no layer or box {name!r}{did_you_mean(name, layers + boxes)}", path="layer")
    if not factor > 0:
        raise LayoutError(f"expected a positive factor, got {factor!r}", path="factor")
    data = pkg.to_dict()
    tops = np.cumsum([la.thickness for la in pkg.layers])
    if name in layers:
        i = layers.index(name)
        grow, z_from = pkg.layers[i].thickness * (factor - 1.0), float(tops[i])
    else:
        box = data["boxes"][boxes.index(name)]
        grow, z_from = (box["z"][1] - box["z"][0]) * (factor - 1.0), box["z"][1]
        i = int(np.searchsorted(tops, z_from - 1e-12))
        box["z"] = [box["z"][0], box["z"][1] + grow]
    data["layers"][i]["thickness"] += grow
    for b in data.get("boxes", []):
        if b["name"] != name and b["z"][0] >= z_from - 1e-12:
            b["z"] = [b["z"][0] + grow, b["z"][1] + grow]
        elif b["name"] != name and b["z"][1] >= z_from - 1e-12:
            b["z"] = [b["z"][0], b["z"][1] + grow]  # a box through the grown height grows with it
    return Package.model_validate(data)


def separation(a: StructureFunction, b: StructureFunction, rel: float = 0.05) -> float | None:
    """The cumulative resistance (K/W, on ``a``) from which ``b``'s structure function leaves
    ``a``'s: the first capacity at which their resistances differ by more than ``rel``; None
    if they never do over the capacities both cover."""
    lo = max(a.c_sum[0], b.c_sum[0])
    hi = min(a.c_sum[-1], b.c_sum[-1])
    if not hi > lo:
        return None
    c = np.logspace(np.log10(lo), np.log10(hi), 400)
    ra = np.interp(np.log(c), np.log(a.c_sum), a.r_sum)
    rb = np.interp(np.log(c), np.log(b.c_sum), b.r_sum)
    off = np.nonzero(np.abs(rb - ra) > rel * ra)[0]
    return float(ra[off[0]]) if off.size else None
