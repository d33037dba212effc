"""The project's apps depend on each other in one direction only (docs/architecture.md).

From the bottom up: ``kit`` (domain-free helpers), ``knowledgebase`` (the core), the page
apps ``models_infra`` and ``countries`` (countries may use models_infra, not the other way
round), ``hubs`` (the pages composing several apps: theme hubs, the gap map, the record
sitemaps), ``search`` (search and the cache warm-up) and ``portal``, the project itself, which
may import everything and is imported by nothing. The imports are read from the
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
    "hubs": {"kit", "knowledgebase", "models_infra", "countries"},
    "search": {"kit", "knowledgebase", "models_infra", "countries", "hubs"},
    "portal": {"kit", "knowledgebase", "models_infra", "countries", "hubs", "search"},
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


# Calls that change a list, set or dict in place.
MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault"}


def _imported_apps(tree, app):
    """Names bound in ``tree`` to a module of another app of the project (``import x.y as z``,
    ``from x import y``)."""

    def other_app(module):
        return module.split(".")[0] in ALLOWED and module.split(".")[0] != app

    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if other_app(a.name))
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module and other_app(node.module):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node):
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_app_fills_another_apps_module_state(app):
    """An app does not add to a list (or set, or dict) another app keeps, nor assign to
    another app's module: a lower layer showing what a higher one adds at start-up depends on
    it without an import the rules above can see. What composes several apps imports them
    instead (``hubs``)."""
    wrong = []
    for path in _sources(app):
        tree = ast.parse(path.read_text(), filename=str(path))
        imported = _imported_apps(tree, app)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in MUTATORS and isinstance(node.func.value, ast.Attribute):
                    targets = [node.func.value]
            elif isinstance(node, ast.Assign | ast.AugAssign):
                targets = [t for t in getattr(node, "targets", [getattr(node, "target", None)]) if t]
                targets = [t for t in targets if isinstance(t, ast.Attribute | ast.Subscript)]
            wrong += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for target in targets
                if _root_name(target) in imported
            ]
    assert not wrong, f"{app} changes another app's module state:\n" + "\n".join(wrong)


def test_what_composes_several_apps_sits_in_hubs():
    """The gap map and the record sitemaps read countries and models and compose the knowledge
    base with them: they sit in ``hubs``, above the page apps, and the knowledge base keeps no
    list for the apps above it to fill."""
    import knowledgebase.selectors

    for module in ("gapmap.py", "sitemaps.py"):
        assert (ROOT / "hubs" / module).is_file(), module
        assert not (ROOT / "knowledgebase" / module).exists(), module
    assert not hasattr(knowledgebase.selectors, "THEME_HUB_SECTIONS")


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
