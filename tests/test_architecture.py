"""The structure the package keeps: stages import only the stages below them (the import-linter
contract in pyproject.toml), kernels are plain numpy/numba, numba is driven from the kernels
only, and modules and functions stay small enough to read."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "thermal_cpo"
KERNELS = ROOT / "kernels"
STDLIB = set(sys.stdlib_module_names)


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, relative level) of every import in a file, functions included."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, 0) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append((node.lineno, node.module or "", node.level))
    return out


def test_the_layers_contract_holds():
    """import-linter reads every import, those inside functions too."""
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_kernels_import_only_numpy_numba_and_each_other():
    bad = []
    for f in sorted(KERNELS.glob("*.py")):
        for line, mod, level in _imports(f):
            top = mod.split(".")[0]
            if level == 1 or top in ("numpy", "numba") or top in STDLIB or mod == "__future__":
                continue
            bad.append(f"{f.name}:{line} imports {'.' * level}{mod}")
    assert not bad, bad


def test_numba_is_imported_only_by_the_kernels():
    bad = [f"{f.relative_to(ROOT)}:{line}" for f in PACKAGE.rglob("*.py")
           for line, mod, level in _imports(f) if level == 0 and mod.split(".")[0] == "numba"
           and f.parent.name != "cli"]  # `thermal-cpo info` reports numba's own settings
    assert not bad, bad


@pytest.mark.parametrize("limit_lines, limit_function", [(400, 80)])
def test_modules_and_functions_stay_small(limit_lines, limit_function):
    long_modules, long_functions = [], []
    for f in sorted(PACKAGE.rglob("*.py")):
        text = f.read_text(encoding="utf-8")
        if text.count("\n") > limit_lines:
            long_modules.append(f"{f.relative_to(ROOT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > limit_function:
                    long_functions.append(f"{f.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert not long_modules, long_modules
    assert not long_functions, long_functions


def test_the_pipeline_after_the_mesh_does_not_read_the_package():
    """The operator, the coolant models, the solvers and the solve stage take what they need
    from the Mesh and its MeshSetup, never from ``mesh.package``."""
    bad = []
    for stage in ("operator", "cooling", "linalg", "solve"):
        for f in sorted((PACKAGE / stage).rglob("*.py")):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "package":
                    bad.append(f"{f.relative_to(ROOT)}:{node.lineno}")
    assert not bad, bad
