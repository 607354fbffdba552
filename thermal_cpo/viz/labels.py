"""Component outlines and names that do not pile up, and layer names on a section's axis.

A package has tiny components next to large ones (µm heaters on a mm die, µm films under mm
layers), so names are only drawn where they fit and do not overlap one already drawn.
"""

from __future__ import annotations

import re

import numpy as np

from .common import LABEL_SIZE, OUTLINE, _mpl


def _halo():
    """Path effect that keeps white text readable on any colour of the map."""
    pe = _mpl().patheffects
    return [pe.withStroke(linewidth=2.0, foreground="black")]


def _outline(ax, x0, x1, y0, y1, powered):
    """Outline a component's rectangle (data coordinates); unpowered ones dashed and thinner."""
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OUTLINE,
                           linewidth=1.0 if powered else 0.6, linestyle="-" if powered else (0, (3, 2)),
                           zorder=4, clip_on=True))


def _power_first(comps, area):
    """Powered components first (largest power), then the others by decreasing area."""
    # rounded keys, so that floating-point noise does not reorder equal components
    return sorted(comps, key=lambda c: (c.power <= 0, -float(f"{c.power:.6g}"),
                                        -float(f"{area(c):.6g}"), c.id))


def _place_labels(fig, ax, items):
    """Draw names inside rectangles, dropping those that would overlap an earlier one.

    ``items``: ``(text, (x0, x1, y0, y1) in data coordinates, must_fit)`` in priority order. A
    ``must_fit`` label is only kept when it fits inside its rectangle; the others (powered
    components, named even when smaller than their name) may spill out, and when one of them
    collides with an earlier such label the two are merged (``ring0–ring7`` for a bank of tiny
    heaters). Returns the texts drawn.
    """
    if not items:
        return []
    fig.draw_without_rendering()  # lay the figure out, so text extents are final
    axbb = ax.get_window_extent()
    to_disp = ax.transData.transform
    placed = []  # [text artist, bbox, names, rects, mergeable]
    for text, (x0, x1, y0, y1), must_fit in items:
        t = ax.text(0.5 * (x0 + x1), 0.5 * (y0 + y1), text, ha="center", va="center",
                    fontsize=LABEL_SIZE, color="white", path_effects=_halo(), clip_on=True, zorder=5)
        t.set_in_layout(False)
        bb = t.get_window_extent().expanded(1.08, 1.15)
        (px0, py0), (px1, py1) = to_disp([(x0, y0), (x1, y1)])
        fits = (bb.x0 >= min(px0, px1) - 1 and bb.x1 <= max(px0, px1) + 1
                and bb.y0 >= min(py0, py1) - 1 and bb.y1 <= max(py0, py1) + 1)
        inside_axes = bb.x0 >= axbb.x0 and bb.x1 <= axbb.x1 and bb.y0 >= axbb.y0 and bb.y1 <= axbb.y1
        hit = next((p for p in placed if bb.overlaps(p[1])), None)
        if must_fit and not fits or not inside_axes or hit is not None:
            t.remove()
            if hit is not None and not must_fit and hit[4]:
                hit[2].append(text)
                hit[3].append((x0, x1, y0, y1))
            continue
        placed.append([t, bb, [text], [(x0, x1, y0, y1)], not must_fit])
    shown = []
    for t, _, names, rects, _ in placed:
        if len(names) > 1:
            r = np.array(rects)
            t.set_text(_merged_name(names))
            t.set_position((0.5 * (r[:, 0].min() + r[:, 1].max()), 0.5 * (r[:, 2].min() + r[:, 3].max())))
        shown.append(t.get_text())
    return shown


def _merged_name(names: list[str]) -> str:
    """``ring0..ring7`` → ``ring0–ring7``; names without a common numbered pattern: ``a +3``."""
    parts = [re.fullmatch(r"(\D*)(\d+)(.*)", n) for n in names]
    if all(parts) and len({(m[1], m[3]) for m in parts}) == 1:
        nums = sorted(int(m[2]) for m in parts)
        pre, post = parts[0][1], parts[0][3]
        if nums == list(range(nums[0], nums[-1] + 1)):
            return f"{pre}{nums[0]}{post}–{pre}{nums[-1]}{post}"
    return f"{names[0]} +{len(names) - 1}"


def _layer_ticks(fig, ax, mids, names):
    """Layer names as y tick labels at the middle of their rows; where two would overlap the
    later one moves to the right-hand axis (the µm films of a stack are often 1 row each)."""
    ax.set_yticks(mids, names, fontsize=8)
    fig.draw_without_rendering()  # the axes' height in pixels is only known once laid out
    row_px = ax.get_window_extent().height / max(ax.get_ylim()[1], 1)
    need = 1.25 * 8 * fig.dpi / 72.0  # one line of 8 pt text, in pixels
    left, right = [], []
    last = {"l": -np.inf, "r": -np.inf}
    for m, n in zip(mids, names):
        if (m - last["l"]) * row_px >= need:
            left.append((m, n))
            last["l"] = m
        elif (m - last["r"]) * row_px >= need:
            right.append((m, n))
            last["r"] = m
        else:  # no room on either side: the name is crowded out; keep it on the left anyway
            left.append((m, n))
            last["l"] = m
    ax.set_yticks([m for m, _ in left], [n for _, n in left], fontsize=8)
    if right:
        sec = ax.secondary_yaxis("right")
        sec.set_yticks([m for m, _ in right], [n for _, n in right], fontsize=8)
        sec.tick_params(axis="y", length=3)
