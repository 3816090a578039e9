"""One error contract (userhub/errors.py): every refusal of the domain is a DomainError, and views put its
messages on forms with ``show_on``, never by hand."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from userhub.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "userhub"
DOMAIN_NAME = re.compile(r"^Invalid|(Error|Invalid|Refused)$")
# Exception classes whose names say "error" but that are not refusals a person corrects on a form.
NOT_DOMAIN = {
    "InvalidEncoding": "an HTTP 400 from the request guard (security/input.py), before any view or form",
    "NaiveDatetimeError": "a programming error: code passed a datetime without a time zone",
    "InvalidPhoneNumber": "the core's parse failure (phones.py, no Flask), without a message: each caller "
                          "words it for its own field",
}
# Modules that answer requests: where a caught refusal meets a form.
VIEW_MODULE = re.compile(r"(^|/)(views\w*|pages|admin_views)\.py$")


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).with_suffix("")
        found.append((".".join(relative.parts).removesuffix(".__init__"), ast.parse(path.read_text(), str(path))))
    return found


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class) of every class in userhub/ named like an error."""
    return [(module, node.name) for module, tree in _modules() for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef) and DOMAIN_NAME.search(node.name)]


def test_the_scan_finds_the_domain_errors() -> None:
    names = {name for _module, name in _exception_classes()}
    assert {"ContactInvalid", "VoicemailInvalid", "SaveRefused", "ProvisioningError", "InvalidEmail"} <= names


@pytest.mark.parametrize(("module", "name"), _exception_classes())
def test_every_error_of_the_code_base_is_a_domain_error(module: str, name: str) -> None:
    cls = getattr(importlib.import_module(module), name)
    if name in NOT_DOMAIN:
        assert not issubclass(cls, DomainError), f"{name} is a DomainError now: take it off NOT_DOMAIN"
        return
    assert issubclass(cls, DomainError), f"{module}.{name} refuses something: make it an errors.DomainError"


def _copies_by_hand(handler: ast.ExceptHandler) -> list[int]:
    """Lines of an except block that write a form field's errors: ``x.errors = ...``,
    ``x.errors.append(...)``/``extend``, ``x.errors[...] = ...`` or ``x.errors += ...``."""
    lines = []
    for node in ast.walk(handler):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("append", "extend", "insert")):
            targets = [node.func.value]
        for target in targets:
            if isinstance(target, ast.Subscript):
                target = target.value
            if isinstance(target, ast.Attribute) and target.attr == "errors":
                lines.append(node.lineno)
    return lines


def _view_modules() -> list[tuple[str, ast.Module]]:
    return [(m, t) for m, t in _modules() if VIEW_MODULE.search(m.replace(".", "/") + ".py")]


def test_the_scan_reads_the_views() -> None:
    names = {m for m, _t in _view_modules()}
    assert {"userhub.calling.views", "userhub.contacts.views", "userhub.voicemail.views",
            "userhub.schedules.pages", "userhub.accounts.views"} <= names


def test_views_put_caught_refusals_on_forms_with_show_on() -> None:
    found = []
    for module, tree in _view_modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler):
                found.extend(f"{module}:{line}" for line in _copies_by_hand(node))
    assert found == [], "use errors.show_on(form, error) instead of copying messages onto fields"


def test_the_hand_copy_check_sees_each_way_of_copying() -> None:
    for body in ("form.name.errors = [str(exc)]", "form.name.errors.append(str(exc))",
                 "form.errors['name'] = exc.message", "form.name.errors += [exc.message]"):
        tree = ast.parse(f"try:\n    pass\nexcept ValueError as exc:\n    {body}\n")
        handler = next(n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler))
        assert _copies_by_hand(handler) == [4], body
    tree = ast.parse("try:\n    pass\nexcept ValueError as exc:\n    show_on(form, exc)\n")
    assert _copies_by_hand(next(n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler))) == []
