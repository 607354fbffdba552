"""How the layout's loops act on the coolant network: which groups a loop feeds and in what
order, their flows (:mod:`.loops`), the links that feed a stage's inlets from the mixed outlets
of the stage before, and the figures of each loop for the report.

A stage's inlet node ``n`` of heat-capacity flow ``ṁc_p,n`` takes ``Σ_o w_o T_o`` over the
outlets ``o`` of the stage before, ``w_o = ṁc_p,o / Σ ṁc_p`` (mixed cup): its energy balance is
``ṁc_p,n (T_n − Σ_o w_o T_o) = Σ G (T_cell − T_n)``. Summed over a group this telescopes to
``ṁc_p (T_out − T_in)`` with that mixed ``T_in``, so the heats the groups report add up to the heat
the solid gives to the coolant, stage by stage.
"""

from __future__ import annotations

import numpy as np

from .loops import at_mass_flow, at_pressure

#: the first bracket of a pressure-driven loop's flow (m³/s): 1 L/min, a cold plate's order
_FLOW_GUESS = 1.0 / 6e4


def plan_loops(loops, groups) -> list[tuple[object, list[list[int]]]]:
    """``(loop, stages as lists of group indices)`` per loop; marks each member group with its
    loop, stage, feeding groups, the loop's coolant and inlet temperature."""
    index = {g.name: i for i, g in enumerate(groups)}
    plans = []
    for loop in loops:
        stages = [[index[name] for name in stage] for stage in loop.path]
        for s, stage in enumerate(stages):
            for i in stage:
                g = groups[i]
                g.loop, g.stage, g.coolant, g.T_in = loop.name, s, loop.coolant, loop.inlet_T
                g.feed = tuple(stages[s - 1]) if s else ()
        plans.append((loop, stages))
    return plans


def solve_loops(net, props: list[dict]) -> dict[int, float]:
    """The volume flow (m³/s) of every group a loop feeds, by group index, with the coolant
    properties ``props`` (per group); each loop's :class:`~.loops.LoopFlow` goes to
    ``net.loop_flows``."""
    flows: dict[int, float] = {}
    models, regions = net.layout.models, net.layout.regions
    for loop, stages in net.plans:
        def dp(i, mdot):
            rho = props[i]["rho"]
            return models[i].at_flow(mdot / rho).performance(props[i], net.k_at)["dP"]

        rho_in = regions[stages[0][0]].coolant.properties(loop.inlet_T)["rho"]
        if loop.flow_rate is not None:
            lf = at_mass_flow(stages, rho_in * loop.flow_rate, dp)
        else:
            last = net.loop_flows.get(loop.name)
            lf = at_pressure(stages, loop.pressure, dp, last.mdot if last else rho_in * _FLOW_GUESS)
        net.loop_flows[loop.name] = lf
        flows.update({i: m / props[i]["rho"] for i, m in lf.group_mdot.items()})
    return flows


def _outlets(net, groups) -> np.ndarray:
    """The outlet nodes (0-based among the coolant nodes) of ``groups`` (indices)."""
    return np.concatenate([np.arange(net.groups[i].n0, net.groups[i].n1)[net.outlet[net.groups[i].n0:net.groups[i].n1]]
                           for i in groups])


def feed_links(net) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(fed node, source outlet node, ṁc_p,n · w_o)`` of every link from a stage's outlets
    to the next stage's inlets (W/K); empty without loops."""
    rows, cols, vals = [], [], []
    for _, stages in net.plans:
        for s in range(1, len(stages)):
            src = _outlets(net, stages[s - 1])
            w = net.mcp[src] / net.mcp[src].sum()
            for i in stages[s]:
                g = net.groups[i]
                inlets = np.arange(g.n0, g.n1)[net.up[g.n0:g.n1] < 0]
                rows.append(np.repeat(inlets, len(src)))
                cols.append(np.tile(src, len(inlets)))
                vals.append(np.outer(net.mcp[inlets], w).ravel())
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def inlet_temperature(net, g, T_nodes: np.ndarray) -> float:
    """The inlet temperature (°C) of group ``g``: its own (or its loop's), or the mixed outlet
    of the stage before for the node temperatures ``T_nodes`` (°C)."""
    if not g.feed:
        return g.T_in
    src = _outlets(net, g.feed)
    return float(np.sum(net.mcp[src] * T_nodes[src]) / np.sum(net.mcp[src]))


def loop_summary(net, T_nodes: np.ndarray) -> list[dict]:
    """Per loop for the node temperatures ``T_nodes`` (°C): coolant, flow (m³/s at the inlet
    and kg/s), inlet and mixed outlet T (°C), heat picked up (W), pressure drop (Pa, the sum of
    the stages'), pumping power (W, ΔP × inlet volume flow), the stages with each branch's
    flow (m³/s) and ΔP (Pa), and ``balance``, the largest relative spread of parallel branches'
    pressure drops."""
    rows = []
    heat = net.heat_out(T_nodes)
    for loop, stages in net.plans:
        lf = net.loop_flows[loop.name]
        rho_in = net.layout.regions[stages[0][0]].coolant.properties(loop.inlet_T)["rho"]
        flow = lf.mdot / rho_in
        last = stages[-1]
        src = _outlets(net, last)
        t_out = float(np.sum(net.mcp[src] * T_nodes[src]) / np.sum(net.mcp[src]))
        rows.append({
            "name": loop.name, "coolant": loop.coolant, "flow_rate": flow, "flow_rate_l_min": flow * 6e4,
            "mass_flow": lf.mdot, "T_in": loop.inlet_T, "T_out": t_out,
            "heat": float(sum(heat[f"coolant:{net.groups[i].name}"] for st in stages for i in st)),
            "dP": lf.dP, "pumping_power": lf.dP * flow, "balance": lf.balance,
            "driven_by": "flow_rate" if loop.flow_rate is not None else "pressure",
            "stages": [{"dP": p, "branches": [{"name": net.groups[i].name, "flow_rate": net.groups[i].flow_rate,
                                               "dP": net.groups[i].perf.get("dP")} for i in st]}
                       for st, p in zip(stages, lf.stage_dP)]})
    return rows


__all__ = ["plan_loops", "solve_loops", "feed_links", "inlet_temperature", "loop_summary"]
