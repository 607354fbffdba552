"""Text for a grid-convergence study (figures from :mod:`thermal_cpo.analysis.convergence`)."""

from __future__ import annotations

from .render import LEFT, RIGHT, num, table


def print_convergence(study: dict, out) -> None:
    """Per reported value: the three grids' values, the extrapolated one, the observed order and
    the GCI (K), or why there is none."""
    lv, cells = study["levels"], study["cells"]
    rows = [[r["name"], f"{r['coarse']:.4f}", f"{r['medium']:.4f}", f"{r['fine']:.4f}",
             num(r["extrapolated"], ".4f"), num(r["order"], ".2f"), num(r["gci"], ".3g"),
             "" if r["status"] == "asymptotic" else r["status"]] for r in study["rows"]]
    title = (f"Grid convergence (nested grids ×{lv[0]}, ×{lv[1]}, ×{lv[2]}: {cells[0]:,}, {cells[1]:,}, "
             f"{cells[2]:,} cells; GCI = {study['safety_factor']:g}·|f2 − f1|/(r^p − 1), the band of "
             "the finest value) [°C, K]")
    out.print(table(title, ["value", f"×{lv[0]}", f"×{lv[1]}", f"×{lv[2]}", "extrapolated", "order p",
                            "GCI [K]", "note"], rows, [LEFT] + [RIGHT] * 6 + [LEFT]))
