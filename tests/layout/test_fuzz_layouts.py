"""Fuzzing the layout input: a mutated layout is refused with a LayoutError or it works.

Each example starts from a small valid layout (the shipped quickstart, a package with blocks, a
free box, a contact and a compact cold plate, and one with resolved channels, k(T), a power
model, traces and probes) and applies a few random mutations: a key deleted, renamed or added, a
value replaced by one of the wrong type, kind or size (a string, a list, a table, a boolean,
nothing, NaN, ±inf, huge, negative, zero, a quantity of the wrong dimension such as "5 W" for a
length), a number scaled, a list entry duplicated, component names swapped, a list emptied. The
mutated layout must then either be refused with a :class:`LayoutError` (the command line's exit
2) or validate, read back from its own TOML, voxelize under a small memory limit (or be refused
with a LayoutError), and, when small, solve to finite temperatures (or be refused with a
LayoutError or SolverError). Any other exception is a traceback a user would see; an example
past the deadline is a hang.

The default budget keeps the module short and reproducible (derandomized). To hunt for bugs
locally run it with a larger budget, e.g.::

    THERMAL_CPO_FUZZ_EXAMPLES=2000 pytest tests/layout/test_fuzz_layouts.py -x

``THERMAL_CPO_FUZZ_RANDOM=1`` draws fresh examples each run instead of the fixed sequence, and
``THERMAL_CPO_FUZZ_DEADLINE`` (seconds, default 10) bounds each example.
"""

from __future__ import annotations

import copy
import math
import os
import signal
import tomllib
from contextlib import contextmanager
from datetime import timedelta
from importlib import resources

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from thermal_cpo.errors import LayoutError, SolverError
from thermal_cpo.layout import Package
from thermal_cpo.layout.load import parse_toml
from thermal_cpo.layout.toml import _to_toml, dump_toml
from thermal_cpo.mesh import voxelize
from thermal_cpo.solve import solve_steady

EXAMPLES = int(os.environ.get("THERMAL_CPO_FUZZ_EXAMPLES", "40"))  # per starting layout
RANDOM = os.environ.get("THERMAL_CPO_FUZZ_RANDOM", "") not in ("", "0")
#: seconds one example may take: the largest solved grids (20,000 cells, a cold plate solved
#: by direct LU per coolant iteration) take up to ~5 s here; raise it on a slower machine
DEADLINE_S = float(os.environ.get("THERMAL_CPO_FUZZ_DEADLINE", "10"))
#: small enough that every mutation that inflates the grid is refused quickly, not meshed
MEMORY_LIMIT = 200e6
#: packages up to this many cells are solved too (a fraction of a second each)
MAX_SOLVE_CELLS = 20_000
#: wall-clock seconds after which one example counts as a hang (the deadline catches slow ones,
#: but only after they finish; the alarm interrupts one that never would)
HANG_S = 60

# ---------------------------------------------------------------------------------------------
# the valid starting layouts
# ---------------------------------------------------------------------------------------------
QUICKSTART = tomllib.loads(resources.files("thermal_cpo.meshes").joinpath("quickstart.toml")
                           .read_text(encoding="utf-8"))

MIXED = {
    "name": "fuzz-mixed",
    "footprint": {"x": "2 mm", "y": 2000},
    "grid": {"max_cell_xy": 500, "max_cell_z": 250, "grading": 1.3},
    "materials": {"aniso": {"k": [5.0, 5.0, 150.0], "rho": 2330, "cp": 705}},
    "layers": [
        {"name": "substrate", "thickness": 500, "material": "organic-substrate"},
        {"name": "die-tier", "thickness": 200, "material": "air", "blocks": [
            {"name": "die", "x": [500, 1500], "y": [500, 1500], "material": "silicon",
             "power": "2 W", "power_at": "bottom", "limit": 105},
            {"name": "hot", "x": [1000, 1400], "y": [600, 900], "material": "aniso", "power": 0.5}]},
        {"name": "lid", "thickness": 300, "material": "copper"},
    ],
    "boxes": [{"name": "via", "x": [100, 400], "y": [100, 400], "z": [0, 700], "material": "copper",
               "power": 0.1}],
    "contacts": [{"between": ["die", "lid"], "r": 2e-6}],
    "boundaries": {"bottom": {"type": "convective", "h": 1e3, "T": 25}},
    "coldplates": [{"name": "plate", "channel_width": 200, "wall_width": 100, "channel_height": 1000,
                    "base_thickness": 500, "flow_direction": "+y", "flow_rate": "50 ml/min",
                    "inlet_T": 25}],
}

DYNAMIC = {
    "name": "fuzz-dynamic",
    "footprint": {"x": 3000, "y": 2000},
    "grid": {"max_cell_xy": 500, "max_cell_z": 100},
    "materials": {"si_kt": {"k": 150, "rho": 2330, "cp": 705, "k_model": "power", "T0": "300 K",
                            "n": 1.3}},
    "coolants": {"c": {"T": [0.0, 100.0], "rho": [1000.0, 958.0], "cp": [4217.0, 4216.0],
                       "k": [0.56, 0.68], "mu": [1.8e-3, 2.8e-4]}},
    "layers": [
        {"name": "die", "thickness": 300, "material": "si_kt", "power_at": "bottom",
         "power_model": {"kind": "leakage", "dynamic": 3.0, "leakage": 0.5, "T_ref": 25,
                         "doubling": 30}},
        {"name": "cavity", "thickness": 200, "material": "silicon",
         "channels": {"width": 100, "wall": 100, "direction": "-x", "flow_rate": "20 ml/min",
                      "inlet_T": 25, "coolant": "c"}},
        {"name": "cap", "thickness": 200, "material": "silicon", "trace": [[0, 1.0], [0.01, 2.0]],
         "blocks": [{"name": "pic", "x": [200, 1200], "y": [200, 1200],
                     "source": {"model": "trace", "points": [[0, 2.0], [0.005, 6.0]],
                                "interpolation": "step"},
                     "photonics": {"dlambda_dT": 80, "T_ref": 45, "rings": [[700, 700]]}}]},
    ],
    "boundaries": {"top": {"type": "convective", "h": 2e4, "T": 30},
                   "xmin": {"type": "fixed", "T": 25, "z": [0, 300]},
                   "bottom": {"type": "flux", "q": 1e3}},
    "initial": {"T": 25},
    "probes": [{"name": "centre", "x": 1500, "y": 1000, "z": 10}],
}

BASES = {"quickstart": QUICKSTART, "mixed": MIXED, "dynamic": DYNAMIC}

# ---------------------------------------------------------------------------------------------
# the mutations
# ---------------------------------------------------------------------------------------------
NAN, INF = float("nan"), float("inf")
#: values of the wrong type, kind or size for nearly every key
WRONG = ["fuzz", "", [], [1, 2, 3], ["a", "b"], [[[]]], {}, {"a": 1}, True, False, None, NAN, INF,
         -INF, 1e308, -1e308, 10**30, 2**64, -1, -1e-3, 0, 0.0, 1e-300, 5e-324, 1, 1e9, "5 W",
         "3 mm", "-3 mm", "0 mm", "1 m", "1e999 mm", "nan mm", "inf W", "1 L/min", "-1 L/min",
         "300 K", "-300 K", "2 furlongz", "1e-30 um", "0.4 nm", [NAN, INF], [0, 0], [-1, 1],
         [1e308, 1e308], [0, "5 W"], ["1 mm", "2 mm"], [[0, 1.0]], [[0, NAN], [1, 2]],
         [[1, 1.0], [0, 2.0]], "top", "bottom", "+z", "volume", "convective", "fixed", "flux",
         "adiabatic", "leakage", "laser", "trace", "constant", "power", "steady", "water",
         "copper", "air", "die", "lid", "substrate", "plate", "../nowhere.csv", "x" * 300,
         "10**400 mm", "9**9**9 mm", "km**1000000000000", "(-8)**0.5", "1/0 mm", "mm"]
#: what a number is multiplied by: off the package, into the snapping grid, past the limits
FACTORS = [0, -1, 1e-9, 1e-6, 1e-3, 0.5, 0.999, 1.001, 2, 10, 1e3, 1e6, 1e12]
#: names a key is renamed to: misspellings and other keys that are valid somewhere
KEYS = ["x", "y", "z", "name", "power", "material", "thickness", "type", "kind", "model", "h", "T",
        "blocks", "boxes", "layers", "channels", "limit", "max_cell_xy", "max_cell_z", "r",
        "between", "face", "pitch", "n_channels", "from", "trace", "source", "power_model", ""]


def _nodes(obj, path=()):
    """Every ``(path, value)`` below ``obj`` (keys of tables, indices of lists)."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for key, value in list(items):
        yield path + (key,), value
        yield from _nodes(value, path + (key,))


def _at(obj, path):
    for key in path:
        obj = obj[key]
    return obj


def _pick(draw, layout, keep=lambda path, value: True):
    choices = [(p, v) for p, v in _nodes(layout) if keep(p, v)]
    return draw(st.sampled_from(choices)) if choices else (None, None)


def _delete(draw, layout):
    path, _ = _pick(draw, layout)
    if path is not None:
        del _at(layout, path[:-1])[path[-1]]


def _replace(draw, layout):
    path, _ = _pick(draw, layout)
    if path is not None:
        _at(layout, path[:-1])[path[-1]] = copy.deepcopy(draw(st.sampled_from(WRONG)))


def _scale(draw, layout):
    path, value = _pick(draw, layout, lambda p, v: isinstance(v, (int, float)) and not isinstance(v, bool))
    if path is not None:
        _at(layout, path[:-1])[path[-1]] = value * draw(st.sampled_from(FACTORS))


def _rename(draw, layout):
    path, _ = _pick(draw, layout, lambda p, v: isinstance(p[-1], str))
    if path is not None:
        parent = _at(layout, path[:-1])
        new = draw(st.sampled_from(KEYS + [path[-1] + "_", path[-1].upper()]))
        parent[new] = parent.pop(path[-1])


def _add_key(draw, layout):
    path, table = _pick(draw, layout, lambda p, v: isinstance(v, dict))
    table = layout if path is None or draw(st.booleans()) else table
    table[draw(st.sampled_from(KEYS))] = copy.deepcopy(draw(st.sampled_from(WRONG)))


def _duplicate(draw, layout):
    path, items = _pick(draw, layout, lambda p, v: isinstance(v, list) and v)
    if path is not None:
        i = draw(st.integers(0, len(items) - 1))
        items.insert(draw(st.integers(0, len(items))), copy.deepcopy(items[i]))


def _swap_names(draw, layout):
    names = [(p, v) for p, v in _nodes(layout) if p[-1] == "name" and isinstance(v, str)]
    if len(names) >= 2:
        (pa, a), (pb, b) = draw(st.permutations(names))[:2]
        _at(layout, pa[:-1])["name"] = b
        if draw(st.booleans()):  # a swap, or one name given twice
            _at(layout, pb[:-1])["name"] = a


def _empty(draw, layout):
    path, value = _pick(draw, layout, lambda p, v: isinstance(v, (list, dict)))
    if path is not None:
        _at(layout, path[:-1])[path[-1]] = type(value)()


def _transplant(draw, layout):
    """A value from elsewhere in the layout: right in form, wrong in place (y given x's range,
    a layer among the blocks, a boundary in a cold plate)."""
    path, _ = _pick(draw, layout)
    donor, value = _pick(draw, layout)
    if path is not None and path[:len(donor)] != donor:  # not into itself
        _at(layout, path[:-1])[path[-1]] = copy.deepcopy(value)


#: the mutations that keep a layout plausible come twice: a layout that validates goes on to the
#: mesh and the solve, where the bugs the validation lets through show
MUTATIONS = [_delete, _replace, _scale, _scale, _rename, _add_key, _duplicate, _duplicate,
             _swap_names, _swap_names, _empty, _transplant, _transplant]


#: mutations per example: a few, so that most layouts fail one check, not many at once
MAX_MUTATIONS = 3


@st.composite
def mutated_layouts(draw, base):
    layout = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, MAX_MUTATIONS))):
        draw(st.sampled_from(MUTATIONS))(draw, layout)
    return layout


# ---------------------------------------------------------------------------------------------
# what every mutated layout must do
# ---------------------------------------------------------------------------------------------
class Hang(Exception):
    """One example ran for longer than any small layout should."""


@contextmanager
def _alarm(seconds):
    def ring(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _text_of(layout) -> str | None:
    """The layout as TOML text, or None where it has no TOML form (a table inside a list of
    values, a key TOML cannot hold)."""
    try:
        text = _to_toml(layout)
        tomllib.loads(text)
    except (TypeError, tomllib.TOMLDecodeError):
        return None
    return text


def check_layout(layout) -> str:
    """Take one layout as far as it goes; returns the stage it stopped at. Only intended errors
    may end it early."""
    text = _text_of(layout)
    if text is not None:  # the same layout read from a file: refused or valid, nothing else
        try:
            parse_toml(text, "fuzz.toml")
        except LayoutError:
            pass
    try:
        pkg = Package.from_dict(layout)
    except LayoutError:
        return "refused"
    assert parse_toml(dump_toml(pkg)) == pkg  # a valid package reads back from its own TOML
    try:
        mesh = voxelize(pkg, memory_limit_bytes=MEMORY_LIMIT)
    except LayoutError:
        return "not meshed"
    if mesh.n_cells > MAX_SOLVE_CELLS:
        return "meshed"
    try:
        result = solve_steady(mesh)
    except (LayoutError, SolverError):
        return "not solved"
    assert np.isfinite(result.temperature).all()
    return "solved"


@pytest.fixture(scope="module")
def warm():
    """Every base solved once, so that the first example does not pay for loading the kernels
    (against its deadline)."""
    return {name: check_layout(copy.deepcopy(base)) for name, base in BASES.items()}


def test_every_base_layout_solves(warm):
    assert warm == {name: "solved" for name in BASES}


FUZZ = settings(max_examples=EXAMPLES, deadline=timedelta(seconds=DEADLINE_S), derandomize=not RANDOM,
                database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _fuzz(base):
    @FUZZ
    @given(layout=mutated_layouts(base))
    def run(layout):
        with _alarm(HANG_S):
            event(check_layout(layout))  # --hypothesis-show-statistics: how far examples get

    return run


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BASES))
def test_a_mutated_layout_is_refused_or_solved(warm, name):
    _fuzz(BASES[name])()


# ---------------------------------------------------------------------------------------------
# what the fuzzing found, kept as explicit cases
# ---------------------------------------------------------------------------------------------
#: unit expressions pint once evaluated with exact integers (a hang, or an OverflowError
#: traceback) or to a complex number (a TypeError traceback)
REGRESSIONS = [
    ("footprint-power-of-ten-beyond-a-float", ("footprint", "x"), "10**400 mm", "OverflowError"),
    ("bare-power-of-ten-beyond-a-float", ("footprint", "x"), "10**400", "OverflowError"),
    ("tower-of-powers-hangs", ("layers", 0, "thickness"), "9**9**9 mm", "OverflowError"),
    ("nested-powers-hang", ("footprint", "y"), "((((((10**10)**10)**10)**10)**10)**10)**10 mm",
     "OverflowError"),
    ("unit-to-a-huge-power-hangs", ("boundaries", "top", "h"), "minute**100000000000", "OverflowError"),
    ("unit-to-a-huge-power-overflows", ("layers", 1, "blocks", 0, "power"), "km**1000000000000",
     "OverflowError"),
    ("complex-number", ("layers", 1, "blocks", 0, "power"), "(-8)**0.5", "not a real number"),
    ("complex-length", ("footprint", "x"), "(-8)**0.5 mm", "not a real number"),
]


@pytest.mark.parametrize("path, value, needle", [c[1:] for c in REGRESSIONS],
                         ids=[c[0] for c in REGRESSIONS])
def test_a_unit_expression_found_by_fuzzing_is_refused(path, value, needle):
    layout = copy.deepcopy(QUICKSTART)
    _at(layout, path[:-1])[path[-1]] = value
    with _alarm(HANG_S), pytest.raises(LayoutError) as info:
        Package.from_dict(layout)
    where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")
    assert info.value.path == where and needle in str(info.value)
    assert check_layout(layout) == "refused"
