"""The code's layers point one way: blueprints use the domain, never the reverse, and no
blueprint imports another; no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "journal"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every journal module `path` imports, anywhere in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("journal")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if not base.startswith("journal"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return found - {name}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def app_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def blueprints() -> set[str]:
    return {
        name
        for name, path in app_modules().items()
        if name.startswith("journal.web.") and "Blueprint(" in path.read_text(encoding="utf-8")
    }


def test_the_domain_never_imports_the_web_layer():
    offenders = {
        name: sorted(i for i in imports_of(path) if i.startswith("journal.web"))
        for name, path in app_modules().items()
        if not name.startswith("journal.web") and name != "journal"  # the factory wires both
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_blueprint_imports_another():
    names = blueprints()
    assert len(names) >= 8  # the test looks at the real blueprints
    paths = app_modules()
    offenders = {name: sorted(imports_of(paths[name]) & (names - {name})) for name in names}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_import_cycles():
    paths = app_modules()
    graph = {name: imports_of(path) & set(paths) for name, path in paths.items()}
    graph["journal"] -= {"journal.cli", "journal.web"}  # imported inside create_app, by design
    for node in graph.values():
        node.discard("journal")  # `from . import x` names the package, not its factory
    cycles, done, stack = [], set(), []

    def visit(node: str) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node) :] + [node])
            return
        if node in done:
            return
        stack.append(node)
        for target in sorted(graph[node]):
            visit(target)
        stack.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []
