"""The engine keeps its shape: its modules import one another in one direction only (no cycle),
every import at the top of a module (none inside a function to dodge a cycle), and no module
of it imports a web or database library."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "server" / "engine"
PACKAGE = "server.engine"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ENGINE.rglob("*.py")}


def _imports(name: str, tree: ast.Module) -> set[str]:
    """The engine modules `name` imports (a `from pkg import submodule` counts the submodule)."""
    is_package = MODULES[name].name == "__init__.py"
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = name.split(".") if is_package else name.split(".")[:-1]
            if node.level:
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            targets = [f"{prefix}.{alias.name}" for alias in node.names]
            found |= {t for t in targets if t in MODULES}
            if not all(t in MODULES for t in targets):
                found.add(prefix)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in MODULES and m != name}


def _graph() -> dict[str, set[str]]:
    return {
        name: _imports(name, ast.parse(path.read_text(encoding="utf-8")))
        for name, path in MODULES.items()
    }


def test_engine_modules_import_each_other_without_a_cycle() -> None:
    graph = _graph()
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join(
            trail[trail.index(name) :] + [name]
        )
        if name in done:
            return
        for dep in sorted(graph[name]):
            visit(dep, trail + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_engine_imports_are_at_module_level_only() -> None:
    nested = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                nested.append(f"{name}:{node.lineno}")
    assert nested == []


def test_engine_imports_neither_web_nor_database_libraries() -> None:
    forbidden = {"flask", "peewee", "playhouse", "werkzeug"}
    found = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            found += [f"{name} imports {root}" for root in roots & forbidden]
    assert found == []
