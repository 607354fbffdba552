"""The text renderers: plain data in, the tables the commands print out; a figure a cooling
kind's correlations do not give is left blank, never a crash."""

import io

from rich.console import Console

from thermal_cpo.cli.render import num, print_report
from thermal_cpo.cli.render_coolant import print_coolant


def _console():
    buf = io.StringIO()
    return Console(file=buf, highlight=False, soft_wrap=False, width=220), buf


def _rows(text: str, title_start: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(title_start))
    rows = []
    for line in lines[start + 4:]:
        if line.startswith("+"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


GROUP = {"name": "plate", "coolant": "water", "flow_rate": 1e-6, "T_in": 25.0, "T_out": 27.5,
         "delta_T": 2.5, "heat": 10.0, "Re": 120.0, "Nu": 5.1, "h": 2.5e4, "eta_fin": 0.9,
         "h_eff": 4.0e4, "dP": 1500.0, "pumping_power": 1.5e-3, "turbulent": False}


def test_num_blank_for_none():
    assert num(None, ".3f") == "" and num(1500.0, ".4g", 1e-3) == "1.5"


def test_print_coolant_values():
    out, buf = _console()
    print_coolant([GROUP], out)
    (row,) = _rows(buf.getvalue(), "Coolant")
    assert row == ["plate", "water", "0.06", "25.00", "27.50", "2.500", "10", "120", "5.100", "2.5e+04",
                   "0.900", "4e+04", "1.5", "0.0015"]


def test_print_coolant_tolerates_missing_figures():
    """A kind whose correlations give no Re, Nu, h, ΔP or pumping power: those cells are blank."""
    group = {**GROUP, **{k: None for k in ("Re", "Nu", "h", "eta_fin", "h_eff", "dP", "pumping_power")},
             "turbulent": True, "regime": "turbulent", "warnings": ["Pr = 900 is outside 0.5–500"]}
    out, buf = _console()
    print_coolant([group], out)
    text = buf.getvalue()
    (row,) = _rows(text, "Coolant")
    assert row[:7] == ["plate", "water", "0.06", "25.00", "27.50", "2.500", "10"]
    assert row[7] == "turbulent" and row[8:10] == ["", ""] and row[10] == "resolved"
    assert row[11:] == ["", "", ""]
    assert "warning: plate: Pr = 900 is outside 0.5–500" in text


def test_print_report_blank_margin_and_resistance():
    rep = {"name": "pkg", "coolant_T": 25.0, "photonics": [], "coolant": [], "crosstalk": None,
           "components": [{"name": "lid", "power": 0.0, "T_max": 30.0, "T_mean": 29.0, "T_min": 28.0,
                           "delta_T": 2.0, "margin": None, "R_th": None, "location": (0.0, 0.0, 1e-3)}],
           "solver": {"method": "multigrid", "iterations": 3, "residual": 1e-11, "energy_balance": 1e-12,
                      "power_in": 1.0, "heat_out": 1.0, "n_cells": 1000, "wall_time": 0.1}}
    out, buf = _console()
    print_report(rep, out)
    text = buf.getvalue()
    (row,) = _rows(text, "pkg: steady temperatures")
    assert row[:9] == ["lid", "0", "30.000", "", "29.000", "28.000", "2.000", "", ""]
    assert "solver multigrid: 3 iterations, relative residual 1.0e-11; 1,000 cells" in text
