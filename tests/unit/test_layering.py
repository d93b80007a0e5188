"""The direction of dependencies (STYLE.md, rules 1-3), checked on the source so it holds without anyone remembering it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "capmatch"
PURE_CORE = [
    "matching/problem.py", "matching/scoring.py", "matching/solver.py", "matching/constraints.py",
    "matching/explain.py", "matching/auction.py", "matching/pruning.py", "matching/copy_graph.py", "proposals/workflow.py",
]
WEB = ("fastapi", "starlette", "jinja2")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("module", PURE_CORE)
def test_the_pure_core_imports_only_the_standard_library_numpy_scipy_and_itself(module):
    allowed_capmatch = {f"capmatch.{m[:-3].replace('/', '.')}" for m in PURE_CORE}
    for name in imported_modules(PACKAGE / module):
        if name.startswith("capmatch"):
            assert name in allowed_capmatch, f"{module} imports {name}"
        else:
            assert top(name) in sys.stdlib_module_names | {"numpy", "scipy"}, f"{module} imports {name}"


def service_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name in ("service.py", "queries.py", "workflow.py"))


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_services_never_import_the_web_layer(path):
    web = [n for n in imported_modules(path) if top(n) in WEB or n.startswith("capmatch.web")]
    assert web == [], f"{path.relative_to(PACKAGE)} imports {web}"


def view_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name in ("views.py", "api.py"))


def sqlalchemy_imports(path: Path) -> list[str]:
    """Everything a module takes from sqlalchemy, as 'module.name'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if top(a.name) == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and node.module and top(node.module) == "sqlalchemy":
            found += [f"{node.module}.{a.name}" for a in node.names]
    return found


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_run_no_queries_themselves(path):
    # Views call services; building a query needs sqlalchemy, so a view may take from it only the
    # Session type it hands to the services.
    assert set(sqlalchemy_imports(path)) <= {"sqlalchemy.orm.Session"}, path.relative_to(PACKAGE)
