"""The public face of the package: what ``thermal_cpo`` exports resolves and is documented,
importing it stays cheap (no numba), and every command of the command line is a thin shell
over one public function, which it really calls."""

import importlib
import inspect
import subprocess
import sys
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import thermal_cpo
from thermal_cpo.cli.main import cli

MODEL_CLASSES = ("Package", "Layer", "Block", "Box", "ColdPlate", "Channels", "Photonics", "Probe", "Initial")
FUNCTIONS = ("load_layout", "voxelize", "solve_steady", "solve_transient", "crosstalk", "report", "describe",
             "load_result")


@pytest.mark.parametrize("name", [n for n in thermal_cpo.__all__ if n != "__version__"])
def test_every_exported_name_resolves_and_is_documented(name):
    obj = getattr(thermal_cpo, name)
    assert obj is not None
    assert inspect.getdoc(obj) and inspect.getdoc(obj).strip(), f"{name} has no docstring"
    if not inspect.isclass(obj):  # a function's own docstring, not one inherited from its type
        assert obj.__doc__ and obj.__doc__.strip(), name


def test_the_top_level_holds_the_workflow():
    from pydantic import BaseModel

    assert set(MODEL_CLASSES + FUNCTIONS) <= set(thermal_cpo.__all__)
    for name in MODEL_CLASSES:
        assert issubclass(getattr(thermal_cpo, name), BaseModel), name
    for name in FUNCTIONS:
        assert inspect.isfunction(inspect.unwrap(getattr(thermal_cpo, name))), name
    assert isinstance(thermal_cpo.__version__, str) and thermal_cpo.__version__.count(".") >= 1
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        thermal_cpo.no_such_name  # noqa: B018


def test_import_loads_no_numba():
    """``import thermal_cpo`` (and building a package with it) loads nothing heavy: numba comes
    with the first voxelize or solve."""
    code = ("import sys, thermal_cpo\n"
            "before = 'numba' in sys.modules\n"
            "thermal_cpo.Package, thermal_cpo.load_layout('quickstart')\n"
            "print(before, 'numba' in sys.modules)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "False"]


class Called(Exception):
    """Raised by a stand-in for the public function: the command got as far as calling it."""


def _result_stub(*args, **kwargs):
    return SimpleNamespace(component=lambda name: SimpleNamespace(power=1.0))


# command → (public module, function, where the command looks it up, arguments, stand-ins on the
# way there: (module, name, replacement)); None for the look-up: the public module itself
COMMANDS = {
    "validate": ("thermal_cpo.analysis", "describe", None, ["quickstart"], []),
    "run": ("thermal_cpo.solve", "solve_steady", None, ["quickstart"], []),
    "report": ("thermal_cpo.analysis", "report", None, ["out.h5"],
               [("thermal_cpo.results", "load_result", _result_stub)]),
    "crosstalk": ("thermal_cpo.analysis", "crosstalk", None, ["quickstart"],
                  [("thermal_cpo.solve", "solve_steady", _result_stub)]),
    "export": ("thermal_cpo.io.vtk", "export", None, ["out.h5", "-f", "vtr"], []),
    "plot": ("thermal_cpo.viz.plot", "save_plot", None, ["out.h5"],
             [("thermal_cpo.results", "load_result", _result_stub)]),
    "layouts": ("thermal_cpo.layout", "shipped_layouts", None, [], []),
    "schema": ("thermal_cpo.layout", "Package", None, [], []),
    "materials": ("thermal_cpo.materials", "library", None, [], []),
    "bench": ("thermal_cpo.bench", "bench_case", None, ["8", "--repeats", "1", "--stream-mib", "1", "--no-amg"],
              [("thermal_cpo.bench", "triad_bandwidth", lambda *a, **k: 1.0)]),
    "info": ("thermal_cpo.cli", "environment", "thermal_cpo.cli.info", [], []),
    "import": ("thermal_cpo.layout.decks", "import_3dice", None, ["3dice", "model.stk"], []),
    "characterize": ("thermal_cpo.analysis.characterize", "characterize", None, ["quickstart"], []),
    "study": ("thermal_cpo.analysis.study", "run_study", None, ["s.toml", "-o", "study-out"], []),
    "study-plot": ("thermal_cpo.viz.study", "save_study_plots", None, ["study-out"], []),
    "compare": ("thermal_cpo.analysis.compare", "compare", None, ["a.h5", "b.h5"], []),
}


def test_every_command_has_a_public_function():
    assert set(COMMANDS) == set(cli.commands)
    for command, (module, name, _, _, _) in COMMANDS.items():
        assert not any(part.startswith("_") for part in module.split(".")), command
        mod = importlib.import_module(module)
        public = getattr(mod, "__all__", None)
        assert name in (public if public is not None else [n for n in dir(mod) if not n.startswith("_")]), \
            f"{command}: {module}.{name} is not public"
        assert inspect.getdoc(getattr(mod, name)), f"{command}: {module}.{name} has no docstring"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_command_calls_its_public_function(command, monkeypatch):
    module, name, lookup, args, stand_ins = COMMANDS[command]
    for mod, attr, replacement in stand_ins:
        monkeypatch.setattr(importlib.import_module(mod), attr, replacement)
    calls = []

    def spy(*a, **k):
        calls.append((a, k))
        raise Called

    target = importlib.import_module(lookup or module)
    assert getattr(target, name) is getattr(importlib.import_module(module), name)
    if name == "Package":  # the schema command calls the model's classmethod
        spy = SimpleNamespace(json_schema=spy)
    monkeypatch.setattr(target, name, spy)
    result = CliRunner().invoke(cli, [command, *args])
    assert isinstance(result.exception, Called), (result.exit_code, result.output, result.exception)
    assert len(calls) == 1
