"""The warning lines of a report for components hotter than their material's solidus."""

from __future__ import annotations


def solidus_lines(rows: list[dict]) -> list[str]:
    """One line per row of :func:`thermal_cpo.analysis.solidus.above_solidus`: the component,
    its material, its hottest temperature and the solidus (°C) and by how much (K) it is over."""
    return [f"warning: {r['component']} ({r['material']}) reaches {r['T_hot']:.2f} °C, above its solidus "
            f"{r['T_solidus']:g} °C by {r['excess']:.2f} K: the material would melt" for r in rows]


def print_above_solidus(rows: list[dict], out) -> None:
    """Print :func:`solidus_lines` to the console ``out`` (nothing when ``rows`` is empty)."""
    for line in solidus_lines(rows):
        out.print(line, markup=False, highlight=False)


def material_lines(m) -> list[str]:
    """The lines ``materials NAME`` adds for a material's solidus (°C; a liquid metal's melting
    point) and voids (the fraction, with the dense matrix's k in W/(m·K) and ρ in kg/m³)."""
    lines = []
    if m.T_solidus is not None:
        lines.append(f"melting point = {m.T_solidus:g} °C (liquid by design: not flagged)" if m.liquid_by_design
                     else f"solidus = {m.T_solidus:g} °C (a component above it is flagged)")
    if m.void_fraction > 0:
        kx, ky, kz = m.k_matrix
        k = f"{kx:g}" if kx == ky == kz else f"[{kx:g}, {ky:g}, {kz:g}]"
        lines.append(f"void fraction = {m.void_fraction:g}: k and rho above are the voided medium's "
                     f"(Maxwell–Eucken); dense matrix k = {k} W/(m·K), rho = {m.rho_matrix:g} kg/m³")
    return lines
