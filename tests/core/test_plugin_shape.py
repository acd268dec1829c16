"""Every plugin has the one shape of docs/plugins.md ("The shape of a plugin"): the built-in plugins
and the example plugin, so the next plugin copies the right one."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core import PROJECT_ROOT

BUILT_IN = sorted(p for p in (PROJECT_ROOT / "plugins").iterdir() if (p / "__init__.py").is_file())
EXAMPLE = PROJECT_ROOT / "examples" / "journey-hello" / "journey_hello"
PLUGINS = BUILT_IN + [EXAMPLE]
REQUIRED_FILES = ("__init__.py", "models.py", "privacy.py", "demo.py", "views/__init__.py")
# Views are grouped by who uses them; a large audience splits into <audience>_<topic>.py.
AUDIENCES = ("mine", "team", "hr", "admin", "trainer", "api", "public", "common")
# Helpers core provides through core.api: a plugin keeps no copy of them.
CORE_HELPERS = ("clock.py", "markup.py", "markdown.py", "exports.py", "csv_files.py", "blueprint.py")
METADATA = {"KEY", "TITLE", "DESCRIPTION", "REQUIRES", "HOOKSPECS", "VERSION"}
# What __init__.py may import at module level: the rest loads inside the hook implementations.
TOP_LEVEL_IMPORTS = ("__future__", "flask", "flask_babel", "core.api")


def _key(folder: Path) -> str:
    tree = ast.parse((folder / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "KEY" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{folder}: no KEY")


def _ids(folders):
    return [folder.name for folder in folders]


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_the_required_parts_are_there(folder):
    key = _key(folder)
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    missing += [f"templates/{key}/"] if not (folder / "templates" / key).is_dir() else []
    missing += ["migrations/versions/"] if not (folder / "migrations" / "versions").is_dir() else []
    assert missing == []


@pytest.mark.parametrize("folder", BUILT_IN, ids=_ids(BUILT_IN))
def test_a_built_in_plugin_has_its_dutch_catalogue(folder):
    assert (folder / "translations" / "nl" / "LC_MESSAGES" / "messages.po").is_file()


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_views_live_in_the_views_package_one_module_per_audience(folder):
    outside = [p.name for p in folder.glob("*.py") if "view" in p.stem]
    assert outside == [], "view modules belong in views/"
    strays = [p.name for p in (folder / "views").glob("*.py")
              if p.stem != "__init__" and p.stem.split("_")[0] not in AUDIENCES]
    assert strays == [], f"name view modules after their audience: {', '.join(AUDIENCES)}"


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_the_blueprint_is_made_in_views_init(folder):
    tree = ast.parse((folder / "views" / "__init__.py").read_text())
    assigned = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name)}
    assert "bp" in assigned


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_no_copy_of_a_core_helper(folder):
    assert [name for name in CORE_HELPERS if (folder / name).exists()] == []


def _is_hookimpl(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Name) and target.id == "hookimpl"


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_init_holds_metadata_and_hook_implementations_only(folder):
    tree = ast.parse((folder / "__init__.py").read_text())
    key = _key(folder)
    problems = []
    for index, node in enumerate(tree.body):
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.ImportFrom):
            package = folder.name if folder == EXAMPLE else f"plugins.{folder.name}"
            own_hookspecs = node.module == package and [a.name for a in node.names] == ["hookspecs"]
            if node.level or not (own_hookspecs or (node.module or "").startswith(TOP_LEVEL_IMPORTS)):
                problems.append(f"line {node.lineno}: import {node.module} inside a hook implementation")
        elif isinstance(node, ast.Import):
            problems.append(f"line {node.lineno}: import inside a hook implementation")
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {getattr(t, "id", None) for t in targets}
            if not names <= METADATA:
                problems.append(f"line {node.lineno}: {names - METADATA} is not metadata")
        elif isinstance(node, ast.FunctionDef):
            if not any(_is_hookimpl(d) for d in node.decorator_list):
                problems.append(f"line {node.lineno}: {node.name} is not a hook implementation")
        else:
            problems.append(f"line {node.lineno}: {type(node).__name__}")
    assert problems == [], key


@pytest.mark.parametrize("folder", PLUGINS, ids=_ids(PLUGINS))
def test_plugins_import_core_only_through_the_api(folder):
    """import-linter checks this in `make lint` too; this names the file and line."""
    problems = []
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for module in modules:
                if (module == "core" or module.startswith("core.")) and module != "core.api":
                    problems.append(f"{path.relative_to(folder)}:{node.lineno} imports {module}")
    assert problems == []
