"""Text search in the database: what a person types is text, never a pattern.

``LIKE`` treats ``%`` and ``_`` as wildcards, so ``?q=%`` would list everyone; every search of the product
builds its condition here, where they are escaped (SQLAlchemy's ``autoescape``), on SQLite and PostgreSQL
alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func


def containing(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, ignoring case; ``%``, ``_`` and the escape character match themselves."""
    return func.lower(column).contains(text.lower(), autoescape=True)
