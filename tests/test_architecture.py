"""The package's plan, checked from its source (issue 12): layers, no import circles, short code.

Layering: ``inputs`` <- ``model`` <- ``experiment``, ``results`` <- ``cli``. The model knows
nothing of how it is run, read or driven; the inputs know nothing of the model that reads them.
Every module of ``simulate`` is parsed with :mod:`ast` (nothing is imported), so the checks see
imports at module level and inside functions alike, and a broken module cannot hide its imports.

Size: no module over 400 lines and no function over 60, unless the ``def`` line (or the module's
first line) says why in a comment ``# long: <reason>``.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simulate"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LONG = re.compile(r"#\s*long:\s*\S")
_ABOVE_MODEL = ("simulate.experiment", "simulate.results", "simulate.cli")
LAYERS = {"simulate.model": _ABOVE_MODEL, "simulate.inputs": ("simulate.model", *_ABOVE_MODEL)}
"""Each package, and the packages none of its modules may import from, at any level."""


@dataclass(frozen=True)
class Import:
    """One imported module, resolved to its absolute name, and where the import stands."""

    target: str
    line: int
    top: bool
    """Whether it runs when the module is imported: not inside a function, nor under
    ``if TYPE_CHECKING:`` or ``if __name__ == "__main__":`` (neither runs on import, so neither
    can close a circle)."""


# --- reading the source ---------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
    """``simulate/model/clock.py`` -> ``simulate.model.clock``; a package is its ``__init__``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(name: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute module of ``from <level dots><module> import ...`` written in ``name``."""
    if level == 0:
        return module or ""
    base = name.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([module] if module else []))


def _never_on_import(test: ast.expr) -> bool:
    """Whether an ``if`` runs its body only when not imported: type checking, or as a script."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):  # typing.TYPE_CHECKING
        return test.attr == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def imports(source: str, name: str, is_package: bool, known: set[str]) -> list[Import]:
    """Every import in ``source`` (the module ``name``), resolved to modules of ``known``.

    ``from a import b`` imports the module ``a.b`` when there is one, else the module ``a``;
    ``import a.b`` imports ``a.b``. Imports of modules outside ``known`` are kept too (so that a
    layer rule still sees them), named as written.
    """
    found: list[Import] = []

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            top = False
        if isinstance(node, ast.If) and _never_on_import(node.test):
            for child in node.body:
                visit(child, False)
            for child in node.orelse:
                visit(child, top)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, top) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, is_package, node.level, node.module)
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                found.append(Import(sub if sub in known else base, node.lineno, top))
        for child in ast.iter_child_nodes(node):
            visit(child, top)

    visit(ast.parse(source), True)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, dict[str, list[Import]]]:
    """For each module, the package's modules it imports, with every import statement."""
    found = modules(root)
    known = set(found)
    graph: dict[str, dict[str, list[Import]]] = {}
    for name, path in found.items():
        edges: dict[str, list[Import]] = {}
        for imp in imports(path.read_text(), name, path.name == "__init__.py", known):
            edges.setdefault(imp.target, []).append(imp)
        graph[name] = edges
    return graph


def on_import(graph: dict[str, dict[str, list[Import]]]) -> dict[str, set[str]]:
    """The package's modules each module imports when it is itself imported."""
    return {
        name: {t for t, found in edges.items() if t in graph and any(i.top for i in found)}
        for name, edges in graph.items()
    }


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component, as ``[a, b, ..., a]`` (Tarjan's algorithm).

    A module importing itself is a circle of one. Components are found iteratively, so a deep
    package cannot exhaust the recursion limit.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    components.append(sorted(component))
    return [_circle(graph, set(c)) for c in sorted(components)]


def _circle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph.get(node, ())):
                if child == start:
                    return paths[node] + [start]
                if child in component and child not in paths:
                    paths[child] = paths[node] + [child]
                    following.append(child)
        frontier = following
    raise AssertionError(f"no circle through {start}")  # a component always has one


def _long_comments(source: str) -> set[int]:
    """Lines that carry a ``# long: <reason>`` comment (a real comment, not text in a string)."""
    lines = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and LONG.match(token.string):
            lines.add(token.start[0])
    return lines


def long_code(
    source: str,
    label: str,
    max_module: int = MAX_MODULE_LINES,
    max_function: int = MAX_FUNCTION_LINES,
) -> tuple[list[str], list[str]]:
    """The module (if over ``max_module`` lines) and its functions over ``max_function`` lines.

    A function's length runs from its ``def`` line to its last line (decorators not counted);
    methods and nested functions are functions. Each offender is ``label:line name: N lines``.
    """
    excused = _long_comments(source)
    total = len(source.splitlines())
    module = [f"{label}: {total} lines"] if total > max_module and 1 not in excused else []
    functions = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > max_function and node.lineno not in excused:
                functions.append((node.lineno, node.name, length))
    return module, [f"{label}:{line} {name}: {n} lines" for line, name, n in sorted(functions)]


def _label(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _report(title: str, offenders: list[str]) -> str:
    return f"{title} ({len(offenders)}):\n  " + "\n  ".join(offenders)


# --- the checker checks itself ----------------------------------------------------------------


def test_cycle_finder_names_a_synthetic_circle():
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": set(),
        "e": {"e"},
        "f": {"a"},
        "g": {"h"},
        "h": {"g"},
    }
    assert find_cycles(graph) == [["a", "b", "c", "a"], ["e", "e"], ["g", "h", "g"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) == []


def test_reader_resolves_relative_imports_and_sees_function_level_ones():
    known = {"pkg", "pkg.sub", "pkg.sub.one", "pkg.sub.two", "pkg.other"}
    source = (
        "from __future__ import annotations\n"
        "import numpy\n"
        "from . import two\n"
        "from .. import other\n"
        "from ..other import thing\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from pkg.sub import two\n"
        "class C:\n"
        "    import pkg.other\n"
        "def f():\n"
        "    from pkg import sub\n"
        "if __name__ == '__main__':\n"
        "    import pkg\n"
    )
    found = imports(source, "pkg.sub.one", False, known)
    as_read = [(i.target, i.top) for i in found]
    assert as_read == [
        ("__future__", True),
        ("numpy", True),
        ("pkg.sub.two", True),
        ("pkg.other", True),
        ("pkg.other", True),
        ("typing", True),
        ("pkg.sub.two", False),
        ("pkg.other", True),
        ("pkg.sub", False),
        ("pkg", False),
    ]
    # in a package's __init__, one dot is the package itself
    assert [i.target for i in imports("from . import one\n", "pkg.sub", True, known)] == [
        "pkg.sub.one"
    ]


def test_a_circle_in_a_package_on_disk_is_found_and_a_function_level_import_is_not_one(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg.sub import c\n",
        "b.py": "def f():\n    import pkg.a\n",
        "sub/__init__.py": "from . import c\n",
        "sub/c.py": "from .. import a, b\n",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    top = on_import(import_graph(root))
    assert top == {
        "pkg": set(),
        "pkg.a": {"pkg.sub.c"},
        "pkg.b": set(),
        "pkg.sub": {"pkg.sub.c"},
        "pkg.sub.c": {"pkg.a", "pkg.b"},
    }
    assert find_cycles(top) == [["pkg.a", "pkg.sub.c", "pkg.a"]]


def test_size_check_counts_and_honours_the_long_comment():
    body = "".join(f"    x = {i}\n" for i in range(60))
    source = f"def short():\n    pass\n\n\ndef big():\n{body}\n\n"
    source += f"def excused():  # long: a table\n{body}"
    module, functions = long_code(source, "m.py", max_module=10)
    assert module == [f"m.py: {len(source.splitlines())} lines"]
    assert functions == ["m.py:5 big: 61 lines"]
    assert long_code("# long: generated\n" + source, "m.py", max_module=10)[0] == []
    assert long_code('x = "# long: not a comment"\n' + source, "m.py", max_module=10)[0] != []


# --- the package ------------------------------------------------------------------------------


def test_no_import_circles_at_module_level():
    circles = find_cycles(on_import(import_graph()))
    assert not circles, _report(
        "import circles among module-level imports (move one import into the function that "
        "needs it, or move the shared name down a layer)",
        [" -> ".join(c) for c in circles],
    )


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_lower_layers_import_nothing_above_them(layer):
    forbidden = LAYERS[layer]
    paths = modules()
    offenders = sorted(
        (_label(paths[name]), i.line, i.target)
        for name, edges in import_graph().items()
        if name == layer or name.startswith(layer + ".")
        for target, found in edges.items()
        if any(target == f or target.startswith(f + ".") for f in forbidden)
        for i in found
    )
    assert not offenders, _report(
        f"{layer} imports from {', '.join(forbidden)} (at module or function level)",
        [f"{path}:{line} imports {target}" for path, line, target in offenders],
    )


def test_no_module_over_400_lines():
    offenders = [m for p in modules().values() for m in long_code(p.read_text(), _label(p))[0]]
    assert not offenders, _report(
        f"modules over {MAX_MODULE_LINES} lines (split by concept, or say why on line 1 with "
        "'# long: <reason>')",
        offenders,
    )


def test_no_function_over_60_lines():
    offenders = [f for p in modules().values() for f in long_code(p.read_text(), _label(p))[1]]
    assert not offenders, _report(
        f"functions over {MAX_FUNCTION_LINES} lines (split them, or say why on the def line with "
        "'# long: <reason>')",
        offenders,
    )
