"""The package's modules form layers: no module imports, even lazily, one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "policy_ledger"


def imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports anywhere, except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom) or node.level != 1:
            continue
        if node.module:
            found.add(node.module.split(".")[0])
        else:
            found.update(alias.name for alias in node.names)
    return found - {"__init__"}


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = {path.stem: imports(path) for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for imported in sorted(graph.get(module, ())):
            if imported in trail:
                cycles.append(" → ".join([*trail[trail.index(imported) :], imported]))
            elif imported in graph:
                visit(imported, [*trail, imported])

    for module in sorted(graph):
        visit(module, [module])
    assert cycles == []
