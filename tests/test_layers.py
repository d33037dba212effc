"""The project's apps depend on each other in one direction only (docs/architecture.md).

From the bottom up: ``kit`` (domain-free helpers), ``knowledgebase`` (the core), the page
apps ``models_infra`` and ``countries`` (countries may use models_infra, not the other way
round), ``search`` (search and everything composing several apps) and ``portal``, the project
itself, which may import everything and is imported by nothing. The imports are read from the
source with ``ast``, so an import inside a function counts as much as one at the top; and an
import inside a function is itself refused when it crosses apps, because it is how a cycle
hides.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each app and the apps of the project it may import.
ALLOWED = {
    "kit": set(),
    "knowledgebase": {"kit"},
    "models_infra": {"kit", "knowledgebase"},
    "countries": {"kit", "knowledgebase", "models_infra"},
    "search": {"kit", "knowledgebase", "models_infra", "countries"},
    "portal": {"kit", "knowledgebase", "models_infra", "countries", "search"},
}


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def _imports(path):
    """(imported module, line, inside a function) for each absolute import in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            yield module, node.lineno, id(node) in in_function


def _cross_app_imports(app):
    for path in _sources(app):
        for module, line, in_function in _imports(path):
            target = module.split(".")[0]
            if target in ALLOWED and target != app:
                yield f"{path.relative_to(ROOT)}:{line}", target, module, in_function


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_layers_below(app):
    """An app imports only the apps of the project below it; nothing imports ``portal``."""
    wrong = [
        f"{where} imports {module}"
        for where, target, module, _in_function in _cross_app_imports(app)
        if target not in ALLOWED[app]
    ]
    assert not wrong, f"{app} may import only {sorted(ALLOWED[app])}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_import_from_another_app_inside_a_function(app):
    """Imports from another app of the project sit at the top of the module."""
    hidden = [
        f"{where} imports {module}"
        for where, _target, module, in_function in _cross_app_imports(app)
        if in_function
    ]
    assert not hidden, "imports from another app inside a function:\n" + "\n".join(hidden)


def test_every_app_is_checked():
    """Every Python package at the top of the repository that is an app of the project has a
    place in ``ALLOWED``, so a new app cannot slip past the rule."""
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests", "bench", "tools", "deploy"}
    }
    assert packages <= set(ALLOWED), sorted(packages - set(ALLOWED))


def test_every_app_is_part_of_the_release():
    """A change to any app changes the release fingerprint, so the cache starts empty after a
    deploy of it (``kit.release``)."""
    from kit.release import SOURCE_DIRS

    assert set(ALLOWED) <= set(SOURCE_DIRS)
