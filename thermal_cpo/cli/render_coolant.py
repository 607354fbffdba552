"""The coolant tables of a report: per cold plate or cavity, and per coolant loop with its
stages and branches."""

from __future__ import annotations

from ..units import format_length as fmt_len
from .render import LEFT, RIGHT, num, table


def print_coolant(groups: list[dict], out) -> None:
    """Per cold plate / cavity: coolant, flow, inlet/outlet, bulk ΔT, Re, Nu, h, η_fin, h_eff, ΔP,
    pumping power (blank where a kind's correlations give no figure), the regime where the flow
    is not laminar, and each kind's warnings (inputs outside its correlations' validity)."""
    rows = []
    for g in groups:
        eta = num(g.get("eta_fin"), ".3f") if g.get("eta_fin") is not None else "resolved"
        re = num(g.get("Re"), ".0f") + (f" {g['regime']}" if g.get("turbulent") else "")
        rows.append([g["name"], g["coolant"], num(g.get("flow_rate"), ".4g", 6e4), num(g.get("T_in"), ".2f"),
                     num(g.get("T_out"), ".2f"), num(g.get("delta_T"), ".3f"), num(g.get("heat"), ".4g"), re,
                     num(g.get("Nu"), ".3f"), num(g.get("h"), ".4g"), eta, num(g.get("h_eff"), ".4g"),
                     num(g.get("dP"), ".4g", 1e-3), num(g.get("pumping_power"), ".3g")])
    out.print(table("Coolant (each kind's correlations: README, \"Cold plates and coolant\"; T_out mixed-cup; "
                    "ΔP friction and minor losses)",
                    ["cold plate", "coolant", "flow [L/min]", "T_in", "T_out", "ΔT bulk", "Q [W]", "Re",
                     "Nu", "h [W/m²K]", "η_fin", "h_eff [W/m²K]", "ΔP [kPa]", "pump [W]"], rows,
                    [LEFT, LEFT] + [RIGHT] * 12))
    for g in groups:
        edges = g.get("geometry.edge_walls")
        if edges is not None:  # the cavity as laid out, which a fitted pattern may change
            out.print(f"{g['name']}: {g['geometry.n_channels']} channels of {fmt_len(g['geometry.channel_width'])} "
                      f"between {fmt_len(g['geometry.wall_width'])} walls; edge walls {fmt_len(edges[0])} and "
                      f"{fmt_len(edges[1])}")
        for w in g.get("warnings") or []:
            out.print(f"warning: {g['name']}: {w}")


def print_loops(loops: list[dict], out) -> None:
    """Per coolant loop: flow, inlet/outlet, heat, pressure drop and pumping power; then each
    stage's branches with their share of the flow and pressure drop."""
    if not loops:
        return
    rows = [[lp["name"], lp["coolant"], num(lp["flow_rate"], ".4g", 6e4), num(lp["T_in"], ".2f"),
             num(lp["T_out"], ".2f"), num(lp["heat"], ".4g"), num(lp["dP"], ".4g", 1e-3),
             num(lp["pumping_power"], ".3g"), f"{lp['balance']:.1e}"] for lp in loops]
    out.print(table("Coolant loops (flow at the inlet; ΔP the sum of the stages'; balance: spread of "
                    "parallel branches' ΔP)",
                    ["loop", "coolant", "flow [L/min]", "T_in", "T_out", "Q [W]", "ΔP [kPa]", "pump [W]",
                     "balance"], rows, [LEFT, LEFT] + [RIGHT] * 7))
    for lp in loops:
        for s, stage in enumerate(lp["stages"]):
            total = sum(b["flow_rate"] for b in stage["branches"])
            parts = ", ".join(f"{b['name']} {b['flow_rate'] * 6e4:.4g} L/min ({100 * b['flow_rate'] / total:.1f} %)"
                              for b in stage["branches"])
            out.print(f"{lp['name']} stage {s + 1}: ΔP {stage['dP'] * 1e-3:.4g} kPa; {parts}")
