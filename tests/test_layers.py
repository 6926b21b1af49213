"""The input layer is the bottom of the house (issue 12): it imports nothing above it.

Reading and checking a scenario or a place must work without the model, the experiment, the
results or the command line, so that each of them can build on inputs and none can pull it into
a circle. Every import counts, also one made lazily inside a function.
"""

import ast
from pathlib import Path

import simulate

PACKAGE = Path(simulate.__file__).parent
ABOVE_INPUTS = ("model", "experiment", "results", "cli", "bench")


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names.add(node.module or "")
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # from a import b
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            names |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    return names


def test_no_module_of_inputs_imports_a_higher_layer():
    found = {
        f"{path.name} imports {name}"
        for path in sorted((PACKAGE / "inputs").rglob("*.py"))
        for name in _imported(path)
        if name.split(".")[:2] in (["simulate", layer] for layer in ABOVE_INPUTS)
    }
    assert not found, sorted(found)
