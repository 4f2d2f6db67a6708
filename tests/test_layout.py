"""The shape of the library (issue 14): no import cycle, no module over 500 lines, every package in the
wheel, the plugins as thin contract paths, and the core importing nothing but Beancount."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIBRARY = REPO / "jlis_ledger"
IMPORTERS = REPO / "importers"


def modules() -> dict[str, Path]:
    out = {}
    for root, package in ((LIBRARY, "jlis_ledger"), (IMPORTERS, "jlis_ledger.importers")):
        for path in sorted(root.rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join([package, *parts])] = path
    return out


def _module_level_imports(name: str, path: Path, functions: bool = False) -> set[str]:
    """What a module imports when it is imported: top-level imports (with ``functions``, also those inside
    functions and classes), never those under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(body) -> None:
        for node in body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if functions and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.For)):
                visit(node.body)
            if isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if not name.startswith(base + "."):  # `from <own package> import <submodule>` imports the submodule
                    found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)

    visit(tree.body)
    return found


@pytest.mark.parametrize("functions", [False, True], ids=["module level", "with imports inside functions"])
def test_no_import_cycle(functions):
    """Not even through an import deferred into a function: data flows one way."""
    known = modules()
    graph = {name: {m for m in _module_level_imports(name, path, functions) if m in known and m != name}
             for name, path in known.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)


def test_no_module_of_the_library_is_over_500_lines():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_the_core_imports_only_beancount_and_the_standard_library():
    import sys

    allowed = {"beancount", "dateutil", "jlis_ledger"}  # dateutil: relativedelta for the calendar (issue 14)
    for name, path in modules().items():
        if not name.startswith("jlis_ledger.core"):
            continue
        for imported in _module_level_imports(name, path):
            top = imported.split(".")[0]
            assert top in allowed or top in sys.stdlib_module_names, (name, imported)
            if top == "jlis_ledger":
                assert imported.startswith("jlis_ledger.core"), (name, imported)


def test_every_package_is_in_the_wheel():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    packages = {name for name, path in modules().items() if path.name == "__init__.py"}
    data = {"jlis_ledger.ledger"}  # the bundled books: a package of data files only (no module of it is shipped)
    assert set(config["packages"]) == packages | data
    assert config["package-dir"]["jlis_ledger.ledger"] == "ledger"
    assert config["package-dir"]["jlis_ledger.importers"] == "importers"
    assert "importers" not in config["packages"]  # never a top-level package named importers


def test_the_plugins_are_thin_contract_paths():
    for name in ("segments", "reserves", "allocations", "bql", "proof"):
        path = LIBRARY / "plugins" / f"{name}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree) and "__plugins__" in path.read_text(encoding="utf-8")
        functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert name in functions
        classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
        assert classes == []  # the rule lives in its concept package
