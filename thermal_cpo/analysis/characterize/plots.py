"""Figures of a characterization: Zth on a log time axis (the simulated points and the Foster
fit) and the cumulative structure function on a log capacity axis, several runs overlaid."""

from __future__ import annotations

import matplotlib.pyplot as plt


def _label(ch) -> str:
    return ch.name


def zth_figure(runs):
    """Zth(t) (K/W) against t (s, log) of each characterization: points simulated, line fitted."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for ch in runs:
        line, = ax.semilogx(ch.t, ch.foster.network.zth(ch.t), label=f"{_label(ch)}: Foster, {ch.foster.n_terms} terms")
        ax.semilogx(ch.t, ch.zth, "o", ms=3, color=line.get_color(), label=f"{_label(ch)}: simulated")
    ax.set_xlabel("time after the power step t [s]")
    ax.set_ylabel("Z_th [K/W]")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return fig


def structure_figure(runs):
    """Cumulative structure function: C_Σ (J/K, log) against R_Σ (K/W) of each characterization."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for ch in runs:
        sf = ch.structure
        line, = ax.semilogy(sf.r_sum, sf.c_sum, drawstyle="steps-post", label=f"{_label(ch)}: from the fitted Zth")
        if ch.model_structure is not None:
            m = ch.model_structure
            ax.semilogy(m.r_sum, m.c_sum, "--", color=line.get_color(), label=f"{_label(ch)}: the model's own ladder")
    ax.set_xlabel("cumulative thermal resistance R_Σ from the junction [K/W]")
    ax.set_ylabel("cumulative heat capacity C_Σ [J/K]")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
