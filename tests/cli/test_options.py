"""The options whose choices are registries: `--solver` (the linear solvers) and `export
--format` (the export formats) list and accept what the registries hold at the time of asking,
and refuse anything else as bad input (exit 2, one line)."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from thermal_cpo.cli.main import cli
from thermal_cpo.io.registry import format_names
from thermal_cpo.linalg import register_solver, solver_names, unregister_solver


def invoke(*args):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def _metavar(help_text: str, option: str) -> list[str]:
    """The choices shown after ``option`` in a --help text: ``--solver [a|b|c]`` → [a, b, c]."""
    line = next(line for line in help_text.splitlines() if line.strip().startswith(option)
                or f" {option} " in line)
    return line.split("[", 1)[1].split("]", 1)[0].split("|")


@pytest.mark.parametrize("command", ["run", "crosstalk"])
def test_solver_help_lists_the_registry(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert _metavar(result.stdout, "--solver") == list(solver_names())
    assert solver_names()[0] == "auto"


def test_export_help_lists_the_formats():
    result = invoke("export", "--help")
    assert result.exit_code == 0
    assert _metavar(result.stdout, "-f, --format") == format_names()


def test_a_solver_registered_later_is_offered():
    from thermal_cpo.linalg import make_solver

    register_solver("test-choice", symmetric=lambda tol, maxiter, workspace=None: make_solver(
        "direct", 1, tol=tol, maxiter=maxiter))
    try:
        assert "test-choice" in _metavar(invoke("run", "--help").stdout, "--solver")
    finally:
        unregister_solver("test-choice")
    assert "test-choice" not in _metavar(invoke("run", "--help").stdout, "--solver")


@pytest.mark.parametrize("command", ["run", "crosstalk"])
def test_unknown_solver_is_bad_input(command):
    result = invoke(command, "quickstart", "--solver", "multigird")
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: solver: unknown solver 'multigird'")
    assert "did you mean 'multigrid'" in lines[0]
    assert all(name in lines[0] for name in solver_names(coupled=False))


def test_hidden_solver_alias_is_accepted():
    """A name the registry accepts without listing it (an alias) still runs."""
    from thermal_cpo.linalg.base import solver_kind

    hidden = [n for n in ("mg",) if solver_kind(n) is not None and n not in solver_names()]
    if not hidden:
        pytest.skip("no hidden solver alias registered")
    result = invoke("run", "quickstart", "--solver", hidden[0], "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["solver"]["method"] == solver_kind(hidden[0]).name


def test_importing_the_command_line_loads_no_solver():
    """The choices are read when asked for: importing the CLI loads neither numba nor the
    solvers' registry (`thermal-cpo --help` stays quick)."""
    code = ("import sys, thermal_cpo.cli.main; "
            "print(sorted(m for m in sys.modules if m == 'numba' or m.startswith('thermal_cpo.linalg')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
