"""Migrations are history: none imports the application, so a replay never follows today's code."""

import ast
from pathlib import Path

import journal

VERSIONS = Path(journal.__file__).parent / "migrations" / "versions"


def imported_modules(source: str) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            modules += [arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant)]
    return modules


def test_no_migration_imports_the_application():
    files = sorted(p for p in VERSIONS.glob("*.py") if p.name != "__init__.py")
    assert len(files) >= 6
    offending = {}
    for path in files:
        modules = imported_modules(path.read_text(encoding="utf-8"))
        ours = [m for m in modules if m.split(".")[0] in ("journal", "")]  # "" is a relative import
        if ours:
            offending[path.name] = ours
    assert not offending


def test_the_check_sees_every_way_of_importing_the_application():
    source = (
        "import journal.search_index\nfrom journal import models\nfrom . import x\n"
        "def upgrade():\n    __import__('journal')\n"
    )
    assert imported_modules(source) == ["journal.search_index", "journal", ".", "journal"]
