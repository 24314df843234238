"""The project's import graph, read from the source with ``ast`` (module-level and
function-local imports alike; imports under ``if TYPE_CHECKING:`` are left out because they
never run).

- reports/ reads the other apps only through their front doors: ``<app>.reporting`` (and
  ``<app>.models``), never their figures, scoring, charts or overview internals;
- no two project files import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kccperf", "kpis", "monitoring", "reports", "risks")
FRONT_DOORS = ("reporting", "models")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Every Import/ImportFrom that can run, wherever it sits (functions included)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``module`` imports (``from kpis import charts`` is kpis.charts)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_reader_sees_function_local_imports_and_skips_type_checking_ones(tmp_path):
    source = (
        "from typing import TYPE_CHECKING\n"
        "from kpis import charts\n"
        "if TYPE_CHECKING:\n"
        "    from risks.models import Risk\n"
        "def f():\n"
        "    from monitoring.figures import dashboard\n"
    )
    path = tmp_path / "example.py"
    path.write_text(source)
    modules = {
        name: Path() for name in ("kpis", "kpis.charts", "monitoring.figures", "risks.models")
    }
    assert imports_of("reports.example", path, modules) == {"kpis.charts", "monitoring.figures"}


def test_cycles_finds_a_loop_of_two_and_of_three():
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}
    assert sorted(cycles(graph)) == [["a", "b"], ["c", "d", "e"]]


def test_reports_reads_the_apps_only_through_their_reporting_modules():
    apps = ("monitoring", "kpis", "risks")
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.split(".")[0] == "reports"
        for target in targets
        if target.split(".")[0] in apps
        and (target.count(".") != 1 or target.split(".")[1] not in FRONT_DOORS)
    )
    assert wrong == []


def test_no_project_files_import_each_other_round_a_loop():
    assert cycles(import_graph()) == []
