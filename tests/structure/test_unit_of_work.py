"""One unit of work: only userhub/unit_of_work.py commits (the request edge, and ``committing()`` for the
CLI, jobs, the mail worker and the demo seeding). A service or a view that commits could not be composed
with another in one transaction."""

from __future__ import annotations

import ast
from pathlib import Path

import userhub

PACKAGE = Path(userhub.__file__).resolve().parent
ALLOWED = {"userhub/unit_of_work.py"}


def commits_in(source: str, filename: str) -> list[int]:
    """The lines of ``source`` that call a ``commit`` method (session.commit(), transaction.commit(), ...)."""
    return [node.lineno for node in ast.walk(ast.parse(source, filename))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"]


def test_the_check_finds_a_commit() -> None:
    assert commits_in("def save():\n    db.session.commit()\n", "example.py") == [2]
    assert commits_in("savepoint = db.session.begin_nested()\nsavepoint.commit()\n", "example.py") == [2]
    assert commits_in("def save():\n    db.session.flush()\n", "example.py") == []


def test_only_the_unit_of_work_commits() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE.parent).as_posix()
        if name in ALLOWED:
            continue
        found += [f"{name}:{line}" for line in commits_in(path.read_text(), name)]
    assert found == [], "commit at the request edge or with unit_of_work.committing(), not here: " + ", ".join(found)


def test_the_allowed_module_is_there() -> None:
    assert commits_in((PACKAGE / "unit_of_work.py").read_text(), "unit_of_work.py")  # the list is not stale
