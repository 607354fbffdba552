"""Text for temperature-dependent powers: each model's operating point and the closed-loop ring
heaters next to their open-loop estimate (figures from :func:`thermal_cpo.analysis.report`)."""

from __future__ import annotations

from .render import LEFT, RIGHT, esc, num, table


def _detail(r: dict) -> str:
    """The figures of one operating point that its kind has, as one line."""
    if r["kind"] == "leakage":
        return f"leakage {r['leakage_W']:.4g} W, dP/dT {r['dP_dT']:.4g} W/K"
    if r["kind"] == "laser":
        text = (f"optical {r['optical_W'] * 1e3:.4g} mW, wall-plug {100 * r['wall_plug_efficiency']:.2f} % "
                f"(at T_ref {100 * r['wall_plug_efficiency_at_T_ref']:.2f} %), I_th {r['threshold_A'] * 1e3:.4g} mA, "
                f"η_s {r['slope_efficiency_W_per_A']:.4g} W/A")
        if "wavelength_shift_nm" in r:
            text += f", Δλ {r['wavelength_shift_nm']:+.3f} nm"
        return text + ("" if r["above_threshold"] else ", BELOW THRESHOLD")
    if r["kind"] == "heater":
        sat = {"max": ", SATURATED at max", "off": ", off (ring above T_ref)"}.get(r["saturated"], "")
        return f"hold {r['T_ref']:g} °C, open-loop {r['open_loop'] * 1e3:.4g} mW{sat}"
    return ""


def print_powers(rows: list[dict], out) -> None:
    """The temperature-dependent powers (models first; heaters summarised per bank elsewhere)."""
    models = [r for r in rows if r["kind"] != "heater"]
    if not models:
        return
    body = [[r["name"], r["kind"], r["driven_by"], f"{r['T']:.3f}", f"{r['nominal']:.5g}",
             f"{r['power']:.5g}", num(r["growth_percent"], "+.2f"), _detail(r)] for r in models]
    out.print(table("Temperature-dependent powers (solved with the field; nominal = at the model's T_ref)",
                    ["component", "model", "driven by", "T [°C]", "nominal [W]", "power [W]", "growth [%]",
                     "operating point"], body, [LEFT] * 3 + [RIGHT] * 4 + [LEFT]))


def print_heaters(banks: list[dict], out) -> None:
    """Per bank with closed-loop heaters: the solved heater powers against the open-loop estimate."""
    for b in banks:
        if "heater_closed_loop_mW" not in b:
            continue
        sat = set(b["saturated_rings"])
        body = [[str(i), f"{T:.4f}", f"{c:.4g}", f"{o:.4g}", f"{o - c:+.3g}", "yes" if i in sat else ""]
                for i, (T, c, o) in enumerate(zip(b["T_rings"], b["heater_closed_loop_mW"], b["heater_open_loop_mW"]))]
        body.append(["total", "", f"{b['heater_closed_loop_total_mW']:.4g}", f"{b['heater_open_loop_total_mW']:.4g}",
                     f"{b['heater_open_loop_total_mW'] - b['heater_closed_loop_total_mW']:+.3g}", ""])
        out.print(table(f"{b['component']}: closed-loop ring heaters (hold {b['T_ref']:g} °C, max "
                        f"{b['heater_max_mW']:g} mW; open-loop = each ring alone, its neighbours' heaters off)",
                        ["ring", "T [°C]", "closed-loop [mW]", "open-loop [mW]", "neighbours' share [mW]",
                         "saturated"], body, [LEFT] + [RIGHT] * 5))
        out.print(f"model tuning efficiency Ψ_ii·dλ/dT = {b['tuning_efficiency_model']:.4g} nm/mW")
    for b in banks:
        for w in b.get("warnings", []):
            out.print(f"warning: {esc(w)}")
