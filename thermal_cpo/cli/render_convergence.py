"""Text for a grid-convergence study (figures from :mod:`thermal_cpo.analysis.convergence`)."""

from __future__ import annotations

from .render import LEFT, RIGHT, num, table


def _level(v: float) -> str:
    return {0.5: "½", 1.5: "1½"}.get(v, f"{v:g}")


def print_convergence(study: dict, out) -> None:
    """Per reported value: the three grids' values, the extrapolated one, the observed order,
    the GCI of the finest grid and the band of the layout's own grid (K), or why there are none."""
    lv, cells = [_level(v) for v in study["levels"]], study["cells"]
    default = 1.0 in study["levels"]
    rows = [[r["name"], f"{r['coarse']:.4f}", f"{r['medium']:.4f}", f"{r['fine']:.4f}",
             num(r["extrapolated"], ".4f"), num(r["order"], ".2f"), f"{r['spread']:.3g}",
             num(r["gci"], ".3g")] + ([num(r.get("gci_default"), ".3g")] if default else [])
            + ["" if r["status"] == "asymptotic" else r["status"]] for r in study["rows"]]
    title = (f"Grid convergence (nested grids ×{lv[0]}, ×{lv[1]}, ×{lv[2]} of the layout's grid: "
             f"{cells[0]:,}, {cells[1]:,}, {cells[2]:,} cells; GCI = {study['safety_factor']:g}·|f2 − f1|"
             "/(r^p − 1), the band of the finest value; spread: largest − smallest of the three) [°C, K]")
    head = ["value", f"×{lv[0]}", f"×{lv[1]}", f"×{lv[2]}", "extrapolated", "order p", "spread [K]",
            "GCI [K]"] + (["GCI ×1 [K]"] if default else []) + ["note"]
    out.print(table(title, head, rows, [LEFT] + [RIGHT] * (len(head) - 2) + [LEFT]))
    if "target" in study:
        line = (f"grid target {study['target']:g} K: {'met' if study['met'] else 'NOT met'} on the "
                f"×{study['levels'][-1]:g} grid (largest band {study['worst']:.3g} K, {study['worst_value']})")
        out.print(study.get("stopped") or line)
        for name, c in (study.get("refined") or {}).items():
            # what to write into the layout to keep the grid the target needed
            out.print(f"  refined {name}: max_cell_xy = {c['max_cell_xy'] * 1e6:.4g} µm, "
                      f"max_cell_z = {c['max_cell_z'] * 1e6:.4g} µm (of the layout's base grid)")
