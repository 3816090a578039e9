"""The shape of the package: every module imports on its own, areas do not reach into each other's
views, and the calling area does not depend on the routing area (routing plugs into calling instead)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import userhub

PACKAGE = Path(userhub.__file__).resolve().parent
ROOT = PACKAGE.parent
VIEW_MODULES = ("views", "admin_views", "blueprint")


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


# One interpreter for all modules: before each import, every userhub module is dropped from
# sys.modules, so each import is the module's first (third-party packages stay loaded: they are not
# what is tested, and reloading Flask 130 times would take minutes).
_FRESH_IMPORTS = """
import importlib, json, sys, traceback
failures = {}
for name in json.loads(sys.argv[1]):
    for loaded in [m for m in sys.modules if m == "userhub" or m.startswith("userhub.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failures[name] = traceback.format_exc(limit=-3)
print(json.dumps(failures))
"""


def test_every_module_imports_on_its_own() -> None:
    modules = _modules()
    assert len(modules) > 100
    done = subprocess.run([sys.executable, "-c", _FRESH_IMPORTS, json.dumps(modules)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    failures = json.loads(done.stdout.strip().splitlines()[-1])
    assert failures == {}, "\n".join(f"{name}:\n{trace}" for name, trace in failures.items())


_BILLING_LISTENER = """
from sqlalchemy import event
from sqlalchemy.orm import Session
from userhub.admin import billing
attached = [event.contains(Session, "after_flush", billing._record_package_changes)]
from userhub import create_app
create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
attached.append(event.contains(Session, "after_flush", billing._record_package_changes))
print(attached)
"""


def test_the_billing_listener_is_attached_by_the_app_not_by_the_import() -> None:
    """Nothing happens at import (flask-style.md): the package history listener comes with create_app."""
    done = subprocess.run([sys.executable, "-c", _BILLING_LISTENER], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "[False, True]", done.stdout + done.stderr


def _from_base(node: ast.ImportFrom, package: str) -> str:
    """The absolute name of what ``from X import ...`` imports from (relative imports resolved)."""
    base = node.module or ""
    if node.level:
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - node.level + 1]
        base = ".".join(anchor + ([node.module] if node.module else []))
    return base


def _import_statements(path: Path, module: str) -> Iterator[tuple[str, list[str]]]:
    """Each import statement of a file, wherever it stands: (the module imported from, the names it takes);
    ``import a.b`` is ("a.b", []), ``from .x import y`` ("<package>.x", ["y"]) with relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield _from_base(node, package), [alias.name for alias in node.names]


def _imports(path: Path, module: str) -> set[str]:
    """The userhub modules a file imports (relative imports resolved), wherever the import statement is."""
    found = set()
    for base, names in _import_statements(path, module):
        found.add(base)
        found.update(f"{base}.{name}" for name in names)  # "from . import views"
    return {name for name in found if name == "userhub" or name.startswith("userhub.")}


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (PACKAGE / parts[-1]).is_dir() and len(parts) == 2 else None


def _import_graph() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[module] = _imports(path, module)
    return graph


def test_no_area_imports_the_views_of_another_area() -> None:
    wrong = []
    for module, imported in _import_graph().items():
        for target in imported:
            if target.rpartition(".")[2] in VIEW_MODULES and _area(target) not in (None, _area(module)):
                if module != "userhub.web":  # the web wiring registers every area's blueprint
                    wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_wiring_imports_every_module_that_attaches_to_a_blueprint() -> None:
    """An area's blueprint.py only makes ``bp``: the modules that attach routes or commands to it are imported
    by web.py (else their routes would be missing), and blueprint.py imports none of them."""
    graph = _import_graph()
    attaching = {module for module, imported in graph.items() if module != "userhub.web"
                 for target in imported if target.endswith(".blueprint") and _area(target) == _area(module)}
    assert len(attaching) > 10
    assert sorted(attaching - graph["userhub.web"]) == []
    blueprints = {target for module in attaching for target in graph[module] if target.endswith(".blueprint")}
    assert sorted(f"{b} imports {m}" for b in blueprints for m in attaching if m in graph[b]) == []


@pytest.mark.parametrize("area", ["calling", "admin"])
def test_calling_and_admin_do_not_import_routing(area: str) -> None:
    """Routing reads calling's settings and plugs into calling's save flow and overview and into admin's
    user page (routing/wiring.py); calling's admin pages use admin's context: either import would loop."""
    wrong = [f"{module} imports {target}" for module, imported in _import_graph().items()
             if module.startswith(f"userhub.{area}.") for target in imported
             if target == "userhub.routing" or target.startswith("userhub.routing.")]
    assert wrong == []


@pytest.mark.parametrize("target", ["userhub.admin.views", "userhub.routing.mapper"])
def test_the_import_graph_sees_imports_inside_functions(tmp_path: Path, target: str) -> None:
    """The checks above read import statements anywhere in a file, not only at the top."""
    source = tmp_path / "probe.py"
    source.write_text(f"def later():\n    import {target}\n")
    assert target in _imports(source, "userhub.calling.probe")


def _module_graph() -> dict[str, set[str]]:
    """Module -> the userhub modules its import statements name, at the top, in a function or under
    TYPE_CHECKING alike: ``from P import name`` names the module P.name when there is one, else P (so
    ``from .. import i18n`` is an arrow to userhub.i18n, not to userhub/__init__.py)."""
    graph: dict[str, set[str]] = {}
    paths = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    for module, path in paths.items():
        found = set()
        for base, names in _import_statements(path, module):
            found.update(f"{base}.{name}" if f"{base}.{name}" in paths else base for name in names or [""])
        graph[module] = {name for name in found if name in paths and name != module}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other round a loop (strongly connected, more than one)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in order:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], order[target])
        if low[module] == order[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return found


def test_no_circle_between_userhub_modules() -> None:
    """Imports point one way (ARCHITECTURE.md): no module reaches itself again through the modules it imports,
    late imports and TYPE_CHECKING ones included."""
    graph = _module_graph()
    assert len(graph) > 100 and sum(map(len, graph.values())) > 500
    described = [" ; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(group)))}" for m in group)
                 for group in _circles(graph)]
    assert described == []


def test_the_circle_check_finds_a_circle_and_reads_every_import() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}) == [["a", "b", "c"]]
    graph = _module_graph()
    assert {"userhub.i18n", "userhub.schedules.pages"} <= graph["userhub.schedules.views"]  # from .. import i18n
    assert "userhub" not in graph["userhub.schedules.views"]
    assert "userhub.accounts.models" in graph["userhub.calling.hooks"]  # under TYPE_CHECKING
    assert "userhub.security.password_policy" in graph["userhub.ops"]  # in warm_up
    assert "userhub.web" in graph["userhub"]  # in create_app


ROUTING_CORE = ["userhub.routing.inputs", "userhub.routing.route", "userhub.routing.matching",
                "userhub.routing.executive", "userhub.routing.walk", "userhub.routing.evaluate", "userhub.routing.loops",
                "userhub.routing.messages"]


def test_the_routing_core_imports_neither_flask_nor_sqlalchemy() -> None:
    """The pure evaluator, its inputs, loops and messages run without a database or a web framework."""
    probe = ("import importlib, sys\n"
             f"for name in {ROUTING_CORE!r}: importlib.import_module(name)\n"
             "print(sorted({m.partition('.')[0] for m in sys.modules} & {'flask', 'flask_babel', 'sqlalchemy', 'wtforms'}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
