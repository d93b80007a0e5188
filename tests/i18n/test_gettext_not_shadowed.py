"""`_` is gettext wherever a module imports it: no function of such a module also uses `_` as a
throwaway name, which would make its `_("...")` calls fail (UnboundLocalError) at run time."""

from __future__ import annotations

import ast

from capmatch.config import REPO_ROOT


def _stores_underscore(function: ast.AST) -> bool:
    """Whether `function` binds `_` in its own scope (not in a nested function or comprehension)."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
                      | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            continue
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name) == "_":
            return True
        stack.extend(ast.iter_child_nodes(node))
    return False


def test_no_function_that_may_call_gettext_binds_underscore():
    found = []
    for path in sorted((REPO_ROOT / "capmatch").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        imports_gettext = any(
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("capmatch.i18n")
            and any((a.asname or a.name) == "_" for a in node.names)
            for node in tree.body
        )
        if not imports_gettext:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _stores_underscore(node):
                found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.name}")
    assert not found, "rename the throwaway `_` (e.g. `_unused`) in: " + ", ".join(found)
